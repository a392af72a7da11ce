"""Turning measured progress into awards, once each and with the reasons recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.goals.service import Measured, period_of
from core.orgs.models import Organisation
from core.sales import store as sales
from domain.progress import HUNDRED
from gamification import store
from gamification.models import Award
from gamification.rules import BadgeRule, attainment_badges_earned, crossing_index


def goal_period_key(goal_id: int) -> str:
    return f"goal:{goal_id}"


async def evaluate_goals(
    organisation: Organisation, measured: Sequence[Measured], now: datetime
) -> list[Award]:
    """Award every badge the goals' progress has earned and that was not awarded before."""
    rules = await store.active_rules(organisation.id)
    rep_ids = [m.goal.owner_rep_id for m in measured if m.goal.owner_rep_id is not None]
    if not rules or not rep_ids:
        return []
    already = await store.awarded_keys(organisation.id, rep_ids)
    tz = ZoneInfo(organisation.timezone)
    new_awards = []
    for item in measured:
        goal, rep_id = item.goal, item.goal.owner_rep_id
        if rep_id is None:
            continue
        key = goal_period_key(goal.id)
        for rule in attainment_badges_earned(item.progress.attainment, rules):
            if (rule.id, rep_id, key) in already:
                continue
            award = await store.record_award(
                organisation.id,
                rule,
                rep_id=rep_id,
                goal_id=goal.id,
                period_key=key,
                awarded_at=now,
                explanation=await _explain(rule, item, tz),
            )
            if award is not None:
                new_awards.append(award)
    return new_awards


async def _explain(rule: BadgeRule, item: Measured, tz: ZoneInfo) -> dict[str, Any]:
    goal = item.goal
    assert goal.owner_rep_id is not None
    start, end = period_of(goal).bounds(tz)
    deals = await sales.won_deals(goal.owner_rep_id, start, end)
    needed = goal.target * rule.threshold / HUNDRED
    crossed = crossing_index([deal.amount for deal in deals], needed)
    counted = deals if crossed is None else deals[: crossed + 1]
    return {
        "rule": {"code": rule.code, "version": rule.version, "threshold": str(rule.threshold)},
        "figures": {
            "metric": str(goal.metric),
            "target": str(goal.target),
            "needed": str(needed.quantize(Decimal("0.01"))),
            "currentValue": str(item.progress.current_value),
            "attainment": str(item.progress.attainment),
        },
        "deals": [deal.external_id for deal in counted],
    }
