"""Every query of the training tables."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.training.models import Assignment, Completion, Course, SkillMetric
from domain.metrics import Metric


async def courses_by_code(organisation_id: int, codes: Iterable[str]) -> dict[str, Course]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    found = await Course.filter(organisation_id=organisation_id, code__in=wanted)
    return {course.code: course for course in found}


async def courses_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Course]:
    found = await Course.filter(organisation_id=organisation_id, id__in=sorted(set(ids)))
    return {course.id: course for course in found}


async def find_course(organisation_id: int, course_id: int) -> Course | None:
    return await Course.get_or_none(organisation_id=organisation_id, id=course_id)


async def catalogue(organisation_id: int, skill: str | None = None) -> list[Course]:
    """The courses by code; with `skill`, those teaching it (catalogues are short: the
    skill is matched here, the same on every database)."""
    courses = await Course.filter(organisation_id=organisation_id).order_by("code")
    return [course for course in courses if skill is None or skill in course.skills]


async def find_assignment(organisation_id: int, assignment_id: int) -> Assignment | None:
    return await Assignment.get_or_none(organisation_id=organisation_id, id=assignment_id)


async def assignments_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Assignment]:
    found = await Assignment.filter(organisation_id=organisation_id, id__in=sorted(set(ids)))
    return {assignment.id: assignment for assignment in found}


def assignments_of(organisation_id: int, rep_ids: Collection[int] | None) -> QuerySet[Assignment]:
    """Assignments of these reps (None: everyone's), soonest due first."""
    query = Assignment.filter(organisation_id=organisation_id)
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    return query.order_by("due_on", "id")


async def open_assignments(
    organisation_id: int, rep_ids: Collection[int], course_id: int | None = None
) -> list[Assignment]:
    query = Assignment.filter(
        organisation_id=organisation_id, rep_id__in=sorted(rep_ids), completed_at__isnull=True
    )
    if course_id is not None:
        query = query.filter(course_id=course_id)
    return await query.order_by("due_on", "id")


async def overdue_assignments(
    organisation_id: int, today: date, rep_id: int | None = None
) -> list[Assignment]:
    """Open assignments due before `today`, soonest due first."""
    query = Assignment.filter(
        organisation_id=organisation_id, completed_at__isnull=True, due_on__lt=today
    )
    if rep_id is not None:
        query = query.filter(rep_id=rep_id)
    return await query.order_by("due_on", "id")


def completions_of(organisation_id: int, rep_ids: Collection[int] | None) -> QuerySet[Completion]:
    """Completions (passed or not) of these reps (None: everyone's), newest first."""
    query = Completion.filter(organisation_id=organisation_id)
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    return query.order_by("-completed_at", "-id")


async def completions_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Completion]:
    wanted = sorted(set(external_ids))
    if not wanted:
        return {}
    found = await Completion.filter(organisation_id=organisation_id, external_id__in=wanted)
    return {c.external_id: c for c in found if c.external_id is not None}


async def passed_course_ids(organisation_id: int, rep_id: int) -> set[int]:
    found = await Completion.filter(
        organisation_id=organisation_id, rep_id=rep_id, passed=True
    ).values_list("course_id", flat=True)
    return set(found)


async def first_passes(organisation_id: int, course_id: int) -> dict[int, int]:
    """Each rep who passed the course → the day (ordinal) they first passed it."""
    rows = await Completion.filter(
        organisation_id=organisation_id, course_id=course_id, passed=True
    ).values_list("rep_id", "day")
    first: dict[int, int] = {}
    for rep_id, day in rows:
        first[rep_id] = min(day, first.get(rep_id, day))
    return first


async def recent_passes(
    organisation_id: int, rep_ids: Sequence[int], since: datetime
) -> list[Completion]:
    """Passed completions recorded since `since` (by when they were recorded: an LMS may
    report a completion of last week today), oldest first."""
    if not rep_ids:
        return []
    return await Completion.filter(
        organisation_id=organisation_id,
        rep_id__in=sorted(rep_ids),
        passed=True,
        recorded_at__gte=since,
    ).order_by("completed_at", "id")


def certifications_of(
    organisation_id: int, rep_ids: Collection[int] | None, day: int
) -> QuerySet[Completion]:
    """Certifications that hold on `day` (an ordinal): passed, earned by then, not run out."""
    query = Completion.filter(
        Q(organisation_id=organisation_id),
        Q(passed=True),
        Q(day__lte=day),
        Q(expires_day__gt=day),
    )
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    return query.order_by("expires_day", "id")


async def skill_metrics(organisation_id: int) -> dict[str, frozenset[Metric]]:
    rows = await SkillMetric.filter(organisation_id=organisation_id).values_list("skill", "metric")
    found: dict[str, set[Metric]] = {}
    for skill, metric in rows:
        found.setdefault(skill, set()).add(Metric(metric))
    return {skill: frozenset(metrics) for skill, metrics in found.items()}


async def set_skill_metrics(organisation_id: int, skill: str, metrics: Sequence[Metric]) -> None:
    await SkillMetric.filter(organisation_id=organisation_id, skill=skill).delete()
    await SkillMetric.bulk_create(
        [SkillMetric(organisation_id=organisation_id, skill=skill, metric=m) for m in metrics]
    )
