"""Completions reach their followers the moment an LMS reports them, through a real uvicorn
and a real websocket: a manager following the team sees the team's, not another team's."""

from __future__ import annotations

from datetime import datetime

import httpx

from core.auth.service import create_api_key
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from core.training.models import Course
from tests.conftest import Org
from tests.support.servers import api_server
from tests.support.waiting import listening
from tests.support.ws import subscribe

FOLLOW = """subscription($team: ID, $rep: ID) {
  trainingCompleted(teamId: $team, repId: $rep) {
    repName courseCode method passed score certifiedUntil } }"""


async def test_a_manager_sees_the_teams_completions_live(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    east = await orgs.create_team(org.organisation.id, "East", None)
    assert isinstance(east, Team)
    eve = await orgs.create_user(
        org.organisation.id, email="eve@acme.test", name="Eve", role=Role.REP, team_id=east.id
    )
    manager = await orgs.create_user(
        org.organisation.id,
        email="mia@acme.test",
        name="Mia",
        role=Role.MANAGER,
        team_id=org.team.id,
    )
    assert isinstance(eve, User)
    assert isinstance(manager, User)
    org.team.manager_id = manager.id
    await org.team.save(update_fields=["manager_id"])
    await Course.create(
        organisation_id=org.organisation.id,
        code="NEG-101",
        name="Negotiation",
        duration_minutes=60,
        pass_score=80,
        certification_months=6,
        created_at=now,
    )
    _, key = await create_api_key(org.organisation.id, "LMS", ["ingest"])

    def completion(ref: str, email: str) -> dict[str, str]:
        return {
            "externalId": ref,
            "ownerEmail": email,
            "courseCode": "NEG-101",
            # 08:00 on 18 November in Los Angeles.
            "completedAt": "2026-11-18T16:00:00Z",
            "score": "91.5",
        }

    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with (
            subscribe(url, FOLLOW, {"team": str(org.team.id)}, org.token(manager)) as west,
            subscribe(url, FOLLOW, {"rep": str(eve.id)}, org.token(eve)) as own,
        ):
            await listening(base_url, 2)
            async with httpx.AsyncClient(base_url=base_url) as http:
                headers = {"Authorization": f"Bearer {key}"}
                for ref, email in (("e-1", "eve@acme.test"), ("w-1", "rita@acme.test")):
                    sent = await http.post(
                        "/webhooks/trainings", json=[completion(ref, email)], headers=headers
                    )
                    assert sent.json() == {"accepted": 1, "rejected": []}
                seen_west = (await west.next())["data"]["trainingCompleted"]
                seen_own = (await own.next())["data"]["trainingCompleted"]

    # Mia's first event is Rita's, though Eve's was reported first; six months from 18
    # November runs to 17 May.
    assert seen_west == {
        "repName": "Rita Rep",
        "courseCode": "NEG-101",
        "method": "LMS",
        "passed": True,
        "score": "91.50",
        "certifiedUntil": "2027-05-17",
    }
    assert seen_own["repName"] == "Eve"
