"""Check-ins over GraphQL: who sees them (and the private notes), what is refused with nothing
stored, acknowledgements and the points they earn, cadences, due lists and the agenda."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest

from core.auth.tokens import mint_token
from core.checkins.models import ActionItem, CheckIn
from core.config import Settings
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from tests.conftest import JWT_SECRET
from tests.support.graphql import graphql
from tests.support.tenants import Tenants
from tests.support.workers import burst_worker

RECORD = """mutation($input: RecordCheckInInput!) { recordCheckIn(input: $input) {
  __typename
  ... on CheckIn { id side rating comment privateNote rep { id } author { id }
    snapshot { goalId metric target status } actionItems { id description dueOn owner { id } } }
  ... on InputErrors { errors { field code } } } }"""
ACKNOWLEDGE = """mutation($id: ID!) { acknowledgeCheckIn(checkInId: $id) {
  __typename ... on CheckIn { acknowledgedBy { id } acknowledgedAt }
  ... on InputErrors { errors { field code } } } }"""
LIST = """{ checkIns { edges { node { id privateNote rep { id } } } } }"""
ONE = """query($id: ID!) { checkIn(id: $id) { id comment privateNote } }"""


def token(tenants: Tenants, principal: str) -> str:
    return tenants.token(principal, JWT_SECRET)


async def record(
    client: httpx.AsyncClient, tenants: Tenants, principal: str, **input: Any
) -> dict[str, Any]:
    body = await graphql(client, RECORD, token(tenants, principal), input=input)
    assert "errors" not in body, body
    return body["data"]["recordCheckIn"]


async def director_above_team_a(tenants: Tenants) -> User:
    """A director managing a team above team A: a manager above the rep's own manager."""
    organisation_id = tenants.team_a.organisation_id
    top = await orgs.create_team(organisation_id, "Top", None)
    assert isinstance(top, Team)
    director = await orgs.create_user(
        organisation_id, email="director@one.test", name="Dee", role=Role.MANAGER, team_id=None
    )
    assert isinstance(director, User)
    top.manager_id = director.id
    await top.save()
    tenants.team_a.parent_id = top.id
    await tenants.team_a.save()
    return director


async def test_each_role_sees_what_it_may_and_notes_stay_with_managers(
    client: httpx.AsyncClient, tenants: Tenants
) -> None:
    director = await director_above_team_a(tenants)
    rep_a = str(tenants.users["rep_a"].id)
    by_manager = await record(
        client,
        tenants,
        "manager_a",
        repId=rep_a,
        rating="NEEDS_HELP",
        comment="Two deals slipped",
        privateNote="Worried about focus",
    )
    by_rep = await record(
        client,
        tenants,
        "rep_a",
        goalId=str(tenants.goals["rep_a"].id),
        rating="ON_TRACK",
        comment="Pipeline rebuilt",
    )
    assert (by_manager["side"], by_manager["privateNote"]) == ("MANAGER", "Worried about focus")
    assert (by_rep["side"], by_rep["privateNote"]) == ("REP", None)
    ids = (by_manager["id"], by_rep["id"])

    tokens = {p: token(tenants, p) for p in ("admin", "manager_a", "rep_a", "rep_b", "other_admin")}
    tokens["director"] = mint_token(director, JWT_SECRET)
    seen = {}
    for principal, bearer in tokens.items():
        listed = (await graphql(client, LIST, bearer))["data"]["checkIns"]["edges"]
        seen[principal] = [(e["node"]["id"], e["node"]["privateNote"]) for e in listed]

    with_note = [(ids[0], "Worried about focus"), (ids[1], None)]
    assert seen == {
        "admin": with_note,
        "director": with_note,
        "manager_a": with_note,
        # The rep sees both check-ins about them, never the manager's private note.
        "rep_a": [(ids[0], None), (ids[1], None)],
        "rep_b": [],
        "other_admin": [],
    }
    for principal in ("rep_b", "other_admin"):
        body = await graphql(client, ONE, tokens[principal], id=ids[0])
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert body["data"] == {"checkIn": None}
    mine = await graphql(client, ONE, tokens["rep_a"], id=ids[0])
    assert mine["data"]["checkIn"] == {
        "id": ids[0],
        "comment": "Two deals slipped",
        "privateNote": None,
    }


async def test_refused_check_ins_store_nothing(
    client: httpx.AsyncClient, tenants: Tenants, now: datetime
) -> None:
    today = now.date()  # the tenants' organisation runs on UTC
    rep_a, rep_b = str(tenants.users["rep_a"].id), str(tenants.users["rep_b"].id)
    attempts = [
        # A goal the author may not see: rep B's, by rep A's manager and by rep A.
        ("manager_a", {"goalId": str(tenants.goals["rep_b"].id)}, [("goalId", "FORBIDDEN")]),
        ("rep_a", {"goalId": str(tenants.goals["rep_b"].id)}, [("goalId", "FORBIDDEN")]),
        ("manager_a", {"goalId": "999999"}, [("goalId", "NOT_FOUND")]),
        # A team's goal is no one rep's to check in on.
        ("manager_a", {"goalId": str(tenants.goals["team_a"].id)}, [("goalId", "INVALID")]),
        ("manager_a", {"repId": rep_b}, [("repId", "FORBIDDEN")]),
        # An action item due yesterday, and one owned by another team's rep.
        (
            "manager_a",
            {
                "repId": rep_a,
                "actionItems": [
                    {"description": "Call back", "ownerId": rep_a, "dueOn": str(today)},
                    {
                        "description": "Late",
                        "ownerId": rep_a,
                        "dueOn": str(today - timedelta(days=1)),
                    },
                    {"description": "Not theirs", "ownerId": rep_b, "dueOn": str(today)},
                ],
            },
            [("actionItems.1.dueOn", "IN_THE_PAST"), ("actionItems.2.ownerId", "INVALID")],
        ),
        # A rep writes no private notes.
        ("rep_a", {"repId": rep_a, "privateNote": "psst"}, [("privateNote", "INVALID")]),
        ("manager_a", {"repId": rep_a, "comment": "  "}, [("comment", "REQUIRED")]),
        ("manager_a", {}, [("goalId", "REQUIRED")]),
    ]
    for principal, input, expected in attempts:
        result = await record(
            client, tenants, principal, **{"rating": "BLOCKED", "comment": "x", **input}
        )
        assert result["__typename"] == "InputErrors", (principal, input)
        assert [(e["field"], e["code"]) for e in result["errors"]] == expected, input
    assert await CheckIn.all().count() == 0
    assert await ActionItem.all().count() == 0


async def test_the_other_side_acknowledges_once_and_earns_the_rep_points(
    client: httpx.AsyncClient, tenants: Tenants, settings: Settings
) -> None:
    rule = """mutation { createPointsRule(code: "LOOP", event: CHECK_IN_DONE, points: 15) {
      __typename } }"""
    assert (await graphql(client, rule, token(tenants, "admin")))["data"] == {
        "createPointsRule": {"__typename": "PointsRule"}
    }
    rep_a = str(tenants.users["rep_a"].id)
    by_manager = await record(
        client, tenants, "manager_a", repId=rep_a, rating="ON_TRACK", comment="Good week"
    )
    by_rep = await record(
        client, tenants, "rep_a", repId=rep_a, rating="NEEDS_HELP", comment="Stuck on pricing"
    )

    async def acknowledge(principal: str, check_in: str) -> dict[str, Any]:
        body = await graphql(client, ACKNOWLEDGE, token(tenants, principal), id=check_in)
        return body["data"]["acknowledgeCheckIn"]

    def codes(result: dict[str, Any]) -> list[tuple[str, str]]:
        return [(e["field"], e["code"]) for e in result["errors"]]

    # The author, or someone on the author's own side, is not the other side.
    assert codes(await acknowledge("manager_a", by_manager["id"])) == [
        ("checkInId", "NOT_OTHER_SIDE")
    ]
    assert codes(await acknowledge("admin", by_manager["id"])) == [("checkInId", "NOT_OTHER_SIDE")]
    assert codes(await acknowledge("rep_a", by_rep["id"])) == [("checkInId", "NOT_OTHER_SIDE")]
    assert codes(await acknowledge("rep_b", by_manager["id"])) == [("checkInId", "FORBIDDEN")]
    assert await CheckIn.filter(acknowledged_at__isnull=False).count() == 0

    done = await acknowledge("rep_a", by_manager["id"])
    assert done["acknowledgedBy"] == {"id": rep_a}
    assert codes(await acknowledge("rep_a", by_manager["id"])) == [("checkInId", "CONFLICT")]
    assert (await acknowledge("manager_a", by_rep["id"]))["acknowledgedBy"] == {
        "id": str(tenants.users["manager_a"].id)
    }

    # The points are the pipeline's: a real worker runs what the acknowledgements queued.
    worker = burst_worker(settings)
    try:
        await worker.main()
    finally:
        await worker.close()
    mine = await graphql(client, "{ myAchievements { points } }", token(tenants, "rep_a"))
    # Two check-ins done at 15 points each; the refused second acknowledgement adds none.
    assert mine["data"]["myAchievements"]["points"] == 30


@pytest.mark.dated
async def test_cadence_due_list_action_items_and_agenda(
    client: httpx.AsyncClient, tenants: Tenants, now: datetime
) -> None:
    today = now.date()  # the tenants' organisation runs on UTC
    rep_a, manager = str(tenants.users["rep_a"].id), str(tenants.users["manager_a"].id)
    cadence = """mutation($team: ID!) { setCheckInCadence(teamId: $team, cadence: BIWEEKLY) {
      __typename ... on Team { checkInCadence } ... on InputErrors { errors { code } } } }"""
    set_a = await graphql(client, cadence, token(tenants, "manager_a"), team=tenants.team_a.id)
    set_b = await graphql(client, cadence, token(tenants, "manager_a"), team=tenants.team_b.id)
    assert set_a["data"]["setCheckInCadence"] == {
        "__typename": "Team",
        "checkInCadence": "BIWEEKLY",
    }
    assert set_b["data"]["setCheckInCadence"] == {
        "__typename": "InputErrors",
        "errors": [{"code": "FORBIDDEN"}],
    }

    due = """query($manager: ID, $within: Int!) { checkInsDue(managerId: $manager,
      withinDays: $within) { rep { id } manager { id } cadence dueOn state daysOverdue } }"""
    bearer = token(tenants, "manager_a")
    # Rep A joined today: the first check-in is due two weeks on.
    assert (await graphql(client, due, bearer, manager=manager, within=0))["data"] == {
        "checkInsDue": []
    }
    assert (await graphql(client, due, bearer, manager=manager, within=14))["data"] == {
        "checkInsDue": [
            {
                "rep": {"id": rep_a},
                "manager": {"id": manager},
                "cadence": "BIWEEKLY",
                "dueOn": str(today + timedelta(days=14)),
                "state": "UPCOMING",
                "daysOverdue": 0,
            }
        ]
    }
    refused = await graphql(client, due, token(tenants, "rep_b"), manager=manager, within=0)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]

    made = await record(
        client,
        tenants,
        "manager_a",
        repId=rep_a,
        rating="NEEDS_HELP",
        comment="Revenue behind",
        actionItems=[
            {"description": "Two demos", "ownerId": rep_a, "dueOn": str(today)},
            {"description": "Intro to CFO", "ownerId": manager, "dueOn": str(today)},
        ],
    )
    first, second = (item["id"] for item in made["actionItems"])
    complete = """mutation($id: ID!) { completeActionItem(actionItemId: $id) { __typename
      ... on ActionItem { completedBy { id } } ... on InputErrors { errors { code } } } }"""
    # Rep A may not tick off their manager's item; the manager may.
    assert (await graphql(client, complete, token(tenants, "rep_a"), id=second))["data"] == {
        "completeActionItem": {"__typename": "InputErrors", "errors": [{"code": "FORBIDDEN"}]}
    }
    assert (await graphql(client, complete, bearer, id=second))["data"] == {
        "completeActionItem": {"__typename": "ActionItem", "completedBy": {"id": manager}}
    }
    # The check-in moves the next one two weeks from today.
    after = await graphql(client, due, bearer, manager=manager, within=14)
    assert [d["dueOn"] for d in after["data"]["checkInsDue"]] == [str(today + timedelta(days=14))]

    agenda = """query($rep: ID!) { checkInAgenda(repId: $rep) { since
      goals { goal { id } progress { currentValue status } dailyRateNeeded }
      openActionItems { id overdue } overdueActionItems { id } awards { id } } }"""
    body = await graphql(client, agenda, bearer, rep=rep_a)
    # Rep A's goal: 1,000 of revenue from the 1st of this month to 40 days on, nothing yet.
    goal = tenants.goals["rep_a"]
    working_days = sum(
        1
        for n in range((goal.period_end - today).days + 1)
        if (today + timedelta(days=n)).isoweekday() <= 5
    )
    # Nothing done once the period runs is off track; 1,000 to go over the working days left.
    rate = (Decimal(1000) / working_days).quantize(Decimal("0.01"), ROUND_HALF_UP)
    expected_goals = [
        {
            "goal": {"id": str(goal.id)},
            "progress": {"currentValue": "0.00", "status": "OFF_TRACK"},
            "dailyRateNeeded": str(rate),
        }
    ]
    assert body["data"]["checkInAgenda"] == {
        "since": str(today),
        "goals": expected_goals,
        "openActionItems": [{"id": first, "overdue": False}],
        "overdueActionItems": [],
        "awards": [],
    }
