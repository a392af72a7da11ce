"""Importing a CSV file: streamed row by row, mapped, stored in batches through the same
ingestion as the API, every row that cannot be stored written to a rejects file."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from core.imports.directory import Directory
from core.markets import service as markets
from core.orgs.models import Organisation
from core.sales import service as sales
from core.training import service as training
from domain.errors import ErrorCode, FieldError
from domain.imports import (
    Context,
    ImportMapping,
    Kind,
    MappingError,
    Parsed,
    RepRow,
    Skipped,
    column_indexes,
    described,
    lookup_table,
    parse_row,
)
from domain.records import DealRecord, LeadRecord
from domain.training import TrainingRecord

# Rows stored per transaction: large enough for few round trips, small enough that memory
# stays flat and a failure loses little.
BATCH = 5000

Ingest = Callable[[Organisation, list[Any]], Awaitable[sales.IngestResult]]
INGEST: dict[Kind, Ingest] = {
    Kind.DEALS: sales.ingest_deals,
    Kind.LEADS: sales.ingest_leads,
    Kind.ACCOUNTS: sales.ingest_accounts,
    Kind.PRODUCTS: sales.ingest_products,
    Kind.TRAININGS: training.ingest_completions,
    Kind.MARKETS: markets.ingest_markets,
}


class Progress(Protocol):
    def update(self, rows: int, done: int, total: int) -> None: ...


@dataclass
class ImportSummary:
    kind: Kind
    organisation_id: int
    rows: int = 0
    imported: int = 0
    rejected: int = 0
    # Rows stored already as they are: nothing rewritten (not counted in `imported`).
    unchanged: int = 0
    # Rows the mapping's [skip] leaves out.
    skipped: int = 0
    created_users: int = 0
    created_teams: int = 0
    # Strict mode found bad rows: nothing was stored.
    rolled_back: bool = False
    # Reps whose figures may have moved, to re-measure.
    affected_rep_ids: set[int] = field(default_factory=set)
    # Where refused rows were written (created only if a row was refused).
    rejects_file: Path | None = None


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read from it, for progress."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


_SAME_PERSON = "an earlier row of this file is the same person"


class Rejects:
    """The rejects file, written as rows are refused: the line, the reason, the row. It is
    created at the first refused row, and only if no file of that name exists: an import
    never overwrites a file it did not create."""

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        mapping: ImportMapping,
        indexes: dict[str, int],
    ) -> None:
        self._path, self._header, self._delimiter = path, header, mapping.delimiter
        self._mapping, self._indexes = mapping, indexes
        self._file: IO[str] | None = None
        self._writer: Any = None

    def add(self, line: int, errors: Sequence[FieldError], values: Sequence[str]) -> None:
        if self._file is None:
            self._file = self._path.open("x", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file, delimiter=self._delimiter)
            self._writer.writerow(["line", "reason", *self._header])
        # One bad cell read by several computed fields is said once.
        reasons = (described(error, self._mapping, values, self._indexes) for error in errors)
        reason = "; ".join(dict.fromkeys(reasons))
        self._writer.writerow([line, reason, *values])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class Rollback(Exception):
    """Undo a strict import that found bad rows."""


@dataclass
class _Batch:
    lines: list[int] = field(default_factory=list)
    values: list[list[str]] = field(default_factory=list)
    parsed: list[Parsed] = field(default_factory=list)
    # The further lines of each entry (order lines summed into its deal): line and values.
    more: list[list[tuple[int, list[str]]]] = field(default_factory=list)

    def append(self, line: int, values: list[str], parsed: Parsed) -> None:
        self.lines.append(line)
        self.values.append(values)
        self.parsed.append(parsed)
        self.more.append([])

    def pop(self) -> list[tuple[int, list[str]]]:
        """Take the last entry out: every line of it."""
        self.parsed.pop()
        return [(self.lines.pop(), self.values.pop()), *self.more.pop()]


async def import_file(
    organisation: Organisation,
    kind: Kind,
    path: Path,
    mapping: ImportMapping,
    rejects_path: Path,
    strict: bool = False,
    progress: Progress | None = None,
    folder: Path | None = None,
) -> ImportSummary:
    """Import every row of the file; with `strict`, nothing unless every row is good.
    Files the mapping looks values up in are found in `folder` (the mapping's own).

    The file is read with blocking calls: an import is its process's only task.
    """
    tables = _lookup_tables(mapping, folder or path.parent)
    summary = ImportSummary(kind, organisation.id, rejects_file=rejects_path)
    total = path.stat().st_size  # noqa: ASYNC240
    with path.open("rb") as raw:
        counting = _Counting(raw)
        text = io.TextIOWrapper(io.BufferedReader(counting), encoding=mapping.encoding, newline="")
        reader = csv.reader(text, delimiter=mapping.delimiter)
        header = next(reader, None)
        if header is None:
            raise MappingError("the file is empty: it needs a header row")
        indexes = column_indexes(mapping, header)
        rejects = Rejects(rejects_path, header, mapping, indexes)
        run = _Run(organisation, kind, mapping, indexes, rejects, summary, tables)
        try:
            if strict:
                try:
                    async with in_transaction():
                        await run.all(
                            _numbered(reader), lambda: _report(progress, summary, counting, total)
                        )
                        if summary.rejected:
                            raise Rollback
                except Rollback:
                    summary.rolled_back = True
                    summary.imported = summary.created_users = summary.created_teams = 0
                    summary.affected_rep_ids.clear()
            else:
                await run.all(
                    _numbered(reader), lambda: _report(progress, summary, counting, total)
                )
        finally:
            rejects.close()
    return summary


def _lookup_tables(mapping: ImportMapping, folder: Path) -> dict[str, dict[str, str]]:
    """Each looked-up field's table, read whole from its file (a list of accounts or
    products: small beside the file being imported)."""
    tables = {}
    for name, lookup in mapping.lookups.items():
        try:
            with (folder / lookup.file).open(encoding=mapping.encoding, newline="") as file:
                reader = csv.reader(file, delimiter=mapping.delimiter)
                tables[name] = lookup_table(reader, next(reader, []), lookup)
        except OSError as error:
            raise MappingError(f"cannot read {lookup.file}: {error.strerror}") from None
    return tables


def _report(
    progress: Progress | None, summary: ImportSummary, counting: _Counting, total: int
) -> None:
    if progress is not None:
        progress.update(summary.rows, counting.count, total)


def _numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted value may span lines)."""
    last = reader.line_num
    for values in reader:
        yield last + 1, values
        last = reader.line_num


class _Run:
    def __init__(
        self,
        organisation: Organisation,
        kind: Kind,
        mapping: ImportMapping,
        indexes: dict[str, int],
        rejects: Rejects,
        summary: ImportSummary,
        tables: dict[str, dict[str, str]],
    ) -> None:
        self.organisation, self.kind, self.mapping = organisation, kind, mapping
        self.indexes, self.rejects, self.summary = indexes, rejects, summary
        self.context = Context(
            mapping,
            ZoneInfo(mapping.formats.timezone or organisation.timezone),
            organisation.currency,
            tables,
        )
        self.directory: Directory | None = None
        self.people: set[tuple[str, str]] = set()
        # The order the last line belonged to, and whether one of its lines was refused.
        self.order: str | None = None
        self.order_refused = False
        self.refused: list[tuple[int, Sequence[FieldError], Sequence[str]]] = []
        # Every external id the file has given so far.
        self.seen: set[str] = set()

    async def all(self, rows: Iterator[tuple[int, list[str]]], report: Callable[[], None]) -> None:
        self.directory = await Directory.load(self.organisation.id)
        batch = _Batch()
        for line, values in rows:
            self.summary.rows += 1
            if not any(value.strip() for value in values):
                self.summary.rows -= 1  # blank lines are not rows
                continue
            parsed = parse_row(self.kind, values, self.indexes, self.context)
            if isinstance(parsed, Skipped):
                self.summary.skipped += 1
                continue
            if self.mapping.lines_by is not None and self._line_of_order(
                batch, line, values, parsed
            ):
                continue
            if self._repeated(line, values, parsed):
                continue
            if isinstance(parsed, list):
                self.reject(line, parsed, values)
                continue
            # A batch ends between entries, never inside an order's lines.
            if len(batch.lines) >= BATCH:
                await self.store(batch)
                self.write_rejects()
                batch = _Batch()
                report()
            batch.append(line, values, parsed)
        await self.store(batch)
        self.write_rejects()
        report()
        self.summary.created_users = self.directory.created_users
        self.summary.created_teams = self.directory.created_teams
        self.summary.affected_rep_ids |= self.directory.touched

    def _line_of_order(
        self, batch: _Batch, line: int, values: list[str], parsed: Parsed | list[FieldError]
    ) -> bool:
        """Fold an order line into the deal of the lines before it (amounts, costs and
        quantities summed), or reject it with them: an order with a bad line is not stored
        in part. False for the first line of an order. Lines of one order are consecutive,
        as exports write them; an order seen again later is a repeated external id."""
        order = cell(values, self.indexes["external_id"])
        if order is None or order != self.order:
            self.order, self.order_refused = order, isinstance(parsed, list)
            return False
        if self.order_refused:
            self.reject(line, [_ORDER_REFUSED], values)
            return True
        if isinstance(parsed, list):
            self.order_refused = True
            for earlier_line, earlier_values in batch.pop():
                self.reject(earlier_line, [_ORDER_REFUSED], earlier_values)
            self.reject(line, parsed, values)
            return True
        first, extra = batch.parsed[-1].record, parsed.record
        assert isinstance(first, DealRecord)
        assert isinstance(extra, DealRecord)
        batch.parsed[-1] = replace(batch.parsed[-1], record=_summed(first, extra))
        batch.more[-1].append((line, values))
        return True

    def _repeated(self, line: int, values: list[str], parsed: Parsed | list[FieldError]) -> bool:
        """Refuse a row whose external id an earlier row of the file had (its own errors
        said too); remember the id of any other."""
        index = self.indexes.get("external_id")
        key = cell(values, index) if index is not None else None
        if key is None:
            return False
        if key not in self.seen:
            self.seen.add(key)
            return False
        self.reject(line, [*(parsed if isinstance(parsed, list) else []), REPEAT], values)
        # The lines of this order that follow are refused with it.
        self.order_refused = True
        return True

    def reject_entry(self, batch: _Batch, index: int, errors: Sequence[FieldError]) -> None:
        """Reject an entry of the batch: each of its lines."""
        self.reject(batch.lines[index], errors, batch.values[index])
        for line, values in batch.more[index]:
            self.reject(line, errors, values)

    def reject(self, line: int, errors: Sequence[FieldError], values: Sequence[str]) -> None:
        self.summary.rejected += 1
        self.refused.append((line, errors, values))

    def write_rejects(self) -> None:
        """The batch's rejects in the order of their lines, whichever step refused them."""
        for line, errors, values in sorted(self.refused, key=lambda item: item[0]):
            self.rejects.add(line, errors, values)
        self.refused.clear()

    async def store(self, batch: _Batch) -> None:
        if not batch.lines:
            return
        assert self.directory is not None
        if self.kind is Kind.REPS:
            for line, values, parsed in zip(batch.lines, batch.values, batch.parsed, strict=True):
                assert isinstance(parsed.record, RepRow)
                # A person is one row: a second row for them is a mistake in the file,
                # not a rename.
                identities = parsed.record.identities()
                seen = [key for key, value in identities if (key, value) in self.people]
                if seen:
                    error = FieldError(seen[0], ErrorCode.DUPLICATE_IN_BATCH, _SAME_PERSON)
                    self.reject(line, [error], values)
                    continue
                self.people.update(identities)
                writes = self.directory.writes
                user = await self.directory.put_rep(parsed.record, line)
                if isinstance(user, FieldError):
                    self.reject(line, [user], values)
                elif self.directory.writes == writes:
                    self.summary.unchanged += 1
                else:
                    self.summary.imported += 1
            return
        keep: list[int] = []
        records: list[Any] = []
        for index, parsed in enumerate(batch.parsed):
            record = parsed.record
            if parsed.owner is not None:
                owners = self.mapping.owners
                owner = await self.directory.owner(
                    parsed.owner, owners.match, owners.create, batch.lines[index]
                )
                if isinstance(owner, FieldError):
                    self.reject_entry(batch, index, [owner])
                    continue
                assert isinstance(record, DealRecord | LeadRecord | TrainingRecord)
                record = replace(record, owner_email=owner.email)
            keep.append(index)
            records.append(record)
        result = await INGEST[self.kind](self.organisation, records)
        for rejected in result.rejected:
            index = keep[rejected.index]
            self.reject_entry(batch, index, rejected.errors)
        self.summary.imported += result.accepted - result.unchanged
        self.summary.unchanged += result.unchanged
        self.summary.affected_rep_ids |= result.affected_rep_ids


# A row whose external id an earlier row of the file had, stored or not.
REPEAT = FieldError(
    "external_id",
    ErrorCode.DUPLICATE_IN_BATCH,
    "an earlier row of this file has the same external id",
)
_ORDER_REFUSED = FieldError(
    "external_id", ErrorCode.INVALID, "another line of this order was refused"
)


def cell(values: Sequence[str], index: int) -> str | None:
    return values[index].strip() or None if index < len(values) else None


def _summed(deal: DealRecord, line: DealRecord) -> DealRecord:
    """A deal with one more line: its amount, cost and quantity added."""
    cost = None if deal.cost is None and line.cost is None else (deal.cost or 0) + (line.cost or 0)
    return replace(
        deal, amount=deal.amount + line.amount, cost=cost, quantity=deal.quantity + line.quantity
    )
