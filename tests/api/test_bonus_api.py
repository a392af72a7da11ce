"""Bonus plans through GraphQL: simulation writes nothing; the ledger's workflow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx

from core.events import InProcessBus
from core.orgs.models import Organisation
from core.sales import service as sales
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from gamification.closing import close_periods
from gamification.models import PayoutEntry
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from workers.jobs import recompute_progress

PLAN = """{code: "REV", name: "Revenue", metric: REVENUE,
  tiers: [{start: "0", end: "100", rate: "5"}, {start: "100", rate: "10"}],
  flats: [{threshold: "100", amount: "200"}], cap: "1000"}"""
SIMULATE = f"""{{ simulateBonusPlan(plan: {PLAN}, periodStart: "2026-10-01",
  periodEnd: "2026-10-31") {{ rep {{ email }} value target amount capped }} }}"""
CREATE = (
    f"mutation {{ createBonusPlan(input: {PLAN}) {{ __typename ... on BonusPlan {{ version }} }} }}"
)
REWARDS = """{ myRewards { provisional final paid
  entries { edges { node { id status amount planCode planVersion } } } } }"""


async def october(org: Org, amount: int) -> None:
    await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=4000,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
    )
    await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(
                "oct",
                "rita@acme.test",
                Decimal(amount),
                DealStage.WON,
                created_at=datetime(2026, 10, 1, tzinfo=UTC),
                closed_at=datetime(2026, 10, 20, tzinfo=UTC),
            )
        ],
    )


async def test_simulating_a_plan_writes_nothing(client: httpx.AsyncClient, org: Org) -> None:
    await october(org, 5000)

    body = await graphql(client, SIMULATE, org.token())

    # 125% of 4,000: 5% × 4,000 = 200, 10% × 1,000 = 100, flat 200 → 500.
    assert body["data"]["simulateBonusPlan"] == [
        {
            "rep": {"email": "rita@acme.test"},
            "value": "5000.00",
            "target": "4000.00",
            "amount": "500.00",
            "capped": False,
        }
    ]
    assert await PayoutEntry.all().count() == 0
    refused = await graphql(client, SIMULATE, org.token(org.rep))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_ledger_goes_from_final_to_approved_to_paid(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    await october(org, 5000)
    assert (await graphql(client, CREATE, org.token()))["data"]["createBonusPlan"] == {
        "__typename": "BonusPlan",
        "version": 1,
    }
    await recompute_progress(
        {"bus": InProcessBus()}, organisation_id=org.organisation.id, rep_ids=[org.rep.id]
    )
    await close_periods(await Organisation.get(id=org.organisation.id), now + timedelta(days=1))
    entry_id = (await PayoutEntry.get(rep_id=org.rep.id)).id

    before = (await graphql(client, REWARDS, org.token(org.rep)))["data"]["myRewards"]
    approved = await graphql(
        client,
        f'mutation {{ approvePayouts(ids: ["{entry_id}"]) {{ moved {{ id }} skipped {{ id }} }} }}',
        org.token(),
    )
    pay = (
        f'mutation {{ markPayoutsPaid(ids: ["{entry_id}"]) '
        "{ moved { id } skipped { reason } } }"
    )
    paid = await graphql(client, pay, org.token())
    paid_again = await graphql(client, pay, org.token())
    after = (await graphql(client, REWARDS, org.token(org.rep)))["data"]["myRewards"]

    # The goal's period ended before it was settled: final at once.
    assert (before["provisional"], before["final"], before["paid"]) == ("0.00", "500.00", "0.00")
    assert before["entries"]["edges"][0]["node"]["planCode"] == "REV"
    assert approved["data"]["approvePayouts"] == {"moved": [{"id": str(entry_id)}], "skipped": []}
    assert paid["data"]["markPayoutsPaid"] == {"moved": [{"id": str(entry_id)}], "skipped": []}
    assert paid_again["data"]["markPayoutsPaid"] == {
        "moved": [],
        "skipped": [{"reason": "is PAID, not APPROVED."}],
    }
    assert (after["final"], after["paid"]) == ("0.00", "500.00")
    assert after["entries"]["edges"][0]["node"]["status"] == "PAID"


async def test_a_plan_that_cannot_pay_is_refused_not_simulated(
    client: httpx.AsyncClient, org: Org
) -> None:
    await october(org, 5000)
    simulate = """query($rate: Decimal!, $cap: Decimal) { simulateBonusPlan(plan: {code: "W",
      name: "W", metric: REVENUE, tiers: [{start: "0", rate: $rate}], cap: $cap},
      periodStart: "2026-10-01", periodEnd: "2026-10-31") { amount } }"""

    nan = await graphql(client, simulate, org.token(), rate="NaN")
    negative_cap = await graphql(client, simulate, org.token(), rate="5", cap="-1")
    fine = await graphql(client, simulate, org.token(), rate="5")

    assert nan["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert nan["errors"][0]["message"].startswith("plan.tiers: Every number must be finite")
    assert negative_cap["errors"][0]["message"] == "plan.cap: cap must be zero or more."
    # 5% of 5,000.
    assert fine["data"]["simulateBonusPlan"] == [{"amount": "250.00"}]


async def test_a_percentage_plan_on_a_rate_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    on_a_rate = PLAN.replace("metric: REVENUE", "metric: WIN_RATE")
    body = await graphql(
        client,
        f"mutation {{ createBonusPlan(input: {on_a_rate}) {{ __typename "
        "... on InputErrors { errors { field code } } } }",
        org.token(),
    )

    assert body["data"]["createBonusPlan"] == {
        "__typename": "InputErrors",
        "errors": [{"field": "tiers", "code": "NOT_FOR_METRIC"}],
    }


async def test_a_per_unit_plan_pays_for_each_deal_won(client: httpx.AsyncClient, org: Org) -> None:
    """A DEALS_WON goal of 4 in October: the one won deal pays 75 under 75 a deal won; the
    same per-unit amount on REVENUE is refused by field."""
    await october(org, 5000)
    await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.DEALS_WON,
        target=4,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
    )
    per_deal = """query($metric: Metric!) { simulateBonusPlan(plan: {code: "D", name: "D",
      metric: $metric, perUnit: "75"}, periodStart: "2026-10-01", periodEnd: "2026-10-31")
      { value amount } }"""

    deals = await graphql(client, per_deal, org.token(), metric="DEALS_WON")
    revenue = await graphql(client, per_deal, org.token(), metric="REVENUE")

    assert deals["data"]["simulateBonusPlan"] == [{"value": "1.00", "amount": "75.00"}]
    assert revenue["errors"][0]["message"] == (
        "plan.perUnit: A per-unit amount pays for each unit of a count, and REVENUE is not "
        "one: pay tiers instead."
    )
