"""Retiring a contest before it ends, kept in the audit trail."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from core.audit import store as audit
from core.audit.models import ObjectType
from core.orgs.models import Organisation
from domain.errors import ErrorCode, FieldError
from domain.periods import local_today
from gamification.models import Contest


async def retire(
    organisation: Organisation,
    contest: Contest,
    reason: str | None,
    actor_id: int | None,
    now: datetime,
) -> Contest | FieldError:
    """A contest still to run or running stops: never closed, no prizes given."""
    if contest.retired_at is not None:
        return FieldError("contestId", ErrorCode.CONFLICT, "This contest is already retired.")
    today = local_today(now, ZoneInfo(organisation.timezone))
    if contest.closed_at is not None or contest.ends_on < today:
        return FieldError(
            "contestId",
            ErrorCode.CONFLICT,
            f"This contest ended on {contest.ends_on.isoformat()}: its standings are final.",
        )
    async with in_transaction():
        contest.retired_at = now
        await contest.save(update_fields=["retired_at"])
        await audit.record(
            organisation.id,
            actor_id,
            now,
            "CONTEST_RETIRED",
            ObjectType.CONTEST,
            contest.id,
            {"retiredAt": None},
            {"retiredAt": now.isoformat()},
            reason,
        )
    return contest
