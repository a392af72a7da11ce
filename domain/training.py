"""Training rules: what a course may be, when a completion passes and certifies, where an
assignment stands, which courses a slipping goal calls for, and whether training moved the
figures (a difference in differences)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.checkins import add_months
from domain.errors import ErrorCode, FieldError
from domain.inputs import check_instant, check_text
from domain.metrics import Metric
from domain.money import shown
from domain.periods import Period
from domain.records import check_external_id, not_yet

MAX_CODE_LENGTH = 64
MAX_NAME_LENGTH = 200
MAX_SKILL_LENGTH = 64
MAX_NOTES_LENGTH = 10_000
# Certifications last from a month to ten years; recurring assignments come back as often.
MAX_MONTHS = 120
# A course takes at most a working week of hours, in minutes.
MAX_DURATION_MINUTES = 60 * 40
# Before/after windows of an impact study, in days.
MAX_IMPACT_DAYS = 366
HUNDRED = Decimal(100)


class Method(StrEnum):
    """How a completion reached us."""

    SELF = "SELF"  # the rep, self-paced
    MANAGER = "MANAGER"  # a manager, after a coached session
    LMS = "LMS"  # a learning management system, under its own id


class TrainingState(StrEnum):
    UPCOMING = "UPCOMING"
    DUE = "DUE"
    OVERDUE = "OVERDUE"
    COMPLETED = "COMPLETED"


def state_of(due_on: date, completed: bool, today: date) -> TrainingState:
    if completed:
        return TrainingState.COMPLETED
    if due_on < today:
        return TrainingState.OVERDUE
    return TrainingState.DUE if due_on == today else TrainingState.UPCOMING


def skills_of(skills: Iterable[str]) -> tuple[str, ...]:
    """Skills as tags: trimmed, lowercase, each once, in the order given."""
    return tuple(dict.fromkeys(skill.strip().lower() for skill in skills if skill.strip()))


@dataclass(frozen=True)
class CourseDraft:
    code: str
    name: str
    skills: tuple[str, ...]
    duration_minutes: int
    pass_score: Decimal | None = None
    certification_months: int | None = None


def _months(name: str, value: int | None) -> list[FieldError]:
    if value is not None and not 1 <= value <= MAX_MONTHS:
        return [FieldError(name, ErrorCode.OUT_OF_RANGE, f"Between 1 and {MAX_MONTHS} months.")]
    return []


def check_course(course: CourseDraft) -> list[FieldError]:
    errors = check_external_id(course.code, "code") or check_text(
        "code", course.code, MAX_CODE_LENGTH
    )
    errors += _name("name", course.name)
    for index, skill in enumerate(course.skills):
        errors += check_text(f"skills.{index}", skill, MAX_SKILL_LENGTH)
    if not 1 <= course.duration_minutes <= MAX_DURATION_MINUTES:
        errors.append(
            FieldError(
                "durationMinutes",
                ErrorCode.OUT_OF_RANGE,
                f"Between 1 and {MAX_DURATION_MINUTES} minutes.",
            )
        )
    score = course.pass_score
    if score is not None and not (score.is_finite() and 0 < score <= HUNDRED):
        errors.append(
            FieldError("passScore", ErrorCode.OUT_OF_RANGE, "A percentage above 0, at most 100.")
        )
    return errors + _months("certificationMonths", course.certification_months)


def _name(field_name: str, value: str) -> list[FieldError]:
    if not value.strip():
        return [FieldError(field_name, ErrorCode.REQUIRED, f"{field_name} must not be empty.")]
    return check_text(field_name, value, MAX_NAME_LENGTH)


def check_assignment(due_on: date, recur_months: int | None, today: date) -> list[FieldError]:
    errors = _months("recurEveryMonths", recur_months)
    if due_on > add_months(today, MAX_MONTHS):
        errors.append(
            FieldError("dueOn", ErrorCode.OUT_OF_RANGE, f"Due within {MAX_MONTHS} months of today.")
        )
    elif due_on < today:
        errors.append(
            FieldError(
                "dueOn",
                ErrorCode.IN_THE_PAST,
                f"Due {due_on.isoformat()} is before today ({today.isoformat()}).",
            )
        )
    return errors


def check_score(score: Decimal | None, pass_score: Decimal | None) -> list[FieldError]:
    """An assessed course needs a score (a percentage); one without an assessment takes
    none."""
    if pass_score is None:
        if score is not None:
            return [FieldError("score", ErrorCode.INVALID, "This course has no assessment.")]
        return []
    if score is None:
        return [FieldError("score", ErrorCode.REQUIRED, "This course is assessed: give a score.")]
    if not (score.is_finite() and 0 <= score <= HUNDRED):
        return [FieldError("score", ErrorCode.OUT_OF_RANGE, "A percentage from 0 to 100.")]
    return []


def check_notes(notes: str | None) -> list[FieldError]:
    return check_text("notes", notes, MAX_NOTES_LENGTH)


def passes(score: Decimal | None, pass_score: Decimal | None) -> bool:
    return pass_score is None or (score is not None and score >= pass_score)


def expires_on(completed: date, certification_months: int | None) -> date | None:
    """The first day a certification earned on `completed` no longer holds."""
    return add_months(completed, certification_months) if certification_months else None


def next_due(completed: date, recur_months: int) -> date:
    """When a recurring assignment is due again after a completion: a re-certification
    falls due as the certification it renews runs out."""
    return add_months(completed, recur_months)


@dataclass(frozen=True)
class TrainingRecord:
    """A completion as an LMS reports it: its own id, the person, the course code."""

    external_id: str
    owner_email: str
    course_code: str
    completed_at: datetime
    score: Decimal | None = None


def check_training_record(record: TrainingRecord, now: datetime) -> list[FieldError]:
    errors = check_external_id(record.external_id)
    errors += check_text("ownerEmail", record.owner_email, 320)
    errors += check_external_id(record.course_code, "courseCode")
    errors += check_instant("completedAt", record.completed_at)
    if not errors:
        errors += not_yet("completedAt", record.completed_at, now)
    if record.score is not None and not (record.score.is_finite() and 0 <= record.score <= 100):
        errors.append(FieldError("score", ErrorCode.OUT_OF_RANGE, "A percentage from 0 to 100."))
    return errors


@dataclass(frozen=True)
class CourseSkills:
    course_id: int
    skills: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    course_id: int
    goal_id: int
    metric: Metric
    # The course's skills that move the metric.
    skills: tuple[str, ...]


def suggest(
    slipping: Sequence[tuple[int, Metric]],
    skill_metrics: Mapping[str, frozenset[Metric]],
    courses: Sequence[CourseSkills],
    completed: Iterable[int],
) -> list[Suggestion]:
    """For each goal (id, metric) at risk or off track, the courses teaching a skill mapped
    to its metric that the rep has not completed; a course once, for its first goal."""
    done = set(completed)
    found: dict[int, Suggestion] = {}
    for goal_id, metric in slipping:
        for course in courses:
            if course.course_id in done or course.course_id in found:
                continue
            skills = tuple(s for s in course.skills if metric in skill_metrics.get(s, ()))
            if skills:
                found[course.course_id] = Suggestion(course.course_id, goal_id, metric, skills)
    return list(found.values())


def windows(completed: date, days: int) -> tuple[Period, Period]:
    """The `days` before the day of completion and the `days` after it; the day itself,
    half trained, belongs to neither."""
    before = Period(completed - timedelta(days=days), completed - timedelta(days=1))
    after = Period(completed + timedelta(days=1), completed + timedelta(days=days))
    return before, after


@dataclass(frozen=True)
class Pair:
    """A person's figure over a before window and the matching after window."""

    rep_id: int
    before: Decimal | None
    after: Decimal | None


@dataclass(frozen=True)
class Group:
    reps: int
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Impact:
    trained: Group
    untrained: Group

    @property
    def difference(self) -> Decimal | None:
        """How much more the trained moved than the untrained over the same windows."""
        trained, untrained = self.trained.change, self.untrained.change
        if trained is None or untrained is None:
            return None
        return trained - untrained


def group_of(pairs: Sequence[Pair]) -> Group:
    """The mean figure before and after over the pairs that have both (a rate with no
    cases in one window says nothing about the change), and how many people they are."""
    usable = [p for p in pairs if p.before is not None and p.after is not None]
    if not usable:
        return Group(0, None, None)
    count = Decimal(len(usable))
    before = sum((p.before for p in usable if p.before is not None), Decimal(0)) / count
    after = sum((p.after for p in usable if p.after is not None), Decimal(0)) / count
    return Group(len({p.rep_id for p in usable}), shown(before), shown(after))
