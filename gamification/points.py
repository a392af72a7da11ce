"""Points per event: a won deal, a qualified lead. Earned once per rule version, rep and
record, however often the evaluation runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.orgs.models import Organisation
from core.sales import store as sales
from gamification import store
from gamification.models import PointsEntry, PointsEvent

# Evaluation runs seconds after ingestion; records changed within this window are looked at,
# a margin for retries and backlogs without reading a rep's whole history.
LOOK_BACK = timedelta(days=2)


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
        entries += [
            PointsEntry(
                organisation_id=organisation.id,
                rule_id=rule.id,
                rep_id=rep_id,
                source_key=source,
                points=rule.points,
                created_at=now,
            )
            for rule in rules
            for source in sources[rule.event]
        ]
    await store.add_points(entries)
