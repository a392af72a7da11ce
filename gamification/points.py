"""Points per event: a won deal, a qualified lead, a check-in done. Earned once per rule
version, rep and record, however often the evaluation runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from core.orgs.models import Organisation
from core.sales import store as sales
from gamification import store
from gamification.models import PointsEntry, PointsEvent, PointsRule

# Evaluation runs seconds after ingestion; records changed within this window are looked at,
# a margin for retries and backlogs without reading a rep's whole history.
LOOK_BACK = timedelta(days=2)


def _entries(
    organisation_id: int,
    rep_id: int,
    rules: Sequence[PointsRule],
    sources: Mapping[PointsEvent, Sequence[str]],
    now: datetime,
) -> list[PointsEntry]:
    """An entry per rule and source of the rule's event."""
    return [
        PointsEntry(
            organisation_id=organisation_id,
            rule_id=rule.id,
            rep_id=rep_id,
            source_key=source,
            points=rule.points,
            created_at=now,
        )
        for rule in rules
        for source in sources.get(rule.event, ())
    ]


async def award_event_points(
    organisation: Organisation, rep_ids: Sequence[int], now: datetime
) -> None:
    rules = await store.active_points_rules(organisation.id)
    if not rules:
        return
    since = now - LOOK_BACK
    entries = []
    for rep_id in rep_ids:
        sources = {
            PointsEvent.DEAL_WON: [
                f"deal:{d.external_id}" for d in await sales.recently_won(rep_id, since)
            ],
            PointsEvent.LEAD_QUALIFIED: [
                f"lead:{lead.external_id}" for lead in await sales.recently_qualified(rep_id, since)
            ],
        }
        entries += _entries(organisation.id, rep_id, rules, sources, now)
    await store.add_points(entries)


async def award_check_in_points(
    organisation_id: int, rep_id: int, check_in_id: int, now: datetime
) -> None:
    """Points for a check-in done (acknowledged by the other side), once per rule version."""
    rules = await store.active_points_rules(organisation_id)
    sources = {PointsEvent.CHECK_IN_DONE: [f"check-in:{check_in_id}"]}
    await store.add_points(_entries(organisation_id, rep_id, rules, sources, now))
