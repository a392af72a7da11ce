"""No N+1: a manager's dashboard (team → reps → goals → progress → awards) costs the same
number of SQL statements for 10 reps as for 100, counted on the real PostgreSQL client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import httpx
from tortoise import connections

from core import clock
from core.auth.tokens import mint_token
from core.goals.models import Goal, OwnerType
from core.goals.service import measure_affected_goals
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales import service as sales
from domain.errors import FieldError
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from gamification.models import Award, BadgeDefinition
from tests.conftest import JWT_SECRET
from tests.support.graphql import graphql

DASHBOARD = """query($team: ID!) { team(id: $team) { name manager { name }
  reps(first: 100) { edges { node { name team { name }
    goals(first: 10) { edges { node { target progress { currentValue attainment status }
      awards { badge { code } rep { name } } } } } } } } } }"""
EXECUTORS = (
    "execute_query",
    "execute_query_dict",
    "execute_insert",
    "execute_many",
    "execute_script",
)


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Record every statement tortoise sends through the real client, then let it through."""
    client = connections.get("default")
    seen: list[str] = []
    originals = {name: getattr(client, name) for name in EXECUTORS}

    def spy(name: str):  # type: ignore[no-untyped-def]
        async def run(sql: str, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(sql)
            return await originals[name](sql, *args, **kwargs)

        return run

    for name in EXECUTORS:
        setattr(client, name, spy(name))
    try:
        yield seen
    finally:
        for name in EXECUTORS:
            delattr(client, name)


async def dashboard_org(size: int, name: str) -> tuple[str, Team]:
    created = await orgs.provision_organisation(
        name, admin_email=f"admin@{name}.test", admin_name="Admin", timezone="UTC"
    )
    assert not isinstance(created, FieldError)
    organisation, _ = created
    manager = await orgs.create_user(
        organisation.id, email=f"boss@{name}.test", name="Boss", role=Role.MANAGER, team_id=None
    )
    assert isinstance(manager, User)
    team = await orgs.create_team(organisation.id, "Sales", None)
    assert isinstance(team, Team)
    team.manager_id = manager.id
    await team.save(update_fields=["manager_id"])
    badge = await BadgeDefinition.get(organisation_id=organisation.id, code="TARGET_HIT")
    now = clock.now()
    today = now.date()  # the organisation runs on UTC
    deals = []
    for n in range(size):
        rep = await orgs.create_user(
            organisation.id,
            email=f"r{n}@{name}.test",
            name=f"R{n}",
            role=Role.REP,
            team_id=team.id,
        )
        assert isinstance(rep, User)
        for target in (1000, 5000):
            goal = await Goal.create(
                organisation_id=organisation.id,
                owner_type=OwnerType.REP,
                owner_rep_id=rep.id,
                metric=Metric.REVENUE,
                target=Decimal(target),
                period_start=today.replace(day=1),
                period_end=today + timedelta(days=30),
            )
        await Award.create(
            organisation_id=organisation.id,
            badge_id=badge.id,
            rep_id=rep.id,
            goal_id=goal.id,
            period_key=f"goal:{goal.id}",
            awarded_at=now,
            explanation={},
        )
        deals.append(
            DealRecord(
                f"d{n}",
                rep.email,
                Decimal(1200),
                DealStage.WON,
                created_at=now - timedelta(hours=2),
                closed_at=now - timedelta(hours=1),
            )
        )
    await sales.ingest_deals(organisation, deals)
    return mint_token(manager, JWT_SECRET), team


async def test_the_dashboard_costs_the_same_for_10_and_100_reps(
    client: httpx.AsyncClient, db: None
) -> None:
    measured, stored = {}, {}
    for size in (10, 100):
        token, team = await dashboard_org(size, f"org{size}")
        # Just ingested, before the pipeline ran: progress is measured from the rollups.
        measured[size] = await dashboard_statements(client, token, team, size)
        organisation = await Organisation.get(id=team.organisation_id)
        reps = await User.filter(organisation_id=organisation.id, role=Role.REP)
        await measure_affected_goals(organisation, [rep.id for rep in reps], clock.now())
        # Once it has stored the figures, progress is a lookup.
        stored[size] = await dashboard_statements(client, token, team, size)

    assert measured[10] == measured[100], measured
    assert stored[10] == stored[100], stored
    # Read once per request however many resolvers ask: the organisation, its team
    # structure, the people (the reps a team lists are the awards' reps too); a level's
    # goals, figures and awards with their badges, a statement each: 11 in all. Measured
    # from the rollups instead, revenue adds its aggregate.
    assert stored[10] == 11, stored
    assert measured[10] == 12, measured


async def dashboard_statements(client: httpx.AsyncClient, token: str, team: Team, size: int) -> int:
    with counting_statements() as statements:
        body = await graphql(client, DASHBOARD, token, team=str(team.id))
    reps = body["data"]["team"]["reps"]["edges"]
    assert len(reps) == size
    first_goals = reps[0]["node"]["goals"]["edges"]
    # 1,200 won against targets of 1,000 and 5,000: 120% and 24%.
    assert [g["node"]["progress"]["attainment"] for g in first_goals] == ["120.00", "24.00"]
    assert first_goals[1]["node"]["awards"] == [
        {"badge": {"code": "TARGET_HIT"}, "rep": {"name": "R0"}}
    ]
    return len(statements)


# The manager's screen as the README shows it, in two requests: the teams they manage (without
# knowing an id), each rep's running goals with pace; then the awards feed with each award's
# goal and period.
MANAGER_SCREEN = """query($today: Date!) { me { managedTeams { name children { name }
  reps(first: 100) { edges { node { name
    goals(first: 10, containing: $today) { edges { node { target
      progress { attainment pace status } } } } } } } } } }"""
AWARDS_FEED = """{ awards(first: 20) { edges { node { rep { name } badge { code }
  period { label } goal { id target } } } } }"""


async def test_the_manager_screen_costs_the_same_for_10_and_100_reps(
    client: httpx.AsyncClient, db: None
) -> None:
    counted = {}
    for size in (10, 100):
        token, _ = await dashboard_org(size, f"screen{size}")
        today = clock.now().date().isoformat()  # the organisation runs on UTC
        with counting_statements() as screen:
            body = await graphql(client, MANAGER_SCREEN, token, today=today)
        assert "errors" not in body, body
        (team,) = body["data"]["me"]["managedTeams"]
        assert len(team["reps"]["edges"]) == size
        first_goals = team["reps"]["edges"][0]["node"]["goals"]["edges"]
        assert [g["node"]["progress"]["attainment"] for g in first_goals] == ["120.00", "24.00"]
        with counting_statements() as feed:
            awards = await graphql(client, AWARDS_FEED, token)
        edges = awards["data"]["awards"]["edges"]
        assert len(edges) == min(size, 20)
        # Newest first: the last rep made is the first award; its goal is the 5,000 one.
        assert edges[0]["node"]["rep"]["name"] == f"R{size - 1}"
        assert edges[0]["node"]["goal"]["target"] == "5000.00"
        counted[size] = (len(screen), len(feed))
    assert counted[10] == counted[100], counted
