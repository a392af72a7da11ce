"""Two API processes, one worker, Redis between them: a subscriber on each process receives
the progress and award events of a deal ingested through the other."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from domain.metrics import Metric
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.instants import LOS_ANGELES, local_date
from tests.support.servers import api_server, running
from tests.support.waiting import listening
from tests.support.ws import subscribe

PROGRESS = "subscription($id: ID!) { goalProgress(goalId: $id) { currentValue status } }"
AWARDS = "subscription($rep: ID) { awards(repId: $rep) { badgeCode } }"
INGEST = "mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) { __typename } }"


async def test_events_cross_api_processes(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=1000,
        start=today - timedelta(days=3),
        end=today + timedelta(days=3),
    )
    deals = [
        {
            "externalId": f"x-{n}",
            "ownerEmail": "rita@acme.test",
            "amount": "600",
            "stage": "WON",
            "createdAt": (now - timedelta(hours=2)).isoformat(),
            "closedAt": (now - timedelta(hours=1)).isoformat(),
        }
        for n in range(2)
    ]
    token = org.token()
    with (
        running(production_env, "worker"),
        api_server(production_env) as first,
        api_server(production_env) as second,
    ):
        ws = {base: base.replace("http://", "ws://") + "/graphql" for base in (first, second)}
        found = {}
        # Round one: follow on the first process, ingest 600 through the second; round two:
        # the other way round, 600 more.
        for subscriber, ingester, batch in ((first, second, deals[:1]), (second, first, deals)):
            async with (
                subscribe(ws[subscriber], PROGRESS, {"id": str(goal.id)}, token) as progress,
                subscribe(ws[subscriber], AWARDS, {"rep": str(org.rep.id)}, token) as awards,
            ):
                await progress.next()  # the progress as it stands
                await listening(subscriber, 2)
                async with httpx.AsyncClient(base_url=ingester) as http:
                    await graphql(http, INGEST, token, deals=batch)
                found[subscriber] = (
                    (await progress.next())["data"]["goalProgress"],
                    (await awards.next())["data"]["awards"]["badgeCode"],
                )

    # 600 of 1,000 (the first won deal: FIRST_WIN), then 1,200 of 1,000 (TARGET_HIT).
    assert found[first][0]["currentValue"] == "600.00"
    assert found[first][1] == "FIRST_WIN"
    assert found[second] == ({"currentValue": "1200.00", "status": "ACHIEVED"}, "TARGET_HIT")
