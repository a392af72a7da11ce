"""Importing deals into PostgreSQL at close to COPY speed: the file read and converted a
block of columns at a time (pyarrow), staged with COPY, then stored by set-based SQL — one
upsert of the rows that changed, and the rollups moved by the GROUP BY of the old and new
versions — in one transaction, with the semantics of the row-by-row import: unchanged
rows untouched, a repeated external id refused after its first line, every refusal
reported by line in the file's own terms.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.csv as pv
from tortoise import connections
from tortoise.transactions import in_transaction

from core import clock
from core.goals import figures
from core.imports.columns import STAGED, Converter
from core.imports.directory import Directory
from core.imports.service import (
    REPEAT,
    ImportSummary,
    Progress,
    Rejects,
    Rollback,
    cell,
)
from core.locks import Guarded, lock
from core.orgs.models import Organisation
from core.outbox import store as outbox
from core.sales.models import Account, Product
from core.sales.service import References
from domain.errors import FieldError
from domain.imports import (
    Context,
    ImportMapping,
    Kind,
    MappingError,
    Skipped,
    column_indexes,
    parse_row,
)
from domain.records import DealRecord, check_deal

# Bytes of the file converted at a time: memory follows this, not the file's size.
BLOCK_BYTES = 4 << 20


@dataclass
class _Refusal:
    """A row refused, with its cells; `read`: it parsed, and was refused for what it names
    or a rule a deal keeps (a repeat says only that it is one, as the row import does)."""

    errors: list[FieldError]
    values: list[str]
    read: bool = False


def eligible(kind: Kind, mapping: ImportMapping, organisation: Organisation) -> bool:
    """Whether this import can take the set-based path: deals into PostgreSQL, through a
    mapping of columns, value maps, constants, defaults, skipped rows and formats. Order
    lines, lookups, computed fields, currency conversion, owners to create and patterns
    with an offset take the row-by-row path."""
    formats = mapping.formats
    return (
        kind is Kind.DEALS
        and connections.get("default").capabilities.dialect == "postgres"
        and mapping.lines_by is None
        and not mapping.lookups
        and not mapping.computed
        and not mapping.owners.create
        and "currency" not in mapping.columns
        and "currency" not in mapping.constants
        and formats.currency in (None, organisation.currency)
        and not any("%z" in p or "%Z" in p for p in (*formats.datetimes, *formats.dates))
    )


async def import_deals(
    organisation: Organisation,
    path: Path,
    mapping: ImportMapping,
    rejects_path: Path,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a deals file (see `eligible`); with `strict`, nothing unless every row is
    good. The file is read with blocking calls: an import is its process's only task."""
    summary = ImportSummary(Kind.DEALS, organisation.id, rejects_file=rejects_path)
    reader = pv.open_csv(
        path,
        read_options=pv.ReadOptions(block_size=BLOCK_BYTES, encoding=_encoding(mapping)),
        parse_options=pv.ParseOptions(
            delimiter=mapping.delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pv.ConvertOptions(
            column_types=_all_text(path, mapping), strings_can_be_null=False
        ),
    )
    header = reader.schema.names
    indexes = column_indexes(mapping, header)
    rejects = Rejects(rejects_path, header, mapping, indexes)
    org_id = organisation.id
    directory = await Directory.load(org_id)
    accounts = dict(await Account.filter(organisation_id=org_id).values_list("external_id", "id"))
    products = dict(await Product.filter(organisation_id=org_id).values_list("external_id", "id"))
    now = clock.now()
    converter = Converter(
        mapping,
        header,
        mapping.formats.timezone or organisation.timezone,
        directory.keys(mapping.owners.match),
        accounts,
        products,
        now,
    )
    context = Context(
        mapping, ZoneInfo(mapping.formats.timezone or organisation.timezone), organisation.currency
    )
    refused: dict[int, _Refusal] = {}
    total = path.stat().st_size  # noqa: ASYNC240
    try:
        async with in_transaction() as transaction:
            # The raw connection is the transaction's: held only between ORM calls.
            async with transaction.acquire_connection() as raw:
                await raw.execute(_STAGING)
            line = 2
            for batch in reader:
                block, line = converter.block(batch, line)
                summary.rows += block.rows
                summary.skipped += block.skipped
                staged, refusals, skipped = await _read_suspects(
                    block.suspects, indexes, context, directory, org_id, now
                )
                summary.skipped += skipped
                refused.update(refusals)
                # Refused rows' ids count too: a later row with one is a repeat.
                ids = [
                    (at, cell(refusal.values, indexes["external_id"]), True)
                    for at, refusal in refusals.items()
                ]
                async with transaction.acquire_connection() as raw:
                    if block.staged.num_rows:
                        await _copy(raw, block.staged)
                    for records, columns in ((staged, STAGED.names), (ids, _REFUSED_COLUMNS)):
                        if records:
                            await raw.copy_records_to_table(
                                "import_deal", records=records, columns=columns
                            )
                if progress is not None:
                    progress.update(summary.rows, 0, total)
            async with transaction.acquire_connection() as raw:
                for record in await raw.fetch(_REPEATS):
                    earlier = refused.get(record["line"])
                    if earlier is None:
                        refused[record["line"]] = _Refusal([REPEAT], [])
                    else:
                        own = [] if earlier.read else earlier.errors
                        refused[record["line"]] = _Refusal([*own, REPEAT], earlier.values)
                await raw.execute("DELETE FROM import_deal WHERE refused")
            await lock(transaction, Guarded.ROLLUPS, org_id)
            async with transaction.acquire_connection() as raw:
                tz = organisation.timezone
                await raw.execute(_CHANGED, org_id)
                moved = {r["rep_id"] for r in await raw.fetch(_AFFECTED, org_id)}
                await raw.execute(_DEAL_DAYS, org_id, tz)
                await raw.execute(_ACCOUNT_DAYS, org_id, tz)
                await raw.execute(_LEAD_DAYS, org_id, tz)
                await raw.execute(_INSERT, org_id, now)
                await raw.execute(_UPDATE, now)
                counts = await raw.fetchrow(_COUNTS)
            summary.imported, summary.unchanged = counts["changed"], counts["unchanged"]
            summary.rejected = len(refused)
            summary.affected_rep_ids = moved
            await figures.moved(org_id, moved)
            await outbox.record(org_id, moved)
            if strict and refused:
                raise Rollback
    except Rollback:
        summary.rolled_back = True
        summary.imported = summary.unchanged = 0
        summary.affected_rep_ids = set()
    finally:
        _write_rejects(rejects, refused, path, mapping)
        if progress is not None:
            progress.update(summary.rows, total, total)
    return summary


def _encoding(mapping: ImportMapping) -> str:
    # pyarrow skips a UTF-8 byte-order mark itself.
    return (
        "utf8"
        if mapping.encoding.lower().replace("-", "") in ("utf8sig", "utf8")
        else mapping.encoding
    )


def _all_text(path: Path, mapping: ImportMapping) -> dict[str, pa.DataType]:
    """Every column read as text: the mapping says how to read each value."""
    with path.open(encoding=mapping.encoding, newline="") as file:
        header = next(csv.reader(file, delimiter=mapping.delimiter), None)
    if header is None:
        raise MappingError("the file is empty: it needs a header row")
    return {name: pa.string() for name in header}


async def _copy(raw: Any, staged: pa.Table) -> None:
    """Stage converted rows: pyarrow writes them as CSV in C++, PostgreSQL reads it with
    COPY."""
    buffer = io.BytesIO()
    pv.write_csv(staged, buffer, write_options=pv.WriteOptions(include_header=False))
    buffer.seek(0)
    await raw.copy_to_table("import_deal", source=buffer, columns=STAGED.names, format="csv")


async def _read_suspects(
    rows: list[tuple[int, list[str]]],
    indexes: dict[str, int],
    context: Context,
    directory: Directory,
    organisation_id: int,
    now: datetime,
) -> tuple[list[tuple[Any, ...]], dict[int, _Refusal], int]:
    """Rows the columns could not take, read as the row-by-row import reads them (the row
    parser, the directory's owner, ingestion's checks and references): their staged values,
    their refusals by line, and how many the mapping skips."""
    match = context.mapping.owners.match
    sound: list[tuple[int, list[str], DealRecord]] = []
    refused: dict[int, _Refusal] = {}
    skipped = 0
    for line, values in rows:
        parsed = parse_row(Kind.DEALS, values, indexes, context)
        if isinstance(parsed, Skipped):
            skipped += 1
            continue
        if isinstance(parsed, list):
            refused[line] = _Refusal(parsed, values)
            continue
        assert parsed.owner is not None
        assert isinstance(parsed.record, DealRecord)
        owner = directory.find(parsed.owner.value, match)
        if isinstance(owner, FieldError):
            refused[line] = _Refusal([owner], values, read=True)
            continue
        record = replace(parsed.record, owner_email=owner.email)
        errors = check_deal(record, now)
        if errors:
            refused[line] = _Refusal(errors, values, read=True)
            continue
        sound.append((line, values, record))
    # As ingestion does: what a deal names is looked up only once its own values are sound.
    references = await References.load(organisation_id, [record for _, _, record in sound])
    staged = []
    for line, values, record in sound:
        found: list[FieldError] = []
        user, account, product = references.resolve(record, found)
        if found or user is None:
            refused[line] = _Refusal(found, values, read=True)
            continue
        staged.append(
            (
                line,
                record.external_id,
                user.id,
                account.id if account else None,
                product.id if product else None,
                record.amount,
                record.cost,
                record.quantity,
                record.stage.value,
                record.created_at,
                record.closed_at,
                record.region,
                record.segment,
            )
        )
    return staged, refused, skipped


def _write_rejects(
    rejects: Rejects, refused: dict[int, _Refusal], path: Path, mapping: ImportMapping
) -> None:
    """The refused rows in the order of their lines; rows refused by SQL (repeats) are
    read back from the file by their line."""
    wanted = {line for line, refusal in refused.items() if not refusal.values}
    found: dict[int, list[str]] = {}
    if wanted:
        with path.open(encoding=mapping.encoding, newline="") as file:
            reader = csv.reader(file, delimiter=mapping.delimiter)
            last = reader.line_num
            for values in reader:
                if last + 1 in wanted:
                    found[last + 1] = values
                last = reader.line_num
    try:
        for line in sorted(refused):
            refusal = refused[line]
            rejects.add(line, refusal.errors, refusal.values or found.get(line, []))
    finally:
        rejects.close()


_REFUSED_COLUMNS = ["line", "external_id", "refused"]
_STAGING = """
CREATE TEMP TABLE import_deal (
    line bigint, external_id text, owner_id int, account_id int, product_id int,
    amount numeric(18, 4), cost numeric(18, 4), quantity int, stage varchar(8),
    created_at timestamptz, closed_at timestamptz, region text, segment text,
    refused boolean NOT NULL DEFAULT false
) ON COMMIT DROP
"""
# Every line after the first of an external id is refused, as the row-by-row import does.
_REPEATS = """
DELETE FROM import_deal s USING (
    SELECT line, row_number() OVER (PARTITION BY external_id ORDER BY line) AS n
    FROM import_deal WHERE external_id IS NOT NULL
) r
WHERE s.line = r.line AND r.n > 1
RETURNING s.line
"""
# The rows that differ from what is stored (or are new), with what is stored beside them.
# Region and segment are the row's own, else its account's.
_CHANGED = """
CREATE TEMP TABLE import_changed ON COMMIT DROP AS
SELECT s.external_id, s.owner_id, s.account_id, s.product_id, s.amount, s.cost,
       s.quantity, s.stage, s.created_at, s.closed_at,
       coalesce(s.region, a.region) AS region, coalesce(s.segment, a.segment) AS segment,
       d.id AS old_id, d.owner_id AS old_owner_id, d.account_id AS old_account_id,
       d.product_id AS old_product_id, d.amount AS old_amount, d.cost AS old_cost,
       d.quantity AS old_quantity, d.stage AS old_stage, d.closed_at AS old_closed_at,
       d.region AS old_region, d.segment AS old_segment
FROM import_deal s
LEFT JOIN account a ON a.id = s.account_id
LEFT JOIN deal d ON d.organisation_id = $1 AND d.external_id = s.external_id
WHERE d.id IS NULL
   OR (d.owner_id, d.account_id, d.product_id, d.amount, d.cost, d.quantity, d.stage,
       d.created_at, d.closed_at, d.region, d.segment)
      IS DISTINCT FROM
      (s.owner_id, s.account_id, s.product_id, s.amount, s.cost, s.quantity, s.stage,
       s.created_at, s.closed_at, coalesce(s.region, a.region), coalesce(s.segment, a.segment))
"""
# Each changed deal's old version taken out of the rollups (-1) and its new one put in (+1),
# as domain.rollups.Deltas does: decided deals on their organisation-local closing day,
# cost resolved (the deal's, else quantity × its product's unit cost, else zero), money in
# ten-thousandths.
_FACTS = """
WITH facts AS (
    SELECT c.owner_id AS rep_id, c.closed_at, coalesce(c.product_id, 0) AS product_key,
           coalesce(c.region, '') AS region, coalesce(c.segment, '') AS segment, c.stage,
           c.amount, coalesce(c.cost, p.unit_cost * c.quantity, 0) AS cost, c.quantity,
           c.account_id, 1 AS sign
    FROM import_changed c LEFT JOIN product p ON p.id = c.product_id
    WHERE c.stage <> 'OPEN' AND c.closed_at IS NOT NULL
    UNION ALL
    SELECT c.old_owner_id, c.old_closed_at, coalesce(c.old_product_id, 0),
           coalesce(c.old_region, ''), coalesce(c.old_segment, ''), c.old_stage,
           c.old_amount, coalesce(c.old_cost, p.unit_cost * c.old_quantity, 0),
           c.old_quantity, c.old_account_id, -1
    FROM import_changed c LEFT JOIN product p ON p.id = c.old_product_id
    WHERE c.old_id IS NOT NULL AND c.old_stage <> 'OPEN' AND c.old_closed_at IS NOT NULL
), days AS (
    SELECT *, ((closed_at AT TIME ZONE $2)::date - date '0001-01-01' + 1) AS day FROM facts
)
"""
_DEAL_DAYS = (
    _FACTS
    + """
INSERT INTO deal_day (organisation_id, rep_id, day, product_key, region, segment,
                      revenue_ticks, cost_ticks, units, won, lost)
SELECT $1, rep_id, day, product_key, region, segment,
       sum(CASE WHEN stage = 'WON' THEN sign * (amount * 10000)::bigint ELSE 0 END),
       sum(CASE WHEN stage = 'WON' THEN sign * (cost * 10000)::bigint ELSE 0 END),
       sum(CASE WHEN stage = 'WON' THEN sign * quantity ELSE 0 END),
       sum(CASE WHEN stage = 'WON' THEN sign ELSE 0 END),
       sum(CASE WHEN stage = 'LOST' THEN sign ELSE 0 END)
FROM days GROUP BY rep_id, day, product_key, region, segment
HAVING sum(CASE WHEN stage = 'WON' THEN sign * (amount * 10000)::bigint ELSE 0 END) <> 0
    OR sum(CASE WHEN stage = 'WON' THEN sign * (cost * 10000)::bigint ELSE 0 END) <> 0
    OR sum(CASE WHEN stage = 'WON' THEN sign * quantity ELSE 0 END) <> 0
    OR sum(CASE WHEN stage = 'WON' THEN sign ELSE 0 END) <> 0
    OR sum(CASE WHEN stage = 'LOST' THEN sign ELSE 0 END) <> 0
ON CONFLICT (rep_id, day, product_key, region, segment) DO UPDATE SET
    revenue_ticks = deal_day.revenue_ticks + excluded.revenue_ticks,
    cost_ticks = deal_day.cost_ticks + excluded.cost_ticks,
    units = deal_day.units + excluded.units,
    won = deal_day.won + excluded.won,
    lost = deal_day.lost + excluded.lost
"""
)
_ACCOUNT_DAYS = (
    _FACTS
    + """
INSERT INTO account_day (organisation_id, rep_id, day, account_id, product_key, region,
                         segment, won)
SELECT $1, rep_id, day, account_id, product_key, region, segment, sum(sign)
FROM days WHERE stage = 'WON' AND account_id IS NOT NULL
GROUP BY rep_id, day, account_id, product_key, region, segment
HAVING sum(sign) <> 0
ON CONFLICT (rep_id, day, account_id, product_key, region, segment) DO UPDATE SET
    won = account_day.won + excluded.won
"""
)
# Leads converted to a deal count as converted while the deal is won.
_FLIPS = """
WITH flips AS (
    SELECT external_id,
           (stage = 'WON')::int - (old_stage IS NOT DISTINCT FROM 'WON')::int AS change
    FROM import_changed
    WHERE (stage = 'WON') <> (old_stage IS NOT DISTINCT FROM 'WON')
)
"""
_LEAD_DAYS = (
    _FLIPS
    + """
INSERT INTO lead_day (organisation_id, rep_id, day, region, segment, leads, qualified,
                      converted)
SELECT $1, l.owner_id, ((l.created_at AT TIME ZONE $2)::date - date '0001-01-01' + 1),
       coalesce(l.region, ''), coalesce(l.segment, ''), 0, 0, sum(f.change)
FROM lead l JOIN flips f ON l.converted_deal_external_id = f.external_id
WHERE l.organisation_id = $1
GROUP BY 2, 3, 4, 5
HAVING sum(f.change) <> 0
ON CONFLICT (rep_id, day, region, segment) DO UPDATE SET
    converted = lead_day.converted + excluded.converted
"""
)
_AFFECTED = (
    _FLIPS
    + """
SELECT owner_id AS rep_id FROM import_changed
UNION SELECT old_owner_id FROM import_changed WHERE old_owner_id IS NOT NULL
UNION SELECT l.owner_id FROM lead l JOIN flips f ON l.converted_deal_external_id = f.external_id
WHERE l.organisation_id = $1
"""
)
# New deals inserted, changed ones updated in place: no conflict to look for, as the lock
# on the organisation's rollups keeps every other writer of its deals out.
_INSERT = """
INSERT INTO deal (organisation_id, external_id, owner_id, account_id, product_id, amount,
                  cost, quantity, stage, created_at, closed_at, region, segment, updated_at)
SELECT $1, external_id, owner_id, account_id, product_id, amount, cost, quantity, stage,
       created_at, closed_at, region, segment, $2
FROM import_changed WHERE old_id IS NULL
"""
_UPDATE = """
UPDATE deal SET
    owner_id = c.owner_id, account_id = c.account_id, product_id = c.product_id,
    amount = c.amount, cost = c.cost, quantity = c.quantity, stage = c.stage,
    created_at = c.created_at, closed_at = c.closed_at, region = c.region,
    segment = c.segment, updated_at = $1
FROM import_changed c WHERE deal.id = c.old_id
"""
_COUNTS = """
SELECT (SELECT count(*) FROM import_changed) AS changed,
       (SELECT count(*) FROM import_deal) - (SELECT count(*) FROM import_changed) AS unchanged
"""
