"""Queries of check-ins: the history, what is due, what to talk about, the reminders."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import strawberry

from api.checkins.types import CheckIn, CheckInAgenda, DueCheckInEntry, Reminder
from api.context import Info
from api.errors import BadUserInput
from api.ids import parse_id
from api.pagination import Connection, keyset
from api.policy import visible
from core.checkins import models, service, store
from core.orgs import store as people
from domain.periods import local_today
from domain.teams import members

# A due list looks at most this far ahead.
MAX_WITHIN_DAYS = 92


@strawberry.type
class CheckInQueries:
    @strawberry.field(description="Check-ins you may see, by id: of one rep or one goal if asked.")
    async def check_ins(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        rep_id: strawberry.ID | None = None,
        goal_id: strawberry.ID | None = None,
    ) -> Connection[CheckIn]:
        access = await info.context.access()
        query = store.check_ins_of(access.viewer.organisation_id, access.rep_ids)
        if rep_id is not None:
            query = query.filter(rep_id=parse_id(rep_id) or 0)
        if goal_id is not None:
            query = query.filter(goal_id=parse_id(goal_id) or 0)
        return await keyset(query, first, after, CheckIn.of)

    @strawberry.field
    async def check_in(self, info: Info, id: strawberry.ID) -> CheckIn | None:
        access = await info.context.access()
        check_in_id = parse_id(id)
        row = (
            await store.find_check_in(access.viewer.organisation_id, check_in_id)
            if check_in_id
            else None
        )
        found = await visible(
            access,
            models.CheckIn,
            check_in_id,
            row,
            row is not None and access.can_read_rep(row.rep_id),
        )
        return CheckIn.of(found) if found else None

    @strawberry.field(
        description="Check-ins due by `withinDays` from today (0: due today or overdue), "
        "soonest first: of one rep, of those one manager holds, or of everyone you may see."
    )
    async def check_ins_due(
        self,
        info: Info,
        rep_id: strawberry.ID | None = None,
        manager_id: strawberry.ID | None = None,
        within_days: int = 0,
    ) -> list[DueCheckInEntry]:
        access = await info.context.access()
        if rep_id is not None and manager_id is not None:
            raise BadUserInput("Ask for repId or managerId, not both.")
        if not 0 <= within_days <= MAX_WITHIN_DAYS:
            raise BadUserInput(f"withinDays: between 0 and {MAX_WITHIN_DAYS}.")
        organisation = await info.context.loaders.own_organisation()
        reps: list[int] | None = None if access.rep_ids is None else sorted(access.rep_ids)
        holder = (parse_id(manager_id) or 0) if manager_id is not None else None
        if rep_id is not None:
            reps = [parse_id(rep_id) or 0]
            access.require(access.can_read_rep(reps[0]))
        elif holder is not None:
            access.require(access.can_read_rep(holder))
            structure = await info.context.loaders.structure()
            reps = sorted(
                {
                    rep
                    for team in await people.teams_managed_by(holder)
                    for rep in members(team, structure.parents, structure.teams_of)
                }
            )
        due = await service.due_check_ins(organisation, reps, info.context.now)
        horizon = local_today(info.context.now, ZoneInfo(organisation.timezone)) + timedelta(
            days=within_days
        )
        wanted = [
            item
            for item in due
            if item.due_on <= horizon
            and access.can_read_rep(item.rep_id)
            and (holder is None or item.manager_id == holder)
        ]
        return [DueCheckInEntry.of(item) for item in sorted(wanted, key=lambda d: d.due_on)]

    @strawberry.field(description="What to talk about in the rep's next check-in.")
    async def check_in_agenda(self, info: Info, rep_id: strawberry.ID) -> CheckInAgenda:
        access = await info.context.access()
        rep = parse_id(rep_id) or 0
        access.require(access.can_read_rep(rep))
        organisation = await info.context.loaders.own_organisation()
        return CheckInAgenda.of(await service.agenda(organisation, rep, info.context.now))

    @strawberry.field(
        description="Reminders addressed to you or about the reps you may see, by id."
    )
    async def reminders(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Reminder]:
        access = await info.context.access()
        query = store.reminders_of(
            access.viewer.organisation_id, access.rep_ids, access.viewer.user_id
        )
        return await keyset(query, first, after, Reminder.of)
