"""CSV and XLSX downloads: what the bearer may read over GraphQL and nothing more, numbers as
numbers and dates as dates in the sheet (read back with openpyxl, not the writer)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import httpx
import openpyxl

from core.auth.service import create_api_key
from core.checkins.models import CheckIn
from domain.metrics import Metric
from tests.api.test_screens import World, world  # noqa: F401  (the screens' organisation)
from tests.support.factories import make_goal


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.text)))


async def test_goals_csv_is_what_each_viewer_may_read(
    client: httpx.AsyncClient,
    world: World,  # noqa: F811
) -> None:
    as_rita = {"Authorization": f"Bearer {world.org.token(world.org.rep)}"}
    mine = rows_of(
        await client.get("/exports/goals.csv", params={"containing": "2026-11-18"}, headers=as_rita)
    )
    assert mine[0][:4] == ["goal id", "owner", "owner type", "metric"]
    # Only her running goal: 5,000 of 10,000.
    assert [row[1:4] + row[7:10] for row in mine[1:]] == [
        ["Rita Rep", "REP", "REVENUE", "10000.00", "5000.00", "50.00"]
    ]
    as_mia = {"Authorization": f"Bearer {world.org.token(world.manager)}"}
    team = rows_of(
        await client.get(
            "/exports/goals.csv",
            params={"containing": "2026-11-18", "ownerType": "REP"},
            headers=as_mia,
        )
    )
    assert sorted(row[1] for row in team[1:]) == ["Rita Rep", "Sam Seller"]
    # Asking for a team one may not read is refused before anything is sent.
    refused = await client.get(
        "/exports/goals.csv", params={"teamId": str(world.org.team.id)}, headers=as_rita
    )
    assert refused.status_code == 403
    unknown = await client.get("/exports/goals.csv", params={"colour": "red"}, headers=as_rita)
    assert unknown.status_code == 400
    assert (await client.get("/exports/goals.csv")).status_code == 401


async def test_goals_pages_through_more_than_a_page(
    client: httpx.AsyncClient,
    world: World,  # noqa: F811
) -> None:
    oid = world.org.organisation.id
    for n in range(150):
        await make_goal(
            oid,
            metric=Metric.DEALS_WON,
            target=n + 1,
            start=date(2026, 11, 1),
            end=date(2026, 11, 30),
            rep_id=world.sam.id,
        )
    rows = rows_of(
        await client.get(
            "/exports/goals.csv",
            params={"metric": "DEALS_WON"},
            headers={"Authorization": f"Bearer {world.org.token()}"},
        )
    )
    assert [Decimal(row[7]) for row in rows[1:]] == [Decimal(n + 1) for n in range(150)]


async def test_xlsx_keeps_numbers_and_dates_and_an_api_key_with_read_may_download(
    client: httpx.AsyncClient,
    world: World,  # noqa: F811
) -> None:
    oid = world.org.organisation.id
    _, read_key = await create_api_key(oid, "BI", ["read"])
    _, ingest_key = await create_api_key(oid, "CRM", ["ingest"])
    response = await client.get(
        "/exports/leaderboard.xlsx",
        params={"metric": "REVENUE", "periodStart": "2026-11-01", "periodEnd": "2026-11-30"},
        headers={"Authorization": f"Bearer {read_key}"},
    )
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("rank", "name", "value", "sample size")
    assert rows[1:] == [
        (1, "Rita Rep", 5000, None),
        (2, "Sam Seller", 1500, None),
        (3, "Mia Manager", 500, None),
    ]
    goals = await client.get(
        "/exports/goals.xlsx",
        params={"containing": "2026-11-18", "ownerType": "REP"},
        headers={"Authorization": f"Bearer {read_key}"},
    )
    book = openpyxl.load_workbook(io.BytesIO(goals.content)).active
    assert book is not None
    first = list(book.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    # The period's start is a date cell (openpyxl reads one as a naive datetime).
    assert first[5] == datetime(2026, 11, 1)  # noqa: DTZ001
    # The target is a number cell, not text.
    assert isinstance(first[7], int | float)
    assert first[7] == 10000
    denied = await client.get(
        "/exports/leaderboard.csv",
        params={"metric": "REVENUE", "periodStart": "2026-11-01", "periodEnd": "2026-11-30"},
        headers={"Authorization": f"Bearer {ingest_key}"},
    )
    assert denied.status_code == 403


async def test_check_ins_csv_gives_instants_in_the_organisations_time(
    client: httpx.AsyncClient,
    world: World,  # noqa: F811
) -> None:
    # 1 November, 17:30 in Los Angeles: PST (UTC-8) since 02:00 that morning.
    written = datetime.fromisoformat("2026-11-02T01:30:00+00:00")
    await CheckIn.create(
        organisation_id=world.org.organisation.id,
        rep_id=world.org.rep.id,
        author_id=world.manager.id,
        side="MANAGER",
        rating="ON_TRACK",
        comment="Good month, keep the pipeline full",
        snapshot=[],
        created_at=written,
    )
    rows = rows_of(
        await client.get(
            "/exports/check-ins.csv",
            headers={"Authorization": f"Bearer {world.org.token(world.manager)}"},
        )
    )
    assert rows[0][6] == "written at (America/Los_Angeles)"
    assert rows[1][1:7] == [
        "Rita Rep",
        "Mia Manager",
        "MANAGER",
        "ON_TRACK",
        "Good month, keep the pipeline full",
        "2026-11-01T17:30:00",
    ]
