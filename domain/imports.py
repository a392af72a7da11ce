"""CSV import mappings: which column holds which field, how values, dates and numbers are
written, and the parsing of one row into a record (or the reasons it cannot be one)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import ErrorCode, FieldError
from domain.expressions import Expression, ExpressionError
from domain.markets import MarketDraft, MarketRecord, MarketSize
from domain.money import kept
from domain.records import (
    AccountRecord,
    DealRecord,
    DealStage,
    LeadRecord,
    LeadStatus,
    ProductRecord,
)
from domain.training import TrainingRecord


class Kind(StrEnum):
    DEALS = "deals"
    LEADS = "leads"
    ACCOUNTS = "accounts"
    PRODUCTS = "products"
    REPS = "reps"
    TRAININGS = "trainings"
    MARKETS = "markets"


# Every field a kind knows; the required ones first. `owner` is a rep's email or name.
FIELDS: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Kind.DEALS: (
        ("external_id", "owner", "amount", "stage", "created_at"),
        (
            "closed_at",
            "cost",
            "quantity",
            "account_external_id",
            "product_external_id",
            "region",
            "segment",
            "currency",
            "owner_email",
            "owner_name",
            "team",
            "manager",
        ),
    ),
    Kind.LEADS: (
        ("external_id", "owner", "created_at"),
        (
            "status",
            "qualified_at",
            "converted_deal_external_id",
            "account_external_id",
            "region",
            "segment",
            "owner_email",
            "owner_name",
            "team",
            "manager",
        ),
    ),
    Kind.ACCOUNTS: (("external_id", "name"), ("segment", "region")),
    Kind.PRODUCTS: (("external_id", "name"), ("unit_price", "unit_cost", "currency")),
    Kind.REPS: (("name",), ("email", "external_id", "team", "parent_team", "manager")),
    # Completions an LMS exports: its id for the completion, the person, the course code.
    Kind.TRAININGS: (
        ("external_id", "owner", "course", "completed_at"),
        ("score", "owner_email", "owner_name", "team", "manager"),
    ),
    # A market and its size over a period, a row each (an analyst's table); products are
    # external ids separated by ";".
    Kind.MARKETS: (
        ("code", "name", "period_start", "period_end"),
        ("region", "segment", "products", "addressable_accounts", "market_revenue", "source"),
    ),
}
# Fields whose values map onto a fixed set (any field may take a value map).
ENUMS: dict[str, type[StrEnum]] = {"stage": DealStage, "status": LeadStatus}
# Fields that may be computed from columns (`[computed] cost = "Sales - Profit"`).
NUMBERS = frozenset({"amount", "cost", "quantity", "unit_price", "unit_cost", "score"})
ANY_OTHER = "*"
ISO = "iso"
# How indexes name a column read by an expression or a default rather than by a field.
COLUMN = "column:"
SECTIONS = frozenset(
    {"csv", "columns", "values", "formats", "owners", "rates"}
    | {"constants", "defaults", "computed", "skip", "lines"}
)


class MappingError(ValueError):
    """The mapping itself is wrong; the message names the key."""


@dataclass(frozen=True)
class Formats:
    datetimes: tuple[str, ...] = (ISO,)
    dates: tuple[str, ...] = (ISO,)
    # For times written without an offset; None: the organisation's timezone.
    timezone: str | None = None
    decimal_separator: str = "."
    thousands_separator: str = ","
    # The currency of amounts when no currency column says otherwise; None: the
    # organisation's.
    currency: str | None = None


# How a row names its owner: a person's email, their name, or the id the CRM gives them.
MATCHES = ("email", "name", "external_id")


@dataclass(frozen=True)
class Owners:
    """How a row's owner is found (one of MATCHES); created when asked to."""

    match: str = "email"
    create: bool = False


@dataclass(frozen=True)
class Default:
    """What a blank cell holds instead: a constant, or another column's value."""

    value: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Lookup:
    """A field read from another file: this file's `key` column is found in the other
    file's `on` column, and the field is that row's `column`."""

    file: str
    key: str
    on: str
    column: str


@dataclass(frozen=True)
class ImportMapping:
    columns: dict[str, str]
    lookups: dict[str, Lookup] = field(default_factory=dict)
    # Per field, a cell's text (lowercased) → what the field holds; `*` for any other.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    # Fields every row holds the same value of (an order sheet's stage: WON).
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Default] = field(default_factory=dict)
    computed: dict[str, Expression] = field(default_factory=dict)
    # Per field, the cell texts (lowercased) of rows to leave out: skipped, not rejected.
    skip: dict[str, frozenset[str]] = field(default_factory=dict)
    # Deals given as order lines: the order column, whose consecutive lines are one deal.
    lines_by: str | None = None
    formats: Formats = field(default_factory=Formats)
    owners: Owners = field(default_factory=Owners)
    # Amounts in another currency are multiplied by its rate into the organisation's.
    rates: dict[str, Decimal] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str = "utf-8-sig"


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise MappingError(f"[{key}] must be a table")
    return value


def _strings(value: Any, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise MappingError(f"{key} must be a format string or a list of them")
    return tuple(items)


def _fields_of(kind: Kind, data: Mapping[str, Any], section: str) -> dict[str, Any]:
    """A section keyed by field names, each a field `kind` has."""
    required, optional = FIELDS[kind]
    table = _table(data, section)
    for name in table:
        if name not in required + optional:
            raise MappingError(f"{section}.{name}: {kind} have no such field")
    return table


def _text(value: Any, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MappingError(f"{key} must be a text or a number")
    return str(value)


def load_mapping(kind: Kind, data: Mapping[str, Any]) -> ImportMapping:
    """A mapping from a parsed TOML document, checked against what `kind` can hold."""
    unknown = set(data) - SECTIONS
    if unknown:
        raise MappingError(f"unknown section(s): {', '.join(sorted(unknown))}")
    required, _ = FIELDS[kind]
    columns = dict(_fields_of(kind, data, "columns"))
    lookups = {
        name: _lookup(column, f"columns.{name}")
        for name, column in columns.items()
        if isinstance(column, dict)
    }
    for name in lookups:
        del columns[name]
    for name, column in columns.items():
        if not isinstance(column, str) or not column:
            raise MappingError(f"columns.{name} must name a column")
    lines = _table(data, "lines")
    lines_by = lines.get("by")
    if lines:
        if kind is not Kind.DEALS or set(lines) != {"by"} or not isinstance(lines_by, str):
            raise MappingError('lines: deals take [lines] by = "<order column>"')
        if columns.setdefault("external_id", lines_by) != lines_by:
            raise MappingError("lines.by: the order column is the deal's external_id column")
    constants = {
        name: _text(value, f"constants.{name}")
        for name, value in _fields_of(kind, data, "constants").items()
    }
    computed = {}
    for name, text in _fields_of(kind, data, "computed").items():
        if name not in NUMBERS:
            raise MappingError(f"computed.{name}: only {', '.join(sorted(NUMBERS))} are computed")
        try:
            computed[name] = Expression.parse(_text(text, f"computed.{name}"))
        except ExpressionError as error:
            raise MappingError(f"computed.{name}: {error}") from None
    for name in (columns.keys() | lookups.keys()) & (constants.keys() | computed.keys()):
        raise MappingError(f"{name} is given a column and a constant or an expression")
    given = columns.keys() | lookups.keys() | constants.keys() | computed.keys()
    missing = [name for name in required if name not in given]
    if missing:
        raise MappingError(f"columns: {', '.join(missing)} must be mapped for {kind}")
    values: dict[str, dict[str, str]] = {}
    for name, table in _fields_of(kind, data, "values").items():
        if not isinstance(table, dict):
            raise MappingError(f"values.{name} must be a table of cell text = value")
        allowed = {member.value for member in ENUMS[name]} if name in ENUMS else None
        for source, target in table.items():
            if allowed is not None and target not in allowed:
                raise MappingError(
                    f"values.{name}.{source!r}: {target!r} is not one of {sorted(allowed)}"
                )
        values[name] = {
            str(k).strip().lower(): _text(v, f"values.{name}.{k}") for k, v in table.items()
        }
    defaults = {}
    for name, given in _fields_of(kind, data, "defaults").items():
        if isinstance(given, dict):
            column = given.get("column")
            if set(given) != {"column"} or not isinstance(column, str) or not column:
                raise MappingError(f'defaults.{name} must be a value or {{ column = "…" }}')
            defaults[name] = Default(column=column)
        else:
            defaults[name] = Default(value=_text(given, f"defaults.{name}"))
    skip = {}
    for name, cells in _fields_of(kind, data, "skip").items():
        if name not in columns:
            raise MappingError(f"skip.{name}: a row is skipped by a mapped column's text")
        listed = [cells] if isinstance(cells, str) else cells
        if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
            raise MappingError(f"skip.{name} must be a text or a list of texts")
        skip[name] = frozenset(c.strip().lower() for c in listed)
    formats = _table(data, "formats")
    timezone = formats.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(str(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(f"formats.timezone: unknown timezone {timezone!r}") from None
    owners = _table(data, "owners")
    if owners.get("match", "email") not in MATCHES:
        raise MappingError(f"owners.match must be one of {', '.join(MATCHES)}")
    rates = {}
    for currency, rate in _table(data, "rates").items():
        try:
            rates[currency.upper()] = Decimal(str(rate))
        except InvalidOperation:
            raise MappingError(f"rates.{currency}: {rate!r} is not a number") from None
    source = _table(data, "csv")
    delimiter = source.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise MappingError("csv.delimiter must be one character")
    return ImportMapping(
        columns=columns,
        lookups=lookups,
        lines_by=lines_by,
        values=values,
        constants=constants,
        defaults=defaults,
        computed=computed,
        skip=skip,
        formats=Formats(
            datetimes=_strings(formats.get("datetime", ISO), "formats.datetime"),
            dates=_strings(formats.get("date", ISO), "formats.date"),
            timezone=timezone,
            decimal_separator=str(formats.get("decimal_separator", ".")),
            thousands_separator=str(formats.get("thousands_separator", ",")),
            currency=str(formats["currency"]).upper() if "currency" in formats else None,
        ),
        owners=Owners(match=owners.get("match", "email"), create=bool(owners.get("create"))),
        rates=rates,
        delimiter=delimiter,
        encoding=str(source.get("encoding", "utf-8-sig")),
    )


def _lookup(given: dict[str, Any], key: str) -> Lookup:
    texts = {k: v for k, v in given.items() if isinstance(v, str) and v}
    if set(given) - {"from", "key", "on", "column"} or not {"from", "key", "column"} <= set(texts):
        raise MappingError(
            f'{key} must name a column or {{ from = "file.csv", key = "…", column = "…" }}'
        )
    return Lookup(texts["from"], texts["key"], texts.get("on", texts["key"]), texts["column"])


# The importer's own format, as `pacesetter export` writes it: one column per field, named
# for it, times in ISO 8601 with their offset, amounts as plain decimals, owners by email.
OWN_COLUMNS: dict[Kind, tuple[str, ...]] = {
    Kind.DEALS: (
        "external_id",
        "owner",
        "amount",
        "cost",
        "quantity",
        "stage",
        "created_at",
        "closed_at",
        "account_external_id",
        "product_external_id",
        "region",
        "segment",
    ),
    Kind.LEADS: (
        "external_id",
        "owner",
        "status",
        "created_at",
        "qualified_at",
        "converted_deal_external_id",
        "account_external_id",
        "region",
        "segment",
    ),
    Kind.ACCOUNTS: ("external_id", "name", "segment", "region"),
    Kind.PRODUCTS: ("external_id", "name", "unit_price", "unit_cost"),
    Kind.REPS: ("external_id", "email", "name", "team", "parent_team", "manager"),
    Kind.TRAININGS: ("external_id", "owner", "course", "completed_at", "score"),
    Kind.MARKETS: (
        "code",
        "name",
        "region",
        "segment",
        "products",
        "period_start",
        "period_end",
        "addressable_accounts",
        "market_revenue",
        "source",
    ),
}


def own_mapping(kind: Kind, header: Sequence[str]) -> ImportMapping:
    """The mapping of a file in the importer's own format: each column that names a field
    of `kind` is that field."""
    required, optional = FIELDS[kind]
    named = {column.strip() for column in header}
    return load_mapping(
        kind, {"columns": {name: name for name in required + optional if name in named}}
    )


def column_indexes(mapping: ImportMapping, header: Sequence[str]) -> dict[str, int]:
    """Where each mapped field sits in the file, and each column an expression or a default
    reads (as `column:<name>`); a column missing from the file is an error of the mapping
    against this file."""
    positions = {name.strip(): index for index, name in enumerate(header)}
    read = [column for expression in mapping.computed.values() for column in expression.columns]
    read += [d.column for d in mapping.defaults.values() if d.column is not None]
    read += [lookup.key for lookup in mapping.lookups.values()]
    missing = [c for c in [*mapping.columns.values(), *read] if c not in positions]
    if missing:
        unique = dict.fromkeys(missing)
        raise MappingError(f"the file has no column(s): {', '.join(repr(c) for c in unique)}")
    indexes = {name: positions[column] for name, column in mapping.columns.items()}
    indexes.update({COLUMN + column: positions[column] for column in read})
    return indexes


@dataclass(frozen=True)
class Context:
    """What parsing a row needs beyond the mapping."""

    mapping: ImportMapping
    timezone: ZoneInfo
    currency: str
    # Per looked-up field, the other file's key (lowercased) → its value; AMBIGUOUS when
    # that file gives one key two values.
    tables: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


# A key the other file gives more than one value.
AMBIGUOUS = "\x00ambiguous"


def lookup_table(
    rows: Iterable[Sequence[str]], header: Sequence[str], lookup: Lookup
) -> dict[str, str]:
    """A lookup's table from the other file's rows: key → value, AMBIGUOUS for a key given two
    different values; blank keys are left out."""
    positions = {name.strip(): index for index, name in enumerate(header)}
    missing = [c for c in (lookup.on, lookup.column) if c not in positions]
    if missing:
        raise MappingError(f"{lookup.file} has no column(s): {', '.join(repr(c) for c in missing)}")
    on, column = positions[lookup.on], positions[lookup.column]
    table: dict[str, str] = {}
    for row in rows:
        key = row[on].strip().lower() if on < len(row) else ""
        value = row[column].strip() if column < len(row) else ""
        if key and table.setdefault(key, value) != value:
            table[key] = AMBIGUOUS
    return table


class _Row:
    """One row's raw values by field, gathering an error per field that will not parse."""

    def __init__(self, values: Sequence[str], indexes: Mapping[str, int], context: Context):
        self.values, self.indexes, self.context = values, indexes, context
        self.errors: list[FieldError] = []
        # Looked-up fields whose key the other file lacks: refused once, not also as empty.
        self.unfound: set[str] = set()

    def cell(self, key: str) -> str | None:
        """The text of a field's column (or `column:<name>`), None when blank."""
        index = self.indexes.get(key)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index].strip()
        return value or None

    def text(self, name: str) -> str | None:
        """A field's text: its cell, its constant or its default, through its value map
        (an enum's map is applied by `choice`)."""
        mapping = self.context.mapping
        value = mapping.constants.get(name) or self.cell(name)
        if name in mapping.lookups:
            value = self._looked_up(name, mapping.lookups[name])
        if value is None and (default := mapping.defaults.get(name)) is not None:
            value = default.value if default.column is None else self.cell(COLUMN + default.column)
        table = mapping.values.get(name)
        if value is None or table is None or name in ENUMS:
            return value
        return table.get(value.lower(), table.get(ANY_OTHER, value))

    def _looked_up(self, name: str, lookup: Lookup) -> str | None:
        key = self.cell(COLUMN + lookup.key)
        if key is None:
            return None
        found = self.context.tables[name].get(key.lower())
        if found is None or found == AMBIGUOUS:
            reason = "not found" if found is None else "found with more than one value"
            self.fail(COLUMN + lookup.key, ErrorCode.NOT_FOUND, f"{reason} in {lookup.file}")
            self.unfound.add(name)
            return None
        return found or None

    def skipped(self) -> bool:
        return any(
            (self.cell(name) or "").lower() in cells
            for name, cells in self.context.mapping.skip.items()
        )

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            if name not in self.unfound:
                self.fail(name, ErrorCode.REQUIRED, "empty")
            return ""
        return value

    def fail(self, name: str, code: ErrorCode, message: str) -> None:
        self.errors.append(FieldError(name, code, message))

    def number(self, name: str, required: bool = False) -> Decimal | None:
        expression = self.context.mapping.computed.get(name)
        if expression is not None:
            return self._computed(name, expression, required)
        raw = self.required(name) if required else self.text(name)
        if not raw:
            return None
        return self._decimal(name, raw)

    def _decimal(self, name: str, raw: str) -> Decimal | None:
        formats = self.context.mapping.formats
        cleaned = raw.strip("$€£¥ ")
        if formats.thousands_separator:
            cleaned = cleaned.replace(formats.thousands_separator, "")
        cleaned = cleaned.replace(formats.decimal_separator, ".").replace(" ", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.fail(name, ErrorCode.INVALID, "not a number")
            return None
        return value

    def _computed(self, name: str, expression: Expression, required: bool) -> Decimal | None:
        """The expression over the row's columns; a blank column leaves it blank."""
        found = {}
        for column in expression.columns:
            raw = self.cell(COLUMN + column)
            if raw is None:
                if required:
                    self.fail(
                        COLUMN + column, ErrorCode.REQUIRED, f"empty ({name} = {expression.text})"
                    )
                return None
            value = self._decimal(COLUMN + column, raw)
            if value is None:
                return None
            found[column] = value
        try:
            return expression.evaluate(found)
        except ArithmeticError:
            self.fail(name, ErrorCode.INVALID, "division by zero")
            return None

    def moment(self, name: str, required: bool = False) -> datetime | None:
        """A time with its offset: a date alone is the start of that local day, and a time
        without an offset is local to the mapping's (or the organisation's) timezone.

        On a daylight-saving change a local time can be ambiguous (1:30 AM on the night
        the clocks go back happens twice) or missing (2:30 AM on the night they go
        forward). The first is read as the earlier instant, the one before the clocks go
        back; the second with the offset in force before the change, which is the same as
        moving it forward by the hour skipped (2:30 AM EST is 3:30 AM EDT). The result is
        in UTC, so the same text is the same instant every time it is read."""
        raw = self.required(name) if required else self.text(name)
        if not raw:
            return None
        formats = self.context.mapping.formats
        found = _parse_datetime(raw, formats.datetimes)
        if found is None:
            day = _parse_date(raw, formats.dates)
            found = datetime.combine(day, time()) if day is not None else None
        if found is None:
            self.fail(name, ErrorCode.INVALID, "not a date we can read")
            return None
        if found.tzinfo is None:
            found = found.replace(tzinfo=self.context.timezone, fold=0)
        return found.astimezone(UTC)

    def day(self, name: str) -> date | None:
        """A calendar day (a period's first or last), read with the mapping's date formats."""
        raw = self.required(name)
        if not raw:
            return None
        found = _parse_date(raw, self.context.mapping.formats.dates)
        if found is None:
            self.fail(name, ErrorCode.INVALID, "not a date we can read")
        return found

    def whole(self, name: str) -> int | None:
        """A count: a number without a fraction."""
        found = self.number(name)
        if found is None:
            return None
        if found != found.to_integral_value():
            self.fail(name, ErrorCode.INVALID, "not a whole number")
            return None
        return int(found)

    def choice(self, name: str, enum: type[StrEnum], default: StrEnum | None = None) -> Any:
        raw = self.text(name) if default is not None else self.required(name)
        if raw is None:
            return default
        table = self.context.mapping.values.get(name)
        if table is not None:
            mapped = table.get(raw.lower(), table.get(ANY_OTHER))
            if mapped is not None:
                return enum(mapped)
        elif raw.upper() in enum.__members__:
            return enum[raw.upper()]
        if raw:
            self.fail(
                name, ErrorCode.INVALID, f"not a known {name} and the mapping has no value for it"
            )
        return default

    def converted(self, amount: Decimal | None) -> Decimal | None:
        """An amount in the organisation's currency."""
        if amount is None:
            return None
        mapping = self.context.mapping
        currency = (self.text("currency") or mapping.formats.currency or "").upper()
        if not currency or currency == self.context.currency:
            return amount
        rate = mapping.rates.get(currency)
        if rate is None:
            self.fail(
                "currency",
                ErrorCode.INVALID,
                f"{currency} is not {self.context.currency} and the mapping has no rate for it",
            )
            return None
        return kept(amount * rate)


# Patterns of zero-padded numbers and separators only, e.g. "%Y-%m-%d %H:%M:%S".
_NUMERIC_PATTERN = re.compile(r"(?:%[YmdHMS]|[^%])*")


@lru_cache(maxsize=64)
def _numeric(pattern: str) -> bool:
    return _NUMERIC_PATTERN.fullmatch(pattern) is not None


def _parse_datetime(raw: str, formats: Sequence[str]) -> datetime | None:
    for pattern in formats:
        try:
            if pattern == ISO:
                if "T" in raw or " " in raw.strip():
                    return datetime.fromisoformat(raw.replace("Z", "+00:00"))
                continue
            if _numeric(pattern):
                # fromisoformat is many times faster than strptime; writing the value back
                # with the pattern proves it read the text exactly as strptime would.
                with suppress(ValueError):
                    quick = datetime.fromisoformat(raw)
                    if quick.tzinfo is None and quick.strftime(pattern) == raw:
                        return quick
            # Naive unless the pattern has %z: the caller places it in the right timezone.
            return datetime.strptime(raw, pattern)  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _parse_date(raw: str, formats: Sequence[str]) -> date | None:
    for pattern in formats:
        try:
            if pattern == ISO:
                return date.fromisoformat(raw)
            return datetime.strptime(raw, pattern).date()  # noqa: DTZ007 (a date has no zone)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class OwnerRef:
    """Who a row names as its owner, and what a new rep would be made of."""

    value: str
    email: str | None
    name: str | None
    team: str | None
    manager: str | None


@dataclass(frozen=True)
class Parsed:
    """A row that parsed: the record (owner still to be found) and the owner it names."""

    record: (
        DealRecord | LeadRecord | AccountRecord | ProductRecord | RepRow | TrainingRecord
    ) | MarketRecord
    owner: OwnerRef | None = None


@dataclass(frozen=True)
class RepRow:
    """A person as an export has them: a name, and an email or a CRM id when it has one."""

    name: str
    email: str | None = None
    team: str | None = None
    manager: str | None = None
    external_id: str | None = None
    parent_team: str | None = None

    def identities(self) -> list[tuple[str, str]]:
        """What makes two rows of a file the same person: the same CRM id or email, or,
        for rows with neither, the same name."""
        found = [(k, v) for k, v in (("external_id", self.external_id), ("email", self.email)) if v]
        return found or [("name", self.name.strip().lower())]


def _owner(row: _Row) -> OwnerRef:
    return OwnerRef(
        value=row.required("owner"),
        email=row.text("owner_email"),
        name=row.text("owner_name"),
        team=row.text("team"),
        manager=row.text("manager"),
    )


# A placeholder owner email: records are built before their owner is found.
UNRESOLVED = ""


def _placed(row: _Row) -> dict[str, str | None]:
    """Where a deal or lead sits: its account, region and segment."""
    return {name: row.text(name) for name in ("account_external_id", "region", "segment")}


def _deal(row: _Row) -> Parsed | None:
    external_id = row.required("external_id")
    owner = _owner(row)
    amount = row.converted(row.number("amount", required=True))
    cost = row.converted(row.number("cost"))
    quantity = row.number("quantity")
    if quantity is not None and quantity != quantity.to_integral_value():
        row.fail("quantity", ErrorCode.INVALID, "not a whole number")
    stage = row.choice("stage", DealStage)
    created_at = row.moment("created_at", required=True)
    closed_at = row.moment("closed_at")
    if row.errors or amount is None or created_at is None:
        return None
    record = DealRecord(
        external_id=external_id,
        owner_email=UNRESOLVED,
        amount=amount,
        stage=stage,
        created_at=created_at,
        closed_at=closed_at,
        cost=cost,
        quantity=int(quantity) if quantity is not None else 1,
        product_external_id=row.text("product_external_id"),
        **_placed(row),
    )
    return Parsed(record, owner)


def _lead(row: _Row) -> Parsed | None:
    external_id = row.required("external_id")
    owner = _owner(row)
    created_at = row.moment("created_at", required=True)
    status = row.choice("status", LeadStatus, default=LeadStatus.NEW)
    qualified_at = row.moment("qualified_at")
    if row.errors or created_at is None:
        return None
    record = LeadRecord(
        external_id=external_id,
        owner_email=UNRESOLVED,
        created_at=created_at,
        status=status,
        qualified_at=qualified_at,
        converted_deal_external_id=row.text("converted_deal_external_id"),
        **_placed(row),
    )
    return Parsed(record, owner)


def _account(row: _Row) -> Parsed | None:
    return Parsed(
        AccountRecord(
            external_id=row.required("external_id"),
            name=row.required("name"),
            segment=row.text("segment"),
            region=row.text("region"),
        )
    )


def _product(row: _Row) -> Parsed | None:
    return Parsed(
        ProductRecord(
            external_id=row.required("external_id"),
            name=row.required("name"),
            unit_price=row.converted(row.number("unit_price")),
            unit_cost=row.converted(row.number("unit_cost")),
        )
    )


def _rep(row: _Row) -> Parsed | None:
    email = row.text("email")
    if email and "@" not in email:
        row.fail("email", ErrorCode.INVALID, "not an email address")
    return Parsed(
        RepRow(
            name=row.required("name"),
            email=email.lower() if email else None,
            team=row.text("team"),
            manager=row.text("manager"),
            external_id=row.text("external_id"),
            parent_team=row.text("parent_team"),
        )
    )


def _training(row: _Row) -> Parsed | None:
    external_id = row.required("external_id")
    owner = _owner(row)
    course = row.required("course")
    completed_at = row.moment("completed_at", required=True)
    score = row.number("score")
    if row.errors or completed_at is None:
        return None
    record = TrainingRecord(
        external_id=external_id,
        owner_email=UNRESOLVED,
        course_code=course,
        completed_at=completed_at,
        score=score,
    )
    return Parsed(record, owner)


def _market(row: _Row) -> Parsed | None:
    code, name = row.required("code"), row.required("name")
    first, last = row.day("period_start"), row.day("period_end")
    accounts = row.whole("addressable_accounts")
    revenue = row.converted(row.number("market_revenue"))
    if row.errors or first is None or last is None:
        return None
    products = tuple((row.text("products") or "").split(";"))
    return Parsed(
        MarketRecord(
            MarketDraft(code, name, row.text("region"), row.text("segment"), products),
            MarketSize(first, last, accounts, revenue),
            row.text("source"),
        )
    )


PARSERS = {
    Kind.DEALS: _deal,
    Kind.LEADS: _lead,
    Kind.ACCOUNTS: _account,
    Kind.PRODUCTS: _product,
    Kind.REPS: _rep,
    Kind.TRAININGS: _training,
    Kind.MARKETS: _market,
}


class Skipped:
    """A row the mapping's `[skip]` leaves out."""


SKIPPED = Skipped()


def parse_row(
    kind: Kind, values: Sequence[str], indexes: Mapping[str, int], context: Context
) -> Parsed | Skipped | list[FieldError]:
    """One row as a record of `kind`, SKIPPED, or every reason it cannot be one."""
    row = _Row(values, indexes, context)
    if row.skipped():
        return SKIPPED
    parsed = PARSERS[kind](row)
    if row.errors or parsed is None:
        return row.errors
    return parsed


# Ingestion names fields as the API does; an import names them as its mapping does.
_IMPORT_FIELD = {"ownerEmail": "owner", "courseCode": "course"}
_NO_SUCH = {
    ("owner", ErrorCode.NOT_FOUND): "no such person",
    ("course", ErrorCode.NOT_FOUND): "no such course",
    ("account_external_id", ErrorCode.NOT_FOUND): "no such account",
    ("product_external_id", ErrorCode.NOT_FOUND): "no such product",
}


def _import_field(name: str) -> str:
    return _IMPORT_FIELD.get(name) or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def described(
    error: FieldError, mapping: ImportMapping, values: Sequence[str], indexes: Mapping[str, int]
) -> str:
    """A refusal in the file's own terms: the column and the text it holds, then why
    (`column "product" = "GTXPro": no such product`)."""
    column: str | None
    if error.field.startswith(COLUMN):
        key, column = error.field, error.field.removeprefix(COLUMN)
    else:
        key = _import_field(error.field)
        column = mapping.columns.get(key)
    reason = _NO_SUCH.get((key, error.code), error.message)
    if key in mapping.lookups:
        lookup = mapping.lookups[key]
        key, column = COLUMN + lookup.key, lookup.key
        reason = f"{lookup.file} gives {lookup.column!r}: {reason}"
    if column is None:
        if key in mapping.computed:
            return f'{key} = "{mapping.computed[key].text}": {reason}'
        if key in mapping.constants:
            return f'{key} = "{mapping.constants[key]}" (a constant): {reason}'
        return f"{key}: {reason}"
    index = indexes.get(key)
    text = values[index].strip() if index is not None and index < len(values) else ""
    return f'column "{column}" = "{text}": {reason}'
