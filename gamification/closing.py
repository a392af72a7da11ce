"""What happens when periods close: payouts become final, the month's leaders get their
rank badges, and ended contests give their prizes. Run daily; each step is idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.orgs.models import Organisation
from domain.metrics import Metric
from domain.periods import Period, PeriodKind, label, local_today, period_containing
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
from gamification.standings import leaderboard


async def close_periods(organisation: Organisation, now: datetime) -> int:
    """Everything due at period close; returns how many payouts and awards it made final."""
    done = await close_ended_periods(organisation, now)
    done += len(await award_month_leaders(organisation, now))
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


async def close_contests(organisation: Organisation, now: datetime) -> list[Award]:
    """Prizes for the top places of every contest that ended before today, once."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    awards = []
    for contest in await store.contests_to_close(organisation.id, today):
        standings = await leaderboard(
            organisation,
            contest.metric,
            Period(contest.starts_on, contest.ends_on),
            contest.team_id,
        )
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
