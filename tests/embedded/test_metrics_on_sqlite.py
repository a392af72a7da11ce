"""The hand-built metric data set again on the embedded SQLite database: the rollup SQL must
give the same figures in both dialects, and the read model must keep them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.support.servers import cli, run_module
from tests.support.world import ANA_DECEMBER, EAST_DECEMBER, ORGANISATION_DECEMBER


async def test_every_metric_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'metrics.sqlite3'}"
    await asyncio.to_thread(cli, {"DATABASE_URL": url}, "migrate")

    printed = await asyncio.to_thread(run_module, "tests.support.sqlite_world", url)
    found = json.loads(printed)

    assert found == {
        **{f"ana {m}": str(v) for m, v in ANA_DECEMBER.items()},
        **{f"east {m}": str(v) for m, v in EAST_DECEMBER.items()},
        **{f"organisation {m}": str(v) for m, v in ORGANISATION_DECEMBER.items()},
        # One goal per figure above, each stored in the read model and read back the same.
        "read back": str(2 * len(ANA_DECEMBER) + len(ORGANISATION_DECEMBER)),
    }
