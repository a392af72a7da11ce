"""Ingesting CRM deals: validate each record, keep the good ones, report the bad ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from core.orgs import store as people
from core.sales import store
from core.sales.models import Deal
from domain.deals import DealRecord, check_deal, first_occurrences
from domain.errors import ErrorCode, FieldError


@dataclass(frozen=True)
class RejectedRecord:
    index: int
    external_id: str
    errors: list[FieldError]


@dataclass
class IngestResult:
    accepted: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    # Reps whose figures may have moved: new owners and, for re-assigned deals, old ones.
    affected_rep_ids: set[int] = field(default_factory=set)


async def ingest_deals(organisation_id: int, records: list[DealRecord]) -> IngestResult:
    """Upsert the valid records by external id; every invalid one is reported, none stored."""
    result = IngestResult()
    firsts = first_occurrences([record.external_id for record in records])
    owners = await people.users_by_email(
        organisation_id, (record.owner_email.strip().lower() for record in records)
    )
    accounts = await store.accounts_by_external_id(
        organisation_id, (r.account_external_id for r in records if r.account_external_id)
    )
    products = await store.products_by_external_id(
        organisation_id, (r.product_external_id for r in records if r.product_external_id)
    )

    deals: list[Deal] = []
    for index, record in enumerate(records):
        errors = check_deal(record)
        if index not in firsts:
            errors.append(
                FieldError(
                    "externalId",
                    ErrorCode.DUPLICATE_IN_BATCH,
                    "An earlier record of this batch has the same externalId.",
                )
            )
        owner = owners.get(record.owner_email.strip().lower())
        if owner is None:
            errors.append(
                FieldError(
                    "ownerEmail",
                    ErrorCode.NOT_FOUND,
                    "No user with this email in the organisation.",
                )
            )
        account = accounts.get(record.account_external_id or "")
        if record.account_external_id and account is None:
            errors.append(
                FieldError(
                    "accountExternalId", ErrorCode.NOT_FOUND, "No account with this externalId."
                )
            )
        product = products.get(record.product_external_id or "")
        if record.product_external_id and product is None:
            errors.append(
                FieldError(
                    "productExternalId", ErrorCode.NOT_FOUND, "No product with this externalId."
                )
            )
        if errors or owner is None:
            result.rejected.append(RejectedRecord(index, record.external_id, errors))
            continue
        deals.append(
            Deal(
                organisation_id=organisation_id,
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
                region=record.region or (account.region if account else None),
                segment=record.segment or (account.segment if account else None),
            )
        )

    async with in_transaction():
        previous_owners = await store.owners_by_external_id(
            organisation_id, (deal.external_id for deal in deals)
        )
        await store.upsert_deals(deals)
    result.accepted = len(deals)
    result.affected_rep_ids = {deal.owner_id for deal in deals} | {
        previous_owners[deal.external_id] for deal in deals if deal.external_id in previous_owners
    }
    return result
