"""Ingesting deals from a CRM."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from api import policy
from api.context import Info
from api.errors import BadUserInput, InputError
from core.sales import service
from domain.deals import DealRecord, DealStage

DealStageEnum = strawberry.enum(DealStage, name="DealStage")
MAX_BATCH = 1000


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
    region: str | None = None
    segment: str | None = None

    def record(self) -> DealRecord:
        return DealRecord(
            external_id=self.external_id,
            owner_email=self.owner_email,
            amount=self.amount,
            stage=self.stage,
            created_at=self.created_at,
            closed_at=self.closed_at,
            cost=self.cost,
            quantity=self.quantity,
            account_external_id=self.account_external_id,
            product_external_id=self.product_external_id,
            region=self.region,
            segment=self.segment,
        )


@strawberry.type(description="A record that was not stored, and why.")
class RejectedRecord:
    index: int = strawberry.field(description="Position of the record in the batch, from 0.")
    external_id: str
    errors: list[InputError]


@strawberry.type
class IngestDealsPayload:
    accepted: int = strawberry.field(description="Records stored (created or updated).")
    rejected: list[RejectedRecord]


@strawberry.type
class SalesMutations:
    @strawberry.mutation(
        description=f"Upsert up to {MAX_BATCH} deals; the valid ones are kept when others fail."
    )
    async def ingest_deals(self, info: Info, deals: list[DealInput]) -> IngestDealsPayload:
        viewer = info.context.require_viewer()
        policy.require_role(viewer, policy.INGEST_ROLES)
        if len(deals) > MAX_BATCH:
            raise BadUserInput(
                f"A batch holds at most {MAX_BATCH} deals; this one has {len(deals)}."
            )
        result = await service.ingest_deals(
            viewer.organisation_id, [deal.record() for deal in deals]
        )
        if result.affected_rep_ids:
            # Enqueued after the upsert committed, so the job sees the new figures.
            await info.context.queue.enqueue(
                "recompute_progress",
                organisation_id=viewer.organisation_id,
                rep_ids=sorted(result.affected_rep_ids),
            )
        return IngestDealsPayload(
            accepted=result.accepted,
            rejected=[
                RejectedRecord(
                    index=rejected.index,
                    external_id=rejected.external_id,
                    errors=[InputError.of(error) for error in rejected.errors],
                )
                for rejected in result.rejected
            ],
        )
