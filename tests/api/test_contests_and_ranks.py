"""At period close: contest prizes for the top places (ties share a place), rank badges
for the month's leaders, each given once however often the close runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx

from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, User
from core.sales import service as sales
from domain.errors import FieldError
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from gamification import store
from gamification.closing import close_periods
from gamification.models import Award
from gamification.rules import BadgeKind
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql

LA = ZoneInfo("America/Los_Angeles")
CONTEST = """mutation { createContest(name: "October sprint", metric: REVENUE,
  startsOn: "2026-10-01", endsOn: "2026-10-31",
  prizes: [{rank: 1, badge: "SPRINT_GOLD", points: 100, bonus: "250"},
           {rank: 2, badge: "SPRINT_SILVER", points: 50}]) {
  __typename ... on Contest { id closed prizes { rank badge { code } } } } }"""


async def reps_with_october(org: Org) -> dict[str, User]:
    reps = {"rita": org.rep}
    for name in ("sam", "tia"):
        user = await orgs.create_user(
            org.organisation.id,
            email=f"{name}@acme.test",
            name=name.title(),
            role=Role.REP,
            team_id=org.team.id,
        )
        assert isinstance(user, User)
        reps[name] = user
    # Rita 700 and Tia 700 tie for first; Sam 300 is third (no third prize).
    won = (("r1", "rita", 400), ("r2", "rita", 300), ("t1", "tia", 700), ("s1", "sam", 300))
    await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(
                key,
                f"{who}@acme.test",
                Decimal(amount),
                DealStage.WON,
                created_at=datetime(2026, 10, 1, tzinfo=UTC),
                closed_at=datetime(2026, 10, 15, 12, tzinfo=LA),
            )
            for key, who, amount in won
        ],
    )
    return reps


async def prizes(org: Org) -> list[tuple[str, str, str]]:
    awards = (
        await Award.filter(organisation_id=org.organisation.id)
        .prefetch_related("badge", "rep")
        .order_by("id")
    )
    return [(a.rep.name, a.badge.code, a.period_key) for a in awards if a.badge.code != "FIRST_WIN"]


async def test_contest_prizes_at_close_with_a_tie(client: httpx.AsyncClient, org: Org) -> None:
    await reps_with_october(org)
    created = await graphql(client, CONTEST, org.token())
    contest_key = f"contest:{created['data']['createContest']['id']}"
    organisation = await Organisation.get(id=org.organisation.id)

    during = await close_periods(organisation, datetime(2026, 10, 20, tzinfo=LA))
    await close_periods(organisation, datetime(2026, 11, 2, tzinfo=LA))
    await close_periods(organisation, datetime(2026, 11, 3, tzinfo=LA))

    assert created["data"]["createContest"]["closed"] is False
    assert during == 0
    # A tie for first: both get gold; the next place is third, which has no prize.
    assert sorted(await prizes(org)) == [
        ("Rita Rep", "SPRINT_GOLD", contest_key),
        ("Tia", "SPRINT_GOLD", contest_key),
    ]
    mine = await graphql(client, "{ myAchievements { points } }", org.token(org.rep))
    assert mine["data"]["myAchievements"]["points"] == 100
    rewards = await graphql(
        client,
        "{ myRewards { provisional final paid "
        "entries { edges { node { kind amount contestId } } } } }",
        org.token(org.rep),
    )
    assert rewards["data"]["myRewards"] == {
        "provisional": "0.00",
        "final": "250.00",
        "paid": "0.00",
        "entries": {
            "edges": [
                {
                    "node": {
                        "kind": "PRIZE",
                        "amount": "250.00",
                        "contestId": created["data"]["createContest"]["id"],
                    }
                }
            ]
        },
    }


async def test_the_months_leaders_get_the_rank_badge_once(org: Org) -> None:
    await reps_with_october(org)
    await store.create_badge(
        org.organisation.id,
        code="TOP_OF_MONTH",
        name="Top of the month",
        kind=BadgeKind.RANK_FIRST_IN_MONTH,
        threshold=Decimal(1),
        points=60,
        metric=Metric.REVENUE,
    )
    organisation = await Organisation.get(id=org.organisation.id)

    for day in (1, 2):
        await close_periods(organisation, datetime(2026, 11, day, 9, tzinfo=LA))

    assert sorted(await prizes(org)) == [
        ("Rita Rep", "TOP_OF_MONTH", "rank:2026-10"),
        ("Tia", "TOP_OF_MONTH", "rank:2026-10"),
    ]


async def test_a_streak_of_goals_reached_one_after_another(org: Org) -> None:
    await store.create_badge(
        org.organisation.id,
        code="HAT_TRICK",
        name="Three in a row",
        kind=BadgeKind.STREAK_GOALS,
        threshold=Decimal(3),
        points=40,
        metric=Metric.REVENUE,
    )
    # July missed (50 of 100), then August 150, September 100, October 200: three in a row.
    months = ((7, 50), (8, 150), (9, 100), (10, 200))
    for month, amount in months:
        start = date(2026, month, 1)
        end = date(2026, month + 1, 1) - timedelta(days=1)
        await make_goal(
            org.organisation.id,
            rep_id=org.rep.id,
            metric=Metric.REVENUE,
            target=100,
            start=start,
            end=end,
        )
        await sales.ingest_deals(
            org.organisation,
            [
                DealRecord(
                    f"g-{month}",
                    "rita@acme.test",
                    Decimal(amount),
                    DealStage.WON,
                    created_at=datetime(2026, 6, 1, tzinfo=UTC),
                    closed_at=datetime(2026, month, 10, 12, tzinfo=LA),
                )
            ],
        )
    organisation = await Organisation.get(id=org.organisation.id)

    for day in (1, 2):
        await close_periods(organisation, datetime(2026, 11, day, 9, tzinfo=LA))

    awards = await Award.filter(rep_id=org.rep.id, badge__code="HAT_TRICK")
    assert len(awards) == 1
    assert awards[0].explanation["figures"]["attainment"] == ["150.00", "100.00", "200.00"]


TEAM_CONTEST = """mutation { createContest(name: "Team cup", metric: REVENUE,
  startsOn: "2026-10-01", endsOn: "2026-10-31", betweenTeams: true,
  prizes: [{rank: 1, badge: "CUP_GOLD", points: 80}, {rank: 2, badge: "CUP_SILVER", points: 40}]) {
  __typename ... on Contest { id betweenTeams } } }"""


async def test_a_contest_between_teams_rewards_every_member(
    client: httpx.AsyncClient, org: Org
) -> None:
    reps = await reps_with_october(org)
    east = await orgs.create_team(org.organisation.id, "East", None)
    assert not isinstance(east, FieldError)
    for name in ("sam", "tia"):
        reps[name].team_id = east.id
        await reps[name].save(update_fields=["team_id"])
    created = await graphql(client, TEAM_CONTEST, org.token())
    organisation = await Organisation.get(id=org.organisation.id)

    await close_periods(organisation, datetime(2026, 11, 2, tzinfo=LA))

    # East: Sam 300 + Tia 700 = 1,000 beats West: Rita 700.
    key = f"contest:{created['data']['createContest']['id']}"
    assert sorted(await prizes(org)) == [
        ("Rita Rep", "CUP_SILVER", key),
        ("Sam", "CUP_GOLD", key),
        ("Tia", "CUP_GOLD", key),
    ]
