"""The set-based import (columns converted by pyarrow, staged with COPY, stored by SQL) against
the row-by-row import, on the same messy export into two organisations of one database:
the same summaries, the same refusals, the same deals and the same rollups, first into an
empty organisation and then over what the first file stored."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.imports.bulk import eligible, import_deals
from core.imports.service import ImportSummary, import_file
from core.metrics.models import AccountDay, DealDay, LeadDay
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales.models import Account, Deal, Lead, Product
from domain.errors import FieldError
from domain.imports import Kind, load_mapping
from domain.records import LeadStatus

MAPPING = load_mapping(
    Kind.DEALS,
    {
        "columns": {
            "external_id": "Deal",
            "owner": "Owner",
            "amount": "Amount",
            "stage": "Stage",
            "created_at": "Created",
            "closed_at": "Closed",
            "product_external_id": "Product",
            "account_external_id": "Account",
            "quantity": "Qty",
            "region": "Region",
        },
        "values": {
            "stage": {"closed won": "WON", "closed lost": "LOST", "*": "OPEN"},
            "product_external_id": {"gtxpro": "GTX Pro"},
        },
        "defaults": {"amount": "0"},
        "skip": {"stage": ["Prospecting"]},
        "formats": {"datetime": ["%m/%d/%Y %I:%M %p", "iso"], "timezone": "America/New_York"},
        "owners": {"match": "name"},
    },
)
HEADER = ["Deal", "Owner", "Amount", "Stage", "Created", "Closed", "Product", "Account", "Qty"]
NAMES = ["Ana Alves", "Ben Bauer", "Cy Chen", "Dee Dee"]
# Edges the row parser reads in its own way: an hour that happens twice, one that never
# happens, times with an offset, dates of a month 13.
ODD_TIMES = [
    "11/01/2026 1:30 AM",
    "03/08/2026 2:30 AM",
    "2026-10-05T09:00:00+02:00",
    "2026-10-05T09:00:00Z",
    "13/45/2026 9:00 AM",
    "2026-10-05 09:15",
]


def _when(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(ODD_TIMES)
    moment = datetime(2025, 11, 1) + timedelta(minutes=rng.randrange(380 * 24 * 60))  # noqa: DTZ001
    return moment.strftime("%m/%d/%Y %I:%M %p").lstrip("0")


def _amount(rng: random.Random) -> str:
    return rng.choice(
        [f"{rng.randrange(100, 90000):,}.{rng.randrange(100):02d}"] * 8
        + ["", "-5", "1.00005", "12abc", " $ 1,000 "]
    )


def export(seed: int, rows: int) -> str:
    """A messy CRM export: repeats, refusals, odd times, blank lines, a value over lines."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*HEADER, "Region"])
    for n in range(rows):
        if rng.random() < 0.02:
            out.write("\n")
        stage = rng.choice(["Closed Won", "closed won", "Closed Lost", "Proposal", "Prospecting"])
        created = _when(rng)
        closed = _when(rng) if stage != "Proposal" or rng.random() < 0.3 else ""
        writer.writerow(
            [
                f"D{rng.randrange(rows)}" if rng.random() < 0.05 else f"D{n}",
                rng.choice([*NAMES, "ana alves", "Nobody"]) if rng.random() < 0.1 else NAMES[n % 4],
                _amount(rng),
                stage,
                created,
                closed,
                rng.choice(["GTXPro", "GTX Pro", "MG", "", "Unknown"]),
                rng.choice(["A1", "A2", ""]),
                rng.choice(["1", "2", "", "0", "3"]),
                rng.choice(["EMEA", "", "North\nAmerica", "AMER"]),
            ]
        )
    return out.getvalue()


async def organisation(prefix: str) -> Organisation:
    made = await orgs.provision_organisation(
        f"{prefix} Inc",
        admin_email=f"admin@{prefix}.test",
        admin_name="Admin",
        timezone="America/Los_Angeles",
    )
    assert not isinstance(made, FieldError)
    org, _ = made
    team = await orgs.create_team(org.id, "Sales", None)
    assert isinstance(team, Team)
    for name in NAMES:
        email = f"{name.split()[0].lower()}@{prefix}.test"
        user = await orgs.create_user(
            org.id, email=email, name=name, role=Role.REP, team_id=team.id
        )
        assert isinstance(user, User)
    await Product.create(
        organisation_id=org.id, external_id="GTX Pro", name="GTX Pro", unit_cost=Decimal("1250.5")
    )
    await Product.create(organisation_id=org.id, external_id="MG", name="MG")
    await Account.create(
        organisation_id=org.id, external_id="A1", name="One", region="APAC", segment="SMB"
    )
    await Account.create(organisation_id=org.id, external_id="A2", name="Two")
    owner = await User.get(organisation_id=org.id, name="Ben Bauer")
    for n in range(0, 300, 7):
        await Lead.create(
            organisation_id=org.id,
            external_id=f"L{n}",
            owner_id=owner.id,
            status=LeadStatus.QUALIFIED,
            created_at=datetime.fromisoformat("2026-09-01T12:00:00+00:00"),
            converted_deal_external_id=f"D{n}",
        )
    return org


def ordered(rows: Any) -> list[Any]:
    return sorted(rows, key=repr)


async def state(org: Organisation) -> dict[str, Any]:
    names = {u.id: u.name for u in await User.filter(organisation_id=org.id)}
    products = {p.id: p.external_id for p in await Product.filter(organisation_id=org.id)}
    accounts = {a.id: a.external_id for a in await Account.filter(organisation_id=org.id)}
    deals = ordered(
        (
            d.external_id,
            names[d.owner_id],
            accounts.get(d.account_id),
            products.get(d.product_id),
            d.amount,
            d.cost,
            d.quantity,
            d.stage,
            d.created_at,
            d.closed_at,
            d.region,
            d.segment,
        )
        for d in await Deal.filter(organisation_id=org.id)
    )
    deal_days = ordered(
        (
            names[r.rep_id],
            r.day,
            products.get(r.product_key),
            r.region,
            r.segment,
            r.revenue_ticks,
            r.cost_ticks,
            r.units,
            r.won,
            r.lost,
        )
        for r in await DealDay.filter(organisation_id=org.id)
        if any((r.revenue_ticks, r.cost_ticks, r.units, r.won, r.lost))
    )
    account_days = ordered(
        (
            names[r.rep_id],
            r.day,
            accounts[r.account_id],
            products.get(r.product_key),
            r.region,
            r.segment,
            r.won,
        )
        for r in await AccountDay.filter(organisation_id=org.id)
        if r.won
    )
    lead_days = ordered(
        (names[r.rep_id], r.day, r.region, r.segment, r.leads, r.qualified, r.converted)
        for r in await LeadDay.filter(organisation_id=org.id)
        if r.converted
    )
    return {
        "deals": deals,
        "deal_day": deal_days,
        "account_day": account_days,
        "lead_day": lead_days,
    }


def summary(found: ImportSummary) -> tuple[int, ...]:
    return (found.rows, found.imported, found.unchanged, found.rejected, found.skipped)


async def test_the_set_based_import_stores_what_the_row_by_row_import_stores(
    db: None, tmp_path: Path
) -> None:
    row_by_row, set_based = await organisation("rows"), await organisation("sets")
    assert eligible(Kind.DEALS, MAPPING, set_based)
    for step, (seed, size) in enumerate([(1, 300), (2, 300)]):
        path = tmp_path / f"deals-{step}.csv"
        path.write_text(export(seed, size), encoding="utf-8")
        one = await import_file(
            row_by_row, Kind.DEALS, path, MAPPING, tmp_path / f"rows-{step}.csv"
        )
        other = await import_deals(set_based, path, MAPPING, tmp_path / f"sets-{step}.csv")

        assert summary(other) == summary(one)
        # Something of each kind happened: the file exercises what it is meant to.
        assert min(one.rows, one.imported, one.rejected, one.skipped) > 0
        assert (tmp_path / f"sets-{step}.csv").read_text() == (
            tmp_path / f"rows-{step}.csv"
        ).read_text()
        assert other.affected_rep_ids
        assert {u.name for u in await User.filter(id__in=other.affected_rep_ids)} == {
            u.name for u in await User.filter(id__in=one.affected_rep_ids)
        }
        assert await state(set_based) == await state(row_by_row)

    again = await import_deals(set_based, path, MAPPING, tmp_path / "again.csv")
    assert (again.imported, again.unchanged) == (0, summary(one)[1] + summary(one)[2])
