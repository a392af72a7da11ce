"""Parsing the IDs clients send."""

from __future__ import annotations

import strawberry


def parse_id(value: strawberry.ID | str | None) -> int | None:
    """The row id an ID names, or None when it names none (so lookups find nothing)."""
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None
