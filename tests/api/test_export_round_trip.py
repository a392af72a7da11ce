"""`pacesetter export` and back: an organisation filled from messy exports is written out in
the importer's own format, imported without a mapping into a fresh organisation of another
database, and every rollup the figures are measured from comes out the same."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from tests.api.test_export_shapes import (
    ACCOUNTS,
    ACCOUNTS_MAPPING,
    PIPELINE,
    PIPELINE_MAPPING,
    SALES_TEAMS,
    SALES_TEAMS_MAPPING,
)
from tests.api.test_export_shapes import _import as import_with
from tests.conftest import POSTGRES_ADMIN_URL, Org
from tests.support.servers import run_cli

PRODUCTS = """product,sales_price,cost
GTX Pro,4821,"2,100.50"
MG Special,55,
"""
PRODUCTS_MAPPING = """
[columns]
external_id = "product"
name = "product"
unit_price = "sales_price"
unit_cost = "cost"
"""
LEADS = """Lead,Agent,Created,Status,Deal
L1,Moses Frase,10/03/2026 11:30 PM,Qualified,1C1I7A6R
L2,Darcel Schlecht,10/31/2026 11:59 PM,New,
L3,Darcel Schlecht,11/01/2026 1:30 AM,Qualified,EC4QE1BX
"""
LEADS_MAPPING = """
[columns]
external_id = "Lead"
owner = "Agent"
created_at = "Created"
status = "Status"
converted_deal_external_id = "Deal"

[formats]
datetime = "%m/%d/%Y %I:%M %p"
timezone = "America/New_York"

[owners]
match = "name"
"""
KINDS = ("reps", "accounts", "products", "deals", "leads")
# The rollups, keyed by what names things in any organisation (emails, external ids).
ROLLUPS = {
    "deal_day": """
        SELECT u.email, r.day, coalesce(p.external_id, ''), r.region, r.segment,
               r.revenue_ticks, r.cost_ticks, r.units, r.won, r.lost
        FROM deal_day r JOIN app_user u ON u.id = r.rep_id
        LEFT JOIN product p ON p.id = r.product_key
        WHERE r.organisation_id = $1""",
    "account_day": """
        SELECT u.email, r.day, a.external_id, r.region, r.segment, r.won
        FROM account_day r JOIN app_user u ON u.id = r.rep_id
        JOIN account a ON a.id = r.account_id
        WHERE r.organisation_id = $1""",
    "lead_day": """
        SELECT u.email, r.day, r.region, r.segment, r.leads, r.qualified, r.converted
        FROM lead_day r JOIN app_user u ON u.id = r.rep_id
        WHERE r.organisation_id = $1""",
}


@pytest.fixture
async def other_database(production_env: dict[str, str]) -> AsyncIterator[dict[str, str]]:
    """The environment of `pacesetter` on a database of its own, migrated, with one
    organisation in the same timezone."""
    name = f"pacesetter_round_trip_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    env = {**production_env, "DATABASE_URL": f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"}
    try:
        assert run_cli(env, "migrate").returncode == 0
        made = run_cli(
            env,
            "create-organisation",
            "Acme again",
            "--admin-email",
            "admin@again.test",
            "--timezone",
            "America/Los_Angeles",
        )
        assert made.returncode == 0, made.stderr
        yield env
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def rollups(url: str) -> dict[str, list[tuple[object, ...]]]:
    connection = await asyncpg.connect(url)
    try:
        (organisation_id,) = await connection.fetchrow("SELECT min(id) FROM organisation")
        return {
            table: sorted(tuple(row) for row in await connection.fetch(query, organisation_id))
            for table, query in ROLLUPS.items()
        }
    finally:
        await connection.close()


def export_all(env: dict[str, str], folder: Path) -> dict[str, str]:
    folder.mkdir()
    written = {}
    for kind in KINDS:
        done = run_cli(env, "export", kind, str(folder / f"{kind}.csv"))
        assert done.returncode == 0, done.stderr
        written[kind] = (folder / f"{kind}.csv").read_text(encoding="utf-8")
    return written


async def test_an_export_imported_into_a_fresh_organisation_reproduces_every_figure(
    production_env: dict[str, str], other_database: dict[str, str], org: Org, tmp_path: Path
) -> None:
    env = production_env
    for kind, data, mapping in (
        ("reps", SALES_TEAMS, SALES_TEAMS_MAPPING),
        ("accounts", ACCOUNTS, ACCOUNTS_MAPPING),
        ("products", PRODUCTS, PRODUCTS_MAPPING),
        ("deals", PIPELINE, PIPELINE_MAPPING),
        ("leads", LEADS, LEADS_MAPPING),
    ):
        status, said = await import_with(env, tmp_path, kind, data, mapping)
        assert status in (0, 3), said
    first = await asyncio.to_thread(export_all, env, tmp_path / "first")

    for kind in KINDS:
        done = await asyncio.to_thread(
            run_cli, other_database, "import", kind, str(tmp_path / "first" / f"{kind}.csv")
        )
        assert (done.returncode, done.stderr) == (0, ""), done.stdout
    second = await asyncio.to_thread(export_all, other_database, tmp_path / "second")

    # What the file says is what is stored, again: records and people alike.
    assert second == first
    # Three won or lost deals and an open one; the won GTX Pro deal costs its unit cost.
    assert first["deals"].splitlines()[1:3] == [
        "1C1I7A6R,moses.frase@org"
        f"{org.organisation.id}.no-email.invalid,4514,,1,WON,2026-10-20T07:00:00+00:00,"
        "2026-11-01T07:00:00+00:00,Acme Corp,GTX Pro,AMER,technolgy",
        "Z063OYW0,darcel.schlecht@org"
        f"{org.organisation.id}.no-email.invalid,0,,1,LOST,2026-10-25T07:00:00+00:00,"
        "2026-11-03T08:00:00+00:00,Betasoloin,MG Special,EMEA,medical",
    ]
    before = await rollups(env["DATABASE_URL"])
    after = await rollups(other_database["DATABASE_URL"])
    assert after == before
    # Two won deals, one lost: the figures exist, not only match. 1C1I7A6R closed on
    # November 1st in Los Angeles at a cost of 1 × 2,100.50 (ticks are ten-thousandths).
    won = [row for row in before["deal_day"] if row[8] == 1]
    assert sorted((row[2], row[5], row[6]) for row in won) == [
        ("GTX Pro", 45_140_000, 21_005_000),
        ("GTX Pro", 51_690_000, 21_005_000),
    ]
    # L1 (October 3rd, 11:30 PM in New York, which is 8:30 PM in Los Angeles) converted to a
    # won deal; three leads in all.
    assert sum(row[4] for row in before["lead_day"]) == 3
    assert sum(row[6] for row in before["lead_day"]) == 2
