"""Benchmark: `pacesetter import deals` of a 100k- and a 1M-row CSV, against PostgreSQL's own
COPY of the same file into a bare table, measured in the same run; and the import's peak
memory at both sizes (flat memory: the 1M file should not need ten times the 100k one).

    .venv/bin/python bench/imports.py             # needs PostgreSQL (TEST_POSTGRES_URL)
    .venv/bin/python bench/imports.py 200000      # other sizes

The import runs as the real command in its own process (its peak resident memory is read
from the kernel's accounting of that child). Redis is left out: the re-measurement after an
import is then done in-process and included, as in the embedded mode.
"""

from __future__ import annotations

import asyncio
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import Row, report  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SIZES = [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]
REPS = 50
MAPPING = """
[columns]
external_id = "Deal ID"
owner = "Owner"
amount = "Amount"
stage = "Stage"
created_at = "Created"
closed_at = "Closed"

[values.stage]
"Closed Won" = "WON"
"Closed Lost" = "LOST"
"*" = "OPEN"

[formats]
datetime = "%Y-%m-%d %H:%M:%S"
"""
BARE = """CREATE TABLE bare (deal_id text, owner text, amount numeric, stage text,
  created timestamp, closed timestamp)"""


def write_deals(path: Path, rows: int) -> None:
    """A seeded CRM export: 18 months of deals of 50 reps, a third won, a third lost."""
    rng = random.Random(rows)
    # Eighteen months and sixty days that are over: a deal cannot have closed in the future.
    start = datetime(2024, 12, 1)  # noqa: DTZ001 (an export's local times, no offset)
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["Deal ID", "Owner", "Amount", "Stage", "Created", "Closed"])
        for n in range(rows):
            created = start + timedelta(minutes=rng.randrange(18 * 30 * 24 * 60))
            stage = rng.choice(("Closed Won", "Closed Lost", "Proposal"))
            closed = created + timedelta(days=rng.randrange(1, 60))
            out.writerow(
                [
                    f"D-{n}",
                    f"rep{n % REPS}@bench.example",
                    f"{rng.randrange(100, 50_000)}.{rng.randrange(100):02d}",
                    stage,
                    created.strftime("%Y-%m-%d %H:%M:%S"),
                    closed.strftime("%Y-%m-%d %H:%M:%S") if stage != "Proposal" else "",
                ]
            )


def pacesetter(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )


async def _copy(url: str, path: Path) -> float:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP TABLE IF EXISTS bare")
        await connection.execute(BARE)
        started = time.perf_counter()
        await connection.copy_to_table("bare", source=path, format="csv", header=True)
        return time.perf_counter() - started
    finally:
        await connection.close()


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def import_run(env: dict[str, str], path: Path, mapping: Path) -> tuple[float, float, str]:
    """Seconds, peak memory of the import process itself in MiB, and what it printed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "import", "deals", str(path), "--mapping", str(mapping)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    said = process.stdout.read()
    # wait4 reports this child's own resource use, not the largest of all children.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"the import failed ({process.returncode}): {said}")
    return seconds, usage.ru_maxrss / 1024, said.strip()


def measure(folder: Path, mapping: Path, size: int) -> tuple[str, list[Row]]:
    """One size in a database of its own: reps first, then COPY and the import."""
    name = f"pacesetter_bench_import_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "JWT_SECRET": "bench-" + "x" * 32,
        "LOG_LEVEL": "WARNING",
    }
    try:
        pacesetter(env, "migrate")
        pacesetter(env, "create-organisation", "Bench", "--admin-email", "a@bench.example")
        people = folder / "reps.csv"
        people.write_text(
            "email,name,team\n"
            + "".join(f"rep{n}@bench.example,Rep {n},Team {n % 5}\n" for n in range(REPS)),
            encoding="utf-8",
        )
        reps = folder / "reps.toml"
        reps.write_text('[columns]\nemail = "email"\nname = "name"\nteam = "team"\n')
        pacesetter(env, "import", "reps", str(people), "--mapping", str(reps))
        path = folder / f"deals-{size}.csv"
        write_deals(path, size)
        copy = asyncio.run(_copy(url, path))
        seconds, peak, said = import_run(env, path, mapping)
        path.unlink()
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    line = (
        f"{size:>10,} {copy:>8.2f} {seconds:>9.1f} {size / seconds:>9,.0f} "
        f"{seconds / copy:>7.1f} {peak:>9.0f}   ({said})"
    )
    row = Row(
        "imports",
        f"pacesetter import of {size:,} CSV rows, s (peak {peak:.0f} MiB)",
        "s",
        seconds,
        copy,
        "PostgreSQL COPY of the same file into a bare table",
    )
    return line, [row]


def main() -> None:
    print(f"{'rows':>10} {'COPY s':>8} {'import s':>9} {'rows/s':>9} {'× COPY':>7} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        mapping = Path(folder, "mapping.toml")
        mapping.write_text(MAPPING, encoding="utf-8")
        rows = []
        for size in sorted(SIZES):
            line, measured = measure(Path(folder), mapping, size)
            print(line, flush=True)
            rows += measured
    report(rows)


if __name__ == "__main__":
    main()
