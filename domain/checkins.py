"""Check-in rules: when the next one is due, what an agenda puts first, what is refused."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.calendar import WorkingCalendar
from domain.errors import ErrorCode, FieldError
from domain.metrics import Metric
from domain.money import shown
from domain.progress import HUNDRED, GoalStatus


class Cadence(StrEnum):
    WEEKLY = "WEEKLY"
    BIWEEKLY = "BIWEEKLY"
    MONTHLY = "MONTHLY"


class Rating(StrEnum):
    ON_TRACK = "ON_TRACK"
    NEEDS_HELP = "NEEDS_HELP"
    BLOCKED = "BLOCKED"


class DueState(StrEnum):
    UPCOMING = "UPCOMING"
    DUE = "DUE"
    OVERDUE = "OVERDUE"


# Goals an agenda brings up: the ones a conversation can still change.
NEEDS_TALK = frozenset({GoalStatus.AT_RISK, GoalStatus.OFF_TRACK})


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_due(cadence: Cadence, last: date | None, anchor: date) -> date:
    """The day the next check-in is due: one cadence after the last one, or after `anchor`
    (the day the rep joined the cadence) when there has been none.

    Days are the organisation's local days; a monthly cadence keeps the day of the month
    (the 31st falls back to a shorter month's last day).
    """
    start = last if last is not None else anchor
    if cadence is Cadence.WEEKLY:
        return start + timedelta(days=7)
    if cadence is Cadence.BIWEEKLY:
        return start + timedelta(days=14)
    return add_months(start, 1)


def due_state(due_on: date, today: date) -> DueState:
    if due_on < today:
        return DueState.OVERDUE
    return DueState.DUE if due_on == today else DueState.UPCOMING


def days_overdue(due_on: date, today: date) -> int:
    return max(0, (today - due_on).days)


def cadence_length(cadence: Cadence, until: date) -> timedelta:
    """How long the cadence interval ending on `until` is, in days."""
    if cadence is Cadence.MONTHLY:
        return until - add_months(until, -1)
    return timedelta(days=7 if cadence is Cadence.WEEKLY else 14)


@dataclass(frozen=True)
class ActionItemDraft:
    description: str
    owner_id: int
    due_on: date


def check_action_items(
    items: Sequence[ActionItemDraft], today: date, allowed_owners: Iterable[int]
) -> list[FieldError]:
    """Each item needs words, an owner on either side of the check-in and a due date from
    today on."""
    owners = set(allowed_owners)
    errors = []
    for index, item in enumerate(items):
        where = f"actionItems.{index}"
        if not item.description.strip():
            errors.append(FieldError(f"{where}.description", ErrorCode.REQUIRED, "Say what to do."))
        if item.owner_id not in owners:
            errors.append(
                FieldError(
                    f"{where}.ownerId",
                    ErrorCode.INVALID,
                    "An action item belongs to the rep or to one of their managers.",
                )
            )
        if item.due_on < today:
            errors.append(
                FieldError(
                    f"{where}.dueOn",
                    ErrorCode.IN_THE_PAST,
                    f"Due {item.due_on.isoformat()} is before today ({today.isoformat()}).",
                )
            )
    return errors


def required_daily_rate(
    target: Decimal,
    current: Decimal | None,
    today: date,
    period_end: date,
    working: WorkingCalendar,
) -> Decimal | None:
    """What a cumulative goal still needs per working day, today included, to reach its
    target by the end of its period; None once no working day is left."""
    remaining = sum(
        1
        for offset in range((period_end - today).days + 1)
        if working.is_working(today + timedelta(days=offset))
    )
    if remaining == 0:
        return None
    short = max(Decimal(0), target - (current or Decimal(0)))
    return shown(short / remaining)


@dataclass(frozen=True)
class MetricChange:
    metric: Metric
    before: Decimal | None
    since: Decimal | None
    change: Decimal | None
    change_percent: Decimal | None


def largest_changes(
    before: Mapping[Metric, Decimal | None],
    since: Mapping[Metric, Decimal | None],
    limit: int,
) -> list[MetricChange]:
    """The metrics that moved most between two windows of equal length, by relative change
    (a metric that rose from nothing counts as the largest move of all)."""
    changes = []
    for metric in since:
        old, new = before.get(metric), since[metric]
        if old is None or new is None or old == new:
            continue
        percent = shown((new - old) / old * HUNDRED) if old != 0 else None
        changes.append(MetricChange(metric, old, new, new - old, percent))

    def order(change: MetricChange) -> tuple[int, Decimal, str]:
        if change.change_percent is None:
            return (0, -abs(change.change or Decimal(0)), change.metric.value)
        return (1, -abs(change.change_percent), change.metric.value)

    changes.sort(key=order)
    return changes[:limit]
