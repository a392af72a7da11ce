"""Three public export shapes, each imported through `pacesetter import` with a mapping
alone (no script reshapes the files): a B2B CRM pipeline with its teams, accounts and
products files; an order/line-item database whose lines name a customer whose rep is in
another file; a retail order sheet whose owner is the region's person."""

# ruff: noqa: E501 (the files' rows as the exports write them, one per line)

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from core.orgs.models import Role, Team, User
from core.sales.models import Deal
from domain.records import DealStage
from tests.api.test_csv_import import rejected_lines, run_import, write
from tests.conftest import Org

# A B2B CRM pipeline (the shape of Maven Analytics' "CRM Sales Opportunities").
SALES_TEAMS = """sales_agent,manager,regional_office
Moses Frase,Dustin Brinkmann,Central
Darcel Schlecht,Melvin Marxen,Central
Vicki Laflamme,Celia Rouche,West
"""
SALES_TEAMS_MAPPING = """
[columns]
name = "sales_agent"
manager = "manager"
parent_team = "regional_office"
"""
ACCOUNTS = """account,sector,office_location
Acme Corp,technolgy,United States
Betasoloin,medical,Belgium
"""
ACCOUNTS_MAPPING = """
[columns]
external_id = "account"
name = "account"
segment = "sector"
region = "office_location"

[values.region]
"United States" = "AMER"
Belgium = "EMEA"
"""
PRODUCTS = """product,series,sales_price
GTX Pro,GTX,4821
MG Special,MG,55
"""
PRODUCTS_MAPPING = """
[columns]
external_id = "product"
name = "product"
unit_price = "sales_price"
"""
PIPELINE = """opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,GTXPro,Acme Corp,Won,2026-10-20,2026-11-01,4514
Z063OYW0,Darcel Schlecht,MG Special,Betasoloin,Lost,2026-10-25,2026-11-03,0
EC4QE1BX,Darcel Schlecht,GTXPro,Betasoloin,Won,2026-10-25,2026-11-07,5169
MV1LWRNH,Moses Frase,MG Special,Acme Corp,Engaging,2026-10-25,,
PE84CX4O,Vicki Laflamme,MG Special,,Prospecting,,,
HAXMC4IX,Nobody Here,GTXPro,Acme Corp,Won,2026-10-25,2026-11-02,1000
NL3JZH1Z,Moses Frase,GTX Plus,Acme Corp,Won,2026-10-25,2026-11-02,1000
"""
PIPELINE_MAPPING = """
[columns]
external_id = "opportunity_id"
owner = "sales_agent"
product_external_id = "product"
account_external_id = "account"
stage = "deal_stage"
created_at = "engage_date"
closed_at = "close_date"
amount = "close_value"

[values.product_external_id]
GTXPro = "GTX Pro"

[values.stage]
Won = "WON"
Lost = "LOST"
Engaging = "OPEN"

[defaults]
amount = "0"

[skip]
stage = "Prospecting"

[owners]
match = "name"
"""


async def _import(
    env: dict[str, str], tmp_path: Path, kind: str, data: str, mapping: str
) -> tuple[int, str]:
    args = (
        kind,
        str(write(tmp_path, f"{kind}.csv", data)),
        "--mapping",
        str(write(tmp_path, f"{kind}.toml", mapping)),
    )
    return await asyncio.to_thread(run_import, env, *args)


async def test_a_b2b_pipeline_with_its_teams_accounts_and_products(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    env, org_id = production_env, org.organisation.id
    reps = await _import(env, tmp_path, "reps", SALES_TEAMS, SALES_TEAMS_MAPPING)
    accounts = await _import(env, tmp_path, "accounts", ACCOUNTS, ACCOUNTS_MAPPING)
    products = await _import(env, tmp_path, "products", PRODUCTS, PRODUCTS_MAPPING)
    deals = await _import(env, tmp_path, "deals", PIPELINE, PIPELINE_MAPPING)
    again = await _import(env, tmp_path, "deals", PIPELINE, PIPELINE_MAPPING)

    # Three agents and their three managers, none with an email; a team per manager under
    # its regional office (Central is new; West is the organisation's own).
    assert reps == (0, "reps: 3 rows read, 3 imported, 0 rejected; created 6 people and 4 teams.")
    assert accounts == (0, "accounts: 2 rows read, 2 imported, 0 rejected.")
    assert products == (0, "products: 2 rows read, 2 imported, 0 rejected.")
    teams = {t.id: t for t in await Team.filter(organisation_id=org_id)}
    people = await User.filter(organisation_id=org_id, email__endswith=".no-email.invalid")
    placed = {
        u.name: (teams[u.team_id].name, teams[teams[u.team_id].parent_id or 0].name)
        for u in people
        if u.team_id
    }
    assert placed == {
        "Moses Frase": ("Dustin Brinkmann's team", "Central"),
        "Darcel Schlecht": ("Melvin Marxen's team", "Central"),
        "Vicki Laflamme": ("Celia Rouche's team", "West"),
    }
    managers = {u.name for u in people if u.role is Role.MANAGER}
    assert managers == {"Dustin Brinkmann", "Melvin Marxen", "Celia Rouche"}

    # Prospecting is skipped; two rows are refused, each naming its column and value.
    assert deals[0] == 3
    assert deals[1].splitlines()[0] == ("deals: 7 rows read, 4 imported, 2 rejected, 1 skipped.")
    assert rejected_lines(tmp_path / "deals.csv.rejects.csv") == [
        ("7", 'column "sales_agent" = "Nobody Here": no such person'),
        ("8", 'column "product" = "GTX Plus": no such product'),
    ]
    assert again[1].splitlines()[0] == (
        "deals: 7 rows read, 0 imported, 4 unchanged, 2 rejected, 1 skipped."
    )
    by_name = {u.id: u.name for u in people}
    stored = {
        d.external_id: (by_name[d.owner_id], d.stage, d.amount, d.region, d.segment)
        for d in await Deal.filter(organisation_id=org_id)
    }
    # Region and segment come from the account, its region through the value map.
    assert stored == {
        "1C1I7A6R": ("Moses Frase", DealStage.WON, 4514, "AMER", "technolgy"),
        "Z063OYW0": ("Darcel Schlecht", DealStage.LOST, 0, "EMEA", "medical"),
        "EC4QE1BX": ("Darcel Schlecht", DealStage.WON, 5169, "EMEA", "medical"),
        "MV1LWRNH": ("Moses Frase", DealStage.OPEN, 0, "AMER", "technolgy"),
    }


async def test_two_managers_named_for_one_team_are_reported_by_line(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    mapping = (
        '[columns]\nname = "Rep"\nteam = "Team"\nmanager = "Manager"\nparent_team = "Office"\n'
    )
    people = (
        "Rep,Team,Manager,Office\n"
        "Ann Ames,East,Mo Mills,Boston\n"
        "Bo Best,East,Max Marsh,Boston\n"
        "Cy Cole,East,mo mills,New York\n"
        "Di Dunn,East,Mo Mills,Boston\n"
    )

    status, said = await _import(production_env, tmp_path, "reps", people, mapping)

    assert status == 3
    assert said.splitlines()[0] == (
        "reps: 4 rows read, 2 imported, 2 rejected; created 3 people and 2 teams."
    )
    assert rejected_lines(tmp_path / "reps.csv.rejects.csv") == [
        ("3", 'column "Manager" = "Max Marsh": line 2 gave team \'East\' another manager'),
        ("4", 'column "Office" = "New York": line 2 gave team \'East\' another parent team'),
    ]
    east = await Team.get(organisation_id=org.organisation.id, name="East")
    manager = await User.get(id=east.manager_id)
    members = await User.filter(team_id=east.id).order_by("name").values_list("name", flat=True)
    assert (manager.name, members) == ("Mo Mills", ["Ann Ames", "Di Dunn"])
    assert (await Team.get(id=east.parent_id)).name == "Boston"


# An order/line-item database (the shape of the "classicmodels" sample): employees with a
# CRM number, customers naming their rep by that number, one row per line of an order.
EMPLOYEES = """employeeNumber,lastName,firstName,email,officeCode
1165,Jennings,Leslie,ljennings@classicmodelcars.com,1
1337,Bondur,Loui,lbondur@classicmodelcars.com,4
"""
EMPLOYEES_MAPPING = """
[columns]
external_id = "employeeNumber"
email = "email"
name = "lastName"
team = "officeCode"

[values.team]
"1" = "San Francisco"
"4" = "Paris"
"""
CUSTOMERS = """customerNumber,customerName,salesRepEmployeeNumber,country
103,Atelier graphique,1337,France
112,Signal Gift Stores,1165,USA
"""
CUSTOMERS_MAPPING = """
[columns]
external_id = "customerNumber"
name = "customerName"
region = "country"
"""
CATALOGUE = """productCode,productName,buyPrice,MSRP
S10_1678,1969 Harley Davidson,48.81,95.70
S10_1949,1952 Alpine Renault,98.58,214.30
"""
CATALOGUE_MAPPING = """
[columns]
external_id = "productCode"
name = "productName"
unit_cost = "buyPrice"
unit_price = "MSRP"
"""
ORDER_LINES = """orderNumber,orderDate,requiredDate,shippedDate,status,customerNumber,productCode,quantityOrdered,priceEach
10100,2026-10-06,2026-10-13,2026-10-10,Shipped,112,S10_1678,30,136.00
10100,2026-10-06,2026-10-13,2026-10-10,Shipped,112,S10_1949,50,55.09
10101,2026-10-09,2026-10-18,,Cancelled,103,S10_1949,25,108.06
10102,2026-10-10,2026-11-20,,In Process,103,S10_1678,39,95.55
10103,2026-10-11,2026-10-20,2026-10-12,Shipped,999,S10_1678,1,100.00
"""
ORDER_LINES_MAPPING = """
[columns]
created_at = "orderDate"
closed_at = "shippedDate"
stage = "status"
account_external_id = "customerNumber"
product_external_id = "productCode"
quantity = "quantityOrdered"
owner = { from = "customers.csv", key = "customerNumber", column = "salesRepEmployeeNumber" }

[lines]
by = "orderNumber"

[computed]
amount = "quantityOrdered * priceEach"

[defaults]
closed_at = { column = "requiredDate" }

[values.stage]
Shipped = "WON"
Resolved = "WON"
Cancelled = "LOST"
"*" = "OPEN"

[owners]
match = "external_id"
"""


async def test_an_order_line_database_with_owners_looked_up_by_customer(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    env, org_id = production_env, org.organisation.id
    assert (await _import(env, tmp_path, "reps", EMPLOYEES, EMPLOYEES_MAPPING))[0] == 0
    assert (await _import(env, tmp_path, "accounts", CUSTOMERS, CUSTOMERS_MAPPING))[0] == 0
    assert (await _import(env, tmp_path, "products", CATALOGUE, CATALOGUE_MAPPING))[0] == 0
    # The lookup reads customers.csv from beside the mapping.
    write(tmp_path, "customers.csv", CUSTOMERS)

    status, said = await _import(env, tmp_path, "deals", ORDER_LINES, ORDER_LINES_MAPPING)

    assert status == 3
    assert said.splitlines()[0] == "deals: 5 rows read, 3 imported, 1 rejected."
    assert rejected_lines(tmp_path / "deals.csv.rejects.csv") == [
        ("6", 'column "customerNumber" = "999": not found in customers.csv'),
    ]
    names = {u.id: u.name for u in await User.filter(organisation_id=org_id)}
    stored = {
        d.external_id: (names[d.owner_id], d.stage, d.amount, d.quantity, d.closed_at)
        for d in await Deal.filter(organisation_id=org_id)
    }
    # 10100: 30 × 136.00 + 50 × 55.09 = 4,080.00 + 2,754.50, 80 units, Jennings' customer;
    # 10101: 25 × 108.06, closed on its required date; 10102: 39 × 95.55, still open.
    # Dates are midnight in Los Angeles (UTC−7 in October).
    assert stored == {
        "10100": ("Jennings", DealStage.WON, Decimal("6834.50"), 80, _la(10, 10)),
        "10101": ("Bondur", DealStage.LOST, Decimal("2701.50"), 25, _la(10, 18)),
        "10102": ("Bondur", DealStage.OPEN, Decimal("3726.45"), 39, _la(11, 20, 8)),
    }


def _la(month: int, day: int, hours: int = 7) -> datetime:
    """Midnight of a 2026 day in Los Angeles, in UTC (PST from November 1st)."""
    return datetime(2026, month, day, hours, tzinfo=UTC)


# A retail order sheet (the shape of Tableau's "Superstore"): one row per line of an order,
# no rep column, each region's person in a second sheet.
PEOPLE = """Person,Region
Rita Rep,West
Cassandra Brandow,South
"""
SUPERSTORE = """Row ID,Order ID,Order Date,Ship Date,Customer Name,Segment,Region,Product Name,Sales,Quantity,Profit
1,CA-2026-152156,10/08/2026,10/11/2026,Claire Gute,Consumer,West,Bush Somerset Collection Bookcase,261.96,2,41.9136
2,CA-2026-152156,10/08/2026,10/11/2026,Claire Gute,Consumer,West,Hon Deluxe Fabric Upholstered Stacking Chairs,731.94,3,219.582
3,CA-2026-138688,10/12/2026,10/16/2026,Darrin Van Huff,Corporate,West,Self-Adhesive Address Labels,14.62,2,6.8714
4,US-2026-108966,10/11/2026,10/18/2026,Sean O'Donnell,Consumer,South,Table,957.5775,5,-383.031
"""
SUPERSTORE_MAPPING = """
[columns]
created_at = "Order Date"
closed_at = "Ship Date"
segment = "Segment"
region = "Region"
amount = "Sales"
quantity = "Quantity"
owner = { from = "people.csv", key = "Region", column = "Person" }

[lines]
by = "Order ID"

[constants]
stage = "WON"

[computed]
cost = "Sales - Profit"

[formats]
date = "%m/%d/%Y"

[owners]
match = "name"
create = true
"""


async def test_a_retail_order_sheet_whose_owner_is_the_regions_person(
    production_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    write(tmp_path, "people.csv", PEOPLE)

    status, said = await _import(production_env, tmp_path, "deals", SUPERSTORE, SUPERSTORE_MAPPING)

    assert (status, said) == (
        0,
        "deals: 4 rows read, 3 imported, 0 rejected; created 1 people and 1 teams.",
    )
    names = {u.id: u.name for u in await User.filter(organisation_id=org.organisation.id)}
    stored = {
        d.external_id: (names[d.owner_id], d.amount, d.cost, d.quantity, d.segment)
        for d in await Deal.filter(organisation_id=org.organisation.id)
    }
    # CA-2026-152156: 261.96 + 731.94, at a cost of (261.96 − 41.9136) + (731.94 − 219.582)
    # = 220.0464 + 512.358; the table sold at a loss: 957.5775 + 383.031.
    assert stored == {
        "CA-2026-152156": ("Rita Rep", Decimal("993.90"), Decimal("732.4044"), 5, "Consumer"),
        "CA-2026-138688": ("Rita Rep", Decimal("14.62"), Decimal("7.7486"), 2, "Corporate"),
        "US-2026-108966": (
            "Cassandra Brandow",
            Decimal("957.5775"),
            Decimal("1340.6085"),
            5,
            "Consumer",
        ),
    }
