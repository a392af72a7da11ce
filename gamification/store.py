"""Every query of badge definitions and awards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from domain.money import shown
from gamification.models import (
    Award,
    BadgeDefinition,
    BonusPlan,
    Contest,
    PayoutEntry,
    PayoutStatus,
    PointsEntry,
    PointsRule,
)
from gamification.rules import BadgeKind, BadgeRule

# code, name, description, kind, threshold, points
Versioned = TypeVar("Versioned", BadgeDefinition, BonusPlan, PointsRule)

DEFAULT_BADGES = (
    (
        "TARGET_HIT",
        "Target hit",
        "Reached 100% of a goal.",
        BadgeKind.ATTAINMENT,
        Decimal(100),
        100,
    ),
    ("FIRST_WIN", "First win", "Won a first deal.", BadgeKind.FIRST_WIN, Decimal(1), 25),
)


async def create_default_badges(organisation_id: int) -> None:
    await BadgeDefinition.bulk_create(
        [
            BadgeDefinition(
                organisation_id=organisation_id,
                code=code,
                name=name,
                description=description,
                kind=kind,
                threshold=threshold,
                points=points,
            )
            for code, name, description, kind, threshold, points in DEFAULT_BADGES
        ]
    )


async def active_rules(organisation_id: int) -> list[BadgeRule]:
    definitions = await BadgeDefinition.filter(organisation_id=organisation_id, active=True)
    return [
        BadgeRule(
            id=definition.id,
            code=definition.code,
            version=definition.version,
            kind=definition.kind,
            threshold=definition.threshold,
            points=definition.points,
            metric=definition.metric,
            daily_minimum=definition.daily_minimum,
            course_code=definition.course_code,
        )
        for definition in definitions
    ]


async def record_award(
    organisation_id: int,
    rule: BadgeRule,
    *,
    rep_id: int,
    goal_id: int | None,
    period_key: str,
    awarded_at: datetime,
    explanation: dict[str, Any],
) -> Award | None:
    """The new award, or None when this rule already awarded this rep for this period.

    The unique constraint decides, so concurrent workers and replays cannot both win.
    """
    try:
        return await Award.create(
            organisation_id=organisation_id,
            badge_id=rule.id,
            rep_id=rep_id,
            goal_id=goal_id,
            period_key=period_key,
            awarded_at=awarded_at,
            explanation=explanation,
        )
    except IntegrityError:
        return await _reinstate(rule, rep_id, period_key, awarded_at, explanation)


async def _reinstate(
    rule: BadgeRule,
    rep_id: int,
    period_key: str,
    awarded_at: datetime,
    explanation: dict[str, Any],
) -> Award | None:
    """An award revoked before and earned again, reinstated (once); None when there is no
    revoked award to reinstate."""
    withdrawn = Award.filter(
        badge_id=rule.id, rep_id=rep_id, period_key=period_key, revoked_at__isnull=False
    )
    reinstated = await withdrawn.update(
        revoked_at=None, revocation=None, awarded_at=awarded_at, explanation=explanation
    )
    if not reinstated:
        return None
    return await Award.get(badge_id=rule.id, rep_id=rep_id, period_key=period_key)


@dataclass(frozen=True)
class NewAward:
    rule: BadgeRule
    rep_id: int
    goal_id: int | None
    period_key: str
    explanation: dict[str, Any]


async def record_awards(
    organisation_id: int, awards: Sequence[NewAward], awarded_at: datetime
) -> list[Award]:
    """The awards that are new, made in one statement; an award made before is left as it
    is (the unique constraint decides, so concurrent workers cannot both make it), and one
    revoked before is reinstated."""
    keys = {(a.rule.id, a.rep_id, a.period_key): a for a in awards}
    reps = sorted({a.rep_id for a in awards})
    existing = {
        (row.badge_id, row.rep_id, row.period_key): row
        for row in await Award.filter(
            organisation_id=organisation_id,
            rep_id__in=reps,
            period_key__in=sorted({a.period_key for a in awards}),
        )
        if (row.badge_id, row.rep_id, row.period_key) in keys
    }
    made = [
        Award(
            organisation_id=organisation_id,
            badge_id=a.rule.id,
            rep_id=a.rep_id,
            goal_id=a.goal_id,
            period_key=a.period_key,
            awarded_at=awarded_at,
            explanation=a.explanation,
        )
        for key, a in keys.items()
        if key not in existing
    ]
    if made:
        await Award.bulk_create(made, ignore_conflicts=True)
    new = [
        row
        for row in await Award.filter(
            organisation_id=organisation_id,
            rep_id__in=reps,
            awarded_at=awarded_at,
            period_key__in=sorted({a.period_key for a in made}),
        )
        if (row.badge_id, row.rep_id, row.period_key) in keys
        and (row.badge_id, row.rep_id, row.period_key) not in existing
    ]
    for key, row in existing.items():
        if row.revoked_at is not None:
            found = keys[key]
            back = await _reinstate(
                found.rule, row.rep_id, row.period_key, awarded_at, found.explanation
            )
            if back is not None:
                new.append(back)
    return new


async def standing_goal_awards(organisation_id: int, goal_ids: Sequence[int]) -> list[Award]:
    """The threshold badges of these goals that stand (are not revoked), badges loaded."""
    return (
        await Award.filter(
            organisation_id=organisation_id,
            goal_id__in=list(set(goal_ids)),
            revoked_at=None,
            badge__kind=BadgeKind.ATTAINMENT,
        )
        .prefetch_related("badge")
        .order_by("id")
    )


async def revoke(award: Award, at: datetime, revocation: dict[str, Any]) -> bool:
    """Withdraw a standing award; False when another worker did it first."""
    done = await Award.filter(id=award.id, revoked_at=None).update(
        revoked_at=at, revocation=revocation
    )
    if done:
        award.revoked_at, award.revocation = at, revocation
    return bool(done)


async def awards_for_goals(organisation_id: int, goal_ids: Sequence[int]) -> list[Award]:
    """The standing awards of these goals."""
    return (
        await Award.filter(
            organisation_id=organisation_id, goal_id__in=list(set(goal_ids)), revoked_at=None
        )
        .select_related("badge")
        .order_by("awarded_at", "id")
    )


async def awarded_keys(organisation_id: int, rep_ids: Sequence[int]) -> set[tuple[int, int, str]]:
    rows = await Award.filter(
        organisation_id=organisation_id, rep_id__in=list(set(rep_ids)), revoked_at=None
    ).values_list("badge_id", "rep_id", "period_key")
    return {(badge_id, rep_id, period_key) for badge_id, rep_id, period_key in rows}


def awards_of(
    organisation_id: int,
    rep_ids: Collection[int] | None,
    rep_id: int | None,
    include_revoked: bool = False,
) -> QuerySet[Award]:
    """The standing awards of `rep_ids` (None: anyone), optionally of one rep, and the
    revoked ones when asked for; badges loaded."""
    query = Award.filter(organisation_id=organisation_id)
    if not include_revoked:
        query = query.filter(revoked_at=None)
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    if rep_id is not None:
        query = query.filter(rep_id=rep_id)
    return query.prefetch_related("badge")


async def active_plans(organisation_id: int) -> list[BonusPlan]:
    return await BonusPlan.filter(organisation_id=organisation_id, active=True).order_by("id")


async def create_plan(organisation_id: int, **fields: Any) -> BonusPlan:
    """A plan under a new code, or the next version of an existing code."""
    version = await _next_version(BonusPlan, organisation_id, fields["code"])
    return await BonusPlan.create(organisation_id=organisation_id, version=version, **fields)


async def booked(
    organisation_id: int, codes: Sequence[str], goal_ids: Sequence[int]
) -> dict[tuple[str, int], Decimal]:
    """What the ledger already holds per (plan code, goal), every version together."""
    rows = (
        await PayoutEntry.filter(
            organisation_id=organisation_id,
            plan__code__in=list(set(codes)),
            goal_id__in=list(set(goal_ids)),
        )
        .group_by("plan__code", "goal_id")
        .annotate(total=Sum("amount"))
        .values_list("plan__code", "goal_id", "total")
    )
    # SQLite sums decimals as floats: back to exact cents.
    return {(code, goal): shown(Decimal(str(total))) for code, goal, total in rows}


async def add_entries(entries: Sequence[PayoutEntry]) -> None:
    if entries:
        await PayoutEntry.bulk_create(entries)


async def finalise_entries(organisation_id: int, goal_ids: Sequence[int]) -> int:
    return await PayoutEntry.filter(
        organisation_id=organisation_id,
        goal_id__in=list(set(goal_ids)),
        status=PayoutStatus.PROVISIONAL,
    ).update(status=PayoutStatus.FINAL)


async def advance_entries(
    organisation_id: int, entry_ids: Sequence[int], from_status: PayoutStatus, to: PayoutStatus
) -> int:
    return await PayoutEntry.filter(
        organisation_id=organisation_id, id__in=list(set(entry_ids)), status=from_status
    ).update(status=to)


def entries_of(
    organisation_id: int,
    rep_ids: Collection[int] | None,
    status: PayoutStatus | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[PayoutEntry]:
    """Ledger entries of `rep_ids` (None: everyone's), of a status, booked in [since, before)."""
    query = PayoutEntry.filter(organisation_id=organisation_id)
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    if status is not None:
        query = query.filter(status=status)
    if since is not None:
        query = query.filter(created_at__gte=since)
    if before is not None:
        query = query.filter(created_at__lt=before)
    return query.prefetch_related("plan")


async def entries_by_ids(organisation_id: int, ids: Collection[int]) -> dict[int, PayoutEntry]:
    found = await PayoutEntry.filter(
        organisation_id=organisation_id, id__in=sorted(ids)
    ).prefetch_related("plan")
    return {entry.id: entry for entry in found}


async def create_badge(organisation_id: int, **fields: Any) -> BadgeDefinition:
    """A badge rule under a new code, or the next version of one."""
    version = await _next_version(BadgeDefinition, organisation_id, fields["code"])
    return await BadgeDefinition.create(organisation_id=organisation_id, version=version, **fields)


async def badge_rules(organisation_id: int) -> list[BadgeDefinition]:
    return await BadgeDefinition.filter(organisation_id=organisation_id).order_by("code", "version")


async def badges_by_code(organisation_id: int) -> dict[str, BadgeDefinition]:
    """Each code's newest version."""
    return {rule.code: rule for rule in await badge_rules(organisation_id)}


async def awards_of_rep(
    organisation_id: int, rep_id: int, since: datetime | None = None
) -> list[Award]:
    query = Award.filter(organisation_id=organisation_id, rep_id=rep_id, revoked_at=None)
    if since is not None:
        query = query.filter(awarded_at__gt=since)
    return await query.prefetch_related("badge").order_by("-awarded_at", "-id")


async def contests_to_close(organisation_id: int, today: date) -> list[Contest]:
    return await Contest.filter(
        organisation_id=organisation_id, ends_on__lt=today, closed_at=None, retired_at=None
    ).order_by("id")


async def contests(organisation_id: int, include_retired: bool) -> list[Contest]:
    query = Contest.filter(organisation_id=organisation_id)
    if not include_retired:
        query = query.filter(retired_at=None)
    return await query.order_by("-starts_on", "-id")


async def find_contest(organisation_id: int, contest_id: int) -> Contest | None:
    return await Contest.get_or_none(organisation_id=organisation_id, id=contest_id)


async def plans(organisation_id: int, include_inactive: bool) -> list[BonusPlan]:
    query = BonusPlan.filter(organisation_id=organisation_id)
    if not include_inactive:
        query = query.filter(active=True)
    return await query.order_by("code", "version")


async def points_rules(organisation_id: int) -> list[PointsRule]:
    return await PointsRule.filter(organisation_id=organisation_id).order_by("code", "version")


async def mark_contest_closed(contest_id: int, now: datetime) -> None:
    await Contest.filter(id=contest_id).update(closed_at=now)


async def prize_badge(
    organisation_id: int, code: str, points: int, threshold: Decimal
) -> BadgeDefinition:
    """The badge a contest prize gives, made on first use."""
    badge = (
        await BadgeDefinition.filter(organisation_id=organisation_id, code=code, active=True)
        .order_by("-version")
        .first()
    )
    if badge is not None:
        return badge
    return await create_badge(
        organisation_id,
        code=code,
        name=code.replace("_", " ").title(),
        kind=BadgeKind.PRIZE,
        threshold=threshold,
        points=points,
    )


async def create_contest(organisation_id: int, **fields: Any) -> Contest:
    return await Contest.create(organisation_id=organisation_id, **fields)


async def create_points_rule(organisation_id: int, **fields: Any) -> PointsRule:
    """A points rule under a new code, or the next version of one."""
    version = await _next_version(PointsRule, organisation_id, fields["code"])
    return await PointsRule.create(organisation_id=organisation_id, version=version, **fields)


async def active_points_rules(organisation_id: int) -> list[PointsRule]:
    return await PointsRule.filter(organisation_id=organisation_id, active=True).order_by("id")


async def add_points(entries: Sequence[PointsEntry]) -> None:
    """Entries already made (same rule version, rep and source) are left as they are."""
    if entries:
        await PointsEntry.bulk_create(entries, ignore_conflicts=True)


@dataclass(frozen=True)
class Held:
    """What a rep holds for one record under one rule: the net points, how many entries
    make it, and when the last of them was made."""

    points: int
    entries: int
    last_at: datetime


async def points_held(
    organisation_id: int, rep_ids: Sequence[int], record_keys: Sequence[str]
) -> dict[tuple[int, int, str], Held]:
    """By (rep id, rule id, record key), what the reps hold for these records."""
    held: dict[tuple[int, int, str], Held] = {}
    if not record_keys:
        return held
    rows = await PointsEntry.filter(
        organisation_id=organisation_id,
        rep_id__in=list(set(rep_ids)),
        record_key__in=list(set(record_keys)),
    ).order_by("created_at", "id")
    for row in rows:
        key = (row.rep_id, row.rule_id, row.record_key)
        before = held.get(key, Held(0, 0, row.created_at))
        held[key] = Held(before.points + row.points, before.entries + 1, row.created_at)
    return held


async def has_points(organisation_id: int) -> bool:
    return await PointsEntry.filter(organisation_id=organisation_id).exists()


async def event_points_of(organisation_id: int, rep_id: int) -> int:
    rows = await PointsEntry.filter(organisation_id=organisation_id, rep_id=rep_id).values_list(
        "points", flat=True
    )
    return sum(rows)


async def points_earned(
    organisation_id: int, rep_ids: Sequence[int], since: datetime, before: datetime
) -> dict[int, int]:
    """Each rep's points earned in [since, before): standing awards' badge points and
    event points (two grouped statements)."""
    earned: dict[int, int] = defaultdict(int)
    awarded = (
        await Award.filter(
            organisation_id=organisation_id,
            rep_id__in=list(set(rep_ids)),
            revoked_at=None,
            awarded_at__gte=since,
            awarded_at__lt=before,
        )
        .group_by("rep_id")
        .annotate(total=Sum("badge__points"))
        .values_list("rep_id", "total")
    )
    events = (
        await PointsEntry.filter(
            organisation_id=organisation_id,
            rep_id__in=list(set(rep_ids)),
            created_at__gte=since,
            created_at__lt=before,
        )
        .group_by("rep_id")
        .annotate(total=Sum("points"))
        .values_list("rep_id", "total")
    )
    for rep, total in [*awarded, *events]:
        earned[rep] += int(total or 0)
    return dict(earned)


async def _next_version(model: type[Versioned], organisation_id: int, code: str) -> int:
    """Retire every version of `code` and return the number of the next one: rules change by
    adding a version, so what was made under an earlier one keeps pointing at it."""
    versions = model.filter(organisation_id=organisation_id, code=code)
    latest = await versions.order_by("-version").first()
    if latest is None:
        return 1
    await versions.update(active=False)
    return int(latest.version) + 1


async def totals_by_status(
    organisation_id: int, rep_ids: Collection[int]
) -> dict[PayoutStatus, Decimal]:
    """The ledger of these reps summed per status, every status present."""
    rows = (
        await PayoutEntry.filter(organisation_id=organisation_id, rep_id__in=sorted(rep_ids))
        .group_by("status")
        .annotate(total=Sum("amount"))
        .values_list("status", "total")
    )
    found = {PayoutStatus(status): Decimal(str(total)) for status, total in rows}
    return {
        status: found.get(status, Decimal(0)).quantize(Decimal("0.01")) for status in PayoutStatus
    }
