"""The whole schema walked as every principal: from each root field, every relation of every
type a few steps deep, with every id as each id argument; every object and every email and
private note in the answers is compared with what tests/support/policy_world.py says, by
hand, that the principal may see."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType
from starlette.applications import Starlette

from api.context import Context
from api.schema import schema
from api.visibility import OBJECTS
from core import clock
from core.auth.service import api_key_viewer, token_viewer
from core.auth.tokens import API_KEY_PREFIX, Viewer, read_token
from core.checkins.models import ActionItem
from core.config import Settings
from core.sales.models import Deal, Lead
from core.telemetry import REGISTRY, listeners
from tests.conftest import JWT_SECRET
from tests.support.apps import client_of
from tests.support.policy_world import (
    FOLLOWABLE_TEAMS,
    PRINCIPALS,
    PRIVATE_NOTES,
    READABLE_PEOPLE,
    VISIBLE_GOALS,
    VISIBLE_TEAMS,
    PolicyWorld,
    build_policy_world,
)
from tests.support.schema_walk import objects, root_fields, selection
from tests.support.waiting import until

DEPTH = 4
# Arguments that are not ids, for the root fields that require them.
FIXED = {
    "simulateBonusPlan": 'plan: {code: "W", name: "W", metric: REVENUE, tiers: '
    '[{start: "0", rate: "5"}]}, periodStart: "2026-11-01", periodEnd: "2026-11-30"',
    "leaderboard": 'metric: REVENUE, periodStart: "2026-11-01", periodEnd: "2026-11-30"',
    "teamLeaderboard": 'metric: REVENUE, periodStart: "2026-11-01", periodEnd: "2026-11-30"',
    "pointsLeaderboard": 'periodStart: "2026-11-01", periodEnd: "2026-11-30"',
    "metricSeries": 'metric: REVENUE, grain: WEEK, from: "2026-11-01", to: "2026-11-30"',
    "movers": 'metric: REVENUE, from: "2026-11-01", to: "2026-11-30"',
    "customerCohorts": 'from: "2026-01-01", to: "2026-11-30"',
    "trainingImpact": "metric: REVENUE",
}


@pytest.fixture
async def walker(app: Starlette, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with limits wide enough for generated queries (tested elsewhere)."""
    wide = settings.model_copy(
        update={"max_tokens": 2_000_000, "max_query_depth": 60, "max_query_chars": 4_000_000}
    )
    async with client_of(app, wide) as http:
        yield http


def _ids(world: PolicyWorld, argument: str, field: str) -> list[str]:
    people = [user.id for user in world.people.values()]
    teams = [team.id for team in world.teams.values()]
    goals = [goal.id for goal in world.goals.values()]
    check_ins = list(world.rows["CheckIn"])
    by_argument = {"teamId": teams, "goalId": goals, "repId": people, "ownerId": people}
    by_argument["managerId"] = by_argument["objectId"] = people
    by_argument["courseId"] = world.courses
    by_field = {"team": teams, "goal": goals, "checkIn": check_ins}
    found = by_field[field] if argument == "id" else by_argument[argument]
    return [str(value) for value in found]


def calls(world: PolicyWorld) -> list[tuple[str, str | None, str | None, int]]:
    """(root field, id argument, its value, depth) to ask: each required id argument with
    every id of its kind, walked deep; the field without its optional id arguments, walked
    deep, then with each id as each of them (a filter), walked one step."""
    made: list[tuple[str, str | None, str | None, int]] = []
    for name, field in root_fields(schema._schema).items():
        ids = [arg for arg, spec in field.args.items() if str(spec.type) in ("ID", "ID!")]
        required = [arg for arg in ids if str(field.args[arg].type) == "ID!"]
        if required:
            (argument,) = required
            made += [(name, argument, v, DEPTH) for v in _ids(world, argument, name)]
            continue
        made.append((name, None, None, DEPTH))
        for argument in ids:
            made += [(name, argument, v, 1) for v in _ids(world, argument, name)]
    return made


def document(name: str, argument: str | None, depth: int) -> str:
    """The operation, with the id as a variable, so each text is parsed once."""
    fixed = FIXED.get(name, "")
    arguments = ", ".join(filter(None, [fixed, f"{argument}: $id" if argument else ""]))
    call = f"{name}({arguments})" if arguments else name
    variables = "($id: ID!)" if argument else ""
    field = root_fields(schema._schema)[name]
    return f"query{variables} {{ {call} {selection(field.type, depth)} }}"


async def owners(world: PolicyWorld) -> dict[str, dict[int, str]]:
    """Who each deal, lead and action item is about, read from the database by this test."""
    found = {kind: dict(rows) for kind, rows in world.rows.items()}
    for kind, model, column in (
        ("Deal", Deal, "owner_id"),
        ("Lead", Lead, "owner_id"),
        ("ActionItem", ActionItem, "rep_id"),
    ):
        rows = await model.all().values_list("id", column)
        found[kind] = {row_id: world.person(person) for row_id, person in rows}
    return found


def check(
    principal: str, world: PolicyWorld, about: dict[str, dict[int, str]], item: dict[str, Any]
) -> tuple[str, str] | None:
    """Fails on anything the principal may not see; what the object is, for coverage."""
    kind = item["__typename"]
    readable = READABLE_PEOPLE[principal]
    if kind == "User":
        person = world.person(int(item["id"]))
        if "email" in item:
            assert (item["email"] is not None) == (person in readable), (principal, item)
        # Anyone of one's own organisation may be named, no one of another.
        assert world.people[person].organisation_id == _organisation(principal, world), item
        return (kind, person) if item.get("email") else None
    if kind == "Team":
        team = next(k for k, t in world.teams.items() if t.id == int(item["id"]))
        assert team in VISIBLE_TEAMS[principal], (principal, item)
        return kind, team
    if kind == "Goal":
        goal = next(k for k, g in world.goals.items() if g.id == int(item["id"]))
        assert goal in VISIBLE_GOALS[principal], (principal, goal)
        return kind, goal
    if kind in about:
        person = about[kind][int(item["id"])]
        assert person in readable, (principal, kind, person)
        if kind == "CheckIn" and "privateNote" in item:
            visible_note = item["privateNote"] is not None
            assert visible_note == (person in PRIVATE_NOTES[principal]), (principal, item)
        return kind, person
    if kind in ("DueCheckInEntry", "CheckInAgenda") and item.get("rep"):
        assert world.person(int(item["rep"]["id"])) in readable, (principal, item)
    return None


def _organisation(principal: str, world: PolicyWorld) -> int:
    key = "other_admin" if principal == "other_admin" else "admin"
    return world.people[key].organisation_id


def expected_coverage(principal: str, about: dict[str, dict[int, str]]) -> set[tuple[str, str]]:
    """Everything the principal may see, each of which the walk must reach."""
    readable = READABLE_PEOPLE[principal]
    seen = {("User", person) for person in readable}
    seen |= {("Team", team) for team in VISIBLE_TEAMS[principal]}
    seen |= {("Goal", goal) for goal in VISIBLE_GOALS[principal]}
    for kind, rows in about.items():
        # Payout entries too: to their rep (myRewards), and in `payouts` to whoever may read
        # the rep.
        seen |= {(kind, person) for person in rows.values() if person in readable}
    return seen


def withheld_at_roots() -> float:
    """Objects the guard had to take out of root fields' answers: stores that answered more
    than the viewer may see."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "pacesetter_policy_withheld"
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


async def test_every_path_shows_each_principal_only_what_it_may_see(
    walker: httpx.AsyncClient, db: None, now: datetime
) -> None:
    world = await build_policy_world(now, JWT_SECRET)
    withheld_before = withheld_at_roots()
    about = await owners(world)
    asked = calls(world)
    documents = {(n, a, d): document(n, a, d) for n, a, _, d in asked}
    for principal in PRINCIPALS:
        reached: set[tuple[str, str]] = set()
        refused: dict[str, int] = defaultdict(int)
        for name, argument, value, depth in asked:
            call = f"{name}({argument}: {value})" if argument else name
            response = await walker.post(
                "/graphql",
                json={
                    "query": documents[name, argument, depth],
                    "variables": {"id": value} if argument else {},
                },
                headers={"Authorization": f"Bearer {world.credentials[principal]}"},
            )
            assert response.status_code == 200, (call, response.status_code, response.text[:300])
            body = response.json()
            codes = [error.get("extensions", {}).get("code") for error in body.get("errors", [])]
            # A root field may refuse (FORBIDDEN, or a person-only field to a key); nothing
            # else may go wrong.
            assert set(codes) <= {"FORBIDDEN", "UNAUTHENTICATED"}, (principal, call, body)
            refused[name] += bool(codes)
            for item in objects(body.get("data")):
                if (found := check(principal, world, about, item)) is not None:
                    reached.add(found)
        if principal == "ingest_key":
            assert reached == set()
            assert all(refused.values()), refused
        else:
            assert reached == expected_coverage(principal, about), principal
    # Root lists come filtered from their stores; the guard is the backstop, not the filter.
    assert withheld_at_roots() == withheld_before


# Every object type of the schema, classified here by hand: a new type fails the test below
# until someone decides which of these it is.
GUARDED = {
    "Team", "Goal", "Award", "PayoutEntry", "Deal", "Lead", "CheckIn", "ActionItem",
    "Reminder", "DueCheckInEntry", "CheckInAgenda", "Assignment", "TrainingCompletion",
    "Certification",
}  # fmt: skip
# Anyone of the organisation may see these (people by name only; their email is guarded).
OPEN = {
    "User", "Organisation", "Product", "Badge", "BadgeRule", "BonusPlan", "BonusTier",
    "FlatBonus", "Contest", "Prize", "PointsRule", "Holiday", "Leaderboard", "LeaderboardEntry",
    "PointsLeaderboard", "TeamLeaderboard", "TeamStanding", "Course", "SkillMapping", "Market",
    "MarketSize",
}  # fmt: skip
# Reached only through a guarded object, as the viewer's own, by an admin, as an answer to
# the viewer's own mutation, or made by a root field that checks whose figures they are
# (series, movers, cohorts); events are filtered by their subscriptions.
ENCLOSED = {
    "GoalProgress", "ProgressSnapshot", "GoalScope", "CheckInGoalSnapshot", "AgendaGoal",
    "MetricChangeEntry", "Achievements", "Rewards", "SimulatedPayout", "ApiKey",
    "CreatedApiKey", "Session", "Revoked", "IngestPayload", "RejectedRecord", "InputError",
    "InputErrors", "SmartViolation", "SmartViolations", "AwardEvent", "CheckInEvent",
    "RetryLater", "AwardPeriod", "AuditEntry", "PayoutsMoved", "SkippedPayout", "MetricSeries",
    "SeriesPoint", "Movers", "Mover", "CustomerCohort", "MyTraining", "TrainingImpact",
    "ImpactGroup", "TrainingEvent", "TrainingAssigned", "CourseSuggestion", "MarketWhitespace",
    "MarketAccount", "CrossSell", "OpenBadgeCredential", "IssuerKey",
}  # fmt: skip


def test_every_type_is_guarded_or_declared_open() -> None:
    guarded = {kind.__strawberry_definition__.name for kind in OBJECTS}
    types = {
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType)
        and not name.startswith("__")
        and name not in ("Query", "Mutation", "Subscription", "PageInfo")
        and not name.endswith(("Connection", "Edge"))
    }

    assert guarded == GUARDED
    assert types == GUARDED | OPEN | ENCLOSED


async def follows(
    app: Starlette, settings: Settings, viewer: Viewer, query: str, variables: dict[str, Any]
) -> bool:
    """Whether a subscription is accepted: its first answer is not an error, or it is
    registered with the bus waiting for events."""
    context = Context(
        request=None,  # type: ignore[arg-type]  # no socket: nothing to close
        response=None,
        settings=settings,
        bus=app.state.bus,
        queue=app.state.queue,
        throttle=app.state.throttle,
        viewer=viewer,
    )
    listening_before = listeners()
    stream = await schema.subscribe(query, variable_values=variables, context_value=context)
    if not hasattr(stream, "__anext__"):
        return not stream.errors
    first = asyncio.ensure_future(anext(stream))
    try:
        await until(lambda: _settled(first, listening_before), f"an answer to {query} {variables}")
        return not first.done() or not first.result().errors
    finally:
        first.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await first
        await stream.aclose()


async def _settled(first: asyncio.Future[Any], listening_before: float) -> bool:
    return first.done() or listeners() > listening_before


async def test_subscriptions_follow_only_what_each_principal_may_see(
    app: Starlette, settings: Settings, db: None, now: datetime
) -> None:
    world = await build_policy_world(now, JWT_SECRET)
    reps = {key: str(user.id) for key, user in world.people.items()}
    teams = {key: str(team.id) for key, team in world.teams.items()}
    goals = {key: str(goal.id) for key, goal in world.goals.items()}
    awards = "subscription($r: ID, $t: ID) { awards(repId: $r, teamId: $t) { repId } }"
    check_ins = "subscription($r: ID, $t: ID) { checkIns(repId: $r, teamId: $t) { repId } }"
    progress = "subscription($g: ID) { goalProgress(goalId: $g) { goalId } }"
    for principal in READABLE_PEOPLE:
        viewer = await _viewer_of(world, principal)
        answers = {}
        expected = {}
        for query in (awards, check_ins):
            for person, rep in reps.items():
                answers[query, "rep", person] = await follows(
                    app, settings, viewer, query, {"r": rep}
                )
                expected[query, "rep", person] = person in READABLE_PEOPLE[principal]
            for name, team in teams.items():
                answers[query, "team", name] = await follows(
                    app, settings, viewer, query, {"t": team}
                )
                expected[query, "team", name] = name in FOLLOWABLE_TEAMS[principal]
        for name, goal in goals.items():
            answers[progress, "goal", name] = await follows(
                app, settings, viewer, progress, {"g": goal}
            )
            expected[progress, "goal", name] = name in VISIBLE_GOALS[principal]
        assert answers == expected, principal


async def _viewer_of(world: PolicyWorld, principal: str) -> Viewer:
    """Who the principal's credential speaks for, as the app reads it."""
    credential = world.credentials[principal]
    if credential.startswith(API_KEY_PREFIX):
        viewer = await api_key_viewer(credential, clock.now())
    else:
        viewer = await token_viewer(read_token(credential, JWT_SECRET), clock.now())
    assert viewer is not None
    return viewer
