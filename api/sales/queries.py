"""Queries of CRM records: deals and leads of the reps you may see, narrowed so that any
figure can be followed to the records behind it."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry

from api.context import Info
from api.errors import checked_days
from api.ids import parse_id
from api.pagination import Connection, keyset
from api.sales.types import Deal, DealStageEnum, Lead, LeadStatusEnum
from core.sales import store
from domain.periods import Period

From = Annotated[
    date | None,
    strawberry.argument(
        name="from",
        description="First day (in the organisation's timezone) of the range the records "
        "count on: a deal's close, a lead's creation, as every figure counts them.",
    ),
]
To = Annotated[date | None, strawberry.argument(description="Last day of that range.")]
TeamId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="The records of the team's people (sub-teams included)."),
]


async def _wanted(
    info: Info,
    owner_id: strawberry.ID | None,
    team_id: strawberry.ID | None,
    first_day: date | None,
    last_day: date | None,
    state: str | None,
    region: str | None,
    segment: str | None,
) -> store.RecordFilter:
    checked_days(**{"from": first_day, "to": last_day})
    owners: set[int] | None = None
    if owner_id is not None:
        owners = {parse_id(owner_id) or 0}
    if team_id is not None:
        _, people = await info.context.team_below(team_id)
        owners = people if owners is None else owners & people
    organisation = await info.context.loaders.own_organisation()
    tz = ZoneInfo(organisation.timezone)
    since = Period(first_day, first_day).bounds(tz)[0] if first_day is not None else None
    before = Period(last_day, last_day).bounds(tz)[1] if last_day is not None else None
    return store.RecordFilter(owners, since, before, state, region, segment)


@strawberry.type
class SalesQueries:
    @strawberry.field(description="Deals of the reps you may see, by id, narrowed by any filter.")
    async def deals(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        owner_id: strawberry.ID | None = None,
        team_id: TeamId = None,
        from_: From = None,
        to: To = None,
        stage: DealStageEnum | None = None,
        region: str | None = None,
        segment: str | None = None,
    ) -> Connection[Deal]:
        access = await info.context.access()
        wanted = await _wanted(info, owner_id, team_id, from_, to, stage, region, segment)
        deals = store.deals_of(access.viewer.organisation_id, access.rep_ids, wanted)
        return await keyset(deals, first, after, Deal.of)

    @strawberry.field(description="Leads of the reps you may see, by id, narrowed by any filter.")
    async def leads(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        owner_id: strawberry.ID | None = None,
        team_id: TeamId = None,
        from_: From = None,
        to: To = None,
        status: LeadStatusEnum | None = None,
        region: str | None = None,
        segment: str | None = None,
    ) -> Connection[Lead]:
        access = await info.context.access()
        wanted = await _wanted(info, owner_id, team_id, from_, to, status, region, segment)
        leads = store.leads_of(access.viewer.organisation_id, access.rep_ids, wanted)
        return await keyset(leads, first, after, Lead.of)
