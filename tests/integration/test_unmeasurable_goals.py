"""A goal whose figures cannot be computed (a target stored as NaN before inputs were
checked) never stops the others: the page, the re-measurement job and the daily cron go on,
and the goal says why it has no progress. An organisation the cron cannot handle does not
stop the cron for the others either."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfoNotFoundError

import httpx
import pytest

from core.events import InProcessBus
from core.goals.models import ProgressSnapshot
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales import service as sales
from domain.errors import FieldError
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.instants import LOS_ANGELES, local_date
from workers.jobs import JOBS, recompute_progress, snapshot_goals_of
from workers.queue import InProcessQueue

GOALS = "{ goals { edges { node { id progress { currentValue } measurementProblem } } } }"


async def test_an_unmeasurable_goal_stops_nothing_else(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    window = {"start": today - timedelta(days=3), "end": today + timedelta(days=3)}
    sound = await make_goal(
        org.organisation.id, rep_id=org.rep.id, metric=Metric.REVENUE, target=1000, **window
    )
    broken = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=Decimal("NaN"),
        **window,
    )
    deal = DealRecord(
        "d-1", "rita@acme.test", Decimal(400), DealStage.WON, now - timedelta(days=2), now
    )
    await sales.ingest_deals(org.organisation, [deal])

    page = await graphql(client, GOALS, org.token())
    await recompute_progress(
        {"bus": InProcessBus()}, organisation_id=org.organisation.id, rep_ids=[org.rep.id]
    )
    taken = await snapshot_goals_of({}, organisation_id=org.organisation.id)

    assert "errors" not in page, page
    nodes = {int(e["node"]["id"]): e["node"] for e in page["data"]["goals"]["edges"]}
    assert nodes[sound.id] == {
        "id": str(sound.id),
        "progress": {"currentValue": "400.00"},
        "measurementProblem": None,
    }
    assert nodes[broken.id]["progress"] is None
    assert nodes[broken.id]["measurementProblem"].startswith("This goal's figures cannot")
    # The job snapshotted the sound goal's change; the cron its daily point; never the other.
    snapshots = await ProgressSnapshot.all().values_list("goal_id", flat=True)
    assert sorted(snapshots) == [sound.id, sound.id]
    assert taken == 1


async def test_an_organisation_the_cron_cannot_handle_does_not_stop_the_others(
    org: Org, now: datetime
) -> None:
    created = await orgs.provision_organisation(
        "Second", admin_email="admin@second.test", admin_name="A", timezone="UTC"
    )
    assert not isinstance(created, FieldError)
    second, _ = created
    team = await orgs.create_team(second.id, "T", None)
    assert isinstance(team, Team)
    rep = await orgs.create_user(
        second.id, email="r@second.test", name="R", role=Role.REP, team_id=team.id
    )
    assert isinstance(rep, User)
    today = now.date()
    await make_goal(
        second.id,
        rep_id=rep.id,
        metric=Metric.REVENUE,
        target=500,
        start=today - timedelta(days=1),
        end=today + timedelta(days=1),
    )
    # The first organisation's timezone was corrupted by hand: it cannot be worked out.
    await Organisation.filter(id=org.organisation.id).update(timezone="Nowhere/Nothing")

    # The daily job runs as one job per organisation, through a real (in-process) queue.
    queue = InProcessQueue(JOBS, {"bus": InProcessBus()})
    await queue.enqueue("snapshot_goals")
    await queue.drain()

    assert await ProgressSnapshot.all().count() == 1
    with pytest.raises(ZoneInfoNotFoundError):
        await snapshot_goals_of({}, organisation_id=org.organisation.id)
