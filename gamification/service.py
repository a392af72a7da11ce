"""Turning measured progress into awards, once each and with the reasons recorded."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.goals.models import OwnerType
from core.goals.service import Measured, daily_figures, figures_of_reps, period_of
from core.orgs import store as people
from core.orgs.models import Organisation
from core.sales import store as sales
from core.sales.models import Deal
from core.training import store as training
from domain.calendar import current_run
from domain.metrics import DEAL_CUMULATIVE, Metric
from domain.money import shown
from domain.periods import PeriodKind, label, local_today, period_containing
from domain.progress import HUNDRED
from domain.rollups import resolved_cost
from gamification import store
from gamification.models import Award
from gamification.points import LOOK_BACK
from gamification.rules import (
    BadgeKind,
    BadgeRule,
    attainment_badges_earned,
    count_badges_earned,
    crossing_index,
    fallen_back,
)


def goal_period_key(goal_id: int) -> str:
    return f"goal:{goal_id}"


async def evaluate_goals(
    organisation: Organisation, measured: Sequence[Measured], now: datetime
) -> list[Award]:
    """Award every badge the reps' goals have earned and that was not awarded before.
    Team and organisation goals earn no badges: badges go to people; historical goals
    (about a period that is over) earn nothing."""
    rules = [r for r in await store.active_rules(organisation.id) if r.kind is BadgeKind.ATTAINMENT]
    mine = [
        m
        for m in measured
        if m.goal.owner_type is OwnerType.REP
        and not m.goal.historical
        and m.progress.exact_attainment is not None
    ]
    if not rules or not mine:
        return []
    already = await store.awarded_keys(organisation.id, [m.goal.owner_rep_id or 0 for m in mine])
    earned = [
        (item, rule)
        for item in mine
        for rule in attainment_badges_earned(item.progress.exact_attainment or Decimal(0), rules)
        if (rule.id, item.goal.owner_rep_id, goal_period_key(item.goal.id)) not in already
    ]
    if not earned:
        return []
    tz = ZoneInfo(organisation.timezone)
    # The deals that explain the awards: one statement for all of them.
    deals = await _won_in_periods(organisation.id, [item for item, _ in earned], tz)
    made = []
    for item, rule in earned:
        assert item.goal.owner_rep_id is not None
        made.append(
            store.NewAward(
                rule,
                item.goal.owner_rep_id,
                item.goal.id,
                goal_period_key(item.goal.id),
                await _explain(rule, item, deals, tz),
            )
        )
    return await store.record_awards(organisation.id, made, now)


async def revoke_fallen_back(
    organisation: Organisation, measured: Sequence[Measured], now: datetime
) -> list[Award]:
    """Withdraw every threshold badge whose goal's figure fell back below the threshold
    while its period runs (a counted deal moved to LOST): the award is kept, marked revoked
    with the figures that withdrew it, and no longer counts for points. Once a period is
    over, its awards stand."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    running = {
        m.goal.id: m
        for m in measured
        if m.goal.owner_type is OwnerType.REP and m.progress.exact_attainment is not None
    }
    revoked = []
    for award in await store.standing_goal_awards(organisation.id, list(running)):
        assert award.goal_id is not None
        item = running[award.goal_id]
        attainment = item.progress.exact_attainment
        assert attainment is not None
        badge = award.badge
        if not fallen_back(attainment, badge.threshold, item.goal.period_end < today):
            continue
        revocation = {
            "rule": {
                "code": badge.code,
                "version": badge.version,
                "threshold": str(badge.threshold),
            },
            "figures": {
                "metric": str(item.goal.metric),
                "target": str(item.goal.target),
                "currentValue": str(item.progress.current_value),
                "attainment": str(item.progress.attainment),
            },
            "reason": "The figure fell back below the threshold while the period runs.",
            "pointsReversed": badge.points,
        }
        if await store.revoke(award, now, revocation):
            revoked.append(award)
    return revoked


def _in_scope(deal: Deal, scope: dict[str, list[Any]]) -> bool:
    return (
        (not scope.get("productIds") or deal.product_id in scope["productIds"])
        and (not scope.get("regions") or deal.region in scope["regions"])
        and (not scope.get("segments") or deal.segment in scope["segments"])
    )


async def _contributions(metric: Metric, deals: Sequence[Deal]) -> list[Decimal]:
    """What each won deal added to a cumulative deal metric."""
    if metric is Metric.REVENUE:
        return [deal.amount for deal in deals]
    if metric is Metric.UNITS_SOLD:
        return [Decimal(deal.quantity) for deal in deals]
    if metric is Metric.DEALS_WON:
        return [Decimal(1) for _ in deals]
    costs = await sales.unit_costs(d.product_id for d in deals if d.product_id is not None)
    return [
        deal.amount - resolved_cost(deal.cost, deal.quantity, costs.get(deal.product_id or 0))
        for deal in deals
    ]


async def _won_in_periods(
    organisation_id: int, items: Sequence[Measured], tz: ZoneInfo
) -> list[Deal]:
    """The won deals of these goals' owners over the span of their periods, in closing
    order (each goal picks its own from them)."""
    spans = [period_of(item.goal).bounds(tz) for item in items]
    owners = sorted({item.goal.owner_rep_id for item in items if item.goal.owner_rep_id})
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    return await sales.won_deals(owners, organisation_id, first, last)


async def _explain(
    rule: BadgeRule, item: Measured, won: Sequence[Deal], tz: ZoneInfo
) -> dict[str, Any]:
    """The rule version, the figures, and for a cumulative deal metric the deals, in closing
    order, up to the one that carried the goal across the threshold."""
    goal = item.goal
    needed = goal.target * rule.threshold / HUNDRED
    counted: list[str] = []
    if goal.metric in DEAL_CUMULATIVE:
        start, end = period_of(goal).bounds(tz)
        deals = [
            d
            for d in won
            if d.owner_id == goal.owner_rep_id
            and d.closed_at is not None
            and start <= d.closed_at < end
            and _in_scope(d, goal.scope or {})
        ]
        crossed = crossing_index(await _contributions(goal.metric, deals), needed)
        counted = [d.external_id for d in (deals if crossed is None else deals[: crossed + 1])]
    return {
        "rule": {"code": rule.code, "version": rule.version, "threshold": str(rule.threshold)},
        "figures": {
            "metric": str(goal.metric),
            "target": str(goal.target),
            "needed": str(shown(needed)),
            "currentValue": str(item.progress.current_value),
            "attainment": str(item.progress.attainment),
        },
        "deals": counted,
    }


async def evaluate_reps(
    organisation: Organisation, rep_ids: Sequence[int], now: datetime
) -> list[Award]:
    """Award the reps' badges that do not hang on a goal: a first win ever, N deals won in
    the current month, a run of days, a certification earned."""
    rules = [r for r in await store.active_rules(organisation.id) if r.kind in REP_KINDS]
    if not rules or not rep_ids:
        return []
    tz = ZoneInfo(organisation.timezone)
    fiscal = organisation.fiscal_year_start_month
    month = period_containing(PeriodKind.MONTH, local_today(now, tz), fiscal)
    month_key = f"month:{label(PeriodKind.MONTH, month, fiscal)}"
    counts = await figures_of_reps(organisation, Metric.DEALS_WON, month, rep_ids)
    already = await store.awarded_keys(organisation.id, rep_ids)
    # Only reps without a first-win badge yet need their first won deal looked up.
    first_win = [rule for rule in rules if rule.kind is BadgeKind.FIRST_WIN]
    firsts = await sales.first_won_deals(
        [rep for rep in rep_ids if any((r.id, rep, "ever") not in already for r in first_win)]
    )
    earned: list[store.NewAward] = []
    for rep_id in rep_ids:
        candidates: list[tuple[BadgeRule, str]] = []
        first = firsts.get(rep_id)
        if first is not None:
            candidates += [
                (rule, "ever") for rule in count_badges_earned(BadgeKind.FIRST_WIN, 1, rules)
            ]
        won = int(counts[rep_id] or 0)
        candidates += [
            (rule, month_key)
            for rule in count_badges_earned(BadgeKind.DEALS_WON_IN_MONTH, won, rules)
        ]
        streaks = {
            rule.id: run
            for rule in rules
            if rule.kind is BadgeKind.STREAK_DAILY
            and (run := await _streak(organisation, rule, rep_id, now))
        }
        candidates += [
            (rule, f"streak-from:{streaks[rule.id][0].isoformat()}")
            for rule in rules
            if rule.id in streaks
        ]
        for rule, key in candidates:
            if (rule.id, rep_id, key) in already:
                continue
            if rule.kind is BadgeKind.STREAK_DAILY:
                run = streaks[rule.id]
                deals = []
                figures = {"days": [day.isoformat() for day in run]}
            elif rule.kind is BadgeKind.FIRST_WIN:
                assert first is not None
                deals = [first.external_id]
            else:
                start, end = month.bounds(tz)
                month_deals = await sales.won_deals([rep_id], organisation.id, start, end)
                deals = [d.external_id for d in month_deals[: int(rule.threshold)]]
            if rule.kind is not BadgeKind.STREAK_DAILY:
                figures = {"dealsWonThisMonth": won, "period": key}
            explanation = {
                "rule": {
                    "code": rule.code,
                    "version": rule.version,
                    "threshold": str(rule.threshold),
                },
                "figures": figures,
                "deals": deals,
            }
            earned.append(store.NewAward(rule, rep_id, None, key, explanation))
    earned += await _certifications(organisation.id, rules, rep_ids, already, now)
    return await store.record_awards(organisation.id, earned, now) if earned else []


REP_KINDS = frozenset(
    {
        BadgeKind.FIRST_WIN,
        BadgeKind.DEALS_WON_IN_MONTH,
        BadgeKind.STREAK_DAILY,
        BadgeKind.CERTIFICATION,
    }
)


async def _certifications(
    organisation_id: int,
    rules: Sequence[BadgeRule],
    rep_ids: Sequence[int],
    already: Collection[tuple[int, int, str]],
    now: datetime,
) -> list[store.NewAward]:
    """A badge for each certification recorded lately (a re-certification earns it again),
    of the rule's course or of any certifying course."""
    wanted = [rule for rule in rules if rule.kind is BadgeKind.CERTIFICATION]
    if not wanted:
        return []
    passes = [
        c
        for c in await training.recent_passes(organisation_id, rep_ids, now - LOOK_BACK)
        if c.expires_on
    ]
    courses = await training.courses_by_ids(organisation_id, [c.course_id for c in passes])
    earned = []
    for completion in passes:
        code = courses[completion.course_id].code
        key = f"certification:{completion.id}"
        for rule in wanted:
            if rule.course_code not in (None, code) or (rule.id, completion.rep_id, key) in already:
                continue
            explanation = {
                "rule": {"code": rule.code, "version": rule.version, "threshold": "1"},
                "figures": {
                    "course": code,
                    "certifiedOn": date.fromordinal(completion.day).isoformat(),
                    "expiresOn": completion.expires_on.isoformat()
                    if completion.expires_on
                    else None,
                    "score": str(completion.score) if completion.score is not None else None,
                },
                "deals": [],
            }
            earned.append(store.NewAward(rule, completion.rep_id, None, key, explanation))
    return earned


async def _streak(
    organisation: Organisation, rule: BadgeRule, rep_id: int, now: datetime
) -> list[date]:
    """The run of working days in a row on which the rep reached the rule's daily minimum,
    when it is at least `threshold` long and began inside the window we look at (a run that
    fills the window began earlier and was awarded then)."""
    needed = int(rule.threshold)
    window = needed * 3
    today = local_today(now, ZoneInfo(organisation.timezone))
    first = today - timedelta(days=window * 2 + 30)
    calendar = await people.working_calendar(organisation, first, today)
    days = calendar.working_days_back(today, window)
    assert rule.metric is not None
    assert rule.daily_minimum is not None
    figures = await daily_figures(organisation, Metric(rule.metric), rep_id, days)
    hits = {d for d, v in figures.items() if v is not None and v >= rule.daily_minimum}
    # Today still runs: it counts when already reached, and does not break the run yet.
    run = current_run(days if today in hits else [d for d in days if d != today], hits)
    return run if needed <= len(run) < len(days) else []
