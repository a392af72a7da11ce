"""`pacesetter export`: what is stored, written in the importer's own format (see
`domain.imports.OWN_COLUMNS`), so that importing the file reproduces every figure."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tortoise.models import Model

from core.orgs.models import Role, Team, User
from core.sales.models import Account, Deal, Lead, Product
from domain.imports import OWN_COLUMNS, Kind

# Rows read per query: memory stays flat however many there are.
PAGE = 5000

# Per kind: the model, and each column's source in `values()` terms.
SOURCES: dict[Kind, tuple[type[Model], dict[str, str]]] = {
    Kind.DEALS: (
        Deal,
        {
            "owner": "owner__email",
            "account_external_id": "account__external_id",
            "product_external_id": "product__external_id",
        },
    ),
    Kind.LEADS: (Lead, {"owner": "owner__email", "account_external_id": "account__external_id"}),
    Kind.ACCOUNTS: (Account, {}),
    Kind.PRODUCTS: (Product, {}),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(getattr(value, "value", value))


async def _pages(model: type[Model], organisation_id: int, fields: list[str]) -> AsyncIterator[Any]:
    """Every row of the organisation, by id, a page at a time."""
    last = 0
    while True:
        page = await (
            model.filter(organisation_id=organisation_id, id__gt=last)
            .order_by("id")
            .limit(PAGE)
            .values("id", *fields)
        )
        for row in page:
            yield row
        if len(page) < PAGE:
            return
        last = page[-1]["id"]


async def _people(organisation_id: int) -> AsyncIterator[dict[str, Any]]:
    """The organisation's reps, each with their team, the team's parent and manager."""
    teams = {t.id: t for t in await Team.filter(organisation_id=organisation_id)}
    managers = dict(
        await User.filter(organisation_id=organisation_id, role=Role.MANAGER).values_list(
            "id", "email"
        )
    )
    reps = _pages(User, organisation_id, ["external_id", "email", "name", "team_id", "role"])
    async for rep in reps:
        team = teams.get(rep["team_id"])
        if rep["role"] is not Role.REP or team is None:
            continue
        parent = teams.get(team.parent_id) if team.parent_id else None
        yield {
            **rep,
            "team": team.name,
            "parent_team": parent.name if parent else None,
            "manager": managers.get(team.manager_id),
        }


async def export(organisation_id: int, kind: Kind, path: Path) -> int:
    """Write the organisation's records of `kind` to `path`; the number of rows written.

    The file is written with blocking calls: an export is its process's only task.
    """
    columns = OWN_COLUMNS[kind]
    if kind is Kind.REPS:
        rows, sources = _people(organisation_id), list(columns)
    else:
        model, renamed = SOURCES[kind]
        sources = [renamed.get(column, column) for column in columns]
        rows = _pages(model, organisation_id, sources)
    written = 0
    with path.open("x", encoding="utf-8", newline="") as file:
        out = csv.writer(file)
        out.writerow(columns)
        async for row in rows:
            out.writerow([_text(row[source]) for source in sources])
            written += 1
    return written
