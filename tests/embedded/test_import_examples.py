"""The shipped example mappings import their example exports on the embedded SQLite
database: HubSpot (reps by name, made when new, currencies converted) and Salesforce
(reps by email, a manager column that makes the manager's team)."""

from __future__ import annotations

import asyncio
import sqlite3
from decimal import Decimal
from pathlib import Path

from tests.support.servers import ROOT, cli, create_organisation

EXAMPLES = ROOT / "examples"


async def test_the_example_exports_import(tmp_path: Path) -> None:
    database = tmp_path / "examples.sqlite3"
    env = {"DATABASE_URL": f"sqlite://{database}", "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    await asyncio.to_thread(cli, env, "migrate")
    await asyncio.to_thread(
        create_organisation, env, "Northwind", "admin@northwind.example", "America/New_York"
    )

    said = [
        (
            await asyncio.to_thread(
                cli,
                env,
                "import",
                "deals",
                str(EXAMPLES / f"{name}.csv"),
                "--mapping",
                str(EXAMPLES / f"{name}.toml"),
            )
        ).strip()
        for name in ("hubspot-deals", "salesforce-opportunities")
    ]

    assert said == [
        "deals: 4 rows read, 4 imported, 0 rejected; created 2 people and 1 teams.",
        "deals: 3 rows read, 3 imported, 0 rejected; created 3 people and 1 teams.",
    ]
    with sqlite3.connect(database) as db:
        deals = db.execute(
            "SELECT d.external_id, u.email, d.amount, d.stage FROM deal d"
            " JOIN app_user u ON u.id = d.owner_id ORDER BY d.external_id"
        ).fetchall()
        teams = db.execute(
            "SELECT t.name, m.email FROM team t LEFT JOIN app_user m ON m.id = t.manager_id"
            " ORDER BY t.id"
        ).fetchall()
    # 8,000 EUR × 1.08 = 8,640 and 2,000 GBP × 1.27 = 2,540 in the organisation's USD.
    assert [(e, o, f"{float(a):.2f}", s) for e, o, a, s in deals] == [
        ("0065e00000AbCdE", "dana@northwind.example", "24000.00", "WON"),
        ("0065e00000AbCdF", "dana@northwind.example", "18000.00", "OPEN"),
        ("0065e00000AbCdG", "eli@northwind.example", "6500.00", "LOST"),
        ("9001", "ava@northwind.example", "12500.00", "WON"),
        ("9002", "ava@northwind.example", "40000.00", "OPEN"),
        ("9003", "ben@northwind.example", "8640.00", "LOST"),
        ("9004", "ben@northwind.example", "2540.00", "WON"),
    ]
    assert teams == [("East", None), ("mia's team", "mia@northwind.example")]


async def test_four_places_survive_sqlite_and_a_reimport(tmp_path: Path) -> None:
    """Order lines of 957.5775 and half cents are stored as given on SQLite too; importing
    the same file again rewrites nothing and moves no rollup."""
    database = tmp_path / "exact.sqlite3"
    env = {"DATABASE_URL": f"sqlite://{database}", "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    await asyncio.to_thread(cli, env, "migrate")
    await asyncio.to_thread(
        create_organisation, env, "Northwind", "admin@northwind.example", "America/New_York"
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\nexternal_id = "id"\nowner = "owner"\namount = "amount"\nstage = "stage"\n'
        'created_at = "created"\nclosed_at = "closed"\n\n[owners]\ncreate = true\n',
        encoding="utf-8",
    )
    rows = ["id,owner,amount,stage,created,closed"]
    rows += [
        f"E{n},eve@northwind.example,{amount},won,2026-10-01T09:00:00Z,2026-10-02T09:00:00Z"
        for n, amount in enumerate(("957.5775", "10.005", "10.005", "0.0001"))
    ]
    export = tmp_path / "exact.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def stored() -> tuple[list[tuple[str, str, str]], list[tuple[int, int]]]:
        with sqlite3.connect(database) as db:
            deals = db.execute(
                "SELECT external_id, amount, updated_at FROM deal ORDER BY external_id"
            ).fetchall()
            days = db.execute("SELECT day, revenue_ticks FROM deal_day ORDER BY day").fetchall()
        return deals, days

    args = ("import", "deals", str(export), "--mapping", str(mapping))
    await asyncio.to_thread(cli, env, *args)
    first = stored()
    await asyncio.to_thread(cli, env, *args)

    assert stored() == first
    deals, days = first
    assert [Decimal(amount) for _, amount, _ in deals] == [
        Decimal("957.5775"),
        Decimal("10.005"),
        Decimal("10.005"),
        Decimal("0.0001"),
    ]
    # 957.5775 + 2 × 10.005 + 0.0001 = 977.5876: 9,775,876 ten-thousandths.
    assert [ticks for _, ticks in days] == [9_775_876]
