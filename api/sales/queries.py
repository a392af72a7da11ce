"""Queries of CRM records: deals and leads of the reps you may see."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.ids import parse_id
from api.pagination import Connection, keyset
from api.sales.types import Deal, Lead
from core.sales import store


def _owner(owner_id: strawberry.ID | None) -> int | None:
    return (parse_id(owner_id) or 0) if owner_id is not None else None


@strawberry.type
class SalesQueries:
    @strawberry.field(description="Deals of the reps you may see, by id.")
    async def deals(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        owner_id: strawberry.ID | None = None,
    ) -> Connection[Deal]:
        access = await info.context.access()
        deals = store.deals_of(access.viewer.organisation_id, access.rep_ids, _owner(owner_id))
        return await keyset(deals, first, after, Deal.of)

    @strawberry.field(description="Leads of the reps you may see, by id.")
    async def leads(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        owner_id: strawberry.ID | None = None,
    ) -> Connection[Lead]:
        access = await info.context.access()
        leads = store.leads_of(access.viewer.organisation_id, access.rep_ids, _owner(owner_id))
        return await keyset(leads, first, after, Lead.of)
