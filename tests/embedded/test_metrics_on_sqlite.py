"""The hand-built metric data set again on the embedded SQLite database: the rollup SQL must
give the same figures in both dialects."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.servers import ROOT, cli
from tests.support.world import ANA_DECEMBER, EAST_DECEMBER, ORGANISATION_DECEMBER


def measure_in_another_process(url: str) -> dict[str, str | None]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.sqlite_world", url],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def test_every_metric_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'metrics.sqlite3'}"
    await asyncio.to_thread(cli, {"DATABASE_URL": url}, "migrate")

    found = await asyncio.to_thread(measure_in_another_process, url)

    assert found == {
        **{f"ana {m}": str(v) for m, v in ANA_DECEMBER.items()},
        **{f"east {m}": str(v) for m, v in EAST_DECEMBER.items()},
        **{f"organisation {m}": str(v) for m, v in ORGANISATION_DECEMBER.items()},
    }
