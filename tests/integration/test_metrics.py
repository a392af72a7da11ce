"""Every metric on the hand-built data set of tests/support/world.py, on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from core.orgs import service as orgs
from core.orgs.models import Role, User
from core.sales import service as sales
from domain.metrics import Metric
from domain.records import DealStage, ProductRecord
from tests.support.world import (
    AFTER,
    ANA_DECEMBER,
    EAST_DECEMBER,
    ORGANISATION_DECEMBER,
    World,
    build_world,
    value,
)

# The world holds deals up to January 2027.
pytestmark = pytest.mark.at(AFTER)

D = Decimal


@pytest.fixture
async def world(db: None) -> World:
    return await build_world()


@pytest.mark.parametrize(("metric", "expected"), ANA_DECEMBER.items())
async def test_every_metric_for_a_rep(world: World, metric: Metric, expected: Decimal) -> None:
    assert await value(world, metric, rep=world.ana) == expected


@pytest.mark.parametrize(("metric", "expected"), EAST_DECEMBER.items())
async def test_every_metric_for_a_team_with_its_sub_team(
    world: World, metric: Metric, expected: Decimal
) -> None:
    assert await value(world, metric, team=world.east) == expected


@pytest.mark.parametrize(("metric", "expected"), ORGANISATION_DECEMBER.items())
async def test_metrics_for_the_organisation(
    world: World, metric: Metric, expected: Decimal
) -> None:
    assert await value(world, metric) == expected


async def test_scope_filters_apply_before_aggregation(world: World) -> None:
    # EMEA: a1, a2, a5. Product P1: a1 and c1. Enterprise: a1 and b1 (a6 is January).
    assert await value(world, Metric.REVENUE, scope={"regions": ["EMEA"]}) == D("4700.00")
    products = await sales.store.products_by_external_id(world.organisation.id, ["P1"])
    scope = {"productIds": [products["P1"].id]}
    assert await value(world, Metric.REVENUE, scope=scope) == D("3500.00")
    assert await value(world, Metric.REVENUE, scope={"segments": ["Enterprise"]}) == D("5000.00")
    assert await value(world, Metric.WIN_RATE, scope={"regions": ["NA"]}) == D(
        "50.00"
    )  # b1, c1 / a3, b2


async def test_empty_denominators_are_null(world: World) -> None:
    nobody = await orgs.create_user(
        world.organisation.id,
        email="dee@acme.test",
        name="Dee",
        role=Role.REP,
        team_id=world.west.id,
    )
    assert isinstance(nobody, User)
    for metric in (
        Metric.WIN_RATE,
        Metric.PROFIT_MARGIN,
        Metric.AVERAGE_DEAL_SIZE,
        Metric.RETENTION_RATE,
        Metric.CONVERSION_RATE,
    ):
        assert await value(world, metric, rep=nobody) is None, metric
    assert await value(world, Metric.REVENUE, rep=nobody) == D("0.00")


async def test_a_re_ingested_deal_with_a_new_amount(world: World) -> None:
    await sales.ingest_deals(world.organisation, [replace(world.deals["a1"], amount=D(1500))])

    assert await value(world, Metric.REVENUE, rep=world.ana) == D("5200.00")
    assert await value(world, Metric.GROSS_PROFIT, rep=world.ana) == D("4080.00")


async def test_a_deal_moved_from_won_to_lost(world: World) -> None:
    await sales.ingest_deals(world.organisation, [replace(world.deals["a2"], stage=DealStage.LOST)])

    assert await value(world, Metric.REVENUE, rep=world.ana) == D("1700.00")
    assert await value(world, Metric.WIN_RATE, rep=world.ana) == D("50.00")  # 2 / (2 + 2)
    # l2's deal is no longer won, so l2 no longer counts as converted.
    assert await value(world, Metric.CONVERSION_RATE, rep=world.ana) == D("0.00")


async def test_a_rep_moved_between_teams(world: World) -> None:
    world.ben.team_id = world.west.id
    await world.ben.save(update_fields=["team_id"])

    assert await value(world, Metric.REVENUE, team=world.east) == D("4700.00")
    assert await value(world, Metric.REVENUE, team=world.west) == D("6500.00")  # 2,500 + 4,000


async def test_a_deal_changing_owner(world: World) -> None:
    await sales.ingest_deals(
        world.organisation, [replace(world.deals["c1"], owner_email="ana@acme.test")]
    )

    assert await value(world, Metric.REVENUE, rep=world.ana) == D("7200.00")
    assert await value(world, Metric.REVENUE, rep=world.cy) == D("0.00")


async def test_a_new_unit_cost_reprices_deals_without_their_own(world: World) -> None:
    await sales.ingest_products(world.organisation, [ProductRecord("P1", "Widget", D(100), D(100))])

    # a1 now costs 2 × 100 = 200: 4,700 − (200 + 1,000) = 3,500.
    assert await value(world, Metric.GROSS_PROFIT, rep=world.ana) == D("3500.00")
