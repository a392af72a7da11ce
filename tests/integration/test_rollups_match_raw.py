"""Property: every metric computed from the rollups equals the same metric computed directly
from the raw records, whatever sequence of upserts (changed amounts, stages, owners, close
dates, product costs, lead conversions) produced them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.goals import service as goals
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from core.sales import service as sales
from core.sales import store as sales_store
from domain.errors import FieldError
from domain.metrics import Metric, value_of
from domain.money import shown
from domain.records import (
    AccountRecord,
    DealRecord,
    DealStage,
    LeadRecord,
    LeadStatus,
    ProductRecord,
)
from tests.support.factories import make_goal
from tests.support.oracle import RawDeal, RawLead, RawScope, totals

TZ = ZoneInfo("Australia/Adelaide")  # +10:30 / +9:30: day edges far from UTC's
ACCOUNTS = {"A1": ("EMEA", "SMB"), "A2": ("NA", "Enterprise"), "A3": ("NA", "SMB")}
EPOCH = datetime(2026, 10, 1, tzinfo=UTC)
money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False)
moment = st.builds(
    lambda days, minutes: EPOCH + timedelta(days=days, minutes=minutes),
    st.integers(0, 120),
    st.integers(0, 24 * 60 - 1),
)

deal_versions = st.fixed_dictionaries(
    {
        "external_id": st.sampled_from([f"d{n}" for n in range(8)]),
        "owner": st.integers(0, 2),
        "account": st.sampled_from(sorted(ACCOUNTS)),
        "product": st.sampled_from([None, "P1", "P2"]),
        "stage": st.sampled_from(list(DealStage)),
        "closed_at": moment,
        "amount": money,
        "cost": st.none() | money,
        "quantity": st.integers(1, 5),
    }
)
lead_versions = st.fixed_dictionaries(
    {
        "external_id": st.sampled_from([f"l{n}" for n in range(6)]),
        "owner": st.integers(0, 2),
        "account": st.sampled_from(sorted(ACCOUNTS)),
        "created_at": moment,
        "status": st.sampled_from(list(LeadStatus)),
        "qualifies": st.booleans(),
        "converted_deal": st.none() | st.sampled_from([f"d{n}" for n in range(8)]),
    }
)
batch = st.tuples(
    st.lists(deal_versions, max_size=8, unique_by=lambda d: d["external_id"]),
    st.lists(lead_versions, max_size=6, unique_by=lambda d: d["external_id"]),
    st.none() | st.tuples(st.none() | money, st.none() | money),  # new unit costs P1, P2
)
scopes = st.fixed_dictionaries(
    {
        "owner": st.sampled_from(["rep0", "rep1", "root", "child", "organisation"]),
        "products": st.sets(st.sampled_from(["P1", "P2"]), max_size=1),
        "regions": st.sets(st.sampled_from(["EMEA", "NA"]), max_size=1),
        "segments": st.sets(st.sampled_from(["SMB", "Enterprise"]), max_size=1),
        "first": st.integers(20, 100),
        "length": st.integers(1, 45),
    }
)


@pytest.mark.at(datetime(2027, 6, 1, tzinfo=UTC))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(batch, min_size=1, max_size=4), scope=scopes)
async def test_rollups_equal_raw_computation(db: None, batches: list, scope: dict) -> None:
    created = await orgs.provision_organisation(
        "Prop", admin_email=f"{uuid.uuid4().hex}@p.test", admin_name="A", timezone=TZ.key
    )
    assert not isinstance(created, FieldError)
    organisation, _ = created
    root = await orgs.create_team(organisation.id, "Root", None)
    assert isinstance(root, Team)
    child = await orgs.create_team(organisation.id, "Child", root.id)
    assert isinstance(child, Team)
    reps = []
    for n, team in enumerate((root, child, root)):
        rep = await orgs.create_user(
            organisation.id,
            email=f"{uuid.uuid4().hex}@p.test",
            name=f"R{n}",
            role=Role.REP,
            team_id=team.id,
        )
        assert isinstance(rep, User)
        reps.append(rep)
    await sales.ingest_accounts(
        organisation, [AccountRecord(k, k, segment=s, region=r) for k, (r, s) in ACCOUNTS.items()]
    )
    unit_costs: dict[str, Decimal | None] = {"P1": Decimal(7), "P2": None}
    await sales.ingest_products(
        organisation, [ProductRecord(k, k, unit_cost=v) for k, v in unit_costs.items()]
    )

    raw_deals: dict[str, RawDeal] = {}
    raw_leads: dict[str, RawLead] = {}
    for deal_batch, lead_batch, new_costs in batches:
        records = []
        for d in deal_batch:
            closed = None if d["stage"] is DealStage.OPEN else d["closed_at"]
            records.append(
                DealRecord(
                    d["external_id"],
                    reps[d["owner"]].email,
                    d["amount"],
                    d["stage"],
                    created_at=EPOCH - timedelta(days=1),
                    closed_at=closed,
                    cost=d["cost"],
                    quantity=d["quantity"],
                    account_external_id=d["account"],
                    product_external_id=d["product"],
                )
            )
            region, segment = ACCOUNTS[d["account"]]
            raw_deals[d["external_id"]] = RawDeal(
                d["external_id"],
                reps[d["owner"]].id,
                d["account"],
                d["product"],
                region,
                segment,
                d["stage"],
                closed,
                d["amount"],
                d["cost"],
                d["quantity"],
            )
        assert (await sales.ingest_deals(organisation, records)).rejected == []
        lead_records = []
        for lead in lead_batch:
            converted = lead["converted_deal"]
            if lead["status"] is LeadStatus.CONVERTED and converted is None:
                converted = "d0"
            qualified_at = lead["created_at"] + timedelta(hours=1) if lead["qualifies"] else None
            lead_records.append(
                LeadRecord(
                    lead["external_id"],
                    reps[lead["owner"]].email,
                    lead["created_at"],
                    lead["status"],
                    qualified_at,
                    converted,
                    account_external_id=lead["account"],
                )
            )
            region, segment = ACCOUNTS[lead["account"]]
            raw_leads[lead["external_id"]] = RawLead(
                reps[lead["owner"]].id,
                lead["created_at"],
                lead["status"],
                qualified_at,
                converted,
                region,
                segment,
            )
        assert (await sales.ingest_leads(organisation, lead_records)).rejected == []
        if new_costs is not None:
            unit_costs = dict(zip(("P1", "P2"), new_costs, strict=True))
            await sales.ingest_products(
                organisation, [ProductRecord(k, k, unit_cost=v) for k, v in unit_costs.items()]
            )

    first = EPOCH.date() + timedelta(days=scope["first"])
    last = first + timedelta(days=scope["length"] - 1)
    owner = scope["owner"]
    rep_id = {"rep0": reps[0].id, "rep1": reps[1].id}.get(owner)
    team_id = {"root": root.id, "child": child.id}.get(owner)
    members = {
        "rep0": {reps[0].id},
        "rep1": {reps[1].id},
        "root": {r.id for r in reps},
        "child": {reps[1].id},
        "organisation": None,
    }[owner]
    products = await sales_store.products_by_external_id(organisation.id, scope["products"])
    goal_scope = {
        "productIds": [p.id for p in products.values()],
        "regions": sorted(scope["regions"]),
        "segments": sorted(scope["segments"]),
    }
    made = {
        metric: await make_goal(
            organisation.id,
            metric=metric,
            target=1,
            start=first,
            end=last,
            rep_id=rep_id,
            team_id=team_id,
            scope=goal_scope,
        )
        for metric in Metric
    }
    measured = await goals.measure_goals(
        organisation, list(made.values()), datetime(2027, 6, 1, tzinfo=UTC)
    )
    expected_totals = totals(
        list(raw_deals.values()),
        list(raw_leads.values()),
        unit_costs,
        RawScope(
            frozenset(members) if members is not None else None,
            frozenset(scope["products"]),
            frozenset(scope["regions"]),
            frozenset(scope["segments"]),
        ),
        first,
        last,
        TZ,
    )
    for metric, goal in made.items():
        expected = value_of(metric, expected_totals)
        assert measured[goal.id].current_value == (
            shown(expected) if expected is not None else None
        ), (metric, expected_totals)


def test_oracle_sanity_on_one_hand_example() -> None:
    # One won deal of 10.00 on 2 Oct local and one lost the same day: win rate 50%.
    deal = RawDeal(
        "d",
        1,
        "A1",
        None,
        "EMEA",
        "SMB",
        DealStage.WON,
        datetime(2026, 10, 2, 1, tzinfo=UTC),
        Decimal(10),
        None,
        1,
    )
    lost = RawDeal(
        "e",
        1,
        "A1",
        None,
        "EMEA",
        "SMB",
        DealStage.LOST,
        datetime(2026, 10, 2, 1, tzinfo=UTC),
        Decimal(5),
        None,
        1,
    )
    result = totals(
        [deal, lost],
        [],
        {},
        RawScope(None, frozenset(), frozenset(), frozenset()),
        date(2026, 10, 1),
        date(2026, 10, 31),
        TZ,
    )
    assert value_of(Metric.WIN_RATE, result) == Decimal("50.00")
