"""Admins' edits of people and teams: each in the audit trail, each re-measuring what it
changes (core/orgs/edits.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.orgs.types import RoleEnum, Team, User
from core.orgs import edits
from core.orgs import store as people
from core.orgs.models import Role
from core.orgs.models import Team as TeamModel
from core.orgs.models import User as UserModel
from domain.errors import FieldError

PersonResult = Annotated[User | InputErrors, strawberry.union("PersonEditResult")]
TeamResult = Annotated[Team | InputErrors, strawberry.union("TeamEditResult")]
Reason = Annotated[
    str | None, strawberry.argument(description="Why: kept in the audit trail with the change.")
]


async def _person(info: Info, user_id: strawberry.ID) -> UserModel | InputErrors:
    access = await info.context.access()
    if not access.is_admin:
        return InputErrors.forbidden("userId")
    user = await people.find_user(access.viewer.organisation_id, parse_id(user_id) or 0)
    return user if user is not None else InputErrors.not_found("userId")


async def _team(info: Info, team_id: strawberry.ID) -> TeamModel | InputErrors:
    access = await info.context.access()
    if not access.is_admin:
        return InputErrors.forbidden("teamId")
    team = await people.find_team(access.viewer.organisation_id, parse_id(team_id) or 0)
    return team if team is not None else InputErrors.not_found("teamId")


def _person_result(result: UserModel | FieldError) -> PersonResult:
    return InputErrors.of(result) if isinstance(result, FieldError) else User.of(result)


def _team_result(result: TeamModel | FieldError) -> TeamResult:
    return InputErrors.of(result) if isinstance(result, FieldError) else Team.of(result)


@strawberry.type
class EditMutations:
    @strawberry.mutation(
        description="Admins: move someone to another team; their figures count there from now "
        "(a rep needs a team; null takes a manager or an admin out of any)."
    )
    async def move_person(
        self,
        info: Info,
        user_id: strawberry.ID,
        team_id: strawberry.ID | None,
        reason: Reason = None,
    ) -> PersonResult:
        user = await _person(info, user_id)
        if isinstance(user, InputErrors):
            return user
        team = (parse_id(team_id) or 0) if team_id is not None else None
        viewer = info.context.require_viewer()
        result = await edits.move_person(user, team, viewer.user_id, info.context.now, reason)
        return _person_result(result)

    @strawberry.mutation(description="Admins: change someone's role (not your own).")
    async def change_role(
        self, info: Info, user_id: strawberry.ID, role: RoleEnum, reason: Reason = None
    ) -> PersonResult:
        user = await _person(info, user_id)
        if isinstance(user, InputErrors):
            return user
        viewer = info.context.require_viewer()
        result = await edits.change_role(user, Role(role), viewer.user_id, info.context.now, reason)
        return _person_result(result)

    @strawberry.mutation(
        description="Admins: rename a team, or move it under another (`toTop`: to the top). "
        "Names are unique among the teams in use."
    )
    async def edit_team(
        self,
        info: Info,
        team_id: strawberry.ID,
        name: str | None = None,
        parent_id: strawberry.ID | None = None,
        to_top: bool = False,
        reason: Reason = None,
    ) -> TeamResult:
        team = await _team(info, team_id)
        if isinstance(team, InputErrors):
            return team
        parent = (parse_id(parent_id) or 0) if parent_id is not None else None
        viewer = info.context.require_viewer()
        result = await edits.edit_team(
            team, name, parent, to_top, viewer.user_id, info.context.now, reason
        )
        return _team_result(result)

    @strawberry.mutation(
        description="Admins: archive a team nobody is in and no team in use sits under; it "
        "stays for its history and goals."
    )
    async def archive_team(
        self, info: Info, team_id: strawberry.ID, reason: Reason = None
    ) -> TeamResult:
        team = await _team(info, team_id)
        if isinstance(team, InputErrors):
            return team
        viewer = info.context.require_viewer()
        result = await edits.archive_team(team, viewer.user_id, info.context.now, reason)
        return _team_result(result)
