"""Queries of the organisation's teams and people."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import BadUserInput, Unauthenticated
from api.ids import parse_id
from api.orgs.types import Holiday, Organisation, RoleEnum, Team, User
from api.pagination import Connection, keyset
from api.policy import visible
from core.orgs import models
from core.orgs import store as people
from domain.inputs import EARLIEST_YEAR, LATEST_YEAR


@strawberry.type
class OrgQueries:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info) -> User:
        viewer = info.context.require_viewer()
        user = await info.context.loaders.users.load(viewer.user_id) if viewer.user_id else None
        if user is None:
            raise Unauthenticated("Sign in as a person to use this field.")
        return User.of(user)

    @strawberry.field
    async def team(self, info: Info, id: strawberry.ID) -> Team | None:
        access = await info.context.access()
        team_id = parse_id(id)
        team = await info.context.loaders.teams.load(team_id) if team_id else None
        found = await visible(
            access, models.Team, team_id, team, team is not None and access.can_read_team(team.id)
        )
        return Team.of(found) if found else None

    @strawberry.field(description="The reps you may see, by id; `teamId` keeps a team's.")
    async def reps(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        team_id: strawberry.ID | None = None,
    ) -> Connection[User]:
        access = await info.context.access()
        viewer = access.viewer
        within = (await info.context.team_below(team_id))[1] if team_id is not None else None
        reps = people.people_of(viewer.organisation_id, access.rep_ids, within)
        return await keyset(reps, first, after, User.of)

    @strawberry.field(
        description="Everyone you may see, of every role, by id: narrowed by role, team "
        "(sub-teams included) and whether they are active."
    )
    async def people(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        role: RoleEnum | None = None,
        team_id: strawberry.ID | None = None,
        active: bool | None = None,
    ) -> Connection[User]:
        access = await info.context.access()
        within = (await info.context.team_below(team_id))[1] if team_id is not None else None
        found = people.people_of(
            access.viewer.organisation_id, access.rep_ids, within, role, active
        )
        return await keyset(found, first, after, User.of)

    @strawberry.field(
        description="The teams you may see, by id; each names its parent and children, so "
        "the tree is one request."
    )
    async def teams(self, info: Info, include_archived: bool = False) -> list[Team]:
        access = await info.context.access()
        found = await people.teams_of(access.viewer.organisation_id, include_archived)
        info.context.loaders.teams.prime_many({team.id: team for team in found})
        return [Team.of(team) for team in found if access.can_see_team(team.id)]

    @strawberry.field(description="Your organisation and its settings.")
    async def organisation(self, info: Info) -> Organisation:
        return Organisation.of(await info.context.loaders.own_organisation())

    @strawberry.field(description="The organisation's days off, in order; `year` keeps one year.")
    async def holidays(self, info: Info, year: int | None = None) -> list[Holiday]:
        viewer = info.context.require_viewer()
        if year is not None and not EARLIEST_YEAR <= year < LATEST_YEAR:
            raise BadUserInput(f"year: between {EARLIEST_YEAR} and {LATEST_YEAR - 1}.")
        found = await people.holidays(viewer.organisation_id, year)
        return [Holiday(day=holiday.day, name=holiday.name) for holiday in found]
