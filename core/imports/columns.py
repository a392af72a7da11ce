"""Deal rows converted a column at a time (pyarrow): each field of a block of rows at once,
and which rows must be read one by one instead.

A row takes the column-wise path only when every value in it is one whose reading is
certain — a plain number, a date a pattern reads whole, a name that finds one person —
and it keeps every rule a deal keeps. Any other row (a value to refuse, an offset in a
time, a local time the clocks skipped) is a *suspect*, read by the row-by-row parser,
which reports or accepts it exactly as an import without this path would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from domain.imports import ANY_OTHER, ENUMS, ISO, ImportMapping
from domain.inputs import EARLIEST_YEAR, LATEST_YEAR, MAX_COUNT
from domain.records import (
    CLOCK_SKEW,
    MAX_EXTERNAL_ID_LENGTH,
    MAX_LABEL_LENGTH,
    DealStage,
)

# What a staged deal holds, in the order of the staging table's columns.
STAGED = pa.schema(
    [
        ("line", pa.int64()),
        ("external_id", pa.string()),
        ("owner_id", pa.int64()),
        ("account_id", pa.int64()),
        ("product_id", pa.int64()),
        ("amount", pa.decimal128(18, 4)),
        ("cost", pa.decimal128(18, 4)),
        ("quantity", pa.int64()),
        ("stage", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("closed_at", pa.timestamp("us", tz="UTC")),
        ("region", pa.string()),
        ("segment", pa.string()),
    ]
)
# Amounts as they are kept: below 10^14, at most four places, never negative.
_MONEY = r"^\d{1,14}(\.\d{0,4})?$"
_COUNT = r"^\d{1,10}$"
_ISO_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"
_ISO_LAYOUTS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# Control characters a text may not hold (tab, line feed and carriage return may).
_CONTROLS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


@dataclass
class Block:
    staged: pa.Table
    # Rows to read one by one: their line and their cells.
    suspects: list[tuple[int, list[str]]]
    rows: int
    skipped: int


def _blank_is_null(values: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


class _Index:
    """A table of texts → values, held as arrays so each block looks all its keys up at once."""

    def __init__(self, table: dict[str, Any], kind: pa.DataType) -> None:
        self.kind = kind
        self.keys = pa.array(list(table), pa.string())
        self.values = pa.array(list(table.values()), kind)

    def find(self, keys: pa.Array) -> pa.Array:
        """Each key's value (null where the table has none)."""
        if not len(self.keys):
            return pa.nulls(len(keys), self.kind)
        return pc.take(self.values, pc.index_in(keys, value_set=self.keys))


def _strptime(values: pa.Array, pattern: str) -> pa.Array:
    return pc.strptime(values, format=pattern, unit="us", error_is_null=True)


class Converter:
    """Converts blocks of one file's rows, given its mapping and what names resolve to."""

    def __init__(
        self,
        mapping: ImportMapping,
        header: list[str],
        timezone: str,
        owners: dict[str, int],
        accounts: dict[str, int],
        products: dict[str, int],
        now: datetime,
    ) -> None:
        self.mapping, self.header, self.timezone = mapping, header, timezone
        self.owners = _Index(owners, pa.int64())
        self.accounts = _Index(accounts, pa.int64())
        self.products = _Index(products, pa.int64())
        self.latest = pa.scalar(now + CLOCK_SKEW, pa.timestamp("us", tz="UTC"))
        self.positions = {name.strip(): index for index, name in enumerate(header)}

    # Reading fields ---------------------------------------------------------------------

    def _column(self, name: str) -> pa.Array | None:
        column = self.mapping.columns.get(name)
        return None if column is None else self.batch.column(self.positions[column])

    def _text(self, name: str) -> pa.Array:
        """A field's text as the row parser reads it: its constant, else its cell, else its
        default; then through its value map (not an enum's: `_choice` applies those)."""
        size = self.batch.num_rows
        constant = self.mapping.constants.get(name)
        if constant is not None:
            values = pa.array([constant] * size, pa.string())
        else:
            raw = self._column(name)
            values = pa.nulls(size, pa.string()) if raw is None else _blank_is_null(raw)
        default = self.mapping.defaults.get(name)
        if default is not None:
            if default.column is None:
                values = pc.coalesce(values, pa.scalar(default.value, pa.string()))
            else:
                other = self.batch.column(self.positions[default.column])
                values = pc.coalesce(values, _blank_is_null(other))
        table = self.mapping.values.get(name)
        if table is None or name in ENUMS:
            return values
        known = {k: v for k, v in table.items() if k != ANY_OTHER}
        mapped = _Index(known, pa.string()).find(pc.utf8_lower(values))
        otherwise = table.get(ANY_OTHER)
        fallback = values if otherwise is None else pa.scalar(otherwise, pa.string())
        return pc.if_else(pc.is_null(values), values, pc.coalesce(mapped, fallback))

    def _choice(self, name: str) -> pa.Array:
        """An enum field's member name, null where the row parser would refuse it."""
        values = self._text(name)
        table = self.mapping.values.get(name)
        if table is None:
            upper = pc.utf8_upper(values)
            members = pa.array(list(ENUMS[name].__members__), pa.string())
            return pc.if_else(pc.is_in(upper, value_set=members), upper, None)
        known = {k: v for k, v in table.items() if k != ANY_OTHER}
        mapped = _Index(known, pa.string()).find(pc.utf8_lower(values))
        otherwise = table.get(ANY_OTHER)
        if otherwise is not None:
            mapped = pc.if_else(pc.is_null(values), mapped, pc.coalesce(mapped, otherwise))
        return mapped

    def _number(self, name: str, pattern: str, kind: pa.DataType) -> tuple[pa.Array, pa.Array]:
        """A numeric field, and where it is unreadable here (given but not plain)."""
        values = self._text(name)
        formats = self.mapping.formats
        cleaned = pc.utf8_trim(values, characters="$€£¥ ")
        if formats.thousands_separator:
            cleaned = pc.replace_substring(cleaned, formats.thousands_separator, "")
        if formats.decimal_separator != ".":
            cleaned = pc.replace_substring(cleaned, formats.decimal_separator, ".")
        cleaned = pc.replace_substring(cleaned, " ", "")
        plain = pc.match_substring_regex(cleaned, pattern)
        bad = pc.and_(pc.is_valid(values), pc.invert(pc.fill_null(plain, False)))
        readable = pc.if_else(pc.fill_null(plain, False), cleaned, None)
        return pc.cast(readable, kind), bad

    def _moment(self, name: str) -> tuple[pa.Array, pa.Array]:
        """A time in UTC, and where it is unreadable here: no pattern reads it whole, or as
        a local time it is one the clocks skipped (the row parser places those)."""
        values = self._text(name)
        formats = self.mapping.formats
        found = pa.nulls(len(values), pa.timestamp("us"))
        for patterns, iso in ((formats.datetimes, _ISO_TIME), (formats.dates, _ISO_DATE)):
            for pattern in patterns:
                if pattern == ISO:
                    # Zero-padded as ISO 8601 has it; fractions of seconds are left to the
                    # row parser.
                    fits = pc.fill_null(pc.match_substring_regex(values, iso), False)
                    given = pc.if_else(fits, values, None)
                    for layout in _ISO_LAYOUTS if iso == _ISO_TIME else ("%Y-%m-%d",):
                        found = pc.coalesce(found, _strptime(given, layout))
                else:
                    found = pc.coalesce(found, _strptime(values, pattern))
        placed = pc.assume_timezone(
            found, timezone=self.timezone, ambiguous="earliest", nonexistent="earliest"
        )
        skipped = pc.not_equal(pc.local_timestamp(placed), found)
        years = pc.year(placed)
        outside = pc.or_(pc.less(years, EARLIEST_YEAR), pc.greater(years, LATEST_YEAR))
        bad = pc.or_(
            pc.and_(pc.is_valid(values), pc.is_null(found)),
            pc.fill_null(pc.or_(skipped, outside), False),
        )
        return placed, bad

    def _text_fault(self, values: pa.Array, longest: int) -> pa.Array:
        """Where a text is too long or holds control characters."""
        long = pc.greater(pc.utf8_length(values), longest)
        controls = pc.match_substring_regex(values, _CONTROLS)
        return pc.fill_null(pc.or_(long, controls), False)

    def _reference(self, name: str, known: _Index) -> tuple[pa.Array, pa.Array]:
        values = self._text(name)
        ids = known.find(values)
        return ids, pc.and_(pc.is_valid(values), pc.is_null(ids))

    # A block ------------------------------------------------------------------------------

    def block(self, batch: pa.RecordBatch, first_line: int) -> tuple[Block, int]:
        """The block's rows converted, and the line the next block starts on."""
        self.batch = batch
        size = batch.num_rows
        columns = [batch.column(i) for i in range(batch.num_columns)]
        newlines = pa.array([0] * size, pa.int64())
        for column in columns:
            if pc.any(pc.match_substring(column, "\n")).as_py():
                newlines = pc.add(newlines, pc.count_substring(column, "\n"))
        ends = pc.cumulative_sum(newlines)
        # A row starts on its own line plus the lines earlier rows' values spanned.
        lines = pc.add(
            pc.add(pa.array(range(size), pa.int64()), first_line), pc.subtract(ends, newlines)
        )
        next_line = first_line + size + (ends[-1].as_py() if size else 0)

        blank = pa.array([True] * size)
        for column in columns:
            blank = pc.and_(blank, pc.equal(pc.utf8_trim_whitespace(column), ""))
        row = pc.invert(blank)
        skipped = pa.array([False] * size)
        for name, cells in self.mapping.skip.items():
            lowered = pc.utf8_lower(pc.utf8_trim_whitespace(self._column(name)))
            skipped = pc.or_(skipped, pc.is_in(lowered, value_set=pa.array(list(cells))))
        skipped = pc.and_(skipped, row)
        kept = pc.and_(row, pc.invert(skipped))

        external_id = self._text("external_id")
        owner_text = self._text("owner")
        match = self.mapping.owners.match
        owner_key = owner_text if match == "external_id" else pc.utf8_lower(owner_text)
        owner_id = self.owners.find(owner_key)
        account_id, bad_account = self._reference("account_external_id", self.accounts)
        product_id, bad_product = self._reference("product_external_id", self.products)
        amount, bad_amount = self._number("amount", _MONEY, pa.decimal128(18, 4))
        cost, bad_cost = self._number("cost", _MONEY, pa.decimal128(18, 4))
        quantity, bad_quantity = self._number("quantity", _COUNT, pa.int64())
        quantity = pc.fill_null(quantity, 1)
        stage = self._choice("stage")
        created_at, bad_created = self._moment("created_at")
        closed_at, bad_closed = self._moment("closed_at")
        region, segment = self._text("region"), self._text("segment")

        decided = pc.not_equal(stage, DealStage.OPEN.value)
        faults = [
            pc.is_null(external_id),
            self._text_fault(external_id, MAX_EXTERNAL_ID_LENGTH),
            pc.is_null(owner_id),
            bad_account,
            bad_product,
            pc.is_null(amount),
            bad_amount,
            bad_cost,
            bad_quantity,
            pc.or_(pc.less(quantity, 1), pc.greater(quantity, MAX_COUNT)),
            pc.is_null(stage),
            pc.is_null(created_at),
            bad_created,
            bad_closed,
            pc.and_(decided, pc.is_null(closed_at)),
            pc.and_(decided, pc.greater(closed_at, self.latest)),
            pc.less(closed_at, created_at),
            self._text_fault(region, MAX_LABEL_LENGTH),
            self._text_fault(segment, MAX_LABEL_LENGTH),
        ]
        suspect = pa.array([False] * size)
        for fault in faults:
            suspect = pc.or_(suspect, pc.fill_null(fault, False))
        suspect = pc.and_(suspect, kept)
        clean = pc.and_(kept, pc.invert(suspect))

        staged = pa.Table.from_arrays(
            [
                lines,
                external_id,
                owner_id,
                account_id,
                product_id,
                amount,
                cost,
                quantity,
                stage,
                pc.cast(created_at, pa.timestamp("us", tz="UTC")),
                pc.cast(closed_at, pa.timestamp("us", tz="UTC")),
                region,
                segment,
            ],
            schema=STAGED,
        ).filter(clean)
        picked = pc.indices_nonzero(suspect)
        suspects: list[tuple[int, list[str]]] = []
        if len(picked):
            cells = [column.take(picked).to_pylist() for column in columns]
            for n, line in enumerate(lines.take(picked).to_pylist()):
                suspects.append((line, [cells[c][n] for c in range(len(columns))]))
        block = Block(
            staged,
            suspects,
            rows=pc.sum(row).as_py() or 0,
            skipped=pc.sum(skipped).as_py() or 0,
        )
        return block, next_line
