"""Queries of training: the catalogue, whose assignments and completions, and the impact."""

from __future__ import annotations

from datetime import date

import strawberry
from tortoise.queryset import QuerySet

from api.context import Info
from api.errors import BadUserInput, Forbidden
from api.goals.types import MetricEnum
from api.ids import parse_id
from api.pagination import Connection, keyset
from api.policy import Access
from api.training.types import (
    Assignment,
    Certification,
    Course,
    ImpactGroup,
    MyTraining,
    SkillMapping,
    TrainingCompletion,
    TrainingImpact,
    TrainingStateEnum,
)
from core.training import store
from core.training.impact import training_impact
from core.training.models import Assignment as AssignmentRow
from domain.metrics import Metric
from domain.training import MAX_IMPACT_DAYS, Group, TrainingState

# How many completions the rep's own page lists.
MY_COMPLETIONS = 20


async def _reps(
    info: Info, access: Access, rep_id: strawberry.ID | None, team_id: strawberry.ID | None
) -> set[int] | None:
    """Whose rows to list: one rep, a team's people, or everyone the viewer may read (None
    for all of the organisation's)."""
    if rep_id is not None and team_id is not None:
        raise BadUserInput("Ask for repId or teamId, not both.")
    if rep_id is not None:
        rep = parse_id(rep_id) or 0
        return {rep} if access.can_read_rep(rep) else set()
    if team_id is not None:
        return (await info.context.team_below(team_id))[1]
    return None if access.rep_ids is None else set(access.rep_ids)


def _in_state(
    query: QuerySet[AssignmentRow], state: TrainingState, today: date
) -> QuerySet[AssignmentRow]:
    if state is TrainingState.COMPLETED:
        return query.filter(completed_at__isnull=False)
    query = query.filter(completed_at__isnull=True)
    if state is TrainingState.OVERDUE:
        return query.filter(due_on__lt=today)
    if state is TrainingState.DUE:
        return query.filter(due_on=today)
    return query.filter(due_on__gt=today)


def _group(group: Group) -> ImpactGroup:
    return ImpactGroup(reps=group.reps, before=group.before, after=group.after, change=group.change)


@strawberry.type
class TrainingQueries:
    @strawberry.field(description="The course catalogue by code; with `skill`, those teaching it.")
    async def courses(self, info: Info, skill: str | None = None) -> list[Course]:
        access = await info.context.access()
        wanted = skill.strip().lower() if skill else None
        return [Course.of(c) for c in await store.catalogue(access.viewer.organisation_id, wanted)]

    @strawberry.field(description="Which metrics each skill moves (for suggestions).")
    async def skill_mappings(self, info: Info) -> list[SkillMapping]:
        access = await info.context.access()
        mapped = await store.skill_metrics(access.viewer.organisation_id)
        return [
            SkillMapping(skill=skill, metrics=sorted(metrics, key=list(Metric).index))
            for skill, metrics in sorted(mapped.items())
        ]

    @strawberry.field(
        description="Training assignments of one rep, of a team's people, or of everyone you "
        "may see, by id; `state` as of today."
    )
    async def assignments(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
        state: TrainingStateEnum | None = None,
    ) -> Connection[Assignment]:
        access = await info.context.access()
        reps = await _reps(info, access, rep_id, team_id)
        query = store.assignments_of(access.viewer.organisation_id, reps)
        if state is not None:
            query = _in_state(query, state, await info.context.today())
        return await keyset(query, first, after, Assignment.of)

    @strawberry.field(
        description="Completions (and failed assessments), newest first: of one rep, of a "
        "team's people, or of everyone you may see; of one course if asked."
    )
    async def training_completions(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
        course_id: strawberry.ID | None = None,
    ) -> Connection[TrainingCompletion]:
        access = await info.context.access()
        reps = await _reps(info, access, rep_id, team_id)
        query = store.completions_of(access.viewer.organisation_id, reps)
        if course_id is not None:
            query = query.filter(course_id=parse_id(course_id) or 0)
        return await keyset(query, first, after, TrainingCompletion.of, newest_first=True)

    @strawberry.field(
        description="Certifications that hold today, soonest to run out first: of one rep, "
        "of a team's people, or of everyone you may see."
    )
    async def certifications(
        self,
        info: Info,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
    ) -> list[Certification]:
        access = await info.context.access()
        reps = await _reps(info, access, rep_id, team_id)
        today = (await info.context.today()).toordinal()
        found = await store.certifications_of(access.viewer.organisation_id, reps, today)
        return [Certification.of(c) for c in found]

    @strawberry.field(description="Your training: open assignments, completions, certifications.")
    async def my_training(self, info: Info) -> MyTraining:
        viewer = info.context.require_viewer()
        if viewer.user_id is None:
            raise Forbidden("An API key has no training of its own.")
        org, me = viewer.organisation_id, viewer.user_id
        today = await info.context.today()
        return MyTraining(
            assignments=[Assignment.of(a) for a in await store.open_assignments(org, [me])],
            completions=[
                TrainingCompletion.of(c)
                for c in await store.completions_of(org, [me]).limit(MY_COMPLETIONS)
            ],
            certifications=[
                Certification.of(c)
                for c in await store.certifications_of(org, [me], today.toordinal())
            ],
        )

    @strawberry.field(
        description="Whether a course moved a metric: for the reps you may see (or a team's) "
        "who passed it, the metric over `days` before and after passing, against the same "
        "days of those who had not passed it (a difference in differences)."
    )
    async def training_impact(
        self,
        info: Info,
        course_id: strawberry.ID,
        metric: MetricEnum,
        days: int = 30,
        team_id: strawberry.ID | None = None,
    ) -> TrainingImpact | None:
        access = await info.context.access()
        if not 1 <= days <= MAX_IMPACT_DAYS:
            raise BadUserInput(f"days: between 1 and {MAX_IMPACT_DAYS}.")
        course = await info.context.loaders.courses.load(parse_id(course_id) or 0)
        if course is None:
            return None
        # The people teams add up: whoever sits in a team (an admin outside every team
        # sells nothing to compare).
        structure = await info.context.loaders.structure()
        population = {person for person, team in structure.teams_of.items() if team is not None}
        if team_id is not None:
            population &= (await info.context.team_below(team_id))[1]
        elif access.rep_ids is not None:
            population &= access.rep_ids
        organisation = await info.context.loaders.own_organisation()
        report = await training_impact(
            organisation, course.id, metric, days, population, info.context.now
        )
        return TrainingImpact(
            course=Course.of(course),
            metric=metric,
            days=days,
            trained=_group(report.impact.trained),
            untrained=_group(report.impact.untrained),
            difference=report.impact.difference,
            pending=report.pending,
        )
