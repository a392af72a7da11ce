"""Mutations that build the organisation's structure."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import policy
from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.orgs.types import Team, User
from core.orgs import service
from core.orgs.models import Role
from domain.errors import ErrorCode, FieldError

CreateTeamResult = Annotated[Team | InputErrors, strawberry.union("CreateTeamResult")]
CreateRepResult = Annotated[User | InputErrors, strawberry.union("CreateRepResult")]


@strawberry.input
class CreateTeamInput:
    name: str
    parent_id: strawberry.ID | None = None


@strawberry.input
class CreateRepInput:
    name: str
    email: str
    team_id: strawberry.ID


def _unknown_team(field: str) -> InputErrors:
    return InputErrors.of(
        FieldError(field, ErrorCode.NOT_FOUND, "No such team in this organisation.")
    )


@strawberry.type
class OrgMutations:
    @strawberry.mutation
    async def create_team(self, info: Info, input: CreateTeamInput) -> CreateTeamResult:
        viewer = info.context.require_viewer()
        policy.require_role(viewer, policy.STRUCTURE_ROLES)
        parent_id = parse_id(input.parent_id)
        if input.parent_id is not None and parent_id is None:
            return _unknown_team("parentId")
        result = await service.create_team(viewer.organisation_id, input.name, parent_id)
        return InputErrors.of(result) if isinstance(result, FieldError) else Team.of(result)

    @strawberry.mutation
    async def create_rep(self, info: Info, input: CreateRepInput) -> CreateRepResult:
        viewer = info.context.require_viewer()
        policy.require_role(viewer, policy.STRUCTURE_ROLES)
        team_id = parse_id(input.team_id)
        if team_id is None:
            return _unknown_team("teamId")
        result = await service.create_user(
            viewer.organisation_id,
            email=input.email,
            name=input.name,
            role=Role.REP,
            team_id=team_id,
        )
        return InputErrors.of(result) if isinstance(result, FieldError) else User.of(result)
