"""Every query of accounts, products, deals and leads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from tortoise import connections
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core import clock
from core.metrics.models import DealDay, LeadDay
from core.sales.models import Account, Deal, Lead, Product
from core.sales.rows import DealRow, LeadRow
from core.sql import Params
from domain.records import DealStage, is_qualified

Owned = TypeVar("Owned", Deal, Lead)

DEAL_UPSERT_FIELDS = (
    "owner_id",
    "account_id",
    "product_id",
    "amount",
    "cost",
    "quantity",
    "stage",
    "created_at",
    "closed_at",
    "region",
    "segment",
    "updated_at",
)
LEAD_UPSERT_FIELDS = (
    "owner_id",
    "account_id",
    "status",
    "created_at",
    "qualified_at",
    "converted_deal_external_id",
    "region",
    "segment",
    "updated_at",
)
ACCOUNT_UPSERT_FIELDS = ("name", "segment", "region")
PRODUCT_UPSERT_FIELDS = ("name", "unit_price", "unit_cost")


def _ids(values: Iterable[str]) -> list[str]:
    return list(set(values))


async def accounts_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Account]:
    accounts = await Account.filter(
        organisation_id=organisation_id, external_id__in=_ids(external_ids)
    )
    return {account.external_id: account for account in accounts}


async def products_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Product]:
    products = await Product.filter(
        organisation_id=organisation_id, external_id__in=_ids(external_ids)
    )
    return {product.external_id: product for product in products}


async def unit_costs(product_ids: Iterable[int]) -> dict[int, Decimal | None]:
    rows = await Product.filter(id__in=list(set(product_ids))).values_list("id", "unit_cost")
    return {product_id: unit_cost for product_id, unit_cost in rows}


async def deals_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Deal]:
    deals = await Deal.filter(organisation_id=organisation_id, external_id__in=_ids(external_ids))
    return {deal.external_id: deal for deal in deals}


async def won_external_ids(organisation_id: int, external_ids: Iterable[str]) -> set[str]:
    rows = await Deal.filter(
        organisation_id=organisation_id, external_id__in=_ids(external_ids), stage=DealStage.WON
    ).values_list("external_id", flat=True)
    return set(rows)


async def leads_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Lead]:
    leads = await Lead.filter(organisation_id=organisation_id, external_id__in=_ids(external_ids))
    return {lead.external_id: lead for lead in leads}


async def leads_converted_to(organisation_id: int, deal_external_ids: Iterable[str]) -> list[Lead]:
    return await Lead.filter(
        organisation_id=organisation_id, converted_deal_external_id__in=_ids(deal_external_ids)
    )


async def won_deals_costed_by(product_ids: Iterable[int]) -> list[Deal]:
    """Won deals whose cost comes from their product's unit cost."""
    return await Deal.filter(
        product_id__in=list(set(product_ids)), cost__isnull=True, stage=DealStage.WON
    )


def changed(row: DealRow | LeadRow, old: Model | None, fields: Sequence[str]) -> bool:
    """Whether an upsert would change anything (the time it was updated aside)."""
    return old is None or any(
        getattr(row, name) != getattr(old, name) for name in fields if name != "updated_at"
    )


# From this many rows a PostgreSQL upsert goes through COPY into a staging table: one
# round trip for the rows instead of a statement each.
COPY_FROM = 200


async def upsert(
    model: type[Model], rows: Sequence[Model | DealRow | LeadRow], update_fields: Sequence[str]
) -> None:
    """Insert new rows and overwrite existing ones, matched by (organisation, external id).
    Rows are model instances or plain rows with the model's attribute names."""
    if not rows:
        return
    connection = connections.get("default")
    now = clock.now()
    if connection.capabilities.dialect != "postgres" or len(rows) < COPY_FROM:
        instances = [r if isinstance(r, Model) else model(**asdict(r)) for r in rows]
        if "updated_at" in update_fields:
            for instance in instances:
                instance.updated_at = now
        await model.bulk_create(
            instances, on_conflict=["organisation_id", "external_id"], update_fields=update_fields
        )
        return
    table = model._meta.db_table
    columns = ["organisation_id", "external_id", *update_fields]
    records = [tuple(_db_value(row, column, now) for column in columns) for row in rows]
    names = ", ".join(columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in update_fields)
    async with in_transaction() as transaction, transaction.acquire_connection() as raw:
        # Dropped when the outermost transaction ends; emptied after each use before that.
        await raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS staging_{table} "
            f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        await raw.copy_records_to_table(f"staging_{table}", records=records, columns=columns)
        await raw.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM staging_{table} "
            f"ON CONFLICT (organisation_id, external_id) DO UPDATE SET {updates}"
        )
        await raw.execute(f"TRUNCATE staging_{table}")


def _db_value(row: Model | DealRow | LeadRow, column: str, now: datetime) -> Any:
    if column == "updated_at":
        return now
    value = getattr(row, column)
    return value.value if isinstance(value, Enum) else value


async def has_cost_data(organisation_id: int) -> bool:
    return (
        await Deal.filter(organisation_id=organisation_id, cost__isnull=False).exists()
        or await Product.filter(organisation_id=organisation_id, unit_cost__isnull=False).exists()
    )


async def known_regions_and_segments(organisation_id: int) -> tuple[set[str], set[str]]:
    """Every region and segment named by the organisation's accounts, deals or leads (read
    from the rollups, which are much smaller than the deals)."""
    regions: set[str] = set()
    segments: set[str] = set()
    for model in (Account, DealDay, LeadDay):
        rows = (
            await model.filter(organisation_id=organisation_id)
            .distinct()
            .values_list("region", "segment")
        )
        for region, segment in rows:
            if region:
                regions.add(region)
            if segment:
                segments.add(segment)
    return regions, segments


async def won_deals(
    owner_ids: Sequence[int] | None, organisation_id: int, start: datetime, end: datetime
) -> list[Deal]:
    """The won deals closed in [start, end), in the order they closed."""
    query = Deal.filter(
        organisation_id=organisation_id,
        stage=DealStage.WON,
        closed_at__gte=start,
        closed_at__lt=end,
    )
    if owner_ids is not None:
        query = query.filter(owner_id__in=list(owner_ids))
    return await query.order_by("closed_at", "id")


async def products_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Product]:
    products = await Product.filter(organisation_id=organisation_id, id__in=list(set(ids)))
    return {product.id: product for product in products}


@dataclass(frozen=True)
class RecordFilter:
    """Which deals or leads a list keeps: owners, the instants the records count on (a
    deal's close, a lead's creation), its stage or status, region and segment."""

    owner_ids: Collection[int] | None = None
    since: datetime | None = None
    before: datetime | None = None
    state: str | None = None
    region: str | None = None
    segment: str | None = None


def _owned(
    query: QuerySet[Owned],
    organisation_id: int,
    rep_ids: Collection[int] | None,
    wanted: RecordFilter,
    counted_on: str,
    state: str,
) -> QuerySet[Owned]:
    query = query.filter(organisation_id=organisation_id)
    if rep_ids is not None:
        query = query.filter(owner_id__in=sorted(rep_ids))
    if wanted.owner_ids is not None:
        query = query.filter(owner_id__in=sorted(wanted.owner_ids))
    if wanted.since is not None:
        query = query.filter(**{f"{counted_on}__gte": wanted.since})
    if wanted.before is not None:
        query = query.filter(**{f"{counted_on}__lt": wanted.before})
    kept = ((state, wanted.state), ("region", wanted.region), ("segment", wanted.segment))
    for column, value in kept:
        if value is not None:
            query = query.filter(**{column: value})
    return query


def deals_of(
    organisation_id: int, rep_ids: Collection[int] | None, wanted: RecordFilter = RecordFilter()
) -> QuerySet[Deal]:
    """Deals owned by `rep_ids` (None: anyone) that `wanted` keeps, by close: for pages."""
    return _owned(Deal.all(), organisation_id, rep_ids, wanted, "closed_at", "stage")


def leads_of(
    organisation_id: int, rep_ids: Collection[int] | None, wanted: RecordFilter = RecordFilter()
) -> QuerySet[Lead]:
    """Leads owned by `rep_ids` (None: anyone) that `wanted` keeps, by creation."""
    return _owned(Lead.all(), organisation_id, rep_ids, wanted, "created_at", "status")


async def first_won_deals(owner_ids: Sequence[int]) -> dict[int, Deal]:
    """Each owner's first won deal (by close, then id): picked in SQL, so that owners with
    many won deals (a first import) cost one row each."""
    if not owner_ids:
        return {}
    connection = connections.get("default")
    params = Params(connection)
    owners = ", ".join(params(owner) for owner in sorted(set(owner_ids)))
    rows = await connection.execute_query_dict(
        "SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY owner_id "
        "ORDER BY closed_at, id) AS n FROM deal "
        f"WHERE stage = {params(DealStage.WON.value)} AND owner_id IN ({owners})) firsts "
        "WHERE n = 1",
        params.values,
    )
    firsts = await Deal.filter(id__in=[row["id"] for row in rows])
    return {deal.owner_id: deal for deal in firsts}


async def recently_changed_deals(owner_ids: Sequence[int], since: datetime) -> list[Deal]:
    return await Deal.filter(owner_id__in=list(owner_ids), updated_at__gte=since).order_by("id")


async def recently_qualified(owner_ids: Sequence[int], since: datetime) -> list[Lead]:
    recent = await Lead.filter(owner_id__in=list(owner_ids), updated_at__gte=since)
    return [lead for lead in recent if is_qualified(lead.status, lead.qualified_at)]
