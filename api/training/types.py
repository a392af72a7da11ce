"""Training as clients see it: the catalogue, assignments, completions, certifications."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.orgs.types import User, user_of
from core.messages import TrainingCompleted
from core.training import models
from domain.training import Method, TrainingState, state_of

if TYPE_CHECKING:
    from api.goals.types import MetricEnum

MetricType = Annotated["MetricEnum", strawberry.lazy("api.goals.types")]

MethodEnum = strawberry.enum(Method, name="TrainingMethod")
TrainingStateEnum = strawberry.enum(TrainingState, name="TrainingState")


@strawberry.type(description="A course or module of the catalogue.")
class Course:
    id: strawberry.ID
    code: str = strawberry.field(description="What goals, badge rules and an LMS name it by.")
    name: str
    description: str
    skills: list[str]
    duration_minutes: int
    pass_score: Decimal | None = strawberry.field(
        description="The assessment's pass mark, in percent; null: not assessed."
    )
    certification_months: int | None = strawberry.field(
        description="How long a pass certifies; null: the course certifies nothing."
    )

    @classmethod
    def of(cls, course: models.Course) -> Course:
        return cls(
            id=strawberry.ID(str(course.id)),
            code=course.code,
            name=course.name,
            description=course.description,
            skills=list(course.skills),
            duration_minutes=course.duration_minutes,
            pass_score=course.pass_score,
            certification_months=course.certification_months,
        )


async def course_of(info: Info, course_id: int) -> Course:
    course = await info.context.loaders.courses.load(course_id)
    assert course is not None  # a course is deleted only with its organisation
    return Course.of(course)


@strawberry.type
class _OfRepAndCourse:
    """What every training row answers: whose it is and which course."""

    model: strawberry.Private[models.Assignment | models.Completion]

    @strawberry.field
    async def course(self, info: Info) -> Course:
        return await course_of(info, self.model.course_id)

    @strawberry.field
    async def rep(self, info: Info) -> User | None:
        return await user_of(info, self.model.rep_id)


@strawberry.type(description="A course a rep is to complete by a day.")
class Assignment(_OfRepAndCourse):
    model: strawberry.Private[models.Assignment]
    id: strawberry.ID
    due_on: date = strawberry.field(description="The organisation's local day.")
    recur_every_months: int | None = strawberry.field(
        description="Assigned again this long after each completion (re-certification)."
    )
    completed_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, assignment: models.Assignment) -> Assignment:
        return cls(
            model=assignment,
            id=strawberry.ID(str(assignment.id)),
            due_on=assignment.due_on,
            recur_every_months=assignment.recur_months,
            completed_at=assignment.completed_at,
            created_at=assignment.created_at,
        )

    @strawberry.field
    async def assigned_by(self, info: Info) -> User | None:
        return await user_of(info, self.model.assigned_by_id)

    @strawberry.field(description="Where it stands today, in the organisation's timezone.")
    async def state(self, info: Info) -> TrainingStateEnum:
        today = await info.context.today()
        return state_of(self.model.due_on, self.model.completed_at is not None, today)


@strawberry.type(description="A course completed, or an assessment failed.")
class TrainingCompletion(_OfRepAndCourse):
    model: strawberry.Private[models.Completion]
    id: strawberry.ID
    method: MethodEnum
    completed_at: datetime
    score: Decimal | None
    passed: bool
    certified_until: date | None = strawberry.field(
        description="The last day the certification it earned holds; null: none earned."
    )
    notes: str | None = strawberry.field(description="A coached session's notes.")
    external_id: str | None = strawberry.field(description="The LMS's id of it.")

    @classmethod
    def of(cls, completion: models.Completion) -> TrainingCompletion:
        return cls(
            model=completion,
            id=strawberry.ID(str(completion.id)),
            method=completion.method,
            completed_at=completion.completed_at,
            score=completion.score,
            passed=completion.passed,
            certified_until=_last_day(completion.expires_on),
            notes=completion.notes,
            external_id=completion.external_id,
        )

    @strawberry.field
    async def recorded_by(self, info: Info) -> User | None:
        return await user_of(info, self.model.recorded_by_id)

    @strawberry.field(description="The assignment it completed, if any.")
    async def assignment(self, info: Info) -> Assignment | None:
        if self.model.assignment_id is None:
            return None
        found = await info.context.loaders.assignments.load(self.model.assignment_id)
        return Assignment.of(found) if found else None


def _last_day(expires_on: date | None) -> date | None:
    return date.fromordinal(expires_on.toordinal() - 1) if expires_on else None


@strawberry.type(description="A certification that holds today.")
class Certification(_OfRepAndCourse):
    model: strawberry.Private[models.Completion]
    id: strawberry.ID = strawberry.field(description="The completion that earned it.")
    certified_on: date
    valid_until: date = strawberry.field(description="Its last day.")

    @classmethod
    def of(cls, completion: models.Completion) -> Certification:
        assert completion.expires_on is not None
        valid_until = _last_day(completion.expires_on)
        assert valid_until is not None
        return cls(
            model=completion,
            id=strawberry.ID(str(completion.id)),
            certified_on=date.fromordinal(completion.day),
            valid_until=valid_until,
        )

    @strawberry.field(description="Days left from today, today included.")
    async def days_left(self, info: Info) -> int:
        return (self.valid_until - await info.context.today()).days + 1


@strawberry.type(description="A rep's training: what is due, what is done, what holds.")
class MyTraining:
    assignments: list[Assignment] = strawberry.field(
        description="Open assignments, soonest due first (overdue ones first of all)."
    )
    completions: list[TrainingCompletion] = strawberry.field(
        description="Completions and failed assessments, newest first."
    )
    certifications: list[Certification] = strawberry.field(
        description="Certifications that hold today, soonest to run out first."
    )

    @strawberry.field
    async def overdue(self, info: Info) -> int:
        today = await info.context.today()
        return sum(1 for a in self.assignments if a.model.due_on < today)


@strawberry.type(description="A skill and the metrics it moves.")
class SkillMapping:
    skill: str
    metrics: list[MetricType]


@strawberry.type(description="Reps of one side of an impact study and their mean figures.")
class ImpactGroup:
    reps: int
    before: Decimal | None = strawberry.field(description="Mean figure over the days before.")
    after: Decimal | None = strawberry.field(description="Mean figure over the days after.")
    change: Decimal | None = strawberry.field(description="after − before.")


@strawberry.type(
    description="Whether a course moved a metric: the trained reps' change over the days "
    "before and after passing it, against the untrained reps' over the same days."
)
class TrainingImpact:
    course: Course
    metric: MetricType
    days: int
    trained: ImpactGroup
    untrained: ImpactGroup
    difference: Decimal | None = strawberry.field(
        description="trained.change − untrained.change (a difference in differences)."
    )
    pending: int = strawberry.field(
        description="Reps who passed too recently: their days after are not over yet."
    )


@strawberry.type(description="A completion as it happens.")
class TrainingEvent:
    completion_id: strawberry.ID
    rep_id: strawberry.ID
    rep_name: str
    course_id: strawberry.ID
    course_code: str
    course_name: str
    method: MethodEnum
    completed_at: datetime
    passed: bool
    score: Decimal | None
    certified_until: date | None
    assignment_id: strawberry.ID | None

    @classmethod
    def from_event(cls, event: TrainingCompleted) -> TrainingEvent:
        return cls(
            completion_id=strawberry.ID(str(event.completion_id)),
            rep_id=strawberry.ID(str(event.rep_id)),
            rep_name=event.rep_name,
            course_id=strawberry.ID(str(event.course_id)),
            course_code=event.course_code,
            course_name=event.course_name,
            method=Method(event.method),
            completed_at=event.completed_at,
            passed=event.passed,
            score=event.score,
            certified_until=_last_day(event.expires_on),
            assignment_id=strawberry.ID(str(event.assignment_id))
            if event.assignment_id is not None
            else None,
        )
