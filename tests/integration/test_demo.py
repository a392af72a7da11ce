"""The demo organisation: the same figures from the same seed, and figures worth showing:
a director over three teams of twenty reps, eighteen seasonal months with repeat customers
and churn, goals of every metric, reps ahead and behind, customers retained."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from api import demo, demo_training
from api.demo_training import NEGOTIATION
from core.checkins.models import ActionItem, CheckIn
from core.goals.models import Goal, OwnerType
from core.goals.service import Structure, measure_goals
from core.markets.whitespace import whitespace
from core.orgs.models import Role, Team, User
from core.sales.models import Deal, Lead
from core.training.impact import training_impact
from core.training.models import Assignment, Completion, Course
from domain.metrics import Metric
from domain.periods import Period
from domain.progress import GoalStatus
from domain.records import DealStage
from gamification.models import BadgeDefinition, BonusPlan, Contest, PointsRule
from tests.conftest import empty_database

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
# The demo is seeded as it stands at NOW, so the clock reads NOW too.
pytestmark = pytest.mark.at(NOW)
NEW_YORK = ZoneInfo(demo.TIMEZONE)
# The demo's fiscal year starts in April.
FISCAL_YEAR = Period(date(2026, 4, 1), date(2027, 3, 31))


async def fingerprint() -> tuple[int, Decimal, int, int]:
    deals = await Deal.all()
    return (
        len(deals),
        sum((d.amount for d in deals), Decimal(0)),
        await Lead.all().count(),
        await Goal.all().count(),
    )


async def test_the_same_seed_gives_the_same_organisation(db: None) -> None:
    await demo.seed_demo(NOW)
    first = await fingerprint()
    await empty_database()
    await demo.seed_demo(NOW)

    assert await fingerprint() == first


async def test_the_demo_is_worth_looking_at(db: None) -> None:
    made = await demo.seed_demo(NOW)
    organisation = made.organisation

    # A director over three teams, twenty reps.
    sales = await Team.get(organisation_id=organisation.id, parent_id=None)
    director = await User.get(id=sales.manager_id)
    teams = await Team.filter(parent_id=sales.id).order_by("name")
    reps = await User.filter(organisation_id=organisation.id, role=Role.REP)
    assert (director.name, director.role) == (demo.DIRECTOR, Role.MANAGER)
    assert [t.name for t in teams] == ["Central", "East", "West"]
    assert all(t.manager_id is not None for t in teams)
    assert len(reps) == 20

    # Eighteen months (June 2025 – November 2026) with won business in each, busier in
    # December than in August, with customers who buy again and customers who stop.
    won = [d for d in await Deal.all() if d.stage is DealStage.WON and d.closed_at]
    by_month: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for deal in won:
        assert deal.closed_at is not None
        local = deal.closed_at.astimezone(NEW_YORK)
        by_month[(local.year, local.month)] += deal.amount
    assert sorted(by_month)[0] == (2025, 6)
    assert sorted(by_month)[-1] == (2026, 11)
    assert len(by_month) == 18
    assert by_month[(2025, 12)] > by_month[(2025, 8)]
    wins_per_account: dict[int, list[datetime]] = defaultdict(list)
    for deal in won:
        assert deal.account_id is not None
        assert deal.closed_at is not None
        wins_per_account[deal.account_id].append(deal.closed_at)
    repeat = [a for a, days in wins_per_account.items() if len(days) >= 3]
    lapsed = [
        a for a, days in wins_per_account.items() if max(days) < datetime(2026, 3, 1, tzinfo=UTC)
    ]
    assert len(repeat) >= 20
    assert len(lapsed) >= 20

    # Goals of every metric; a recurring monthly goal under each team's cascaded goal.
    goals = await Goal.filter(organisation_id=organisation.id)
    assert {g.metric for g in goals} == set(Metric)
    top = next(g for g in goals if g.owner_type is OwnerType.ORGANISATION)
    team_goals = [g for g in goals if g.parent_id == top.id]
    assert sorted(g.owner_team_id for g in team_goals) == sorted(t.id for t in teams)
    monthly = [
        g for g in goals if g.parent_id in {t.id for t in team_goals} and g.series_id is not None
    ]
    series = defaultdict(list)
    for goal in monthly:
        series[goal.series_id].append(goal)
    assert len(series) == 20
    assert {len(goals) for goals in series.values()} == {3}

    # This month some reps are ahead of their revenue goal and some behind; teams keep some
    # of their customers.
    running = [g for g in goals if g.period_start <= NOW.date() <= g.period_end]
    progress = await measure_goals(organisation, running, NOW)
    statuses = [
        progress[g.id].status
        for g in running
        if g.metric is Metric.REVENUE and g.owner_type is OwnerType.REP
    ]
    ahead = sum(s in (GoalStatus.ON_TRACK, GoalStatus.ACHIEVED) for s in statuses)
    behind = sum(s in (GoalStatus.AT_RISK, GoalStatus.OFF_TRACK) for s in statuses)
    assert (len(statuses), ahead >= 4, behind >= 4) == (20, True, True)
    retention = [progress[g.id].current_value for g in running if g.metric is Metric.RETENTION_RATE]
    assert len(retention) == 3
    assert all(v is not None and 0 < v < 100 for v in retention)

    # Rules, a bonus plan, a contest and last week's check-ins, some with overdue items.
    assert await BadgeDefinition.filter(organisation_id=organisation.id).count() >= 7
    assert await PointsRule.filter(organisation_id=organisation.id).count() == 4
    assert await BonusPlan.filter(organisation_id=organisation.id).count() == 1
    assert await Contest.filter(organisation_id=organisation.id).count() == 1
    assert await CheckIn.filter(organisation_id=organisation.id).count() == 20
    # Every other rep of each team acknowledged: 4 of 7, 4 of 7 and 3 of 6.
    assert await CheckIn.filter(acknowledged_at__isnull=False).count() == 11
    overdue = await ActionItem.filter(completed_at__isnull=True, due_on__lt=NOW.date()).count()
    assert overdue >= 5


async def test_the_demos_training_shows_an_effect(db: None) -> None:
    """About half the reps passed the negotiation course over the past year, and the demo
    makes them lose half as many deals afterwards: over ninety days either side, their win rate
    rises by more than the untrained reps' over the same days. Some core certifications
    have lapsed; West has an overdue core assignment."""
    made = await demo.seed_demo(NOW)
    organisation = made.organisation
    course = await Course.get(organisation_id=organisation.id, code=NEGOTIATION)
    structure = await Structure.load(organisation.id)
    sellers = {person for person, team in structure.teams_of.items() if team is not None}
    planned = demo_training.plan(
        [u.email for u in await User.filter(id__in=sellers, role=Role.REP)],
        NOW.astimezone(NEW_YORK).date(),
        7,
    )

    report = await training_impact(organisation, course.id, Metric.WIN_RATE, 90, sellers, NOW)

    # Everyone planned to pass did (a few after failing once); the recent ones are pending.
    passed = await Completion.filter(course_id=course.id, passed=True).count()
    assert passed == len(planned.negotiation)
    assert report.impact.trained.reps + report.pending == len(planned.negotiation)
    assert report.impact.trained.reps >= 5
    assert report.impact.untrained.reps >= 5
    difference = report.impact.difference
    assert difference is not None
    assert difference > 0
    today = NOW.astimezone(NEW_YORK).date().toordinal()
    lapsed = await Completion.filter(
        course__code="CORE-CERT", passed=True, expires_day__lte=today
    ).count()
    assert lapsed >= 1
    overdue = await Assignment.filter(
        course__code="CORE-CERT", completed_at=None, due_on__lt=NOW.astimezone(NEW_YORK).date()
    ).count()
    assert overdue >= 1


async def test_the_demo_declares_markets_one_untapped(db: None) -> None:
    """West's mid-market is sized at 25 times what the organisation sold in it over the
    last year, so its share this fiscal year starts near 4% against a goal of 6%; the public
    sector has no account yet, and East is to win 20 customers there."""
    made = await demo.seed_demo(NOW)
    organisation = made.organisation
    found = {m.market.code: m for m in await whitespace(organisation, FISCAL_YEAR, None)}
    assert set(found) == {"NA-WEST-MM", "PUBLIC"}
    public, west = found["PUBLIC"], found["NA-WEST-MM"]
    assert (public.held, public.customers, public.open_accounts) == ([], 0, 250)
    assert west.held
    assert west.never_sold_to or west.gaps
    # Against the market's revenue of the fiscal year's days gone by: the year's pace.
    assert west.share is not None
    assert Decimal(1) < west.share < Decimal(10)
    share_goal = await Goal.get(organisation_id=organisation.id, metric=Metric.MARKET_SHARE)
    assert (share_goal.target_start, share_goal.target) == (Decimal(4), Decimal(6))
    public_goal = await Goal.get(organisation_id=organisation.id, metric=Metric.NEW_CUSTOMERS,
                                 scope__not_isnull=True)  # fmt: skip
    assert (public_goal.owner_type, public_goal.target) == (OwnerType.TEAM, Decimal(20))
    progress = await measure_goals(organisation, [share_goal, public_goal], NOW)
    assert progress[public_goal.id].current_value == Decimal(0)
    assert progress[share_goal.id].current_value == west.share
