"""An LMS's completion export imported with the shipped mapping on the embedded SQLite
database, twice (the second time changes nothing), and the training figures measured there:
the organisation runs in New York, so 23:30 on 31 October is October's, not November's."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import date
from pathlib import Path

from tests.support.servers import ROOT, cli, create_organisation, run_cli, run_module

EXAMPLES = ROOT / "examples"


async def test_an_lms_export_imports_once_and_counts_on_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "training.sqlite3"
    env = {"DATABASE_URL": f"sqlite://{database}", "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    await asyncio.to_thread(cli, env, "migrate")
    made = await asyncio.to_thread(
        create_organisation, env, "Northwind", "admin@northwind.example", "America/New_York"
    )
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO course (organisation_id, code, name, description, skills, "
            "duration_minutes, pass_score, certification_months, created_at) "
            "VALUES (?, ?, ?, '', '[]', 60, ?, ?, '2026-10-01T00:00:00+00:00')",
            [
                (made["organisationId"], "NEG-101", "Negotiation", "80", 12),
                (made["organisationId"], "DISC-1", "Discovery", None, None),
            ],
        )

    def imported() -> str:
        done = run_cli(
            env,
            "import",
            "trainings",
            str(EXAMPLES / "lms-completions.csv"),
            "--mapping",
            str(EXAMPLES / "lms-completions.toml"),
            "--rejects",
            str(tmp_path / f"rejects-{len(list(tmp_path.iterdir()))}.csv"),
        )
        # Some rows refused, the rest stored: the partial exit status.
        assert done.returncode == 3, done.stderr
        return done.stdout.strip()

    first = await asyncio.to_thread(imported)
    again = await asyncio.to_thread(imported)

    assert first.startswith("trainings: 5 rows read, 3 imported, 1 rejected, 1 skipped."), first
    assert again.startswith("trainings: 5 rows read, 0 imported, 3 unchanged, 1 rejected"), again
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT external_id, day, passed, expires_on, score FROM training_completion "
            "ORDER BY external_id"
        ).fetchall()
    assert [(e, date.fromordinal(d), bool(p), x, s) for e, d, p, x, s in rows] == [
        # 23:30 in New York on 31 October (04:30 UTC on 1 November): October's.
        ("enr-1001", date(2026, 10, 31), True, "2027-10-31", "86.50"),
        ("enr-1002", date(2026, 11, 2), True, None, None),
        # 72 is below the pass mark of 80: recorded, not passed, nothing certified.
        ("enr-1003", date(2026, 11, 5), False, None, "72.00"),
    ]

    found = json.loads(
        await asyncio.to_thread(run_module, "tests.support.sqlite_training", env["DATABASE_URL"])
    )
    assert found == {
        "TRAINING_COMPLETED any october": "1",
        "TRAINING_COMPLETED any november": "1",
        "TRAINING_COMPLETED NEG-101 october": "1",
        "TRAINING_COMPLETED NEG-101 november": "0",
        "TRAINING_COMPLETED organisation october": "1",
        "TRAINING_COMPLETED organisation november": "1",
        # Certified on 31 October until 31 October 2027: it holds on both months' last day.
        "CERTIFIED any october": "1",
        "CERTIFIED any november": "1",
        "CERTIFIED NEG-101 october": "1",
        "CERTIFIED NEG-101 november": "1",
        "CERTIFIED organisation october": "1",
        "CERTIFIED organisation november": "1",
    }
