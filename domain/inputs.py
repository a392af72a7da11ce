"""Rules every value from outside keeps before it is stored, wherever it arrives (GraphQL,
a webhook, a CSV file): numbers finite and within what a column holds, texts without
control characters and within their length, instants within a sane range."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal

from domain.errors import ErrorCode, FieldError
from domain.money import MAX_MONEY, PLACES, fits_kept

# Thresholds (percentages, counts) are NUMERIC(12, 2).
MAX_THRESHOLD = Decimal(10) ** 10
# Counts are 32-bit integers in the database.
MAX_COUNT = 2**31 - 1
# Instants a sales record can truly carry.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
# Line breaks and tabs are text; other control characters (NUL first of all) are not.
_ALLOWED_CONTROLS = frozenset("\n\r\t")


def check_amount(name: str, value: Decimal | None) -> list[FieldError]:
    """A sum of money: a finite number, zero or more, that the ledger can hold."""
    if value is None:
        return []
    if not value.is_finite():
        return [FieldError(name, ErrorCode.INVALID, f"{name} must be a number.")]
    if value < 0:
        return [FieldError(name, ErrorCode.NEGATIVE, f"{name} must be zero or more.")]
    if value >= MAX_MONEY:
        return [FieldError(name, ErrorCode.TOO_LARGE, f"{name} must be below {MAX_MONEY:,}.")]
    if not fits_kept(value):
        return [
            FieldError(
                name,
                ErrorCode.TOO_PRECISE,
                f"{name} has more than {PLACES} decimal places ({value}); amounts are kept "
                f"to {PLACES} places and never rounded on the way in.",
            )
        ]
    return []


def check_count(name: str, value: int) -> list[FieldError]:
    if value < 1:
        return [FieldError(name, ErrorCode.NOT_POSITIVE, f"{name} must be at least 1.")]
    if value > MAX_COUNT:
        return [FieldError(name, ErrorCode.TOO_LARGE, f"{name} must be at most {MAX_COUNT:,}.")]
    return []


def check_text(name: str, value: str | None, max_length: int) -> list[FieldError]:
    """Printable text of at most `max_length` characters."""
    if value is None:
        return []
    if len(value) > max_length:
        return [
            FieldError(name, ErrorCode.TOO_LONG, f"{name} must be at most {max_length} characters.")
        ]
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in value):
        return [FieldError(name, ErrorCode.INVALID, f"{name} must not contain control characters.")]
    return []


def in_range(day: date) -> bool:
    """A day business figures can be about (and whose neighbouring periods exist)."""
    return EARLIEST_YEAR <= day.year < LATEST_YEAR


def usable(value: Decimal | None, below: Decimal = MAX_MONEY) -> bool:
    """A number that can be computed with and stored: finite and, in size, below `below`."""
    return value is not None and value.is_finite() and abs(value) < below


def check_instant(name: str, value: datetime | None) -> list[FieldError]:
    """A time with its offset, between 1900 and 2200 once in UTC."""
    if value is None:
        return []
    if value.utcoffset() is None:
        return [FieldError(name, ErrorCode.NO_TIMEZONE, f"{name} must carry a timezone offset.")]
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = LATEST_YEAR + 1
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return [
            FieldError(
                name,
                ErrorCode.OUT_OF_RANGE,
                f"{name} must fall between {EARLIEST_YEAR} and {LATEST_YEAR}.",
            )
        ]
    return []
