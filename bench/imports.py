"""Benchmark: `pacesetter import deals` of a 100k- and a 1M-row CSV, against PostgreSQL's own
COPY of the same file into a bare table, measured in the same run; then the same file again
(every row unchanged), and the same deals as a HubSpot-like export (US dates with AM/PM in
New York time, thousands separators, the pipeline's stage names, owners by name). The
import's own peak memory at each (flat memory: the 1M file should not need ten times the
100k one). `COPY/imp` is COPY's time over the import's: the share of COPY's speed reached.

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
# A HubSpot-like export: US dates with AM/PM in New York time, thousands separators, the
# pipeline's stage names, owners by name.
HUBSPOT_MAPPING = """
[columns]
external_id = "Record ID"
owner = "Deal owner"
amount = "Amount"
stage = "Deal Stage"
created_at = "Create Date"
closed_at = "Close Date"

[values.stage]
"Closed won" = "WON"
"Closed lost" = "LOST"
"*" = "OPEN"

[formats]
datetime = "%m/%d/%Y %I:%M %p"
timezone = "America/New_York"

[owners]
match = "name"
"""
# Its cells are not in a form COPY reads as numbers and times: the baseline keeps them text.
HUBSPOT_BARE = """CREATE TABLE bare (deal_id text, owner text, amount text, stage text,
  created text, closed text)"""
HUBSPOT_STAGES = {"Closed Won": "Closed won", "Closed Lost": "Closed lost", "Proposal": "Proposal"}


def write_hubspot(plain: Path, path: Path) -> None:
    """The same deals as `plain`, written as the HubSpot-like export."""
    with (
        plain.open(newline="", encoding="utf-8") as source,
        path.open("w", newline="", encoding="utf-8") as file,
    ):
        rows = csv.reader(source)
        next(rows)
        out = csv.writer(file)
        out.writerow(
            ["Record ID", "Deal owner", "Amount", "Deal Stage", "Create Date", "Close Date"]
        )
        for deal, owner, amount, stage, created, closed in rows:
            n = int(owner[3:].split("@")[0])
            out.writerow(
                [
                    deal,
                    f"Rep {n}",
                    f"{float(amount):,.2f}",
                    HUBSPOT_STAGES[stage],
                    _us(created),
                    _us(closed) if closed else "",
                ]
            )


def _us(text: str) -> str:
    moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 (local, as exported)
    return moment.strftime("%m/%d/%Y %I:%M %p")


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


async def _copy(url: str, path: Path, bare: str = BARE) -> float:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP TABLE IF EXISTS bare")
        await connection.execute(bare)
        started = time.perf_counter()
        await connection.copy_to_table("bare", source=path, format="csv", header=True)
        return time.perf_counter() - started
    finally:
        await connection.close()


async def _floor(url: str) -> float:
    """Seconds to write the organisation's stored deals again into a table shaped as `deal`
    (its indexes and foreign keys): what storing these rows costs whoever stores them."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP TABLE IF EXISTS deal_floor")
        await connection.execute("CREATE TABLE deal_floor (LIKE deal INCLUDING ALL)")
        for column, table in (
            ("organisation_id", "organisation"),
            ("owner_id", "app_user"),
            ("account_id", "account"),
            ("product_id", "product"),
        ):
            await connection.execute(
                f"ALTER TABLE deal_floor ADD FOREIGN KEY ({column}) REFERENCES {table}(id)"
            )
        started = time.perf_counter()
        await connection.execute("INSERT INTO deal_floor SELECT * FROM deal")
        return time.perf_counter() - started
    finally:
        await connection.execute("DROP TABLE IF EXISTS deal_floor")
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


def measure(folder: Path, size: int) -> tuple[list[str], list[Row]]:
    """One size in a database of its own: reps first; then COPY and the import of the file,
    its unchanged re-import, and the same deals as a HubSpot-like export over them."""
    name = f"pacesetter_bench_import_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "JWT_SECRET": "bench-" + "x" * 32,
        "LOG_LEVEL": "WARNING",
    }
    lines, rows = [], []
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
        plain, hubspot = folder / f"deals-{size}.csv", folder / f"hubspot-{size}.csv"
        write_deals(plain, size)
        write_hubspot(plain, hubspot)
        runs = [
            ("plain", plain, folder / "plain.toml", BARE),
            ("unchanged", plain, folder / "plain.toml", BARE),
            ("HubSpot-like", hubspot, folder / "hubspot.toml", HUBSPOT_BARE),
        ]
        for label, path, mapping, bare in runs:
            copy = asyncio.run(_copy(url, path, bare))
            seconds, peak, said = import_run(env, path, mapping)
            lines.append(
                f"{size:>10,} {label:>12} {copy:>8.2f} {seconds:>9.1f} {size / seconds:>9,.0f} "
                f"{copy / seconds:>7.3f} {peak:>9.0f}   ({said})"
            )
            rows.append(
                Row(
                    "imports",
                    f"import of {size:,} rows, {label}, s (peak {peak:.0f} MiB)",
                    "s",
                    seconds,
                    copy,
                    "PostgreSQL COPY of the same file into a bare table",
                )
            )
        floor = asyncio.run(_floor(url))
        lines.append(
            f"{size:>10,} {'floor':>12} {floor:>8.2f}   inserting the stored deals into a table "
            f"with deal's indexes and foreign keys: {floor / rows[0].baseline:.1f}× COPY's time"
        )
        rows.append(
            Row(
                "imports",
                f"import of {size:,} rows, plain, against the floor",
                "s",
                rows[0].project,
                floor,
                "INSERT of the same deals into a table with deal's indexes and foreign keys",
            )
        )
        plain.unlink()
        hubspot.unlink()
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return lines, rows


def main() -> None:
    print(
        f"{'rows':>10} {'file':>12} {'COPY s':>8} {'import s':>9} {'rows/s':>9} "
        f"{'COPY/imp':>7} {'peak MiB':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "plain.toml").write_text(MAPPING, encoding="utf-8")
        Path(folder, "hubspot.toml").write_text(HUBSPOT_MAPPING, encoding="utf-8")
        rows = []
        for size in sorted(SIZES):
            lines, measured = measure(Path(folder), size)
            print("\n".join(lines), flush=True)
            rows += measured
    report(rows)


if __name__ == "__main__":
    main()
