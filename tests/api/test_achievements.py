"""Badge rules as versioned data, count badges, points and levels, `myAchievements`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.config import Settings
from core.events import InProcessBus
from core.orgs.models import Organisation
from core.sales import service as sales
from domain.records import DealRecord, DealStage, LeadRecord, LeadStatus
from gamification.models import Award
from gamification.service import evaluate_reps
from tests.conftest import Org
from tests.support.graphql import graphql
from tests.support.workers import burst_worker
from workers.jobs import recompute_progress

RULE = """mutation($threshold: Decimal!, $points: Int!) { createBadgeRule(input: {
  code: "BUSY_MONTH", name: "Busy month", kind: DEALS_WON_IN_MONTH, threshold: $threshold,
  points: $points}) { __typename ... on BadgeRule { code version active } } }"""
MINE = """{ myAchievements { points level nextLevelAt pointsToNextLevel
  badges { badge { code version } explanation } } }"""


async def recompute(org: Org) -> None:
    await recompute_progress(
        {"bus": InProcessBus()}, organisation_id=org.organisation.id, rep_ids=[org.rep.id]
    )


@pytest.mark.dated
async def test_a_rule_change_leaves_earlier_awards_on_their_version(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    deals = [
        DealRecord(
            f"m-{n}",
            "rita@acme.test",
            Decimal(100),
            DealStage.WON,
            created_at=now - timedelta(days=1),
            closed_at=now - timedelta(minutes=3 - n),
        )
        for n in range(3)
    ]
    first = await graphql(client, RULE, org.token(), threshold="3", points=50)
    await sales.ingest_deals(org.organisation, deals)
    await recompute(org)
    second = await graphql(client, RULE, org.token(), threshold="2", points=80)
    await recompute(org)
    await recompute(org)

    assert first["data"]["createBadgeRule"] == {
        "__typename": "BadgeRule",
        "code": "BUSY_MONTH",
        "version": 1,
        "active": True,
    }
    assert second["data"]["createBadgeRule"]["version"] == 2
    awards = await Award.filter(rep_id=org.rep.id).prefetch_related("badge").order_by("id")
    assert [(a.badge.code, a.badge.version) for a in awards] == [
        ("FIRST_WIN", 1),
        ("BUSY_MONTH", 1),
        ("BUSY_MONTH", 2),
    ]
    # Version 1 needed three deals, version 2 two: each names the deals that got there.
    assert awards[1].explanation["deals"] == ["m-0", "m-1", "m-2"]
    assert awards[2].explanation["deals"] == ["m-0", "m-1"]

    mine = (await graphql(client, MINE, org.token(org.rep)))["data"]["myAchievements"]
    # 25 (first win) + 50 (v1) + 80 (v2) = 155 points: level 2 (from 100), level 3 at 250.
    assert (mine["points"], mine["level"], mine["nextLevelAt"], mine["pointsToNextLevel"]) == (
        155,
        2,
        250,
        95,
    )
    assert [b["badge"] for b in mine["badges"]] == [
        {"code": "BUSY_MONTH", "version": 2},
        {"code": "BUSY_MONTH", "version": 1},
        {"code": "FIRST_WIN", "version": 1},
    ]


async def test_two_deals_do_not_make_a_three_deal_month(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    await graphql(client, RULE, org.token(), threshold="3", points=50)
    await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(
                f"t-{n}",
                "rita@acme.test",
                Decimal(100),
                DealStage.WON,
                created_at=now - timedelta(days=1),
                closed_at=now - timedelta(minutes=1),
            )
            for n in range(2)
        ],
    )
    await recompute(org)

    codes = await Award.filter(rep_id=org.rep.id).values_list("badge__code", flat=True)
    assert codes == ["FIRST_WIN"]


async def test_only_admins_write_rules(client: httpx.AsyncClient, org: Org) -> None:
    body = await graphql(client, RULE, org.token(org.rep), threshold="3", points=50)
    assert body["data"]["createBadgeRule"]["__typename"] == "InputErrors"


STREAK = """mutation { createBadgeRule(input: {code: "ON_A_ROLL", name: "On a roll",
  kind: STREAK_DAILY, threshold: "3", points: 30, metric: DEALS_WON, dailyMinimum: "1"}) {
  __typename } }"""
HOLIDAY = """mutation { addHoliday(day: "2026-12-25", name: "Christmas") {
  __typename ... on Holiday { day } } }"""


@pytest.mark.at(datetime(2026, 12, 29, 17, tzinfo=UTC))
async def test_a_daily_streak_runs_across_a_weekend_and_a_holiday(
    client: httpx.AsyncClient, org: Org
) -> None:
    la = ZoneInfo("America/Los_Angeles")
    assert (await graphql(client, STREAK, org.token()))["data"]["createBadgeRule"] == {
        "__typename": "BadgeRule"
    }
    assert (await graphql(client, HOLIDAY, org.token()))["data"]["addHoliday"] == {
        "__typename": "Holiday",
        "day": "2026-12-25",
    }
    # A deal won on Wednesday 23, Thursday 24 and Monday 28 December; 25 is a holiday,
    # 26-27 a weekend, and nothing was won on Tuesday 22.
    days = (date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 28))
    await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(
                f"s-{day.day}",
                "rita@acme.test",
                Decimal(10),
                DealStage.WON,
                created_at=datetime(2026, 12, 1, tzinfo=UTC),
                closed_at=datetime(day.year, day.month, day.day, 11, tzinfo=la),
            )
            for day in days
        ],
    )
    organisation = await Organisation.get(id=org.organisation.id)

    on_monday = await evaluate_reps(
        organisation, [org.rep.id], datetime(2026, 12, 28, 18, tzinfo=la)
    )
    on_tuesday = await evaluate_reps(
        organisation, [org.rep.id], datetime(2026, 12, 29, 9, tzinfo=la)
    )

    streaks = [a for a in on_monday if a.period_key.startswith("streak")]
    assert [(a.period_key, a.explanation["figures"]["days"]) for a in streaks] == [
        ("streak-from:2026-12-23", ["2026-12-23", "2026-12-24", "2026-12-28"])
    ]
    # Tuesday has not been won yet: the same run, no second award.
    assert [a for a in on_tuesday if a.period_key.startswith("streak")] == []


POINTS = """mutation($code: String!, $event: PointsEvent!, $points: Int!) {
  createPointsRule(code: $code, event: $event, points: $points) {
  __typename ... on PointsRule { version } } }"""


async def test_points_per_won_deal_and_qualified_lead_once_each(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    await graphql(client, POINTS, org.token(), code="WIN", event="DEAL_WON", points=10)
    await graphql(client, POINTS, org.token(), code="QUAL", event="LEAD_QUALIFIED", points=5)
    await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(
                f"p-{n}",
                "rita@acme.test",
                Decimal(100),
                stage,
                created_at=now - timedelta(days=1),
                closed_at=now - timedelta(minutes=1),
            )
            for n, stage in enumerate((DealStage.WON, DealStage.WON, DealStage.LOST))
        ],
    )
    await sales.ingest_leads(
        org.organisation,
        [
            LeadRecord("q-1", "rita@acme.test", now - timedelta(days=1), LeadStatus.QUALIFIED),
            LeadRecord("q-2", "rita@acme.test", now - timedelta(days=1), LeadStatus.NEW),
        ],
    )

    await recompute(org)
    await recompute(org)

    mine = (await graphql(client, MINE, org.token(org.rep)))["data"]["myAchievements"]
    # Two won deals × 10 + one qualified lead × 5 + the first-win badge's 25.
    assert mine["points"] == 50


async def test_a_badge_rule_needs_a_threshold_it_can_compare(
    client: httpx.AsyncClient, org: Org
) -> None:
    answers = [
        await graphql(
            client,
            RULE.replace(
                "BadgeRule { code version active }", "InputErrors { errors { field code } }"
            ),
            org.token(),
            threshold=threshold,
            points=5,
        )
        for threshold in ("NaN", "1e12", "0")
    ]

    assert [a["data"]["createBadgeRule"]["errors"] for a in answers] == [
        [{"field": "threshold", "code": "OUT_OF_RANGE"}],
        [{"field": "threshold", "code": "OUT_OF_RANGE"}],
        [{"field": "threshold", "code": "NOT_POSITIVE"}],
    ]


async def test_a_new_badge_rule_applies_at_once_to_everyone(
    client: httpx.AsyncClient, org: Org, settings: Settings, now: datetime
) -> None:
    # Three deals this month, measured before the rule existed.
    await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(
                f"e-{n}",
                "rita@acme.test",
                Decimal(100),
                DealStage.WON,
                created_at=now - timedelta(days=1),
                closed_at=now - timedelta(minutes=3 - n),
            )
            for n in range(3)
        ],
    )
    await recompute(org)
    before = await Award.filter(rep_id=org.rep.id, badge__code="BUSY_MONTH").count()

    made = await graphql(client, RULE, org.token(), threshold="3", points=50)
    worker = burst_worker(settings)
    try:
        await worker.main()
    finally:
        await worker.close()

    # No new deal arrived: the rule itself had everyone evaluated.
    assert made["data"]["createBadgeRule"]["version"] == 1
    assert before == 0
    assert await Award.filter(rep_id=org.rep.id, badge__code="BUSY_MONTH").count() == 1
