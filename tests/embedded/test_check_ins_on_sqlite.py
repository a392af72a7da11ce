"""Check-in cadence and reminders on the embedded SQLite database: the same local days and
the same one reminder as on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.support.servers import cli, run_module


async def test_cadence_and_reminders_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'check-ins.sqlite3'}"
    await asyncio.to_thread(cli, {"DATABASE_URL": url}, "migrate")

    printed = await asyncio.to_thread(run_module, "tests.support.sqlite_check_ins", url)

    # Checked in at 00:30 on 1 February, Auckland time: monthly, due 1 March. At 23:30 on
    # 28 February it is still upcoming; at 00:30 on 2 March one day overdue, reminded once.
    assert json.loads(printed) == {
        "evening": ["2027-03-01", "UPCOMING", 0],
        "a day later": ["2027-03-01", "OVERDUE", 1],
        "runs": [1, 0],
        "reminders": 1,
    }
