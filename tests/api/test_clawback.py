"""Awards follow the figures while a period runs: a threshold badge whose figure falls back
is revoked (points reversed, an event sent), reinstated when earned again; a deal's points
follow it through the month they were earned in; once a period is over, awards stand."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx

from core.events import InProcessBus, awards_channel
from core.messages import AwardChanged, Event
from core.sales import service as sales
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from gamification import store
from gamification.models import Award, PointsEntry, PointsEvent
from tests.conftest import Org
from tests.support.factories import make_goal, revenue_goal_around
from tests.support.graphql import graphql
from tests.support.instants import LOS_ANGELES
from workers.jobs import recompute_progress

ACHIEVEMENTS = "{ myAchievements { points badges { badge { code } } } }"
REVOKED = """{ awards(includeRevoked: true) { edges { node {
  badge { code } revokedAt revocation } } } }"""


def deal(key: str, amount: int, stage: DealStage, closed: datetime) -> DealRecord:
    return DealRecord(
        key, "rita@acme.test", Decimal(amount), stage, closed - timedelta(days=1), closed
    )


async def events_of(stream: AsyncIterator[Event]) -> list[tuple[str, str]]:
    """The award events published so far: (kind, badge code)."""
    seen = []
    while True:
        try:
            event = await asyncio.wait_for(anext(stream), 0.2)
        except TimeoutError:
            return seen
        assert isinstance(event, AwardChanged)
        seen.append((event.kind, event.badge_code))


async def test_a_badge_falls_with_its_figure_while_the_period_runs(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    """Target 1,000 this period; 600 + 400 won hit it (TARGET_HIT 100 points, FIRST_WIN
    25, 10 a won deal). The 400 moved to LOST: TARGET_HIT is revoked with the figures
    (600, 60%), its 100 points and the deal's 10 reversed, FIRST_WIN stands. Won again:
    reinstated, and the points are back."""
    organisation = org.organisation
    await store.create_points_rule(
        organisation.id, code="WIN", event=PointsEvent.DEAL_WON, points=10
    )
    goal = await revenue_goal_around(organisation.id, org.rep.id, now, 1000, days=10)
    closed = now - timedelta(hours=2)
    bus = InProcessBus()

    async def step(*records: DealRecord) -> tuple[int, list[tuple[str, str]]]:
        assert (await sales.ingest_deals(organisation, list(records))).accepted == len(records)
        async with bus.subscribe(awards_channel(organisation.id)) as stream:
            await recompute_progress({"bus": bus}, organisation.id, [org.rep.id])
            events = await events_of(stream)
        body = await graphql(client, ACHIEVEMENTS, org.token(org.rep))
        return body["data"]["myAchievements"]["points"], events

    hit = await step(deal("d1", 600, DealStage.WON, closed), deal("d2", 400, DealStage.WON, closed))
    fallen = await step(deal("d2", 400, DealStage.LOST, closed))
    revoked = await graphql(client, REVOKED, org.token(org.rep))
    back = await step(deal("d2", 400, DealStage.WON, closed))

    assert hit == (100 + 25 + 2 * 10, [("AWARDED", "TARGET_HIT"), ("AWARDED", "FIRST_WIN")])
    assert fallen == (25 + 10, [("REVOKED", "TARGET_HIT")])
    [withdrawn] = [
        edge["node"]
        for edge in revoked["data"]["awards"]["edges"]
        if edge["node"]["revokedAt"] is not None
    ]
    assert withdrawn["badge"]["code"] == "TARGET_HIT"
    assert withdrawn["revocation"]["figures"]["currentValue"] == "600.00"
    assert withdrawn["revocation"]["figures"]["attainment"] == "60.00"
    assert withdrawn["revocation"]["pointsReversed"] == 100
    assert back == (145, [("AWARDED", "TARGET_HIT")])
    # d2's ledger: earned, reversed, earned again.
    entries = await PointsEntry.filter(record_key="deal:d2").order_by("id")
    assert [(e.source_key, e.points) for e in entries] == [
        ("deal:d2", 10),
        ("deal:d2#2", -10),
        ("deal:d2#3", 10),
    ]
    assert await Award.filter(goal_id=goal.id, revoked_at=None).count() == 1


async def test_once_the_period_is_over_the_award_stands(org: Org, now: datetime) -> None:
    """October's goal was hit by a deal of 15 October; the deal corrected to LOST in
    November moves October's figure below target, but October is over: the badge stands."""
    organisation = org.organisation
    goal = await make_goal(
        organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=1000,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
    )
    october = datetime(2026, 10, 15, 12, tzinfo=LOS_ANGELES)
    bus = InProcessBus()
    await sales.ingest_deals(organisation, [deal("o1", 1000, DealStage.WON, october)])
    await recompute_progress({"bus": bus}, organisation.id, [org.rep.id])
    await sales.ingest_deals(organisation, [deal("o1", 1000, DealStage.LOST, october)])
    await recompute_progress({"bus": bus}, organisation.id, [org.rep.id])

    awards = await Award.filter(goal_id=goal.id).prefetch_related("badge")
    assert [(a.badge.code, a.revoked_at) for a in awards] == [("TARGET_HIT", None)]
