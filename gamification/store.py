"""Every query of badge definitions and awards."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from gamification.models import Award, BadgeDefinition
from gamification.rules import BadgeKind, BadgeRule

DEFAULT_BADGES = (("TARGET_HIT", "Target hit", "Reached 100% of a goal.", Decimal(100)),)


async def create_default_badges(organisation_id: int) -> None:
    await BadgeDefinition.bulk_create(
        [
            BadgeDefinition(
                organisation_id=organisation_id,
                code=code,
                name=name,
                description=description,
                kind=BadgeKind.ATTAINMENT,
                threshold=threshold,
            )
            for code, name, description, threshold in DEFAULT_BADGES
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
        return None


async def awards_for_goals(organisation_id: int, goal_ids: Sequence[int]) -> list[Award]:
    return (
        await Award.filter(organisation_id=organisation_id, goal_id__in=list(set(goal_ids)))
        .prefetch_related("badge")
        .order_by("awarded_at", "id")
    )


async def awarded_keys(organisation_id: int, rep_ids: Sequence[int]) -> set[tuple[int, int, str]]:
    rows = await Award.filter(
        organisation_id=organisation_id, rep_id__in=list(set(rep_ids))
    ).values_list("badge_id", "rep_id", "period_key")
    return {(badge_id, rep_id, period_key) for badge_id, rep_id, period_key in rows}


def awards_of(
    organisation_id: int, rep_ids: Collection[int] | None, rep_id: int | None
) -> QuerySet[Award]:
    """Awards of `rep_ids` (None: anyone), optionally of one rep, badges loaded."""
    query = Award.filter(organisation_id=organisation_id)
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    if rep_id is not None:
        query = query.filter(rep_id=rep_id)
    return query.prefetch_related("badge")
