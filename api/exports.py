"""CSV and XLSX downloads of goals with progress, leaderboards, the payout ledger and
check-ins. Each runs a fixed GraphQL operation through the API's own schema, page by page,
as the caller: what a download holds passes the access policy exactly as the API's answers
do, and nothing reaches a sheet that the same bearer could not read over GraphQL."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

import xlsxwriter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from api.context import Context
from core.orgs.store import get_organisation

PAGE = 100
CHUNK = 64 * 1024
Stream = AsyncIterator[str | bytes]


@dataclass(frozen=True)
class Column:
    header: str
    path: tuple[str, ...]
    # text, number, integer, date or instant: how a sheet types the cell.
    kind: str = "text"


@dataclass(frozen=True)
class Export:
    query: str
    # The GraphQL variables the query string may set.
    params: tuple[str, ...]
    # Where the rows are: a connection's field (paged) or a list's.
    rows: tuple[str, ...]
    paged: bool
    columns: tuple[Column, ...]


def _col(header: str, path: str, kind: str = "text") -> Column:
    return Column(header, tuple(path.split(".")), kind)


OWNER = "owner { ... on User { name } ... on Team { name } ... on Organisation { name } }"
EXPORTS: dict[str, Export] = {
    "goals": Export(
        query="""query($first: Int!, $after: String, $status: GoalStatus, $metric: Metric,
  $containing: Date, $teamId: ID, $ownerId: ID, $ownerType: GoalOwnerType) {
  page: goals(first: $first, after: $after, status: $status, metric: $metric,
    containing: $containing, teamId: $teamId, ownerId: $ownerId, ownerType: $ownerType) {
    edges { node { id metric ownerType periodStart periodEnd periodLabel target OWNER
      progress { currentValue attainment expectedAttainment pace projectedValue status } } }
    pageInfo { hasNextPage endCursor } } }""".replace("OWNER", OWNER),
        params=("status", "metric", "containing", "teamId", "ownerId", "ownerType"),
        rows=("page",),
        paged=True,
        columns=(
            _col("goal id", "id", "integer"),
            _col("owner", "owner.name"),
            _col("owner type", "ownerType"),
            _col("metric", "metric"),
            _col("period", "periodLabel"),
            _col("period start", "periodStart", "date"),
            _col("period end", "periodEnd", "date"),
            _col("target", "target", "number"),
            _col("current value", "progress.currentValue", "number"),
            _col("attainment %", "progress.attainment", "number"),
            _col("expected attainment %", "progress.expectedAttainment", "number"),
            _col("pace", "progress.pace", "number"),
            _col("projected value", "progress.projectedValue", "number"),
            _col("status", "progress.status"),
        ),
    ),
    "leaderboard": Export(
        query="""query($metric: Metric!, $periodStart: Date!, $periodEnd: Date!, $teamId: ID,
  $rankedBy: LeaderboardRanking = FIGURE, $market: String) {
  board: leaderboard(metric: $metric, periodStart: $periodStart, periodEnd: $periodEnd,
    teamId: $teamId, rankedBy: $rankedBy, market: $market) {
    entries { rank name value sampleSize } } }""",
        params=("metric", "periodStart", "periodEnd", "teamId", "rankedBy", "market"),
        rows=("board", "entries"),
        paged=False,
        columns=(
            _col("rank", "rank", "integer"),
            _col("name", "name"),
            _col("value", "value", "number"),
            _col("sample size", "sampleSize", "integer"),
        ),
    ),
    "payouts": Export(
        query="""query($first: Int!, $after: String, $status: PayoutStatus, $repId: ID, $from: Date,
  $to: Date) {
  page: payouts(first: $first, after: $after, status: $status, repId: $repId, from: $from,
    to: $to) { edges { node { id rep { name } kind status amount createdAt planCode goalId
      contestId } } pageInfo { hasNextPage endCursor } } }""",
        params=("status", "repId", "from", "to"),
        rows=("page",),
        paged=True,
        columns=(
            _col("entry id", "id", "integer"),
            _col("rep", "rep.name"),
            _col("kind", "kind"),
            _col("status", "status"),
            _col("amount", "amount", "number"),
            _col("booked at", "createdAt", "instant"),
            _col("plan", "planCode"),
            _col("goal id", "goalId", "integer"),
            _col("contest id", "contestId", "integer"),
        ),
    ),
    "check-ins": Export(
        query="""query($first: Int!, $after: String, $repId: ID) {
  page: checkIns(first: $first, after: $after, repId: $repId) { edges { node { id createdAt side
    rating comment acknowledgedAt rep { name } author { name } } }
    pageInfo { hasNextPage endCursor } } }""",
        params=("repId",),
        rows=("page",),
        paged=True,
        columns=(
            _col("check-in id", "id", "integer"),
            _col("rep", "rep.name"),
            _col("author", "author.name"),
            _col("side", "side"),
            _col("rating", "rating"),
            _col("comment", "comment"),
            _col("written at", "createdAt", "instant"),
            _col("acknowledged at", "acknowledgedAt", "instant"),
        ),
    ),
}


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _at(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _typed(value: Any, kind: str, tz: ZoneInfo) -> Any:
    """A cell as the sheet keeps it: Decimal, int, date, local datetime, or text."""
    if value is None:
        return None
    if kind == "number":
        return Decimal(value)
    if kind == "integer":
        return int(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "instant":
        # Sheets have no timezones: the organisation's wall clock, said in the header.
        return datetime.fromisoformat(value).astimezone(tz).replace(tzinfo=None)
    return str(value)


async def _rows(
    export: Export, variables: dict[str, Any], run: Callable[..., Any]
) -> AsyncIterator[list[dict[str, Any]]]:
    """The rows, a page at a time; the first page is read before anything is sent."""
    after = None
    while True:
        paging = {"first": PAGE, "after": after} if export.paged else {}
        result = await run(export.query, {**variables, **paging})
        if result.errors:
            error = result.errors[0]
            code = (error.extensions or {}).get("code")
            raise Refused(403 if code in ("FORBIDDEN", "UNAUTHENTICATED") else 400, error.message)
        found = _at(result.data, export.rows)
        if not export.paged:
            yield list(found or [])
            return
        yield [edge["node"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            return
        after = found["pageInfo"]["endCursor"]


def _variables(export: Export, request: Request) -> dict[str, Any]:
    unknown = sorted(set(request.query_params) - set(export.params))
    if unknown:
        raise Refused(400, f"Unknown parameter(s): {', '.join(unknown)}.")
    return {
        name: request.query_params[name] for name in export.params if name in request.query_params
    }


def _headers(export: Export, tz_name: str) -> list[str]:
    return [f"{c.header} ({tz_name})" if c.kind == "instant" else c.header for c in export.columns]


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    written = ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in values]
    csv.writer(buffer).writerow(written)
    return buffer.getvalue()


Page = list[dict[str, Any]]


async def _csv(export: Export, pages: AsyncIterator[Page], first: Page, zone: str) -> Stream:
    tz = ZoneInfo(zone)
    yield _csv_line(_headers(export, zone))
    page: Page | None = first
    while page is not None:
        for node in page:
            yield _csv_line([_typed(_at(node, c.path), c.kind, tz) for c in export.columns])
        page = await anext(pages, None)


async def _xlsx(export: Export, pages: AsyncIterator[Page], first: Page, zone: str) -> Stream:
    """The workbook written to a temporary file in constant memory, then read out."""
    with tempfile.TemporaryFile() as spool:
        await _workbook(spool, export, pages, first, zone)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


async def _workbook(
    spool: IO[bytes], export: Export, pages: AsyncIterator[Page], first: Page, zone: str
) -> None:
    tz = ZoneInfo(zone)
    book = xlsxwriter.Workbook(spool, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(export.rows[0])
    formats = {
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "instant": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "number": book.add_format({"num_format": "0.00##"}),
    }
    for column, header in enumerate(_headers(export, zone)):
        sheet.write_string(0, column, header)
    row = 1
    page: Page | None = first
    while page is not None:
        for node in page:
            for column, spec in enumerate(export.columns):
                value = _typed(_at(node, spec.path), spec.kind, tz)
                if value is None:
                    continue
                if spec.kind in ("date", "instant"):
                    sheet.write_datetime(row, column, value, formats[spec.kind])
                elif spec.kind in ("number", "integer"):
                    sheet.write_number(row, column, float(value), formats.get(spec.kind))
                else:
                    sheet.write_string(row, column, value)
            row += 1
        page = await anext(pages, None)
    book.close()


async def download(request: Request, context: Context, schema: Any) -> Response:
    """GET /exports/{name}.{csv|xlsx}: rows as the caller may read them over GraphQL."""
    name, _, kind = request.path_params["file"].rpartition(".")
    export = EXPORTS.get(name)
    if export is None or kind not in ("csv", "xlsx"):
        known = ", ".join(f"{n}.csv|xlsx" for n in EXPORTS)
        return JSONResponse({"error": f"No such export; there are {known}."}, status_code=404)
    if context.viewer is None:
        return JSONResponse({"error": "Send a bearer token or an API key."}, status_code=401)

    async def run(query: str, variables: dict[str, Any]) -> Any:
        return await schema.execute(query, variable_values=variables, context_value=context)

    try:
        pages = _rows(export, _variables(export, request), run)
        first = await anext(pages)
    except Refused as refused:
        return JSONResponse({"error": refused.message}, status_code=refused.status)
    organisation = await get_organisation(context.viewer.organisation_id)
    filename = f'attachment; filename="{name}.{kind}"'
    if kind == "csv":
        return StreamingResponse(
            _csv(export, pages, first, organisation.timezone),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": filename},
        )
    return StreamingResponse(
        _xlsx(export, pages, first, organisation.timezone),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": filename},
    )
