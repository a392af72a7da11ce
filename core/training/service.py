"""Training as the product runs it: the catalogue, assignments, completions however they
arrive (the rep, a manager's coached session, an LMS), certifications and reminders.

A completion moves figures (TRAINING_COMPLETED, CERTIFIED) and may earn points and badges,
so it goes through the outbox like a deal: evaluated if and only if it is stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import clock
from core.events import EventBus, training_channel
from core.messages import TrainingCompleted
from core.orgs import store as people
from core.orgs.models import Organisation
from core.sales.service import IngestResult, finish, moved, not_found, screen
from core.training import store
from core.training.models import Assignment, Completion, Course
from domain import training
from domain.errors import ErrorCode, FieldError
from domain.inputs import check_instant
from domain.periods import local_today
from domain.records import not_yet
from domain.training import CourseDraft, Method, TrainingRecord, check_training_record


async def create_course(
    organisation: Organisation, draft: CourseDraft, description: str, now: datetime
) -> Course | list[FieldError]:
    errors = training.check_course(draft)
    if errors:
        return errors
    try:
        return await Course.create(
            organisation_id=organisation.id,
            code=draft.code.strip(),
            name=draft.name.strip(),
            description=description,
            skills=list(draft.skills),
            duration_minutes=draft.duration_minutes,
            pass_score=draft.pass_score,
            certification_months=draft.certification_months,
            created_at=now,
        )
    except IntegrityError:
        return [FieldError("code", ErrorCode.CONFLICT, "Another course has this code.")]


@dataclass(frozen=True)
class Assigned:
    made: list[Assignment]
    # Reps who already had this course open: their assignment stands as it is.
    already: list[int] = field(default_factory=list)


async def assign(
    organisation: Organisation,
    course: Course,
    rep_ids: Sequence[int],
    due_on: date,
    recur_months: int | None,
    assigned_by: int | None,
    now: datetime,
) -> Assigned | list[FieldError]:
    """The course to each rep who does not have it open yet."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    errors = training.check_assignment(due_on, recur_months, today)
    if errors:
        return errors
    open_now = {a.rep_id for a in await store.open_assignments(organisation.id, rep_ids, course.id)}
    wanted = list(dict.fromkeys(rep_ids))
    made = [
        Assignment(
            organisation_id=organisation.id,
            course_id=course.id,
            rep_id=rep_id,
            assigned_by_id=assigned_by,
            due_on=due_on,
            recur_months=recur_months,
            created_at=now,
        )
        for rep_id in wanted
        if rep_id not in open_now
    ]
    if made:
        await Assignment.bulk_create(made)
    stored = await store.open_assignments(organisation.id, [a.rep_id for a in made], course.id)
    return Assigned(stored, [rep_id for rep_id in wanted if rep_id in open_now])


@dataclass(frozen=True)
class NewCompletion:
    rep_id: int
    course: Course
    method: Method
    completed_at: datetime
    score: Decimal | None = None
    notes: str | None = None
    recorded_by: int | None = None
    external_id: str | None = None


def check_completion(new: NewCompletion, now: datetime) -> list[FieldError]:
    errors = check_instant("completedAt", new.completed_at)
    if not errors:
        errors += not_yet("completedAt", new.completed_at, now)
    errors += training.check_score(new.score, new.course.pass_score)
    return errors + training.check_notes(new.notes)


def _completion(organisation: Organisation, new: NewCompletion, now: datetime) -> Completion:
    day = local_today(new.completed_at, ZoneInfo(organisation.timezone))
    passed = training.passes(new.score, new.course.pass_score)
    expires = training.expires_on(day, new.course.certification_months) if passed else None
    return Completion(
        organisation_id=organisation.id,
        course_id=new.course.id,
        rep_id=new.rep_id,
        method=new.method,
        external_id=new.external_id,
        completed_at=new.completed_at,
        day=day.toordinal(),
        score=new.score,
        passed=passed,
        expires_on=expires,
        expires_day=expires.toordinal() if expires else None,
        notes=new.notes,
        recorded_by_id=new.recorded_by,
        recorded_at=now,
    )


async def _close_assignment(completion: Completion, now: datetime) -> None:
    """A pass completes the rep's open assignment of the course due soonest; a recurring
    one is assigned again for when the certification it renews runs out."""
    if not completion.passed:
        return
    found = await store.open_assignments(
        completion.organisation_id, [completion.rep_id], completion.course_id
    )
    if not found:
        return
    assignment = found[0]
    assignment.completed_at = completion.completed_at
    await assignment.save(update_fields=["completed_at"])
    completion.assignment_id = assignment.id
    await completion.save(update_fields=["assignment_id"])
    if assignment.recur_months:
        await Assignment.create(
            organisation_id=assignment.organisation_id,
            course_id=assignment.course_id,
            rep_id=assignment.rep_id,
            assigned_by_id=assignment.assigned_by_id,
            due_on=training.next_due(date.fromordinal(completion.day), assignment.recur_months),
            recur_months=assignment.recur_months,
            created_at=now,
        )


async def record_completion(
    organisation: Organisation, new: NewCompletion, now: datetime
) -> Completion | list[FieldError]:
    errors = check_completion(new, now)
    if errors:
        return errors
    async with in_transaction():
        completion = _completion(organisation, new, now)
        await completion.save()
        await _close_assignment(completion, now)
        await moved(organisation.id, {new.rep_id})
    return completion


async def ingest_completions(
    organisation: Organisation, records: Sequence[TrainingRecord]
) -> IngestResult:
    return (await ingest(organisation, records))[0]


async def ingest(
    organisation: Organisation, records: Sequence[TrainingRecord]
) -> tuple[IngestResult, list[Completion]]:
    """Completions an LMS reports, idempotent by its external id: a record sent again as
    it is changes nothing; sent with other facts, it corrects the stored completion. The
    result, and the completions stored or corrected (to announce)."""
    now = clock.now()
    errors = screen(records, lambda r: r.external_id, partial(check_training_record, now=now))
    sound = [record for index, record in enumerate(records) if index not in errors]
    owners = await people.users_by_email(
        organisation.id, (r.owner_email.strip().lower() for r in sound)
    )
    courses = await store.courses_by_code(organisation.id, (r.course_code.strip() for r in sound))
    news: list[NewCompletion] = []
    for index, record in enumerate(records):
        if index in errors:
            continue
        found: list[FieldError] = []
        owner = owners.get(record.owner_email.strip().lower())
        course = courses.get(record.course_code.strip())
        if owner is None:
            found.append(not_found("ownerEmail", "user with this email"))
        if course is None:
            found.append(not_found("courseCode", "course with this code"))
        else:
            found += training.check_score(record.score, course.pass_score)
        if found or owner is None or course is None:
            errors[index] = found
            continue
        news.append(
            NewCompletion(
                owner.id,
                course,
                Method.LMS,
                record.completed_at,
                record.score,
                external_id=record.external_id,
            )
        )
    rejected = finish(records, lambda r: r.external_id, errors)
    result = IngestResult(accepted=len(news), rejected=rejected)
    stored: list[Completion] = []
    async with in_transaction():
        before = await store.completions_by_external_id(
            organisation.id, (new.external_id or "" for new in news)
        )
        for new in news:
            fresh = _completion(organisation, new, now)
            old = before.get(new.external_id or "")
            if old is None:
                await fresh.save()
                await _close_assignment(fresh, now)
                stored.append(fresh)
            elif _facts(old) == _facts(fresh):
                result.unchanged += 1
                continue
            else:
                result.affected_rep_ids.add(old.rep_id)
                for name in CORRECTED:
                    setattr(old, name, getattr(fresh, name))
                await old.save(update_fields=list(CORRECTED))
                stored.append(old)
            result.affected_rep_ids.add(new.rep_id)
        await moved(organisation.id, result.affected_rep_ids)
    return result, stored


# What an LMS may correct of a completion it reported.
CORRECTED = (
    "rep_id",
    "course_id",
    "completed_at",
    "day",
    "score",
    "passed",
    "expires_on",
    "expires_day",
    "recorded_at",
)


def _facts(completion: Completion) -> tuple[object, ...]:
    return (
        completion.rep_id,
        completion.course_id,
        completion.completed_at,
        completion.score,
    )


async def publish_completion(bus: EventBus, completion: Completion) -> None:
    await completion.fetch_related("rep", "course")
    event = TrainingCompleted(
        organisation_id=completion.organisation_id,
        rep_id=completion.rep_id,
        rep_name=completion.rep.name,
        completion_id=completion.id,
        course_id=completion.course_id,
        course_code=completion.course.code,
        course_name=completion.course.name,
        method=completion.method.value,
        completed_at=completion.completed_at,
        passed=completion.passed,
        score=completion.score,
        expires_on=completion.expires_on,
        assignment_id=completion.assignment_id,
    )
    await bus.publish(training_channel(completion.organisation_id), event)
