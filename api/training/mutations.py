"""Mutations of training: the catalogue and skills (admins), assignments (whoever sets the
rep's goals), completions (the rep, self-paced; a manager, after a coached session)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.goals.types import MetricEnum
from api.ids import parse_id
from api.orgs.types import User
from api.training.types import Assignment, Course, SkillMapping, TrainingCompletion
from core.goals.models import OwnerType
from core.training import service, store
from core.training.models import Completion
from core.training.models import Course as CourseRow
from domain.errors import ErrorCode, FieldError
from domain.training import MAX_SKILL_LENGTH, CourseDraft, Method, skills_of
from workers.relay import after_commit

CourseResult = Annotated[Course | InputErrors, strawberry.union("CourseResult")]
SkillMappingResult = Annotated[SkillMapping | InputErrors, strawberry.union("SkillMappingResult")]
CompletionResult = Annotated[
    TrainingCompletion | InputErrors, strawberry.union("TrainingCompletionResult")
]


@strawberry.input
class CourseInput:
    code: str = strawberry.field(description="Unique in the organisation; what an LMS sends.")
    name: str
    duration_minutes: int
    skills: list[str] = strawberry.field(default_factory=list)
    description: str = ""
    pass_score: Decimal | None = strawberry.field(
        default=None, description="Percent an assessment must reach; leave out: not assessed."
    )
    certification_months: int | None = strawberry.field(
        default=None, description="A pass certifies for this long; leave out: no certification."
    )


@strawberry.input(description="A course for some reps (repIds) or a team's people (teamId).")
class AssignTrainingInput:
    course_id: strawberry.ID
    due_on: date = strawberry.field(description="Today or later, in the organisation's days.")
    rep_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    team_id: strawberry.ID | None = None
    recur_every_months: int | None = strawberry.field(
        default=None, description="Assign again this long after each completion."
    )


@strawberry.type(description="The assignments made, and who had the course open already.")
class TrainingAssigned:
    assignments: list[Assignment]
    already_assigned: list[User]


AssignResult = Annotated[TrainingAssigned | InputErrors, strawberry.union("AssignTrainingResult")]


@strawberry.input(description="A coached session a manager held with a rep.")
class CoachedSessionInput:
    rep_id: strawberry.ID
    course_id: strawberry.ID
    notes: str | None = None
    score: Decimal | None = strawberry.field(
        default=None, description="The assessment's score, for an assessed course."
    )
    completed_at: datetime | None = strawberry.field(
        default=None, description="When the session ended; leave out: now."
    )


async def _course(info: Info, course_id: strawberry.ID) -> CourseRow | None:
    return await info.context.loaders.courses.load(parse_id(course_id) or 0)


async def _recorded(info: Info, new: service.NewCompletion) -> TrainingCompletion | InputErrors:
    organisation = await info.context.loaders.own_organisation()
    made = await service.record_completion(organisation, new, info.context.now)
    if not isinstance(made, Completion):
        return InputErrors.of(*made)
    await after_commit(info.context.queue)
    await service.publish_completion(info.context.bus, made)
    return TrainingCompletion.of(made)


@strawberry.type
class TrainingMutations:
    @strawberry.mutation(description="Admins: a course of the catalogue.")
    async def create_course(self, info: Info, input: CourseInput) -> CourseResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("code")
        draft = CourseDraft(
            code=input.code,
            name=input.name,
            skills=skills_of(input.skills),
            duration_minutes=input.duration_minutes,
            pass_score=input.pass_score,
            certification_months=input.certification_months,
        )
        organisation = await info.context.loaders.own_organisation()
        made = await service.create_course(organisation, draft, input.description, info.context.now)
        return Course.of(made) if isinstance(made, CourseRow) else InputErrors.of(*made)

    @strawberry.mutation(
        description="Admins: the metrics a skill moves (replacing what it moved before); "
        "an at-risk goal of one of them brings the skill's courses to the check-in agenda."
    )
    async def map_skill(
        self, info: Info, skill: str, metrics: list[MetricEnum]
    ) -> SkillMappingResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("skill")
        tags = skills_of([skill])
        if not tags or len(tags[0]) > MAX_SKILL_LENGTH:
            return InputErrors.of(
                FieldError(
                    "skill", ErrorCode.INVALID, f"A skill of 1 to {MAX_SKILL_LENGTH} characters."
                )
            )
        wanted = list(dict.fromkeys(metrics))
        await store.set_skill_metrics(access.viewer.organisation_id, tags[0], wanted)
        return SkillMapping(skill=tags[0], metrics=wanted)

    @strawberry.mutation(
        description="Managers and admins: a course for some of their reps, or for every "
        "person of a team they manage; whoever has it open already keeps that assignment."
    )
    async def assign_training(self, info: Info, input: AssignTrainingInput) -> AssignResult:
        access = await info.context.access()
        course = await _course(info, input.course_id)
        if course is None:
            return InputErrors.not_found("courseId")
        if bool(input.rep_ids) == (input.team_id is not None):
            return InputErrors.of(
                FieldError("repIds", ErrorCode.REQUIRED, "Give repIds or teamId (not both).")
            )
        if input.team_id is not None:
            team = parse_id(input.team_id) or 0
            if not access.can_set_goal_for(OwnerType.TEAM, team):
                return InputErrors.forbidden("teamId")
            _, people = await info.context.team_below(input.team_id)
            reps = sorted(people - {access.viewer.user_id or 0})
        else:
            reps = [parse_id(rep) or 0 for rep in input.rep_ids]
            refused = [i for i, rep in enumerate(reps) if not access.can_coach(rep)]
            if refused:
                return InputErrors.forbidden(f"repIds.{refused[0]}")
        organisation = await info.context.loaders.own_organisation()
        made = await service.assign(
            organisation,
            course,
            reps,
            input.due_on,
            input.recur_every_months,
            access.viewer.user_id,
            info.context.now,
        )
        if not isinstance(made, service.Assigned):
            return InputErrors.of(*made)
        already = await info.context.loaders.users.load_many(made.already)
        return TrainingAssigned(
            assignments=[Assignment.of(a) for a in made.made],
            already_assigned=[User.of(u) for u in already if u is not None],
        )

    @strawberry.mutation(
        description="You completed a course (self-paced): it completes your open "
        "assignment of it; an assessed course needs your score."
    )
    async def complete_training(
        self,
        info: Info,
        course_id: strawberry.ID,
        score: Decimal | None = None,
        completed_at: datetime | None = None,
    ) -> CompletionResult:
        viewer = info.context.require_viewer()
        if viewer.user_id is None:
            return InputErrors.forbidden("courseId", "An API key completes no course.")
        course = await _course(info, course_id)
        if course is None:
            return InputErrors.not_found("courseId")
        new = service.NewCompletion(
            rep_id=viewer.user_id,
            course=course,
            method=Method.SELF,
            completed_at=completed_at or info.context.now,
            score=score,
            recorded_by=viewer.user_id,
        )
        return await _recorded(info, new)

    @strawberry.mutation(
        description="Managers: a coached session held with one of your reps, with notes."
    )
    async def record_coached_session(
        self, info: Info, input: CoachedSessionInput
    ) -> CompletionResult:
        access = await info.context.access()
        rep = parse_id(input.rep_id) or 0
        if not access.can_coach(rep):
            return InputErrors.forbidden("repId")
        course = await _course(info, input.course_id)
        if course is None:
            return InputErrors.not_found("courseId")
        new = service.NewCompletion(
            rep_id=rep,
            course=course,
            method=Method.MANAGER,
            completed_at=input.completed_at or info.context.now,
            score=input.score,
            notes=input.notes,
            recorded_by=access.viewer.user_id,
        )
        return await _recorded(info, new)
