"""Points per event: a won deal, a qualified lead, a check-in done, a course passed. Earned
once per rule version, rep and record, however often the evaluation runs — in the pipeline,
whatever the event (a check-in acknowledged or a course passed goes through the outbox like
a deal).

A won deal's points follow the deal through the month they were earned in: moved out of WON
(lost, reopened) within that month, they are reversed by a negative entry, and won again
they are earned again. Once the month is over they stand, as awards do once a goal's
period is over."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from core.checkins import store as check_ins
from core.orgs.models import Organisation
from core.sales import store as sales
from core.sales.models import Deal
from core.training import store as training
from domain.periods import PeriodKind, local_today, period_containing
from domain.records import DealStage
from gamification import store
from gamification.models import PointsEntry, PointsEvent, PointsRule

# Evaluation runs seconds after ingestion; records changed within this window are looked at,
# a margin for retries and backlogs without reading a rep's whole history.
LOOK_BACK = timedelta(days=2)
T = TypeVar("T")


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
            record_key=source,
            points=rule.points,
            created_at=now,
        )
        for rule in rules
        for source in sources.get(rule.event, ())
    ]


def _deal_entries(
    organisation_id: int,
    rep_id: int,
    rules: Sequence[PointsRule],
    deals: Sequence[Deal],
    held: Mapping[tuple[int, int, str], store.Held],
    month_start: datetime,
    now: datetime,
) -> list[PointsEntry]:
    """The entries that bring each deal's points to what its stage earns: earned while it
    is won, reversed when it no longer is and the month it was won in still runs."""
    entries = []

    def entry(rule_id: int, record: str, count: int, points: int) -> PointsEntry:
        source = record if count == 0 else f"{record}#{count + 1}"
        return PointsEntry(
            organisation_id=organisation_id,
            rule_id=rule_id,
            rep_id=rep_id,
            source_key=source,
            record_key=record,
            points=points,
            created_at=now,
        )

    for deal in deals:
        record = f"deal:{deal.external_id}"
        if deal.stage is DealStage.WON:
            for rule in rules:
                if rule.event is PointsEvent.DEAL_WON:
                    now_held = held.get((rep_id, rule.id, record), store.Held(0, 0, now))
                    if now_held.points <= 0:
                        entries.append(entry(rule.id, record, now_held.entries, rule.points))
            continue
        for (holder, rule_id, key), was in held.items():
            if holder == rep_id and key == record and was.points > 0 and was.last_at >= month_start:
                entries.append(entry(rule_id, record, was.entries, -was.points))
    return entries


async def award_event_points(
    organisation: Organisation, rep_ids: Sequence[int], now: datetime
) -> None:
    rules = await store.active_points_rules(organisation.id)
    if not rules and not await store.has_points(organisation.id):
        return  # nothing to earn and nothing to reverse
    since = now - LOOK_BACK
    tz = ZoneInfo(organisation.timezone)
    this_month = period_containing(
        PeriodKind.MONTH, local_today(now, tz), organisation.fiscal_year_start_month
    )
    month_start = this_month.bounds(tz)[0]
    # A statement per kind of record for every rep of the batch, not per rep.
    deals = by_owner(await sales.recently_changed_deals(rep_ids, since), lambda d: d.owner_id)
    held = await store.points_held(
        organisation.id, rep_ids, [f"deal:{d.external_id}" for ds in deals.values() for d in ds]
    )
    leads = by_owner(await sales.recently_qualified(rep_ids, since), lambda lead: lead.owner_id)
    done = by_owner(await check_ins.recently_acknowledged(rep_ids, since), lambda c: c.rep_id)
    # Course points are never reversed: with no rule paying them there is nothing to read.
    trained = (
        by_owner(await training.recent_passes(organisation.id, rep_ids, since), lambda c: c.rep_id)
        if any(rule.event is PointsEvent.TRAINING_COMPLETED for rule in rules)
        else {}
    )
    entries = []
    for rep_id in rep_ids:
        entries += _deal_entries(
            organisation.id, rep_id, rules, deals.get(rep_id, []), held, month_start, now
        )
        sources = {
            PointsEvent.LEAD_QUALIFIED: [
                f"lead:{lead.external_id}" for lead in leads.get(rep_id, [])
            ],
            PointsEvent.CHECK_IN_DONE: [f"check-in:{c.id}" for c in done.get(rep_id, [])],
            PointsEvent.TRAINING_COMPLETED: [f"training:{c.id}" for c in trained.get(rep_id, [])],
        }
        entries += _entries(organisation.id, rep_id, rules, sources, now)
    await store.add_points(entries)


def by_owner(rows: Sequence[T], owner: Callable[[T], int]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[owner(row)].append(row)
    return grouped
