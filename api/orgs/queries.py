"""Queries of teams and people."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import Unauthenticated
from api.ids import parse_id
from api.orgs.types import Team, User


@strawberry.type
class OrgQueries:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info) -> User:
        viewer = info.context.require_viewer()
        user = await info.context.loaders.users.load(viewer.user_id)
        if user is None:
            raise Unauthenticated("This account no longer exists.")
        return User.of(user)

    @strawberry.field
    async def team(self, info: Info, id: strawberry.ID) -> Team | None:
        info.context.require_viewer()
        team_id = parse_id(id)
        team = await info.context.loaders.teams.load(team_id) if team_id else None
        return Team.of(team) if team else None
