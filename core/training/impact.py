"""Whether a course moved the figures: a difference in differences over the reps who passed
it and, over the same windows, the reps who had not."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals.service import totals_over
from core.metrics.store import Scope
from core.orgs.models import Organisation
from core.training import store
from domain.metrics import Metric, value_of
from domain.periods import Period, local_today
from domain.training import Impact, Pair, group_of, windows


@dataclass(frozen=True)
class ImpactReport:
    impact: Impact
    # Passed the course, but its window after has not ended yet: not counted.
    pending: int


async def training_impact(
    organisation: Organisation,
    course_id: int,
    metric: Metric,
    days: int,
    population: Collection[int],
    now: datetime,
) -> ImpactReport:
    """For each rep of `population` who passed the course (their first pass), the metric
    over the `days` before and the `days` after the day of passing, once the days after are
    over; for the untrained, every other rep of `population` who had not passed it by the
    end of those days, over the same windows. One read of the figures for all of them."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    firsts = {
        rep: date.fromordinal(day)
        for rep, day in (await store.first_passes(organisation.id, course_id)).items()
        if rep in population
    }
    around = {rep: windows(day, days) for rep, day in firsts.items()}
    studied = {rep: pair for rep, pair in around.items() if pair[1].end < today}
    controls = {
        rep: [
            other
            for other in sorted(population)
            if other != rep and (other not in firsts or firsts[other] > after.end)
        ]
        for rep, (_, after) in studied.items()
    }
    wanted: dict[Hashable, tuple[Hashable, Scope, Period]] = {}
    for rep, (before, after) in studied.items():
        for person in (rep, *controls[rep]):
            for period in (before, after):
                key = (person, period.start, period.end)
                wanted[key] = (key, Scope(rep_ids=(person,)), period)
    totals = await totals_over(organisation, metric, list(wanted.values()))

    def figure(person: int, period: Period) -> Decimal | None:
        return value_of(metric, totals[(person, period.start, period.end)])

    trained = [
        Pair(rep, figure(rep, before), figure(rep, after))
        for rep, (before, after) in studied.items()
    ]
    untrained = [
        Pair(other, figure(other, before), figure(other, after))
        for rep, (before, after) in studied.items()
        for other in controls[rep]
    ]
    return ImpactReport(
        Impact(group_of(trained), group_of(untrained)), pending=len(firsts) - len(studied)
    )
