"""Queries of the organisation's teams and people."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import Unauthenticated
from api.ids import parse_id
from api.orgs.types import Team, User
from api.pagination import Connection, keyset
from api.policy import visible
from core.orgs import models
from core.orgs import store as people
from domain.teams import members


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
        within = None
        if team_id is not None:
            team = parse_id(team_id) or 0
            access.require(access.can_read_team(team))
            structure = await info.context.loaders.structure()
            within = members(team, structure.parents, structure.teams_of)
        reps = people.reps_of(viewer.organisation_id, access.rep_ids, within)
        return await keyset(reps, first, after, User.of)
