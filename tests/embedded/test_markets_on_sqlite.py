"""An analyst's table of market sizes imported with the shipped mapping on the embedded
SQLite database, with accounts and deals in the importer's own format, and the market
figures measured there: the organisation runs in New York, so 23:30 on 31 October is
October's, and 23:00 on 30 June is June's."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.support.servers import ROOT, cli, create_organisation, run_cli, run_module

EXAMPLES = ROOT / "examples"

ACCOUNTS = """external_id,name,segment,region
A1,Alder GmbH,Mid-Market,EMEA
A2,Birch SARL,Mid-Market,EMEA
A3,Cedar BV,Mid-Market,EMEA
"""
PRODUCTS = """external_id,name
CORE,Core platform
ADDON,Analytics add-on
"""
# The admin sells: D0 in June (local), D1 on 31 October 23:30 local (1 November in UTC).
DEALS = """external_id,owner,amount,stage,created_at,closed_at,\
account_external_id,product_external_id
D0,admin@northwind.example,9000000,WON,2026-06-01T09:00:00-04:00,2026-06-30T23:00:00-04:00,A1,CORE
D1,admin@northwind.example,3100000,WON,2026-10-01T09:00:00-04:00,2026-10-31T23:30:00-04:00,A2,ADDON
"""


async def test_market_sizes_import_and_measure_on_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "markets.sqlite3"
    env = {"DATABASE_URL": f"sqlite://{database}", "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    await asyncio.to_thread(cli, env, "migrate")
    await asyncio.to_thread(
        create_organisation, env, "Northwind", "admin@northwind.example", "America/New_York"
    )
    for kind, text in (("accounts", ACCOUNTS), ("products", PRODUCTS), ("deals", DEALS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        await asyncio.to_thread(cli, env, "import", kind, str(path))

    done = await asyncio.to_thread(
        run_cli,
        env,
        "import",
        "markets",
        str(EXAMPLES / "market-sizes.csv"),
        "--mapping",
        str(EXAMPLES / "market-sizes.toml"),
        "--rejects",
        str(tmp_path / "rejects.csv"),
    )
    # The last row has its dates the wrong way round: refused, the others stored.
    assert done.returncode == 3, done.stderr
    assert done.stdout.startswith("markets: 5 rows read, 4 imported, 1 rejected"), done.stdout
    assert "periodEnd" in (tmp_path / "rejects.csv").read_text()

    found = json.loads(
        await asyncio.to_thread(run_module, "tests.support.sqlite_markets", env["DATABASE_URL"])
    )
    # October: 368,000,000 over the 184 days of the second half, 2,000,000 a day: 62,000,000
    # for 31 days; D1's 3,100,000 is 5.00 of it. A2 of 1,200 addressable accounts: 0.08.
    # 16 June – 15 July: 15 days at 1,000,000 and 15 at 2,000,000 = 45,000,000; D0's
    # 9,000,000 is 20.00. A1 of the 1,200 declared for 15 July: 0.08.
    assert {k: v for k, v in found.items() if " " in k} == {
        "MARKET_SHARE october": "5.00",
        "MARKET_SHARE summer": "20.00",
        "PENETRATION october": "0.08",
        "PENETRATION summer": "0.08",
        "NEW_CUSTOMERS october": "1",
        "NEW_CUSTOMERS summer": "1",
    }
    # A3 was never sold to; 1,200 − 1 customer in October leaves 1,199 open. PUBLIC has
    # 340 and no account.
    assert found["EMEA-MM"]["never sold to"] == ["A3"]
    assert found["EMEA-MM"]["open"] == 1199
    assert found["PUBLIC"] == {"never sold to": [], "cross-sell": [], "open": 340}
