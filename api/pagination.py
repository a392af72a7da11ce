"""Relay-style cursor connections with a stable order (by id)."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry
from tortoise.models import Model
from tortoise.queryset import QuerySet

from api.errors import BadUserInput

T = TypeVar("T")
M = TypeVar("M", bound=Model)
MAX_PAGE = 100
# Rows read at a time when a page keeps only some of them.
BATCH = 200


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{row_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        # Ids are 32-bit: anything else is not a cursor this API gave out.
        if kind == "id" and 0 <= int(value) < 2**31:
            return int(value)
    except ValueError:
        pass
    raise BadUserInput("after: not a cursor this API gave out.")


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first: between 1 and {MAX_PAGE}.")
    return first


def connection(rows: Sequence[M], first: int, shape: Callable[[M], T]) -> Connection[T]:
    """A page from rows ordered by id, of which at most `first` + 1 were fetched (the extra
    one only says there is a next page)."""
    page = list(rows[:first])
    return Connection(
        edges=[Edge(cursor=encode_cursor(row.pk), node=shape(row)) for row in page],
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            end_cursor=encode_cursor(page[-1].pk) if page else None,
        ),
    )


async def keyset(
    query: QuerySet[M],
    first: int,
    after: str | None,
    shape: Callable[[M], T],
    newest_first: bool = False,
) -> Connection[T]:
    """A page straight from the database: rows after the cursor, by id (or by id from the
    highest, `newest_first`)."""
    first = check_first(first)
    start = decode_cursor(after)
    if newest_first:
        below = query.filter(id__lt=start) if after is not None else query
        rows = await below.order_by("-id").limit(first + 1)
    else:
        rows = await query.filter(id__gt=start).order_by("id").limit(first + 1)
    return connection(rows, first, shape)


async def keyset_kept(
    query: QuerySet[M],
    first: int,
    after: str | None,
    keep: Callable[[list[M]], Awaitable[list[M]]],
    shape: Callable[[M], T],
) -> Connection[T]:
    """A page of the rows `keep` keeps, for a test the database cannot make (a goal's
    status is measured, not stored): rows are read a batch at a time until the page is
    full, so a page costs a few statements whatever the table holds before it."""
    first = check_first(first)
    start, kept = decode_cursor(after), []
    # The first read is the page itself, enough when `keep` keeps everything.
    size = first + 1
    while len(kept) <= first:
        batch = await query.filter(id__gt=start).order_by("id").limit(size)
        if not batch:
            break
        kept.extend(await keep(batch))
        start = batch[-1].pk
        if len(batch) < size:
            break
        size = BATCH
    return connection(kept[: first + 1], first, shape)


def in_memory(
    rows: Sequence[M], first: int, after: str | None, shape: Callable[[M], T]
) -> Connection[T]:
    """A page of rows a data loader already holds (nested lists), by id."""
    first = check_first(first)
    start = decode_cursor(after)
    ordered = sorted((row for row in rows if row.pk > start), key=lambda row: row.pk)
    return connection(ordered[: first + 1], first, shape)
