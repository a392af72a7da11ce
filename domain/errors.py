"""The shape every expected failure takes: which field, which rule, in words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    TOO_LONG = "TOO_LONG"
    TOO_LARGE = "TOO_LARGE"
    TOO_PRECISE = "TOO_PRECISE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    NEGATIVE = "NEGATIVE"
    NOT_POSITIVE = "NOT_POSITIVE"
    NO_TIMEZONE = "NO_TIMEZONE"
    IN_THE_FUTURE = "IN_THE_FUTURE"
    BEFORE_CREATED = "BEFORE_CREATED"
    DUPLICATE_IN_BATCH = "DUPLICATE_IN_BATCH"
    FORBIDDEN = "FORBIDDEN"
    TOO_MANY = "TOO_MANY"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    IN_THE_PAST = "IN_THE_PAST"
    NOT_OTHER_SIDE = "NOT_OTHER_SIDE"
    NOT_FOR_METRIC = "NOT_FOR_METRIC"


@dataclass(frozen=True)
class FieldError:
    field: str
    code: ErrorCode
    message: str
