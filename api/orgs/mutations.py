"""Mutations that build the organisation's structure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, TypeVar

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.orgs.types import CadenceEnum, Holiday, Organisation, RoleEnum, Team, User
from core.auth.service import hashed
from core.orgs import service
from core.orgs import store as people
from core.orgs.models import Role
from core.orgs.store import get_organisation
from domain.errors import ErrorCode, FieldError
from domain.smart import check_goal_policy

CreateTeamResult = Annotated[Team | InputErrors, strawberry.union("CreateTeamResult")]
CreateUserResult = Annotated[User | InputErrors, strawberry.union("CreateUserResult")]
AssignManagerResult = Annotated[Team | InputErrors, strawberry.union("AssignManagerResult")]
SetCadenceResult = Annotated[Team | InputErrors, strawberry.union("SetCheckInCadenceResult")]
SetGoalPolicyResult = Annotated[Organisation | InputErrors, strawberry.union("SetGoalPolicyResult")]


@strawberry.input(description="What to change of the organisation's goal policy; the rest stays.")
class GoalPolicyInput:
    stretch_limit: Decimal | None = None
    stretch_hard_limit: Decimal | None = None
    leaderboard_minimum_sample: int | None = None


T = TypeVar("T")


def first_given(value: T | None, current: T) -> T:
    return current if value is None else value


@strawberry.input
class CreateTeamInput:
    name: str
    parent_id: strawberry.ID | None = None


@strawberry.input
class CreateRepInput:
    name: str
    email: str
    team_id: strawberry.ID
    password: str | None = strawberry.field(default=None, description="To sign in with.")


@strawberry.input
class CreateUserInput:
    name: str
    email: str
    role: RoleEnum
    team_id: strawberry.ID | None = None
    password: str | None = None


def _unknown_team(field: str) -> InputErrors:
    return InputErrors.not_found(field, "No such team in this organisation.")


async def _create_user(
    info: Info, name: str, email: str, role: Role, team: strawberry.ID | None, password: str | None
) -> User | InputErrors:
    viewer = info.context.require_viewer()
    team_id = parse_id(team) if team is not None else None
    if team is not None and team_id is None:
        return _unknown_team("teamId")
    if password is not None and len(password) < 10:
        return InputErrors.of(
            FieldError("password", ErrorCode.INVALID, "A password has at least 10 characters.")
        )
    result = await service.create_user(
        viewer.organisation_id,
        email=email,
        name=name,
        role=role,
        team_id=team_id,
        password_hash=await hashed(password) if password else None,
    )
    return InputErrors.of(result) if isinstance(result, FieldError) else User.of(result)


@strawberry.type
class OrgMutations:
    @strawberry.mutation(description="Admins anywhere; managers below the teams they manage.")
    async def create_team(self, info: Info, input: CreateTeamInput) -> CreateTeamResult:
        viewer = info.context.require_viewer()
        access = await info.context.access()
        parent_id = parse_id(input.parent_id) if input.parent_id is not None else None
        if input.parent_id is not None and parent_id is None:
            return _unknown_team("parentId")
        if not access.can_manage_team(parent_id):
            return InputErrors.forbidden("parentId")
        result = await service.create_team(viewer.organisation_id, input.name, parent_id)
        return InputErrors.of(result) if isinstance(result, FieldError) else Team.of(result)

    @strawberry.mutation(description="Admins anywhere; managers in the teams they manage.")
    async def create_rep(self, info: Info, input: CreateRepInput) -> CreateUserResult:
        access = await info.context.access()
        if not access.can_manage_team(parse_id(input.team_id)):
            return InputErrors.forbidden("teamId")
        return await _create_user(
            info, input.name, input.email, Role.REP, input.team_id, input.password
        )

    @strawberry.mutation(description="Admins only: a person of any role.")
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("role")
        return await _create_user(
            info, input.name, input.email, input.role, input.team_id, input.password
        )

    @strawberry.mutation(description="Admins only: who manages a team (and the teams below).")
    async def assign_team_manager(
        self, info: Info, team_id: strawberry.ID, user_id: strawberry.ID
    ) -> AssignManagerResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("teamId")
        organisation_id = access.viewer.organisation_id
        team = await people.find_team(organisation_id, parse_id(team_id) or 0)
        if team is None:
            return _unknown_team("teamId")
        user = await people.find_user(organisation_id, parse_id(user_id) or 0)
        if user is None or user.role is Role.REP:
            return InputErrors.of(
                FieldError("userId", ErrorCode.INVALID, "A team is managed by a MANAGER or ADMIN.")
            )
        team.manager_id = user.id
        await team.save(update_fields=["manager_id"])
        return Team.of(team)

    @strawberry.mutation(
        description="How often a team's reps have check-ins: admins, or a manager of the team."
    )
    async def set_check_in_cadence(
        self, info: Info, team_id: strawberry.ID, cadence: CadenceEnum
    ) -> SetCadenceResult:
        access = await info.context.access()
        team = await people.find_team(access.viewer.organisation_id, parse_id(team_id) or 0)
        if team is None:
            return _unknown_team("teamId")
        if not access.can_manage_team(team.id):
            return InputErrors.forbidden("teamId")
        team.check_in_cadence = cadence
        await team.save(update_fields=["check_in_cadence"])
        return Team.of(team)

    @strawberry.mutation(
        description="Admins: the stretch limits goals are held to, and the sample a rate needs "
        "on a leaderboard."
    )
    async def set_goal_policy(self, info: Info, input: GoalPolicyInput) -> SetGoalPolicyResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("stretchLimit")
        organisation = await get_organisation(access.viewer.organisation_id)
        stretch = first_given(input.stretch_limit, organisation.stretch_limit)
        hard = first_given(input.stretch_hard_limit, organisation.stretch_hard_limit)
        sample = first_given(
            input.leaderboard_minimum_sample, organisation.leaderboard_minimum_sample
        )
        errors = check_goal_policy(stretch, hard, sample)
        if errors:
            return InputErrors.of(*errors)
        organisation.stretch_limit, organisation.stretch_hard_limit = stretch, hard
        organisation.leaderboard_minimum_sample = sample
        await organisation.save(
            update_fields=["stretch_limit", "stretch_hard_limit", "leaderboard_minimum_sample"]
        )
        return Organisation.of(organisation)


AddHolidayResult = Annotated[Holiday | InputErrors, strawberry.union("AddHolidayResult")]


@strawberry.type
class CalendarMutations:
    @strawberry.mutation(description="Admins: a day off; daily streaks skip it.")
    async def add_holiday(self, info: Info, day: date, name: str) -> AddHolidayResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("day")
        holiday = await people.add_holiday(access.viewer.organisation_id, day, name.strip())
        return Holiday(day=holiday.day, name=holiday.name)
