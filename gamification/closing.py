"""What happens when periods close: payouts become final, the month's leaders get their
rank badges, and ended contests give their prizes. Run daily; each step is idempotent."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals import store as goal_store
from core.goals.models import Goal, OwnerType
from core.goals.service import measure_goals
from core.orgs.models import Organisation
from domain.metrics import Metric
from domain.periods import PeriodKind, label, local_today, period_containing
from gamification import store
from gamification.models import (
    Award,
    BadgeDefinition,
    Contest,
    EntryKind,
    PayoutEntry,
    PayoutStatus,
)
from gamification.payouts import close_ended_periods
from gamification.rules import BadgeKind, BadgeRule
from gamification.standings import contest_standings, leaderboard


async def close_periods(organisation: Organisation, now: datetime) -> int:
    """Everything due at period close; returns how many payouts and awards it made final."""
    done = await close_ended_periods(organisation, now)
    done += len(await award_month_leaders(organisation, now))
    done += len(await award_goal_streaks(organisation, now))
    done += len(await close_contests(organisation, now))
    return done


async def award_month_leaders(organisation: Organisation, now: datetime) -> list[Award]:
    """Rank badges for the previous calendar month: everyone ranked first, ties included."""
    rules = [
        r
        for r in await store.active_rules(organisation.id)
        if r.kind is BadgeKind.RANK_FIRST_IN_MONTH and r.metric is not None
    ]
    today = local_today(now, ZoneInfo(organisation.timezone))
    fiscal = organisation.fiscal_year_start_month
    month = period_containing(PeriodKind.MONTH, today.replace(day=1) - timedelta(days=1), fiscal)
    key = f"rank:{label(PeriodKind.MONTH, month, fiscal)}"
    awards = []
    for rule in rules:
        assert rule.metric is not None
        standings = await leaderboard(organisation, Metric(rule.metric), month, None)
        for user, standing in standings:
            if standing.rank == 1 and standing.value:
                award = await store.record_award(
                    organisation.id,
                    rule,
                    rep_id=user.id,
                    goal_id=None,
                    period_key=key,
                    awarded_at=now,
                    explanation={
                        "rule": {"code": rule.code, "version": rule.version},
                        "figures": {
                            "metric": rule.metric,
                            "value": str(standing.value),
                            "rank": 1,
                            "period": key,
                        },
                        "deals": [],
                    },
                )
                if award is not None:
                    awards.append(award)
    return awards


async def award_goal_streaks(organisation: Organisation, now: datetime) -> list[Award]:
    """Streak badges for reps whose last N ended goals of a metric all reached target."""
    rules = [
        r
        for r in await store.active_rules(organisation.id)
        if r.kind is BadgeKind.STREAK_GOALS and r.metric is not None
    ]
    if not rules:
        return []
    today = local_today(now, ZoneInfo(organisation.timezone))
    ended = [
        g
        for g in await goal_store.goals_ended_before(organisation.id, today)
        if g.owner_type is OwnerType.REP and not g.historical
    ]
    progress = await measure_goals(organisation, ended, now)
    awards = []
    for rule in rules:
        needed = int(rule.threshold)
        by_rep: dict[int, list[Goal]] = defaultdict(list)
        for goal in sorted(ended, key=lambda g: (g.period_start, g.id)):
            if goal.metric == rule.metric and goal.owner_rep_id is not None:
                by_rep[goal.owner_rep_id].append(goal)
        for rep_id, goals in by_rep.items():
            run: list[Goal] = []
            for goal in reversed(goals):
                # A goal that cannot be measured ends a streak, as a missed one does.
                attainment = progress[goal.id].exact_attainment if goal.id in progress else None
                if attainment is None or attainment < 100:
                    break
                run.insert(0, goal)
            if len(run) < needed:
                continue
            award = await store.record_award(
                organisation.id,
                rule,
                rep_id=rep_id,
                goal_id=None,
                period_key=f"goal-streak-from:{run[0].id}",
                awarded_at=now,
                explanation={
                    "rule": {
                        "code": rule.code,
                        "version": rule.version,
                        "threshold": str(rule.threshold),
                    },
                    "figures": {
                        "goals": [g.id for g in run],
                        "attainment": [str(progress[g.id].attainment) for g in run],
                    },
                    "deals": [],
                },
            )
            if award is not None:
                awards.append(award)
    return awards


async def close_contests(organisation: Organisation, now: datetime) -> list[Award]:
    """Prizes for the top places of every contest that ended before today, once."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    awards = []
    for contest in await store.contests_to_close(organisation.id, today):
        standings = await contest_standings(organisation, contest)
        for prize in contest.prizes:
            badge = await _prize_badge(organisation.id, prize)
            rule = BadgeRule(
                badge.id, badge.code, badge.version, badge.kind, badge.threshold, badge.points
            )
            for user, standing in standings:
                if standing.rank == prize["rank"] and standing.value:
                    award = await store.record_award(
                        organisation.id,
                        rule,
                        rep_id=user.id,
                        goal_id=None,
                        period_key=f"contest:{contest.id}",
                        awarded_at=now,
                        explanation={
                            "rule": {"code": badge.code, "version": badge.version},
                            "figures": {
                                "contest": contest.name,
                                "metric": str(contest.metric),
                                "value": str(standing.value),
                                "rank": standing.rank,
                            },
                            "deals": [],
                        },
                    )
                    if award is not None:
                        awards.append(award)
                        await _bonus_prize(contest, prize, award, now)
        await store.mark_contest_closed(contest.id, now)
    return awards


async def _bonus_prize(
    contest: Contest, prize: dict[str, object], award: Award, now: datetime
) -> None:
    """A prize's money goes to the payout ledger, final at once; tied to the new award, so
    a second close of the contest cannot pay it twice."""
    amount = Decimal(str(prize.get("bonus") or 0))
    if amount > 0:
        await store.add_entries(
            [
                PayoutEntry(
                    organisation_id=contest.organisation_id,
                    plan_id=None,
                    goal_id=None,
                    contest_id=contest.id,
                    rep_id=award.rep_id,
                    kind=EntryKind.PRIZE,
                    status=PayoutStatus.FINAL,
                    amount=amount,
                    explanation={"contest": contest.name, **award.explanation["figures"]},
                    created_at=now,
                )
            ]
        )


async def _prize_badge(organisation_id: int, prize: dict[str, object]) -> BadgeDefinition:
    return await store.prize_badge(
        organisation_id, str(prize["badge"]), int(str(prize.get("points", 0))), Decimal(1)
    )
