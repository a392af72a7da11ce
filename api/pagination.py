"""Relay-style cursor connections with a stable order (by id)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry
from tortoise.models import Model
from tortoise.queryset import QuerySet

from api.errors import BadUserInput

T = TypeVar("T")
M = TypeVar("M", bound=Model)
MAX_PAGE = 100


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
    query: QuerySet[M], first: int, after: str | None, shape: Callable[[M], T]
) -> Connection[T]:
    """A page straight from the database: rows after the cursor, by id."""
    first = check_first(first)
    rows = await query.filter(id__gt=decode_cursor(after)).order_by("id").limit(first + 1)
    return connection(rows, first, shape)


def in_memory(
    rows: Sequence[M], first: int, after: str | None, shape: Callable[[M], T]
) -> Connection[T]:
    """A page of rows a data loader already holds (nested lists), by id."""
    first = check_first(first)
    start = decode_cursor(after)
    ordered = sorted((row for row in rows if row.pk > start), key=lambda row: row.pk)
    return connection(ordered[: first + 1], first, shape)
