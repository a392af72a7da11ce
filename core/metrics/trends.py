"""Trends from the rollups: a metric's series, who moved most, new-customer cohorts. Each
reads only the days asked for (and those compared with), whatever the length of history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise import connections

from core.goals.service import totals_over
from core.metrics.store import Scope
from core.orgs.models import Organisation
from core.sql import Params
from domain.metrics import Metric, value_of
from domain.money import shown_or_none
from domain.periods import Period
from domain.trends import Bucket, Cohort, Comparison, Grain, cohorts, compared


@dataclass(frozen=True)
class Point:
    bucket: Bucket
    value: Decimal | None
    compared_with: Period | None
    before: Decimal | None


async def series(
    organisation: Organisation,
    metric: Metric,
    scope: Scope,
    grain: Grain,
    points: Sequence[Bucket],
    comparison: Comparison | None,
) -> list[Point]:
    fiscal = organisation.fiscal_year_start_month
    others = [
        compared(bucket, grain, comparison, fiscal) if comparison is not None else None
        for bucket in points
    ]
    wanted = [(("now", i), scope, bucket.period) for i, bucket in enumerate(points)]
    wanted += [(("then", i), scope, other) for i, other in enumerate(others) if other is not None]
    totals = await totals_over(organisation, metric, wanted)
    return [
        Point(
            bucket,
            shown_or_none(value_of(metric, totals[("now", i)])),
            other,
            shown_or_none(value_of(metric, totals[("then", i)])) if other is not None else None,
        )
        for i, (bucket, other) in enumerate(zip(points, others, strict=True))
    ]


@dataclass(frozen=True)
class Move:
    rep_id: int
    value: Decimal | None
    before: Decimal | None


async def moves(
    organisation: Organisation,
    metric: Metric,
    period: Period,
    before: Period,
    reps: Sequence[int],
    market_id: int | None = None,
) -> list[Move]:
    """Each rep's figure over `period` and over `before` (in a market, when given)."""
    wanted = [((rep, 0), Scope(rep_ids=(rep,), market_id=market_id), period) for rep in reps]
    wanted += [((rep, 1), Scope(rep_ids=(rep,), market_id=market_id), before) for rep in reps]
    totals = await totals_over(organisation, metric, wanted)
    return [
        Move(
            rep,
            shown_or_none(value_of(metric, totals[(rep, 0)])),
            shown_or_none(value_of(metric, totals[(rep, 1)])),
        )
        for rep in reps
    ]


async def customer_cohorts(
    organisation_id: int, rep_ids: Sequence[int] | None, first: date, last: date, through: date
) -> list[Cohort]:
    """Cohorts of the accounts first won from `first` to `last`, followed up to `through`:
    two reads of the account rollup, by account (its (account_id, day) index)."""
    connection = connections.get("default")

    def won(params: Params) -> str:
        """Won rows of the organisation (and of the reps asked for)."""
        found = f"organisation_id = {params(organisation_id)} AND won > 0"
        if rep_ids is not None:
            found += f" AND rep_id IN ({', '.join(params(rep) for rep in rep_ids)})"
        return found

    params = Params(connection)
    rows = await connection.execute_query_dict(
        f"SELECT account_id, MIN(day) AS first_day FROM account_day WHERE {won(params)} "
        f"GROUP BY account_id HAVING MIN(day) BETWEEN {params(first.toordinal())} "
        f"AND {params(last.toordinal())}",
        params.values,
    )
    first_wins = {int(r["account_id"]): date.fromordinal(int(r["first_day"])) for r in rows}
    later: list[tuple[int, date]] = []
    accounts = sorted(first_wins)
    for start in range(0, len(accounts), 500):
        chunk = accounts[start : start + 500]
        params = Params(connection)
        found = await connection.execute_query_dict(
            "SELECT DISTINCT account_id, day FROM account_day "
            f"WHERE account_id IN ({', '.join(params(a) for a in chunk)}) AND {won(params)} "
            f"AND day <= {params(through.toordinal())}",
            params.values,
        )
        later += [(int(r["account_id"]), date.fromordinal(int(r["day"]))) for r in found]
    return cohorts(first_wins, later, through)
