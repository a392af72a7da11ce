"""Ingesting CRM records: validate each, keep the good ones, report the bad ones, and keep
the metric rollups exact by applying each stored record's change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from core import clock
from core.goals import figures
from core.locks import Guarded, lock
from core.metrics import store as rollups
from core.orgs import store as people
from core.orgs.models import Organisation, User
from core.outbox import store as outbox
from core.sales import store
from core.sales.models import Account, Deal, Lead, Product
from core.sales.rows import DealRow, LeadRow
from domain.errors import ErrorCode, FieldError
from domain.records import (
    AccountRecord,
    DealRecord,
    DealStage,
    LeadRecord,
    ProductRecord,
    check_account,
    check_deal,
    check_lead,
    check_product,
    first_occurrences,
    is_qualified,
)
from domain.rollups import NO_PRODUCT, DealFacts, Deltas, LeadFacts, resolved_cost


@dataclass(frozen=True)
class RejectedRecord:
    index: int
    external_id: str
    errors: list[FieldError]


@dataclass
class IngestResult:
    accepted: int = 0
    # Of the accepted, those that arrived as they are stored: nothing was rewritten.
    unchanged: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    # Reps whose figures may have moved: owners old and new of every changed record.
    affected_rep_ids: set[int] = field(default_factory=set)


# The most records one batch (a GraphQL mutation, a webhook call) may carry.
MAX_BATCH = 1000
R = TypeVar("R")
DEAL_FIELDS, LEAD_FIELDS = store.DEAL_UPSERT_FIELDS, store.LEAD_UPSERT_FIELDS


def screen(
    records: Sequence[R],
    external_id: Callable[[R], str],
    check: Callable[[R], list[FieldError]],
) -> dict[int, list[FieldError]]:
    """The errors of each record that breaks its own rules, by index; duplicates of an
    external id within the batch are errors after the first."""
    firsts = first_occurrences([external_id(r) for r in records])
    errors: dict[int, list[FieldError]] = {}
    for index, record in enumerate(records):
        found = check(record)
        if index not in firsts:
            found.append(
                FieldError(
                    "externalId",
                    ErrorCode.DUPLICATE_IN_BATCH,
                    "An earlier record of this batch has the same externalId.",
                )
            )
        if found:
            errors[index] = found
    return errors


def not_found(field_name: str, what: str) -> FieldError:
    return FieldError(field_name, ErrorCode.NOT_FOUND, f"No {what} in this organisation.")


def finish(
    records: Sequence[R], external_id: Callable[[R], str], errors: dict[int, list[FieldError]]
) -> list[RejectedRecord]:
    return [
        RejectedRecord(index, external_id(records[index]), errors[index])
        for index in sorted(errors)
    ]


def _deal_facts(deal: Deal | DealRow, unit_cost: dict[int, Decimal | None]) -> DealFacts:
    return DealFacts(
        rep_id=deal.owner_id,
        account_id=deal.account_id,
        product_key=deal.product_id or NO_PRODUCT,
        region=deal.region or "",
        segment=deal.segment or "",
        stage=deal.stage,
        closed_at=deal.closed_at,
        amount=deal.amount,
        cost=resolved_cost(
            deal.cost, deal.quantity, unit_cost.get(deal.product_id) if deal.product_id else None
        ),
        quantity=deal.quantity,
    )


def _lead_facts(lead: Lead | LeadRow, won: set[str]) -> LeadFacts:
    return LeadFacts(
        rep_id=lead.owner_id,
        created_at=lead.created_at,
        region=lead.region or "",
        segment=lead.segment or "",
        qualified=is_qualified(lead.status, lead.qualified_at),
        converted=lead.converted_deal_external_id in won,
    )


@dataclass(frozen=True)
class References:
    """The owners, accounts and products a batch names, each looked up once."""

    owners: dict[str, User]
    accounts: dict[str, Account]
    products: dict[str, Product]

    @classmethod
    async def load(
        cls, organisation_id: int, records: Sequence[DealRecord | LeadRecord]
    ) -> References:
        product_ids = (getattr(r, "product_external_id", None) for r in records)
        return cls(
            await people.users_by_email(
                organisation_id, (r.owner_email.strip().lower() for r in records)
            ),
            await store.accounts_by_external_id(
                organisation_id, (r.account_external_id for r in records if r.account_external_id)
            ),
            await store.products_by_external_id(organisation_id, (p for p in product_ids if p)),
        )

    def resolve(
        self, record: DealRecord | LeadRecord, errors: list[FieldError]
    ) -> tuple[User | None, Account | None, Product | None]:
        """What the record names; an error in `errors` for each name that finds nothing."""
        owner = self.owners.get(record.owner_email.strip().lower())
        account = self.accounts.get(record.account_external_id or "")
        product_id = getattr(record, "product_external_id", None)
        product = self.products.get(product_id or "")
        if owner is None:
            errors.append(not_found("ownerEmail", "user with this email"))
        if record.account_external_id and account is None:
            errors.append(not_found("accountExternalId", "account with this externalId"))
        if product_id and product is None:
            errors.append(not_found("productExternalId", "product with this externalId"))
        return owner, account, product


def _placed(record: DealRecord | LeadRecord, account: Account | None) -> dict[str, str | None]:
    """Region and segment: the record's own, else its account's."""
    return {
        "region": record.region or (account.region if account else None),
        "segment": record.segment or (account.segment if account else None),
    }


Row = TypeVar("Row", DealRow, LeadRow)
Named = TypeVar("Named", DealRecord, LeadRecord)


async def _accept(
    organisation_id: int,
    records: Sequence[Named],
    check: Callable[[Named], list[FieldError]],
    build: Callable[[Named, User, Account | None, Product | None], Row],
) -> tuple[list[Row], IngestResult]:
    """The rows of the records that pass their own rules and whose names all resolve, and
    the result reporting every other record with its errors."""
    errors = screen(records, lambda r: r.external_id, check)
    # Names are looked up only for records whose values are sound (no NUL sent to SQL).
    sound = [record for index, record in enumerate(records) if index not in errors]
    references = await References.load(organisation_id, sound)
    rows = []
    for index, record in enumerate(records):
        if index in errors:
            continue
        found: list[FieldError] = []
        owner, account, product = references.resolve(record, found)
        if found or owner is None:
            errors[index] = found
            continue
        rows.append(build(record, owner, account, product))
    rejected = finish(records, lambda r: r.external_id, errors)
    return rows, IngestResult(accepted=len(rows), rejected=rejected)


async def ingest_deals(organisation: Organisation, records: Sequence[DealRecord]) -> IngestResult:
    """Upsert the valid deals by external id; every invalid one is reported, none stored."""
    org_id = organisation.id

    def build(
        record: DealRecord, owner: User, account: Account | None, product: Product | None
    ) -> DealRow:
        return DealRow(
            organisation_id=org_id,
            external_id=record.external_id,
            owner_id=owner.id,
            account_id=account.id if account else None,
            product_id=product.id if product else None,
            amount=record.amount,
            cost=record.cost,
            quantity=record.quantity,
            stage=record.stage,
            created_at=record.created_at,
            closed_at=record.closed_at,
            **_placed(record, account),
        )

    deals, result = await _accept(org_id, records, partial(check_deal, now=clock.now()), build)

    tz = ZoneInfo(organisation.timezone)
    async with in_transaction() as connection:
        await lock(connection, Guarded.ROLLUPS, org_id)
        ids = [deal.external_id for deal in deals]
        before = await store.deals_by_external_id(org_id, ids)
        # A record sent again as it is stays as it is: not rewritten, nothing re-measured.
        changed = [d for d in deals if store.changed(d, before.get(d.external_id), DEAL_FIELDS)]
        result.unchanged = len(deals) - len(changed)
        costs = await store.unit_costs(
            [d.product_id for d in [*deals, *before.values()] if d.product_id is not None]
        )
        deltas = Deltas.empty()
        for deal in changed:
            old = before.get(deal.external_id)
            deltas.replace_deal(
                _deal_facts(old, costs) if old else None, _deal_facts(deal, costs), tz
            )
            result.affected_rep_ids.add(deal.owner_id)
            if old is not None:
                result.affected_rep_ids.add(old.owner_id)
        # Leads that became these deals count as converted while the deal is WON.
        was_won = {e for e, d in before.items() if d.stage is DealStage.WON}
        now_won = {d.external_id for d in deals if d.stage is DealStage.WON}
        for lead in await store.leads_converted_to(org_id, ids):
            old_lead = _lead_facts(lead, was_won)
            new_lead = _lead_facts(lead, now_won)
            if old_lead != new_lead:
                deltas.replace_lead(old_lead, new_lead, tz)
                result.affected_rep_ids.add(lead.owner_id)
        await store.upsert(Deal, changed, DEAL_FIELDS)
        await rollups.apply(connection, org_id, deltas)
        # In the same transaction: what moved is evaluated if and only if it is stored.
        await moved(org_id, result.affected_rep_ids)
    return result


async def ingest_leads(organisation: Organisation, records: Sequence[LeadRecord]) -> IngestResult:
    org_id = organisation.id

    def build(
        record: LeadRecord, owner: User, account: Account | None, _: Product | None
    ) -> LeadRow:
        return LeadRow(
            organisation_id=org_id,
            external_id=record.external_id,
            owner_id=owner.id,
            account_id=account.id if account else None,
            status=record.status,
            created_at=record.created_at,
            qualified_at=record.qualified_at,
            converted_deal_external_id=record.converted_deal_external_id,
            **_placed(record, account),
        )

    leads, result = await _accept(org_id, records, partial(check_lead, now=clock.now()), build)

    tz = ZoneInfo(organisation.timezone)
    async with in_transaction() as connection:
        await lock(connection, Guarded.ROLLUPS, org_id)
        before = await store.leads_by_external_id(org_id, (lead.external_id for lead in leads))
        changed = [x for x in leads if store.changed(x, before.get(x.external_id), LEAD_FIELDS)]
        result.unchanged, leads = len(leads) - len(changed), changed
        converted_to = {
            lead.converted_deal_external_id
            for lead in [*leads, *before.values()]
            if lead.converted_deal_external_id
        }
        won = await store.won_external_ids(org_id, converted_to)
        deltas = Deltas.empty()
        for lead in leads:
            old = before.get(lead.external_id)
            deltas.replace_lead(_lead_facts(old, won) if old else None, _lead_facts(lead, won), tz)
            result.affected_rep_ids.add(lead.owner_id)
            if old is not None:
                result.affected_rep_ids.add(old.owner_id)
        await store.upsert(Lead, leads, LEAD_FIELDS)
        await rollups.apply(connection, org_id, deltas)
        # In the same transaction: what moved is evaluated if and only if it is stored.
        await moved(org_id, result.affected_rep_ids)
    return result


async def ingest_accounts(
    organisation: Organisation, records: Sequence[AccountRecord]
) -> IngestResult:
    """Accounts carry no figures of their own: deals keep the region and segment they were
    stored with."""
    errors = screen(records, lambda r: r.external_id, check_account)
    accounts = [
        Account(
            organisation_id=organisation.id,
            external_id=record.external_id,
            name=record.name.strip(),
            segment=record.segment,
            region=record.region,
        )
        for index, record in enumerate(records)
        if index not in errors
    ]
    await store.upsert(Account, accounts, store.ACCOUNT_UPSERT_FIELDS)
    return IngestResult(
        accepted=len(accounts), rejected=finish(records, lambda r: r.external_id, errors)
    )


async def ingest_products(
    organisation: Organisation, records: Sequence[ProductRecord]
) -> IngestResult:
    """A changed unit cost changes the cost of the won deals that have none of their own."""
    org_id = organisation.id
    errors = screen(records, lambda r: r.external_id, check_product)
    products = [
        Product(
            organisation_id=org_id,
            external_id=record.external_id,
            name=record.name.strip(),
            unit_price=record.unit_price,
            unit_cost=record.unit_cost,
        )
        for index, record in enumerate(records)
        if index not in errors
    ]
    result = IngestResult(
        accepted=len(products), rejected=finish(records, lambda r: r.external_id, errors)
    )
    tz = ZoneInfo(organisation.timezone)
    async with in_transaction() as connection:
        await lock(connection, Guarded.ROLLUPS, org_id)
        before = await store.products_by_external_id(org_id, (p.external_id for p in products))
        changed = {
            before[p.external_id].id: p.unit_cost
            for p in products
            if p.external_id in before and before[p.external_id].unit_cost != p.unit_cost
        }
        old_costs = {
            product_id: before_cost
            for product_id, before_cost in ((p.id, p.unit_cost) for p in before.values())
        }
        deltas = Deltas.empty()
        for deal in await store.won_deals_costed_by(changed):
            deltas.replace_deal(_deal_facts(deal, old_costs), _deal_facts(deal, changed), tz)
            result.affected_rep_ids.add(deal.owner_id)
        await store.upsert(Product, products, store.PRODUCT_UPSERT_FIELDS)
        await rollups.apply(connection, org_id, deltas)
        # In the same transaction: what moved is evaluated if and only if it is stored.
        await moved(org_id, result.affected_rep_ids)
    return result


async def moved(organisation_id: int, rep_ids: set[int]) -> None:
    """In the transaction that moved these reps' figures: their goals' stored figures are
    stale, and the reps are to be evaluated."""
    await figures.moved(organisation_id, rep_ids)
    await outbox.record(organisation_id, rep_ids)
