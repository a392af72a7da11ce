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
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SECRET, volley  # noqa: E402
from bench.results import Row, report  # noqa: E402
from bench.stack import (  # noqa: E402
    BASELINE_DASHBOARD,
    BASELINE_REPS,
    PROJECT_DASHBOARD,
    PROJECT_REPS,
    Stack,
    side_by_side,
)
from core.auth.tokens import mint_token  # noqa: E402

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
CONNECTIONS = 16


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
                        {"badge": award["badgeDefinitionByBadgeId"]}
                        for award in goal["awards"]["nodes"]
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
    async with side_by_side("dashboard") as stack:
        await measure(stack)


async def measure(stack: Stack) -> None:
    team, base, baseline = stack.seeded.team, stack.project, stack.baseline
    bearer = {"authorization": f"Bearer {mint_token(stack.seeded.director, SECRET)}"}
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


if __name__ == "__main__":
    asyncio.run(main())
