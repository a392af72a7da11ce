"""Deals, leads and training completions from JSON objects, as a CRM's (or an LMS's) webhook
sends them: the API's field names
(camelCase), decimals as strings or numbers, instants in ISO 8601 with an offset, stages
and statuses by name. Every field that cannot be read is named, per object, so that a
batch keeps the records that can be read."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from domain.errors import ErrorCode, FieldError
from domain.records import DealRecord, DealStage, LeadRecord, LeadStatus
from domain.training import TrainingRecord


@dataclass(frozen=True)
class Unreadable:
    """An object of the batch that is not a record: its position, its externalId when it
    has a readable one, and every field that could not be read."""

    index: int
    external_id: str
    errors: list[FieldError]


class _Object:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.errors: list[FieldError] = []

    def _fail(self, name: str, code: ErrorCode, message: str) -> None:
        self.errors.append(FieldError(name, code, message))

    def _given(self, name: str, required: bool) -> Any:
        value = self.values.get(name)
        if value is None and required:
            self._fail(name, ErrorCode.REQUIRED, f"{name} is required.")
        return value

    def text(self, name: str, required: bool = False) -> Any:
        value = self._given(name, required)
        if value is not None and not isinstance(value, str):
            self._fail(name, ErrorCode.INVALID, f"{name} must be a string.")
            return None
        return value

    def number(self, name: str, required: bool = False) -> Any:
        value = self._given(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self._fail(name, ErrorCode.INVALID, f"{name} must be a decimal number.")
            return None
        try:
            # A JSON number is read from its shortest text (0.1, not 0.1000000000000000055…).
            return Decimal(value if isinstance(value, str) else repr(value))
        except InvalidOperation:
            self._fail(name, ErrorCode.INVALID, f"{name}: {value!r} is not a decimal number.")
            return None

    def integer(self, name: str, default: int) -> int:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail(name, ErrorCode.INVALID, f"{name} must be a whole number.")
            return default
        return value

    def instant(self, name: str, required: bool = False) -> Any:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self._fail(name, ErrorCode.INVALID, f"{name}: {value!r} is not an ISO 8601 instant.")
            return None

    def choice(self, name: str, enum: type[StrEnum], default: StrEnum | None = None) -> Any:
        value = self.text(name, required=default is None)
        if value is None:
            return default
        if value not in enum.__members__:
            allowed = ", ".join(enum.__members__)
            self._fail(name, ErrorCode.INVALID, f"{name}: {value!r} is not one of {allowed}.")
            return default
        return enum[value]


def _deal(o: _Object) -> DealRecord:
    return DealRecord(
        external_id=o.text("externalId", required=True),
        owner_email=o.text("ownerEmail", required=True),
        amount=o.number("amount", required=True),
        stage=o.choice("stage", DealStage),
        created_at=o.instant("createdAt", required=True),
        closed_at=o.instant("closedAt"),
        cost=o.number("cost"),
        quantity=o.integer("quantity", 1),
        account_external_id=o.text("accountExternalId"),
        product_external_id=o.text("productExternalId"),
        region=o.text("region"),
        segment=o.text("segment"),
    )


def _lead(o: _Object) -> LeadRecord:
    return LeadRecord(
        external_id=o.text("externalId", required=True),
        owner_email=o.text("ownerEmail", required=True),
        created_at=o.instant("createdAt", required=True),
        status=o.choice("status", LeadStatus, LeadStatus.NEW),
        qualified_at=o.instant("qualifiedAt"),
        converted_deal_external_id=o.text("convertedDealExternalId"),
        account_external_id=o.text("accountExternalId"),
        region=o.text("region"),
        segment=o.text("segment"),
    )


def _training(o: _Object) -> TrainingRecord:
    return TrainingRecord(
        external_id=o.text("externalId", required=True),
        owner_email=o.text("ownerEmail", required=True),
        course_code=o.text("courseCode", required=True),
        completed_at=o.instant("completedAt", required=True),
        score=o.number("score"),
    )


Record = DealRecord | LeadRecord | TrainingRecord
READERS: dict[str, Callable[[_Object], Record]] = {
    "deals": _deal,
    "leads": _lead,
    "trainings": _training,
}


def read(kind: str, objects: Sequence[Any]) -> tuple[list[tuple[int, Record]], list[Unreadable]]:
    """The records that can be read, with their positions, and the objects that cannot."""
    records: list[tuple[int, Record]] = []
    unreadable = []
    for index, value in enumerate(objects):
        if not isinstance(value, dict):
            error = FieldError("record", ErrorCode.INVALID, "A record is a JSON object.")
            unreadable.append(Unreadable(index, "", [error]))
            continue
        found = _Object(value)
        record = READERS[kind](found)
        if found.errors:
            external_id = value.get("externalId")
            name = external_id if isinstance(external_id, str) else ""
            unreadable.append(Unreadable(index, name, found.errors))
        else:
            records.append((index, record))
    return records, unreadable
