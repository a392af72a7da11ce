"""GraphQL types of teams and users."""

from __future__ import annotations

import strawberry

from api.context import Info
from core.orgs import models

RoleEnum = strawberry.enum(models.Role, name="Role")


@strawberry.type
class Team:
    id: strawberry.ID
    name: str
    parent_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, team: models.Team) -> Team:
        return cls(id=strawberry.ID(str(team.id)), name=team.name, parent_id=team.parent_id)

    @strawberry.field
    async def parent(self, info: Info) -> Team | None:
        if self.parent_id is None:
            return None
        parent = await info.context.loaders.teams.load(self.parent_id)
        return Team.of(parent) if parent else None


@strawberry.type
class User:
    id: strawberry.ID
    name: str
    email: str
    role: RoleEnum
    team_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, user: models.User) -> User:
        return cls(
            id=strawberry.ID(str(user.id)),
            name=user.name,
            email=user.email,
            role=user.role,
            team_id=user.team_id,
        )

    @strawberry.field
    async def team(self, info: Info) -> Team | None:
        if self.team_id is None:
            return None
        team = await info.context.loaders.teams.load(self.team_id)
        return Team.of(team) if team else None


@strawberry.type
class Organisation:
    id: strawberry.ID
    name: str
    currency: str
    timezone: str
    fiscal_year_start_month: int

    @classmethod
    def of(cls, organisation: models.Organisation) -> Organisation:
        return cls(
            id=strawberry.ID(str(organisation.id)),
            name=organisation.name,
            currency=organisation.currency,
            timezone=organisation.timezone,
            fiscal_year_start_month=organisation.fiscal_year_start_month,
        )
