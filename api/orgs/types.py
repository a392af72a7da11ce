"""GraphQL types of the organisation, its teams and its people."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.pagination import Connection, in_memory
from core.goals.store import GoalFilter
from core.orgs import models
from domain.checkins import Cadence

if TYPE_CHECKING:
    from api.goals.types import Goal, GoalStatusEnum, MetricEnum

RoleEnum = strawberry.enum(models.Role, name="Role")
CadenceEnum = strawberry.enum(Cadence, name="CheckInCadence")
GoalType = Annotated["Goal", strawberry.lazy("api.goals.types")]
MetricType = Annotated["MetricEnum", strawberry.lazy("api.goals.types")]
GoalStatusType = Annotated["GoalStatusEnum", strawberry.lazy("api.goals.types")]


@strawberry.type
class Team:
    model: strawberry.Private[models.Team]
    id: strawberry.ID
    name: str
    check_in_cadence: CadenceEnum = strawberry.field(
        description="How often the team's reps have a check-in with their manager."
    )

    @classmethod
    def of(cls, team: models.Team) -> Team:
        return cls(
            model=team,
            id=strawberry.ID(str(team.id)),
            name=team.name,
            check_in_cadence=team.check_in_cadence,
        )

    @strawberry.field
    async def parent(self, info: Info) -> Team | None:
        if self.model.parent_id is None:
            return None
        parent = await info.context.loaders.teams.load(self.model.parent_id)
        return Team.of(parent) if parent else None

    @strawberry.field
    async def manager(self, info: Info) -> User | None:
        if self.model.manager_id is None:
            return None
        manager = await info.context.loaders.users.load(self.model.manager_id)
        return User.of(manager) if manager else None

    @strawberry.field(description="When the team was archived; null while it is in use.")
    def archived_at(self) -> datetime | None:
        return self.model.archived_at

    @strawberry.field(description="The teams right below this one (archived ones on request).")
    async def children(self, info: Info, include_archived: bool = False) -> list[Team]:
        structure = await info.context.loaders.structure()
        below = sorted(t for t, parent in structure.parents.items() if parent == self.model.id)
        teams = await info.context.loaders.teams.load_many(below)
        return [
            Team.of(team)
            for team in teams
            if team is not None and (include_archived or team.archived_at is None)
        ]

    @strawberry.field(description="Reps of the team and of the teams below it, that you may see.")
    async def reps(self, info: Info, first: int = 50, after: str | None = None) -> Connection[User]:
        access = await info.context.access()
        reps = await info.context.loaders.team_reps.load(self.model.id)
        readable = [rep for rep in reps if access.can_read_rep(rep.id)]
        return in_memory(readable, first, after, User.of)


@strawberry.type
class User:
    model: strawberry.Private[models.User]
    id: strawberry.ID
    name: str
    email: str | None = strawberry.field(
        description="Null unless you may read this person: yourself, your reps, or as admin."
    )
    role: RoleEnum
    active: bool = strawberry.field(description="False once deactivated: cannot sign in.")

    @classmethod
    def of(cls, user: models.User) -> User:
        return cls(
            model=user,
            id=strawberry.ID(str(user.id)),
            name=user.name,
            email=user.email,
            role=user.role,
            active=user.active,
        )

    @strawberry.field(
        description="The teams naming this person their manager (each with the teams below "
        "it): a manager's dashboard starts here, as `me.team` is the team they sit in."
    )
    async def managed_teams(self, info: Info) -> list[Team]:
        managers = await info.context.loaders.team_managers()
        mine = sorted(team for team, manager in managers.items() if manager == self.model.id)
        teams = await info.context.loaders.teams.load_many(mine)
        return [Team.of(team) for team in teams if team is not None and team.archived_at is None]

    @strawberry.field
    async def team(self, info: Info) -> Team | None:
        if self.model.team_id is None:
            return None
        team = await info.context.loaders.teams.load(self.model.team_id)
        return Team.of(team) if team else None

    @strawberry.field(
        description="The goals this person owns, narrowed by any of the filters; archived "
        "goals only with includeArchived."
    )
    async def goals(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        metric: MetricType | None = None,
        status: GoalStatusType | None = None,
        containing: date | None = None,
        include_archived: bool = False,
    ) -> Connection[GoalType]:
        from api.goals.filters import of_status
        from api.goals.types import Goal

        organisation = await info.context.loaders.organisation.load(self.model.organisation_id)
        assert organisation is not None
        fiscal = organisation.fiscal_year_start_month
        wanted = GoalFilter(metric=metric, containing=containing, include_archived=include_archived)
        owned = await info.context.loaders.rep_goals.load(self.model.id)
        goals = await of_status(info, [goal for goal in owned if wanted.keeps(goal)], status)
        page = in_memory(goals, first, after, lambda goal: Goal.of(goal, fiscal))
        await Goal.prefetch(info, [edge.node.model for edge in page.edges])
        return page


async def user_of(info: Info, user_id: int | None) -> User | None:
    """The person by id through the request's loader; None for no one."""
    if user_id is None:
        return None
    user = await info.context.loaders.users.load(user_id)
    return User.of(user) if user else None


@strawberry.type
class Holiday:
    day: date
    name: str


@strawberry.type
class Organisation:
    id: strawberry.ID
    name: str
    currency: str
    timezone: str
    fiscal_year_start_month: int
    stretch_limit: Decimal = strawberry.field(
        description="How far above the owner's best comparable period (in percent) a target "
        "may go before the goal must acknowledge the stretch."
    )
    stretch_hard_limit: Decimal = strawberry.field(
        description="Above this (in percent over the best comparable period) a target is "
        "refused as not achievable, acknowledged or not."
    )
    leaderboard_minimum_sample: int = strawberry.field(
        description="The cases a rate or an average needs to be ranked on a leaderboard."
    )
    working_days: list[int] = strawberry.field(
        description="ISO weekdays worked (Monday is 1): daily streaks and paces count these."
    )
    on_track_pace: Decimal = strawberry.field(
        description="A goal is ON_TRACK at or above this share of the pace that reaches it."
    )
    at_risk_pace: Decimal = strawberry.field(
        description="AT_RISK at or above this share of the pace, OFF_TRACK below it."
    )
    credentials_enabled: bool = strawberry.field(
        description="Whether reps may have their awards issued as Open Badges credentials."
    )
    credentials_show_amounts: bool = strawberry.field(
        description="Whether a credential's evidence may state amounts of money."
    )

    @classmethod
    def of(cls, organisation: models.Organisation) -> Organisation:
        return cls(
            id=strawberry.ID(str(organisation.id)),
            name=organisation.name,
            currency=organisation.currency,
            timezone=organisation.timezone,
            fiscal_year_start_month=organisation.fiscal_year_start_month,
            stretch_limit=organisation.stretch_limit,
            stretch_hard_limit=organisation.stretch_hard_limit,
            leaderboard_minimum_sample=organisation.leaderboard_minimum_sample,
            working_days=[int(day) for day in organisation.working_days],
            on_track_pace=organisation.on_track_pace,
            at_risk_pace=organisation.at_risk_pace,
            credentials_enabled=organisation.credentials_enabled,
            credentials_show_amounts=organisation.credentials_show_amounts,
        )
