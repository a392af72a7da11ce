"""The one path after figures move, for a set of reps: what ingestion (through the outbox),
a new badge rule or a retry sets going.

Every step is idempotent (awards and points are unique, the payout ledger is settled to
what is due, snapshots are taken of what changed), so running it twice changes nothing the
second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.events import EventBus, awards_channel, figures_channel, goal_channel, progress_channel
from core.goals.service import measure_affected_goals, snapshot_changes
from core.orgs.models import Organisation
from gamification.models import Award
from gamification.payouts import settle as settle_payouts
from gamification.points import award_event_points
from gamification.service import evaluate_goals, evaluate_reps, revoke_fallen_back


async def evaluate(
    organisation: Organisation, rep_ids: Sequence[int], bus: EventBus, now: datetime
) -> int:
    """Measure → awards and revocations → points → payouts → snapshots → publish, for
    these reps; the number of new awards."""
    measured = await measure_affected_goals(organisation, rep_ids, now)
    # Award before announcing progress, so a client that sees 100% also finds the badge;
    # snapshot last, so a retry after a failure still sees (and announces) the change.
    revoked = await revoke_fallen_back(organisation, measured, now)
    awards = await evaluate_goals(organisation, measured, now)
    awards += await evaluate_reps(organisation, rep_ids, now)
    await award_event_points(organisation, rep_ids, now)
    await settle_payouts(organisation, measured, now)
    await snapshot_changes(measured, now)
    for item in measured:
        if item.changed:
            progress, goal = item.progress, item.goal
            event = {
                "goalId": goal.id,
                "ownerType": goal.owner_type.value,
                "ownerRepId": goal.owner_rep_id,
                "ownerTeamId": goal.owner_team_id,
                "currentValue": progress.current_value,
                "target": progress.target,
                "attainment": progress.attainment,
                "expectedAttainment": progress.expected_attainment,
                "projectedValue": progress.projected_value,
                "status": progress.status.value,
                "measuredAt": now.isoformat(),
            }
            await bus.publish(goal_channel(goal.id), event)
            await bus.publish(progress_channel(organisation.id), event)
    await bus.publish(figures_channel(organisation.id), {"repIds": list(rep_ids)})
    for award in [*awards, *revoked]:
        await bus.publish(awards_channel(organisation.id), await _award_event(award))
    return len(awards)


async def _award_event(award: Award) -> dict[str, Any]:
    """An award, or its withdrawal, as subscribers see it."""
    await award.fetch_related("badge", "rep")
    return {
        "kind": "REVOKED" if award.revoked_at is not None else "AWARDED",
        "awardId": award.id,
        "repId": award.rep_id,
        "repName": award.rep.name,
        "goalId": award.goal_id,
        "badge": {
            "code": award.badge.code,
            "name": award.badge.name,
            "version": award.badge.version,
        },
        "awardedAt": award.awarded_at.isoformat(),
        "explanation": award.explanation,
        "revokedAt": award.revoked_at.isoformat() if award.revoked_at else None,
        "revocation": award.revocation,
    }
