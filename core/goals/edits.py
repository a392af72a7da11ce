"""Edits of goals after they were set: a new target (with the reason) and archiving, each
kept in the audit trail and followed by a re-measure of what it changes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from core.audit import store as audit
from core.audit.models import ObjectType
from core.goals.models import Goal
from core.goals.service import Structure, owner_id_of
from core.orgs.models import Organisation
from core.outbox import store as outbox
from domain import smart
from domain.errors import ErrorCode, FieldError
from domain.money import written
from domain.periods import local_today
from domain.targets import TargetKind


def _not_running(goal: Goal, organisation: Organisation, now: datetime) -> FieldError | None:
    if goal.archived_at is not None:
        return FieldError("goalId", ErrorCode.CONFLICT, "This goal is archived.")
    if goal.period_end < local_today(now, ZoneInfo(organisation.timezone)):
        return FieldError(
            "goalId", ErrorCode.CONFLICT, "This goal's period is over: its figures are final."
        )
    return None


async def change_target(
    organisation: Organisation,
    goal: Goal,
    target: Decimal,
    reason: str,
    acknowledge_stretch: bool,
    actor_id: int | None,
    now: datetime,
) -> Goal | list[smart.Violation] | FieldError:
    """Give a running goal a new absolute target (a MOVE keeps its start; a relative goal
    becomes absolute, its baseline kept for reference), then measure it again."""
    if not reason.strip():
        return FieldError("reason", ErrorCode.REQUIRED, "Say why the target changes.")
    if (refused := _not_running(goal, organisation, now)) is not None:
        return refused
    start = goal.target_start if goal.target_kind is TargetKind.MOVE else None
    violations = smart.check_new_target(
        goal.metric,
        target,
        start,
        goal.best_history,
        organisation.stretch_limit,
        organisation.stretch_hard_limit,
        acknowledge_stretch or goal.stretch_acknowledged,
    )
    if violations:
        return violations
    if target == goal.target:
        return goal
    before = {"target": written(goal.target), "targetKind": goal.target_kind.value}
    structure = await Structure.load(organisation.id)
    reps = structure.reps_of(goal.owner_type, owner_id_of(goal))
    async with in_transaction():
        goal.target = target
        if goal.target_kind is not TargetKind.MOVE:
            goal.target_kind, goal.target_change = TargetKind.ABSOLUTE, None
        goal.stretch_acknowledged = goal.stretch_acknowledged or acknowledge_stretch
        await goal.save(
            update_fields=["target", "target_kind", "target_change", "stretch_acknowledged"]
        )
        await audit.record(
            organisation.id,
            actor_id,
            now,
            "GOAL_TARGET_CHANGED",
            ObjectType.GOAL,
            goal.id,
            before,
            {"target": written(target), "targetKind": goal.target_kind.value},
            reason.strip(),
        )
        # Its status, badges and payouts follow the new target at the next evaluation.
        await outbox.record(organisation.id, structure.teams_of if reps is None else reps)
    return goal


async def archive_goal(
    organisation: Organisation, goal: Goal, reason: str | None, actor_id: int | None, now: datetime
) -> Goal | FieldError:
    """Stop measuring, rewarding and listing a goal; its history, awards and payouts stay."""
    if goal.archived_at is not None:
        return goal
    async with in_transaction():
        goal.archived_at = now
        await goal.save(update_fields=["archived_at"])
        await audit.record(
            organisation.id,
            actor_id,
            now,
            "GOAL_ARCHIVED",
            ObjectType.GOAL,
            goal.id,
            {"archivedAt": None},
            {"archivedAt": now.isoformat()},
            reason.strip() if reason else None,
        )
    return goal
