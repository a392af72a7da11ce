"""The one path after figures move, for a set of reps: what ingestion (through the outbox),
a new badge rule or a retry sets going.

Every step is idempotent (awards and points are unique, the payout ledger is settled to
what is due, snapshots are taken of what changed), so running it twice changes nothing the
second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.events import EventBus, awards_channel, figures_channel, goal_channel, progress_channel
from core.goals.service import measure_affected_goals, snapshot_changes
from core.messages import AwardChanged, Event, FiguresMoved, ProgressChanged
from core.orgs.models import Organisation
from gamification.models import Award
from gamification.payouts import settle as settle_payouts
from gamification.points import award_event_points
from gamification.service import evaluate_goals, evaluate_reps, revoke_fallen_back


@dataclass(frozen=True)
class Evaluation:
    """What an evaluation made, and the events to publish once it is committed."""

    awards: int
    events: list[tuple[str, Event]]


async def publish(bus: EventBus, events: Sequence[tuple[str, Event]]) -> None:
    for channel, event in events:
        await bus.publish(channel, event)


async def evaluate(organisation: Organisation, rep_ids: Sequence[int], now: datetime) -> Evaluation:
    """Measure → awards and revocations → points → payouts → snapshots, for these reps, and
    the events that tell subscribers (to publish after the commit: nobody hears of what a
    rollback undoes)."""
    measured = await measure_affected_goals(organisation, rep_ids, now)
    # Award before announcing progress, so a client that sees 100% also finds the badge;
    # snapshot last, so a retry after a failure still sees (and announces) the change.
    revoked = await revoke_fallen_back(organisation, measured, now)
    awards = await evaluate_goals(organisation, measured, now)
    awards += await evaluate_reps(organisation, rep_ids, now)
    await award_event_points(organisation, rep_ids, now)
    await settle_payouts(organisation, measured, now)
    await snapshot_changes(measured, now)
    events: list[tuple[str, Event]] = []
    for item in measured:
        if item.changed:
            progress, goal = item.progress, item.goal
            event = ProgressChanged(
                goal_id=goal.id,
                owner_type=goal.owner_type.value,
                owner_rep_id=goal.owner_rep_id,
                owner_team_id=goal.owner_team_id,
                current_value=progress.current_value,
                target=progress.target,
                attainment=progress.attainment,
                expected_attainment=progress.expected_attainment,
                projected_value=progress.projected_value,
                status=progress.status.value,
                measured_at=now,
                metric=goal.metric.value,
            )
            events += [(goal_channel(goal.id), event), (progress_channel(organisation.id), event)]
    events.append((figures_channel(organisation.id), FiguresMoved(rep_ids=list(rep_ids))))
    changed = [*awards, *revoked]
    await Award.fetch_for_list(changed, "badge", "rep")
    events += [(awards_channel(organisation.id), _award_event(award)) for award in changed]
    return Evaluation(len(awards), events)


def _award_event(award: Award) -> AwardChanged:
    """An award, or its withdrawal, as subscribers see it (badge and rep loaded)."""
    return AwardChanged(
        kind="REVOKED" if award.revoked_at is not None else "AWARDED",
        award_id=award.id,
        rep_id=award.rep_id,
        rep_name=award.rep.name,
        goal_id=award.goal_id,
        badge_code=award.badge.code,
        badge_name=award.badge.name,
        badge_version=award.badge.version,
        awarded_at=award.awarded_at,
        explanation=award.explanation,
        revoked_at=award.revoked_at,
        revocation=award.revocation,
    )
