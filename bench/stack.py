"""The demo organisation served side by side: by the project (`pacesetter serve` and a worker)
and by PostGraphile 4 over the same PostgreSQL database, with the SQL functions that let
PostGraphile answer what the project derives. Shared by bench/dashboard.py and bench/load.py."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from api import demo
from bench.common import free_port, fresh_database, healthy, node_tool, process_env
from core.db import close_database, migrate, open_database
from core.orgs.models import Role, Team, User

ROOT = Path(__file__).resolve().parents[1]

PROJECT_DASHBOARD = """query($team: ID!) { team(id: $team) { name reps(first: 20) { edges { node {
  name goals(first: 10) { edges { node { target progress { currentValue attainment status }
  awards { badge { code } } } } } } } } } }"""
PROJECT_REPS = """query($team: ID!) { reps(first: 50, teamId: $team) { edges { node {
  name email } } } }"""
BASELINE_DASHBOARD = """query($team: Int!) { teamById(id: $team) { name reps(first: 20) { nodes {
  name goals(first: 10) { nodes { target progress { currentValue attainment status }
  awards { nodes { badgeDefinitionByBadgeId { code } } } } } } } } }"""
BASELINE_REPS = """query($team: Int!) { teamById(id: $team) { reps(first: 50) { nodes {
  name email } } } }"""

# What PostGraphile needs to answer like the project: functions on the demo's tables.
FUNCTIONS = """
CREATE TYPE goal_progress_figures AS (current_value numeric, attainment numeric, status text);

-- Everyone with the REP role in the team or a team below it, by id (domain.teams.members).
CREATE FUNCTION team_reps(t team) RETURNS SETOF app_user AS $$
  WITH RECURSIVE below(id) AS (
    SELECT t.id UNION SELECT c.id FROM team c JOIN below ON c.parent_id = below.id)
  SELECT u.* FROM app_user u WHERE u.team_id IN (SELECT id FROM below) AND u.role = 'REP'
  ORDER BY u.id
$$ LANGUAGE sql STABLE;

CREATE FUNCTION app_user_goals(u app_user) RETURNS SETOF goal AS $$
  SELECT g.* FROM goal g WHERE g.owner_rep_id = u.id ORDER BY g.id
$$ LANGUAGE sql STABLE;

CREATE FUNCTION goal_awards(g goal) RETURNS SETOF award AS $$
  SELECT a.* FROM award a WHERE a.goal_id = g.id AND a.revoked_at IS NULL
  ORDER BY a.awarded_at, a.id
$$ LANGUAGE sql STABLE;

-- domain.progress.compute_progress over the stored figure (goal_figure) and the clock.
CREATE FUNCTION goal_progress(g goal) RETURNS goal_progress_figures AS $$
  WITH o AS (SELECT timezone, on_track_pace, at_risk_pace FROM organisation
             WHERE id = g.organisation_id),
  f AS (SELECT value::numeric AS value FROM goal_figure WHERE goal_id = g.id AND valid),
  b AS (SELECT (g.period_start::timestamp AT TIME ZONE o.timezone) AS first,
               ((g.period_end + 1)::timestamp AT TIME ZONE o.timezone) AS after FROM o),
  e AS (SELECT CASE WHEN now() <= b.first THEN 0 WHEN now() >= b.after THEN 1
               ELSE extract(epoch FROM now() - b.first) / extract(epoch FROM b.after - b.first)
               END AS elapsed FROM b),
  c AS (SELECT g.metric IN ('REVENUE', 'DEALS_WON', 'NEW_CUSTOMERS', 'GROSS_PROFIT',
               'UNITS_SOLD', 'LEADS', 'QUALIFIED_LEADS') AS cumulative),
  s AS (SELECT f.value,
          CASE WHEN f.value IS NULL THEN NULL
               WHEN g.target_kind = 'MOVE' AND g.target_start < g.target
                 THEN greatest(0, (f.value - g.target_start) / (g.target - g.target_start))
               ELSE f.value / g.target END AS share,
          CASE WHEN c.cumulative THEN e.elapsed WHEN e.elapsed > 0 THEN 1 ELSE 0 END
            AS expected,
          e.elapsed, c.cumulative
        FROM f, e, c)
  SELECT round(s.value, 2), round(s.share * 100, 2),
    CASE WHEN s.share >= 1 AND (s.cumulative OR s.elapsed >= 1) THEN 'ACHIEVED'
         WHEN s.elapsed >= 1 THEN 'MISSED'
         WHEN s.elapsed = 0 THEN 'ON_TRACK'
         WHEN s.share IS NULL THEN 'OFF_TRACK'
         WHEN s.share / s.expected >= o.on_track_pace THEN 'ON_TRACK'
         WHEN s.share / s.expected >= o.at_risk_pace THEN 'AT_RISK'
         ELSE 'OFF_TRACK' END
  FROM s, o
$$ LANGUAGE sql STABLE;
"""


@dataclass(frozen=True)
class Seeded:
    """The demo as the benchmarks use it: the director's team (every rep below it)."""

    team: Team
    director: User
    admin: User
    reps: list[User]


async def seed(url: str) -> Seeded:
    """Migrate the database at `url` and seed the demo into it."""
    await migrate(url)
    await open_database(url)
    try:
        made = await demo.seed_demo(datetime.now(UTC))
        team = await Team.get(organisation_id=made.organisation.id, name="Sales")
        assert team.manager_id is not None
        director = await User.get(id=team.manager_id)
        reps = await User.filter(organisation_id=made.organisation.id, role=Role.REP)
        return Seeded(team, director, made.admin, list(reps))
    finally:
        await close_database()


def start_project(env: dict[str, str], port: int) -> list[subprocess.Popen[bytes]]:
    """`pacesetter serve` on `port` and a `pacesetter worker`."""
    return [
        subprocess.Popen([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env)
        for args in (["serve", "--port", str(port)], ["worker"])
    ]


async def start_postgraphile(url: str, port: int) -> subprocess.Popen[bytes]:
    """PostGraphile 4 on `port` over the database at `url`, once the functions it needs are
    there; returns when it answers."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(FUNCTIONS)
    finally:
        await connection.close()
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is timed
        [
            str(node_tool("postgraphile")),
            *("--connection", url, "--schema", "public", "--host", "127.0.0.1"),
            *("--port", str(port), "--disable-query-log", "--disable-default-mutations"),
        ],
        stdout=subprocess.DEVNULL,
    )
    await graphql_up(f"http://127.0.0.1:{port}/graphql")
    return process


async def settled(url: str) -> None:
    """Until the worker has evaluated everything the seed ingested."""
    connection = await asyncpg.connect(url)
    try:
        for _ in range(600):
            if await connection.fetchval("SELECT count(*) FROM outbox") == 0:
                return
            await asyncio.sleep(0.5)
        raise TimeoutError("the outbox did not drain")
    finally:
        await connection.close()


async def graphql_up(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(150):
            try:
                answer = await http.post(url, json={"query": "{ __typename }"})
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


@dataclass(frozen=True)
class Stack:
    """Both servers up over the seeded demo: where each answers, and who is in it."""

    seeded: Seeded
    project: str
    baseline: str


@asynccontextmanager
async def side_by_side(kind: str) -> AsyncIterator[Stack]:
    """A database of this run with the demo, served by the project (once its worker has
    evaluated what the seed ingested) and by PostGraphile; everything stopped after."""
    async with fresh_database(kind) as (name, url):
        processes: list[subprocess.Popen[bytes]] = []
        try:
            seeded = await seed(url)
            port, baseline_port = free_port(), free_port()
            processes += start_project(process_env(name, url), port)
            await settled(url)
            processes.append(await start_postgraphile(url, baseline_port))
            stack = Stack(seeded, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{baseline_port}")
            await healthy(stack.project)
            yield stack
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
