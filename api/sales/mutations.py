"""Ingesting CRM records: deals, leads, accounts and products."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry

from api.context import Info
from api.errors import InputError, InputErrors
from api.flat_inputs import flat
from api.sales.types import DealStageEnum, LeadStatusEnum
from core.orgs.models import Organisation
from core.orgs.store import get_organisation
from core.sales import service
from core.sales.service import MAX_BATCH
from domain.errors import ErrorCode, FieldError
from domain.records import (
    AccountRecord,
    DealRecord,
    LeadRecord,
    LeadStatus,
    ProductRecord,
)
from workers.relay import after_commit


@flat
@strawberry.input(description="A deal as the CRM has it; upserted by externalId.")
class DealInput:
    external_id: str
    owner_email: str
    amount: Decimal
    stage: DealStageEnum
    created_at: datetime
    closed_at: datetime | None = strawberry.field(
        default=None, description="Required for WON and LOST deals."
    )
    cost: Decimal | None = None
    quantity: int = 1
    account_external_id: str | None = None
    product_external_id: str | None = None
    region: str | None = strawberry.field(default=None, description="Default: the account's.")
    segment: str | None = strawberry.field(default=None, description="Default: the account's.")

    def record(self) -> DealRecord:
        return DealRecord(**vars(self))


@flat
@strawberry.input(description="A lead as the CRM has it; upserted by externalId.")
class LeadInput:
    external_id: str
    owner_email: str
    created_at: datetime
    status: LeadStatusEnum = LeadStatus.NEW
    qualified_at: datetime | None = None
    converted_deal_external_id: str | None = strawberry.field(
        default=None, description="The deal the lead became; it counts as converted while WON."
    )
    account_external_id: str | None = None
    region: str | None = None
    segment: str | None = None

    def record(self) -> LeadRecord:
        return LeadRecord(**vars(self))


@flat
@strawberry.input
class AccountInput:
    external_id: str
    name: str
    segment: str | None = None
    region: str | None = None

    def record(self) -> AccountRecord:
        return AccountRecord(**vars(self))


@flat
@strawberry.input
class ProductInput:
    external_id: str
    name: str
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None

    def record(self) -> ProductRecord:
        return ProductRecord(**vars(self))


@strawberry.type(description="A record that was not stored, and why.")
class RejectedRecord:
    index: int = strawberry.field(description="Position of the record in the batch, from 0.")
    external_id: str
    errors: list[InputError]


@strawberry.type
class IngestPayload:
    accepted: int = strawberry.field(
        description="Records stored: created, updated, or already stored as they are."
    )
    unchanged: int = strawberry.field(
        description="Of the accepted, those already stored as they are: nothing rewritten."
    )
    rejected: list[RejectedRecord]


IngestResult = Annotated[IngestPayload | InputErrors, strawberry.union("IngestResult")]


async def _ingest(
    info: Info,
    field: str,
    inputs: Sequence[DealInput | LeadInput | AccountInput | ProductInput],
    ingest: Callable[[Organisation, list[Any]], Awaitable[service.IngestResult]],
) -> IngestPayload | InputErrors:
    """Authorise, bound the batch, ingest (which notes what moved in the outbox, in the same
    transaction), then relay the outbox."""
    access = await info.context.access()
    if not access.can_ingest():
        return InputErrors.forbidden(field, "Ingesting needs an admin or an API key with `ingest`.")
    if len(inputs) > MAX_BATCH:
        return InputErrors.of(
            FieldError(
                field,
                ErrorCode.TOO_MANY,
                f"A batch holds at most {MAX_BATCH} records; this one has {len(inputs)}.",
            )
        )
    organisation = await get_organisation(access.viewer.organisation_id)
    result = await ingest(organisation, [item.record() for item in inputs])
    await after_commit(info.context.queue)
    return IngestPayload(
        accepted=result.accepted,
        unchanged=result.unchanged,
        rejected=[
            RejectedRecord(
                index=rejected.index,
                external_id=rejected.external_id,
                errors=[InputError.of(error) for error in rejected.errors],
            )
            for rejected in result.rejected
        ],
    )


BATCH = f"Upsert up to {MAX_BATCH} records by externalId; the valid ones are kept when others fail."


@strawberry.type
class SalesMutations:
    @strawberry.mutation(description=BATCH)
    async def ingest_deals(self, info: Info, deals: list[DealInput]) -> IngestResult:
        return await _ingest(info, "deals", deals, service.ingest_deals)

    @strawberry.mutation(description=BATCH)
    async def ingest_leads(self, info: Info, leads: list[LeadInput]) -> IngestResult:
        return await _ingest(info, "leads", leads, service.ingest_leads)

    @strawberry.mutation(description=BATCH)
    async def ingest_accounts(self, info: Info, accounts: list[AccountInput]) -> IngestResult:
        return await _ingest(info, "accounts", accounts, service.ingest_accounts)

    @strawberry.mutation(description=BATCH)
    async def ingest_products(self, info: Info, products: list[ProductInput]) -> IngestResult:
        return await _ingest(info, "products", products, service.ingest_products)
