"""A real third-party client: the JavaScript `graphql-ws` package (installed from the npm
registry by this test) receives the same events as the Python client."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from domain.metrics import Metric
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.instants import LOS_ANGELES, local_date
from tests.support.servers import api_server, running
from tests.support.ws import subscribe

JS = Path(__file__).resolve().parents[1] / "js"
FOLLOW = "subscription($id: ID!) { goalProgress(goalId: $id) { currentValue attainment status } }"
INGEST = "mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) { __typename } }"


@pytest.fixture(scope="session")
def js_client() -> Path:
    npm = shutil.which("npm")
    assert npm is not None, "the JavaScript client test needs Node.js and npm"
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent"],
        cwd=JS,
        check=True,
        timeout=300,
        capture_output=True,
    )
    return JS / "subscribe.mjs"


async def test_graphql_ws_receives_what_the_python_client_does(
    production_env: dict[str, str], org: Org, js_client: Path, now: datetime
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
    deal = {
        "externalId": "js-1",
        "ownerEmail": "rita@acme.test",
        "amount": "750",
        "stage": "WON",
        "createdAt": (now - timedelta(hours=2)).isoformat(),
        "closedAt": (now - timedelta(hours=1)).isoformat(),
    }
    token, variables = org.token(), {"id": str(goal.id)}
    with running(production_env, "worker"), api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        node = await asyncio.create_subprocess_exec(
            shutil.which("node") or "node",
            str(js_client),
            url,
            token,
            FOLLOW,
            json.dumps(variables),
            "2",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert node.stdout is not None
        async with subscribe(url, FOLLOW, variables, token) as python:
            first_python = (await python.next())["data"]
            first_js = json.loads(await asyncio.wait_for(node.stdout.readline(), 20))["data"]
            async with httpx.AsyncClient(base_url=base_url) as http:
                await graphql(http, INGEST, org.token(), deals=[deal])
            second_python = (await python.next())["data"]
            second_js = json.loads(await asyncio.wait_for(node.stdout.readline(), 20))["data"]
        assert await asyncio.wait_for(node.wait(), 20) == 0

    assert (
        first_js
        == first_python
        == {"goalProgress": {"currentValue": "0.00", "attainment": "0.00", "status": "OFF_TRACK"}}
    )
    assert (
        second_js
        == second_python
        == {"goalProgress": {"currentValue": "750.00", "attainment": "75.00", "status": "ON_TRACK"}}
    )
