"""What the event bus carries: typed values, and their one encoding.

A producer publishes one of the dataclasses below; a subscriber receives the same dataclass
back, decoded from `{"type": ..., "data": {...}}` by the field types — decimals and instants
travel as strings and come back as `Decimal` and `datetime`. Nothing reads an event by key.
"""

from __future__ import annotations

import dataclasses
import json
import types
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints


@dataclass(frozen=True)
class ProgressChanged:
    """A goal's progress moved."""

    goal_id: int
    owner_type: str
    owner_rep_id: int | None
    owner_team_id: int | None
    current_value: Decimal | None
    target: Decimal
    attainment: Decimal | None
    expected_attainment: Decimal
    projected_value: Decimal | None
    status: str
    measured_at: datetime
    # The goal's metric (absent from events sent before it was carried).
    metric: str | None = None


@dataclass(frozen=True)
class AwardChanged:
    """A badge awarded, or withdrawn (`kind` REVOKED) because its figure fell back."""

    kind: str
    award_id: int
    rep_id: int
    rep_name: str
    goal_id: int | None
    badge_code: str
    badge_name: str
    badge_version: int
    awarded_at: datetime
    explanation: dict[str, Any]
    revoked_at: datetime | None
    revocation: dict[str, Any] | None


@dataclass(frozen=True)
class FiguresMoved:
    """These reps' figures may have moved: leaderboards that show them look again."""

    rep_ids: list[int]


@dataclass(frozen=True)
class CheckInHappened:
    """A check-in recorded or acknowledged, an action item completed, or a reminder; only
    ids and public fields (a manager's private note never travels)."""

    kind: str
    organisation_id: int
    rep_id: int
    at: datetime
    rep_name: str | None = None
    check_in_id: int | None = None
    goal_id: int | None = None
    side: str | None = None
    rating: int | None = None
    comment: str | None = None
    author_id: int | None = None
    author_name: str | None = None
    acknowledged_by_id: int | None = None
    action_item_id: int | None = None
    description: str | None = None
    due_on: date | None = None
    owner_id: int | None = None
    completed_by_id: int | None = None
    reminder_id: int | None = None
    reminder_kind: str | None = None
    recipient_id: int | None = None
    recipient_name: str | None = None
    assignment_id: int | None = None


@dataclass(frozen=True)
class TrainingCompleted:
    """A course completed (or an assessment failed) by a rep, however it was recorded."""

    organisation_id: int
    rep_id: int
    rep_name: str
    completion_id: int
    course_id: int
    course_code: str
    course_name: str
    method: str
    completed_at: datetime
    passed: bool
    score: Decimal | None = None
    expires_on: date | None = None
    assignment_id: int | None = None


@dataclass(frozen=True)
class CredentialEnded:
    """A person's sessions, or an API key, no longer hold: their subscriptions close."""

    user_id: int | None = None
    session: str | None = None
    api_key_id: int | None = None


Event = (
    ProgressChanged
    | AwardChanged
    | FiguresMoved
    | CheckInHappened
    | TrainingCompleted
    | CredentialEnded
)
TYPES: dict[str, type] = {
    kind.__name__: kind
    for kind in (
        ProgressChanged,
        AwardChanged,
        FiguresMoved,
        CheckInHappened,
        TrainingCompleted,
        CredentialEnded,
    )
}


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode(event: Event) -> str:
    data = {field.name: _plain(getattr(event, field.name)) for field in dataclasses.fields(event)}
    return json.dumps({"type": type(event).__name__, "data": data}, separators=(",", ":"))


def _typed(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if get_origin(kind) in (Union, types.UnionType):
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
    if kind is Decimal:
        return Decimal(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


def decode(message: str | bytes) -> Event:
    """The event a message carries; ValueError for anything else."""
    try:
        envelope = json.loads(message)
        kind = TYPES[envelope["type"]]
        hints = get_type_hints(kind)
        data = envelope["data"]
        event: Event = kind(**{name: _typed(hints[name], value) for name, value in data.items()})
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"not an event: {message!r}") from error
    return event
