"""`pacesetter import` as a real process against PostgreSQL: a hand-written CSV through a
mapping, its figures read back over GraphQL; a second run changes nothing; bad rows are
reported with their line and the good ones kept; `--strict` keeps nothing."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx

from core.metrics.models import DealDay
from core.orgs.models import Team, User
from core.sales.models import Deal, Product
from domain.metrics import Metric
from domain.records import DealStage
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.servers import run_cli

# European export: semicolons, decimal commas, day-first dates, German stage names.
MAPPING = """
[csv]
delimiter = ";"

[columns]
external_id = "Nr"
owner = "Verantwortlich"
amount = "Betrag"
currency = "Währung"
stage = "Phase"
created_at = "Erstellt"
closed_at = "Abgeschlossen"

[values.stage]
"Gewonnen" = "WON"
"Verloren" = "LOST"
"*" = "OPEN"

[formats]
datetime = "%d/%m/%Y %H:%M"
decimal_separator = ","
thousands_separator = "."
currency = "USD"

[rates]
EUR = "1.10"

[owners]
match = "name"
"""
DEALS = """Nr;Verantwortlich;Betrag;Währung;Phase;Erstellt;Abgeschlossen
D1;Rita Rep;1.000,00;;Gewonnen;01/10/2026 09:00;15/10/2026 17:30
D2;Rita Rep;2.000,00;EUR;Gewonnen;02/10/2026 09:00;31/10/2026 23:30
D3;Rita Rep;500,00;;Verloren;03/10/2026 10:00;20/10/2026 12:00
D4;Rita Rep;750,00;;Angebot;04/10/2026 10:00;
D5;Rita Rep;300,00;;Gewonnen;20/09/2026 10:00;01/11/2026 00:30
"""
PROGRESS = """query($id: ID!) { goal(id: $id) { progress { currentValue } } }"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(env: dict[str, str], *args: str) -> tuple[int, str]:
    done = run_cli(env, "import", *args)
    assert not done.stderr.strip() or done.returncode == 2, done.stderr
    return done.returncode, done.stdout.strip()


async def test_a_mapped_csv_is_imported_and_a_second_run_changes_nothing(
    production_env: dict[str, str], client: httpx.AsyncClient, org: Org, tmp_path: Path
) -> None:
    mapping, deals = write(tmp_path, "m.toml", MAPPING), write(tmp_path, "deals.csv", DEALS)
    october = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}
    goals = {
        metric: await make_goal(
            org.organisation.id, rep_id=org.rep.id, metric=metric, target=1000, **october
        )
        for metric in (Metric.REVENUE, Metric.DEALS_WON, Metric.WIN_RATE)
    }
    args = (
        "deals",
        str(deals),
        "--mapping",
        str(mapping),
        "--organisation",
        str(org.organisation.id),
    )

    first = await asyncio.to_thread(run_import, production_env, *args)
    stored = {d.external_id: (d.updated_at, d.amount) for d in await Deal.all()}
    rollups = sorted((r.day, r.revenue_ticks, r.won, r.lost) for r in await DealDay.all())
    second = await asyncio.to_thread(run_import, production_env, *args)

    assert first == (0, "deals: 5 rows read, 5 imported, 0 rejected.")
    assert second == (0, "deals: 5 rows read, 0 imported, 5 unchanged, 0 rejected.")
    figures = {
        metric: (await graphql(client, PROGRESS, org.token(), id=goal.id))["data"]["goal"][
            "progress"
        ]["currentValue"]
        for metric, goal in goals.items()
    }
    # October in Los Angeles: D1 1,000 USD and D2 2,000 EUR × 1.10 = 2,200 won (D2 at
    # 23:30 on the 31st is still October); D3 lost; D4 open; D5 closed on 1 November.
    # Revenue 3,200, two won, a win rate of 2 / 3.
    assert figures == {
        Metric.REVENUE: "3200.00",
        Metric.DEALS_WON: "2.00",
        Metric.WIN_RATE: "66.67",
    }
    # The second run wrote nothing: the same rows, untouched, and the same rollups.
    assert {d.external_id: (d.updated_at, d.amount) for d in await Deal.all()} == stored
    assert sorted((r.day, r.revenue_ticks, r.won, r.lost) for r in await DealDay.all()) == rollups
    assert not (tmp_path / "deals.csv.rejects.csv").exists()


PLAIN = """
[columns]
external_id = "id"
owner = "owner"
amount = "amount"
stage = "stage"
created_at = "created"
closed_at = "closed"
"""
WITH_BAD_ROWS = """id,owner,amount,stage,created,closed
B1,rita@acme.test,100,won,2026-10-01T09:00:00-07:00,2026-10-02T09:00:00-07:00
B2,rita@acme.test,100,won,2026-13-45,2026-10-02T09:00:00-07:00
B3,rita@acme.test,100,Won-ish,2026-10-01T09:00:00-07:00,2026-10-02T09:00:00-07:00
B4,rita@acme.test,-5,won,2026-10-01T09:00:00-07:00,2026-10-02T09:00:00-07:00
B5,nobody@acme.test,100,won,2026-10-01T09:00:00-07:00,2026-10-02T09:00:00-07:00
B6,rita@acme.test,40,LOST,2026-10-01T09:00:00-07:00,2026-10-03T09:00:00-07:00
"""


def rejected_rows(
    path: Path, columns: str = "id,owner,amount,stage,created,closed"
) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["line", "reason", *columns.split(",")]
    return [(row[0], row[2], row[1]) for row in rows[1:]]


EXPECTED_REJECTS = [
    ("3", "B2", 'column "created" = "2026-13-45": not a date we can read'),
    (
        "4",
        "B3",
        'column "stage" = "Won-ish": not a known stage and the mapping has no value for it',
    ),
    ("5", "B4", 'column "amount" = "-5": amount must be zero or more.'),
    ("6", "B5", 'column "owner" = "nobody@acme.test": no such person'),
]


async def test_bad_rows_are_reported_by_line_and_the_good_ones_kept(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping, deals = write(tmp_path, "m.toml", PLAIN), write(tmp_path, "bad.csv", WITH_BAD_ROWS)
    rejects = tmp_path / "rejected.csv"

    status, words = await asyncio.to_thread(
        run_import,
        production_env,
        "deals",
        str(deals),
        "--mapping",
        str(mapping),
        "--rejects",
        str(rejects),
    )

    assert status == 3
    assert words.splitlines() == [
        "deals: 6 rows read, 2 imported, 4 rejected.",
        f"Rejected rows, with their line and reason: {rejects}",
    ]
    assert rejected_rows(rejects) == EXPECTED_REJECTS
    assert sorted((d.external_id, d.amount) for d in await Deal.all()) == [
        ("B1", 100),
        ("B6", 40),
    ]


async def test_strict_imports_nothing_when_a_row_is_bad(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping, deals = write(tmp_path, "m.toml", PLAIN), write(tmp_path, "bad.csv", WITH_BAD_ROWS)

    status, words = await asyncio.to_thread(
        run_import, production_env, "deals", str(deals), "--mapping", str(mapping), "--strict"
    )

    rejects = tmp_path / "bad.csv.rejects.csv"
    assert status == 4
    assert words.splitlines() == [
        "deals: 6 rows read, 0 imported, 4 rejected.",
        f"--strict: nothing was imported. Rejected rows: {rejects}",
    ]
    assert rejected_rows(rejects) == EXPECTED_REJECTS
    assert await Deal.all().count() == 0
    assert await DealDay.all().count() == 0


async def test_a_wrong_mapping_is_a_usage_error(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping = write(tmp_path, "m.toml", PLAIN.replace('amount = "amount"', 'amount = "Amount"'))
    deals = write(tmp_path, "deals.csv", WITH_BAD_ROWS)

    done = await asyncio.to_thread(
        run_cli, production_env, "import", "deals", str(deals), "--mapping", str(mapping)
    )

    assert done.returncode == 2
    assert done.stderr.strip() == "pacesetter import: the file has no column(s): 'Amount'"
    assert await Deal.all().count() == 0


async def test_a_file_in_another_encoding_is_a_usage_error(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping = write(tmp_path, "m.toml", PLAIN)
    deals = tmp_path / "latin1.csv"
    deals.write_bytes(WITH_BAD_ROWS.replace("B1", "Bé1").encode("latin-1"))

    done = await asyncio.to_thread(
        run_cli, production_env, "import", "deals", str(deals), "--mapping", str(mapping)
    )

    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"pacesetter import: {deals} is not text in the mapping's encoding (utf-8: invalid "
        "continuation byte); set [csv] encoding"
    )


REPS_MAPPING = """
[columns]
email = "Email"
name = "Name"
team = "Team"
manager = "Manager"
"""
REPS = """Email,Name,Team,Manager
nia@acme.test,Nia North,North,mo@acme.test
ole@acme.test,Ole Olsen,North,
pat@acme.test,Pat Pine,,Rita Rep
not-an-email,Quinn,North,
sol@acme.test,Sol Sun,,Nobody Known
rita@acme.test,Rita Rep,,
"""


async def test_reps_are_upserted_with_their_teams_and_managers(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping, reps = write(tmp_path, "m.toml", REPS_MAPPING), write(tmp_path, "reps.csv", REPS)
    args = ("reps", str(reps), "--mapping", str(mapping))

    first = await asyncio.to_thread(run_import, production_env, *args)
    people = {u.email: u for u in await User.filter(organisation_id=org.organisation.id)}
    teams = {t.id: t for t in await Team.filter(organisation_id=org.organisation.id)}
    second = await asyncio.to_thread(run_import, production_env, *args)

    # Nia's row makes team North, managed by a new MANAGER from the email; Pat's manager is
    # Rita, named, so Rita manages "Rita Rep's team" (and becomes a MANAGER); Sol's manager
    # is named only, and new: made a MANAGER with a reserved address, managing her team;
    # Rita's own row names no team, so she stays in West.
    assert first[0] == 3
    assert first[1].splitlines()[0] == (
        "reps: 6 rows read, 4 imported, 1 unchanged, 1 rejected; created 6 people and 3 teams."
    )
    nobody = f"nobody.known@org{org.organisation.id}.no-email.invalid"
    placed = {
        email: (teams[u.team_id].name if u.team_id else None, u.role.value)
        for email, u in people.items()
    }
    assert placed == {
        "admin@acme.test": (None, "ADMIN"),
        "rita@acme.test": ("West", "MANAGER"),
        "mo@acme.test": (None, "MANAGER"),
        "nia@acme.test": ("North", "REP"),
        "ole@acme.test": ("North", "REP"),
        "pat@acme.test": ("Rita Rep's team", "REP"),
        "sol@acme.test": ("Nobody Known's team", "REP"),
        nobody: (None, "MANAGER"),
    }
    managed = {t.name: people_by_id(people)[t.manager_id] for t in teams.values() if t.manager_id}
    assert managed == {
        "North": "mo@acme.test",
        "Rita Rep's team": "rita@acme.test",
        "Nobody Known's team": nobody,
    }
    assert rejected_lines(tmp_path / "reps.csv.rejects.csv") == [
        ("5", 'column "Email" = "not-an-email": not an email address'),
    ]
    # Again: nothing new, nothing moved.
    assert second[1].splitlines()[0] == "reps: 6 rows read, 0 imported, 5 unchanged, 1 rejected."
    assert {u.email: (u.team_id, u.name) for u in await User.all()} == {
        e: (u.team_id, u.name) for e, u in people.items()
    }


def people_by_id(people: dict[str, User]) -> dict[int, str]:
    return {user.id: email for email, user in people.items()}


def rejected_lines(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return [(row[0], row[1]) for row in list(csv.reader(file))[1:]]


async def test_the_rejects_file_never_overwrites_a_file(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping, deals = write(tmp_path, "m.toml", PLAIN), write(tmp_path, "bad.csv", WITH_BAD_ROWS)
    precious = write(tmp_path, "precious.txt", "keep me\n")

    def run(*extra: str) -> tuple[int, str]:
        return run_import(production_env, "deals", str(deals), "--mapping", str(mapping), *extra)

    named_existing = await asyncio.to_thread(run, "--rejects", str(precious))
    named_input = await asyncio.to_thread(run, "--rejects", str(deals))
    first = await asyncio.to_thread(run)
    second = await asyncio.to_thread(run)

    # Refused before reading a row; the files are as they were.
    assert named_existing[0] == named_input[0] == 2
    assert precious.read_text() == "keep me\n"
    assert deals.read_text() == WITH_BAD_ROWS
    # A second run leaves the first run's rejects alone and writes its own beside them.
    assert (first[0], second[0]) == (3, 3)
    assert second[1].splitlines()[-1].endswith(str(tmp_path / "bad.csv.rejects-2.csv"))
    assert rejected_rows(tmp_path / "bad.csv.rejects.csv") == EXPECTED_REJECTS
    assert rejected_rows(tmp_path / "bad.csv.rejects-2.csv") == EXPECTED_REJECTS


async def test_reps_keep_their_external_ids_and_an_email_twice_is_a_duplicate(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping = write(tmp_path, "m.toml", REPS_MAPPING + 'external_id = "Id"\n')
    reps = write(
        tmp_path,
        "reps.csv",
        "Id,Email,Name,Team,Manager\n"
        "E-1,uma@acme.test,Uma Up,North,\n"
        "E-2,vic@acme.test,Vic Vale,North,\n"
        "E-3,UMA@acme.test,Uma Renamed,North,\n",
    )

    status, words = await asyncio.to_thread(
        run_import, production_env, "reps", str(reps), "--mapping", str(mapping)
    )

    assert status == 3
    assert words.splitlines()[0] == (
        "reps: 3 rows read, 2 imported, 1 rejected; created 2 people and 1 teams."
    )
    made = await User.filter(email__in=["uma@acme.test", "vic@acme.test"]).order_by("email")
    assert [(u.email, u.name, u.external_id) for u in made] == [
        ("uma@acme.test", "Uma Up", "E-1"),
        ("vic@acme.test", "Vic Vale", "E-2"),
    ]
    assert rejected_lines(tmp_path / "reps.csv.rejects.csv") == [
        ("4", 'column "Email" = "UMA@acme.test": an earlier row of this file is the same person')
    ]


US_EXPORT = """
[columns]
external_id = "Order"
owner = "Rep"
amount = "Total"
stage = "Status"
created_at = "Created"
closed_at = "Closed"

[formats]
datetime = "%m/%d/%Y %I:%M %p"
timezone = "America/New_York"
"""


def us_export() -> str:
    """200 half-cent orders (one COPY batch), an order line with four places, a deal
    closed in the hour New York lives twice (2 November 2025, 1:30 AM) and one closed in
    the hour it skips (9 March 2025, 2:30 AM), and one amount with five places."""
    lines = ["Order,Rep,Total,Status,Created,Closed"]
    lines += [
        f"H{n},rita@acme.test,10.005,won,10/1/2025 9:00 AM,10/15/2025 10:00 AM" for n in range(200)
    ]
    lines.append("P1,rita@acme.test,957.5775,won,10/1/2025 9:00 AM,10/20/2025 4:00 PM")
    lines.append("DST1,rita@acme.test,100,won,10/1/2025 9:00 AM,11/2/2025 1:30 AM")
    lines.append("DST2,rita@acme.test,100,lost,3/1/2025 9:00 AM,3/9/2025 2:30 AM")
    lines.append("X1,rita@acme.test,1.00005,won,10/1/2025 9:00 AM,10/2/2025 9:00 AM")
    return "\n".join(lines) + "\n"


async def test_reimporting_exact_amounts_and_daylight_saving_times_changes_nothing(
    production_env: dict[str, str], client: httpx.AsyncClient, org: Org, tmp_path: Path
) -> None:
    mapping, deals = write(tmp_path, "m.toml", US_EXPORT), write(tmp_path, "us.csv", us_export())
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=1000,
        start=date(2025, 10, 1),
        end=date(2025, 10, 31),
    )
    args = ("deals", str(deals), "--mapping", str(mapping), "--rejects", str(tmp_path / "r.csv"))

    async def snapshot() -> tuple[object, ...]:
        return (
            {d.external_id: (d.updated_at, d.amount, d.closed_at) for d in await Deal.all()},
            sorted((r.day, r.revenue_ticks, r.won, r.lost) for r in await DealDay.all()),
        )

    runs = [await asyncio.to_thread(run_import, production_env, *args)]
    first = await snapshot()
    for _ in range(2):
        runs.append(await asyncio.to_thread(run_import, production_env, *args))
        assert await snapshot() == first

    assert runs[0][1].splitlines()[0] == "deals: 204 rows read, 203 imported, 1 rejected."
    assert rejected_rows(tmp_path / "r.csv", "Order,Rep,Total,Status,Created,Closed") == [
        (
            "205",
            "X1",
            'column "Total" = "1.00005": amount has more than 4 decimal places (1.00005); '
            "amounts are "
            "kept to 4 places and never rounded on the way in.",
        )
    ]
    stored = {d.external_id: d for d in await Deal.all()}
    assert stored["H0"].amount == Decimal("10.005")
    assert stored["P1"].amount == Decimal("957.5775")
    # The repeated hour is read as its first pass (EDT, UTC-4); the skipped one with the
    # offset before the change (EST, UTC-5), i.e. moved forward to 3:30 AM EDT.
    assert stored["DST1"].closed_at == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)
    assert stored["DST2"].closed_at == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)
    # October 2025 in Los Angeles: 200 × 10.005 + 957.5775 = 2,958.5775, shown 2,958.58;
    # DST1 closed at 22:30 on 1 November there.
    assert sum(r.revenue_ticks for r in await DealDay.all()) == 29_585_775 + 1_000_000
    progress = (await graphql(client, PROGRESS, org.token(), id=goal.id))["data"]["goal"]
    assert progress["progress"]["currentValue"] == "2958.58"


# A retail order sheet as exported: no stage (every order is won), no amount or cost
# columns, product names as the sales team types them, and internal orders to leave out.
ORDER_MAPPING = """
[columns]
external_id = "Order ID"
owner = "Rep"
created_at = "Order Date"
closed_at = "Order Date"
product_external_id = "Product"
quantity = "Qty"
region = "Region"

[constants]
stage = "WON"

[computed]
amount = "Qty * Unit Price"
cost = "Sales - Profit"

[values.product_external_id]
"GTXPro" = "GTX-PRO"
"GTX Pro" = "GTX-PRO"

[skip]
region = "Internal"

[formats]
date = "%m/%d/%Y"

[owners]
match = "name"
"""
ORDER_SHEET = """Order ID,Order Date,Rep,Product,Qty,Unit Price,Sales,Profit,Region
O-1,10/05/2026,Rita Rep,GTXPro,3,19.99,59.97,20.00,West
O-2,10/06/2026,Rita Rep,GTX Pro,1,"1,250.00","1,250.00",400.50,West
O-3,10/07/2026,Rita Rep,GTXPro,2,19.99,39.98,10.00,Internal
"""


async def test_an_order_sheet_imports_with_a_mapping_alone(
    production_env: dict[str, str], client: httpx.AsyncClient, org: Org, tmp_path: Path
) -> None:
    await Product.create(organisation_id=org.organisation.id, external_id="GTX-PRO", name="GTX Pro")
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.GROSS_PROFIT,
        target=1000,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
    )
    args = (
        "deals",
        str(write(tmp_path, "orders.csv", ORDER_SHEET)),
        "--mapping",
        str(write(tmp_path, "orders.toml", ORDER_MAPPING)),
        "--organisation",
        str(org.organisation.id),
    )

    status, said = await asyncio.to_thread(run_import, production_env, *args)

    assert (status, said) == (0, "deals: 3 rows read, 2 imported, 0 rejected, 1 skipped.")
    stored = {d.external_id: d for d in await Deal.filter(organisation_id=org.organisation.id)}
    assert sorted(stored) == ["O-1", "O-2"]
    # 3 × 19.99 = 59.97 at a cost of 59.97 − 20.00; 1 × 1,250.00 at 1,250.00 − 400.50.
    assert (stored["O-1"].amount, stored["O-1"].cost) == (Decimal("59.97"), Decimal("39.97"))
    assert (stored["O-2"].amount, stored["O-2"].cost) == (Decimal("1250"), Decimal("849.5"))
    assert {d.stage for d in stored.values()} == {DealStage.WON}
    # Gross profit: 20.00 + 400.50.
    body = await graphql(client, PROGRESS, org.token(), id=str(goal.id))
    assert body["data"]["goal"]["progress"]["currentValue"] == "420.50"


# An order-line database: one row per product of an order, an order's lines together.
LINES_MAPPING = """
[columns]
owner = "Rep"
created_at = "Ordered"
closed_at = "Ordered"
quantity = "Qty"

[lines]
by = "Order"

[constants]
stage = "WON"

[computed]
amount = "Qty * Price"
cost = "Qty * Unit Cost"

[owners]
match = "name"
"""
ORDER_LINES = """Order,Ordered,Rep,Qty,Price,Unit Cost
A-1,2026-10-05,Rita Rep,2,100.00,40.00
A-1,2026-10-05,Rita Rep,1,250.50,100.25
A-2,2026-10-06,Rita Rep,1,80.00,30.00
A-2,2026-10-06,Rita Rep,many,80.00,30.00
A-3,2026-10-07,Rita Rep,4,12.50,5.00
"""


async def test_order_lines_become_one_deal_per_order(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    args = (
        "deals",
        str(write(tmp_path, "lines.csv", ORDER_LINES)),
        "--mapping",
        str(write(tmp_path, "lines.toml", LINES_MAPPING)),
        "--organisation",
        str(org.organisation.id),
    )

    status, said = await asyncio.to_thread(run_import, production_env, *args)

    # A-2 has a bad line: neither of its lines is stored, so it is not stored in part.
    assert status == 3
    assert said.startswith("deals: 5 rows read, 2 imported, 2 rejected.")
    stored = {d.external_id: d for d in await Deal.filter(organisation_id=org.organisation.id)}
    assert sorted(stored) == ["A-1", "A-3"]
    # 2 × 100.00 + 1 × 250.50 = 450.50, costing 2 × 40.00 + 100.25 = 180.25, 3 units.
    a1 = stored["A-1"]
    assert (a1.amount, a1.cost, a1.quantity) == (Decimal("450.5"), Decimal("180.25"), 3)
    a3 = stored["A-3"]
    assert (a3.amount, a3.cost, a3.quantity) == (Decimal(50), Decimal(20), 4)
    rejects = (tmp_path / "lines.csv.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[0] for row in rejects[1:]] == ["4", "5"]
    assert "another line of this order was refused" in rejects[1]
    assert 'column ""Qty"" = ""many"": not a number",' in rejects[2]
