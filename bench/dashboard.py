"""Benchmark: the director's dashboard and the reps list, one `pacesetter serve` process
against one PostGraphile 4 process, on the same PostgreSQL database with the demo's data.

The dashboard is team → reps → goals → progress → awards (20 reps, up to 10 goals each);
the reps list is a team's reps with name and email. PostGraphile (installed with npm on the
first run, see bench/common.py) serves the same tables, with SQL functions for what the
project derives: a team's reps (its sub-teams' too), a rep's goals, a goal's standing awards,
and a goal's progress, computed from the stored figures and the clock by the same rules as
`domain/progress.py`. Before timing, both must answer the same figures, goal by goal.

Both sides are loaded alike by autocannon, CONNECTIONS connections for SECONDS each, no
response cache on either. The project runs with its policy guard on (PostGraphile has none:
it serves anyone everything), so the comparison flatters the baseline.

    .venv/bin/python bench/dashboard.py [SECONDS]    # needs PostgreSQL, Redis and npm
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api import demo  # noqa: E402
from bench.common import (  # noqa: E402
    SECRET,
    free_port,
    fresh_database,
    healthy,
    node_tool,
    process_env,
    volley,
)
from bench.results import Row, report  # noqa: E402
from core.auth.tokens import mint_token  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.orgs.models import Team, User  # noqa: E402

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
CONNECTIONS = 16

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


def project_dashboard(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The figures of a dashboard answer, rep by rep and goal by goal, comparable."""
    team = answer["data"]["team"]
    return [
        (rep["node"]["name"], goal["node"]["target"], *_figures(goal["node"]))
        for rep in team["reps"]["edges"]
        for goal in rep["node"]["goals"]["edges"]
    ]


def baseline_dashboard(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
    if "data" not in answer:
        raise SystemExit(f"PostGraphile answered {answer}")
    team = answer["data"]["teamById"]
    return [
        (
            rep["name"],
            goal["target"],
            *_figures(
                {
                    "progress": goal["progress"],
                    "awards": [
                        {"badge": award["badgeDefinitionByBadgeId"]} for award in goal["awards"]["nodes"]
                    ],
                }
            ),
        )
        for rep in team["reps"]["nodes"]
        for goal in rep["goals"]["nodes"]
    ]


def _figures(goal: dict[str, Any]) -> tuple[Any, ...]:
    progress = goal["progress"] or {}
    number = lambda value: None if value is None else Decimal(value)  # noqa: E731
    return (
        number(progress.get("currentValue")),
        number(progress.get("attainment")),
        progress.get("status"),
        tuple(award["badge"]["code"] for award in goal["awards"]),
    )


def same_answers(project: list[tuple[Any, ...]], baseline: list[tuple[Any, ...]]) -> None:
    normalised = [(name, Decimal(target), *rest) for name, target, *rest in baseline]
    ours = [(name, Decimal(target), *rest) for name, target, *rest in project]
    if ours != normalised:
        for mine, theirs in zip(ours, normalised, strict=False):
            if mine != theirs:
                print(f"  project:  {mine}\n  baseline: {theirs}")
        raise SystemExit("the project and PostGraphile answer different figures")
    print(f"same answers from both: {len(ours)} goals of {len({row[0] for row in ours})} reps")


async def main() -> None:
    async with fresh_database("dashboard") as (name, url):
        await measure(name, url)


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


async def measure(name: str, url: str) -> None:
    env = process_env(name, url)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        await migrate(url)
        await open_database(url)
        await demo.seed_demo(datetime.now(UTC))
        team = await Team.get(name="Sales")
        assert team.manager_id is not None
        director = await User.get(id=team.manager_id)
        await close_database()
        port, baseline_port = free_port(), free_port()
        started = [
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            [sys.executable, "-m", "api.cli", "worker"],
        ]
        for args in started:
            processes.append(subprocess.Popen(args, cwd=ROOT, env=env))  # noqa: ASYNC220
        await settled(url)
        connection = await asyncpg.connect(url)
        await connection.execute(FUNCTIONS)
        await connection.close()
        processes.append(
            subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is timed
                [
                    str(node_tool("postgraphile")),
                    *("--connection", url, "--schema", "public", "--host", "127.0.0.1"),
                    *("--port", str(baseline_port), "--disable-query-log"),
                    "--disable-default-mutations",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        base, baseline = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{baseline_port}"
        await healthy(base)
        await _graphql_up(f"{baseline}/graphql")
        bearer = {"authorization": f"Bearer {mint_token(director, SECRET)}"}
        ours = {"team": str(team.id)}
        theirs = {"team": team.id}
        pairs = [
            ("dashboard", PROJECT_DASHBOARD, BASELINE_DASHBOARD),
            ("reps list", PROJECT_REPS, BASELINE_REPS),
        ]
        async with httpx.AsyncClient(timeout=60) as http:
            mine = await http.post(
                f"{base}/graphql",
                json={"query": PROJECT_DASHBOARD, "variables": ours},
                headers=bearer,
            )
            other = await http.post(
                f"{baseline}/graphql", json={"query": BASELINE_DASHBOARD, "variables": theirs}
            )
        same_answers(project_dashboard(mine.json()), baseline_dashboard(other.json()))
        rows = []
        for label, project_query, baseline_query in pairs:
            project = await volley(
                f"{base}/graphql",
                {"query": project_query, "variables": ours},
                bearer,
                CONNECTIONS,
                SECONDS,
            )
            other_side = await volley(
                f"{baseline}/graphql",
                {"query": baseline_query, "variables": theirs},
                {},
                CONNECTIONS,
                SECONDS,
            )
            print(f"{label}: project {project}\n{label}: PostGraphile {other_side}")
            if project.failures or other_side.failures:
                raise SystemExit(f"{label}: failed requests")
            rows += [
                Row(
                    "dashboard",
                    f"{label}, {CONNECTIONS} connections: requests per s",
                    "per s",
                    project.per_second,
                    other_side.per_second,
                    "PostGraphile 4, one process",
                ),
                Row(
                    "dashboard",
                    f"{label}, {CONNECTIONS} connections: p50 ms",
                    "ms",
                    project.p50,
                    other_side.p50,
                    "PostGraphile 4, one process",
                ),
            ]
        report(rows)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


async def _graphql_up(url: str) -> None:
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


if __name__ == "__main__":
    asyncio.run(main())
