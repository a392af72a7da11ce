"""The progress read model (core/goals/figures.py): progress is read from stored figures
once measured, and a stored figure is never read once something moved it."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise import connections

from core.goals import figures
from core.goals.models import Goal
from core.goals.service import Structure, measure_affected_goals, read_progress
from core.imports.directory import Directory
from core.sales import service as sales
from domain.imports import RepRow
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.instants import local_date


async def goals_and_deals(org: Org, now: datetime) -> tuple[Goal, Goal]:
    """Rita's 10,000 goal and her team's 20,000 goal, and 6,000 + 5,000 won yesterday."""
    today = local_date(now, ZoneInfo(org.organisation.timezone))
    period = {"start": today - timedelta(days=10), "end": today + timedelta(days=20)}
    own = await make_goal(
        org.organisation.id, rep_id=org.rep.id, metric=Metric.REVENUE, target=10000, **period
    )
    team = await make_goal(
        org.organisation.id, team_id=org.team.id, metric=Metric.REVENUE, target=20000, **period
    )
    await won(org, now, ("d-1", 6000), ("d-2", 5000))
    return own, team


async def won(org: Org, now: datetime, *deals: tuple[str, int]) -> None:
    closed = now - timedelta(days=1)
    records = [
        DealRecord(
            external_id,
            "rita@acme.test",
            Decimal(amount),
            DealStage.WON,
            created_at=closed - timedelta(days=3),
            closed_at=closed,
        )
        for external_id, amount in deals
    ]
    assert (await sales.ingest_deals(org.organisation, records)).accepted == len(records)


async def read(org: Org, goals: list[Goal], now: datetime) -> dict[int, tuple[Decimal, Decimal]]:
    found = await read_progress(
        org.organisation, goals, now, lambda: Structure.load(org.organisation.id)
    )
    return {
        goal: (progress.current_value, progress.attainment)  # type: ignore[misc]
        for goal, progress in found.items()
    }


async def test_progress_is_read_from_the_stored_figure_once_measured(org: Org, now: datetime):
    own, team = await goals_and_deals(org, now)
    # The ingestion made both goals' rows stale in its own transaction: nothing to read yet,
    # and progress is measured from the rollups: 11,000 of 10,000 and of 20,000.
    assert await figures.stored(org.organisation.id, [own.id, team.id]) == {}
    assert await read(org, [own, team], now) == {
        own.id: (Decimal("11000.00"), Decimal("110.00")),
        team.id: (Decimal("11000.00"), Decimal("55.00")),
    }

    await measure_affected_goals(org.organisation, [org.rep.id], now)
    assert await figures.stored(org.organisation.id, [own.id, team.id]) == {
        own.id: Decimal("11000"),
        team.id: Decimal("11000"),
    }
    # Read from the row, not the rollups: a figure put there by hand is what shows.
    await connections.get("default").execute_query(
        "UPDATE goal_figure SET value = '2500.125' WHERE goal_id = $1", [own.id]
    )
    assert (await read(org, [own], now))[own.id] == (Decimal("2500.13"), Decimal("25.00"))


async def test_an_ingestion_makes_the_stored_figures_stale_at_once(org: Org, now: datetime):
    own, team = await goals_and_deals(org, now)
    await measure_affected_goals(org.organisation, [org.rep.id], now)

    await won(org, now, ("d-3", 1000))

    assert await figures.stored(org.organisation.id, [own.id, team.id]) == {}
    assert await read(org, [own, team], now) == {
        own.id: (Decimal("12000.00"), Decimal("120.00")),
        team.id: (Decimal("12000.00"), Decimal("60.00")),
    }


async def test_a_measurement_begun_before_a_change_never_stores_over_it(org: Org, now: datetime):
    own, team = await goals_and_deals(org, now)
    version = await figures.version_of(org.organisation.id)
    # A slow measurement reads 11,000 ...
    measured = {own.id: Decimal(11000), team.id: Decimal(11000)}
    # ... while 1,000 more is ingested, and only then stores what it read.
    await won(org, now, ("d-3", 1000))
    await figures.store(org.organisation.id, version, measured)

    assert await figures.stored(org.organisation.id, [own.id, team.id]) == {}
    await measure_affected_goals(org.organisation, [org.rep.id], now)
    assert await figures.stored(org.organisation.id, [own.id, team.id]) == {
        own.id: Decimal("12000"),
        team.id: Decimal("12000"),
    }


async def test_a_rep_moving_to_another_team_makes_team_figures_stale(org: Org, now: datetime):
    own, team = await goals_and_deals(org, now)
    await measure_affected_goals(org.organisation, [org.rep.id], now)

    directory = await Directory.load(org.organisation.id)
    await directory.put_rep(RepRow("Rita Rep", email="rita@acme.test", team="East"), line=2)

    # Her own figure is still hers; the team she left no longer counts her 11,000.
    assert await figures.stored(org.organisation.id, [own.id, team.id]) == {
        own.id: Decimal("11000")
    }
    assert (await read(org, [team], now))[team.id] == (Decimal("0.00"), Decimal("0.00"))
