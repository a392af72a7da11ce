"""Trends through GraphQL ("data analysis" without a goal): a metric's series for anyone
you may see, the best and worst movers, new-customer cohorts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry

from api.context import Info
from api.errors import BadUserInput
from api.goals.types import GoalOwner, MetricEnum, OwnerTypeEnum, owner_of
from api.ids import parse_id
from api.markets.scope import MarketCode, market_id_of
from api.orgs.types import User
from core.goals.models import OwnerType
from core.metrics import trends
from core.metrics.store import Scope
from domain.inputs import in_range
from domain.metrics import Metric, count_of
from domain.money import shown
from domain.periods import Period, local_today
from domain.trends import Comparison, Grain, buckets, change, change_percent

GrainEnum = strawberry.enum(Grain, name="Grain")
ComparisonEnum = strawberry.enum(Comparison, name="Comparison")
MAX_MOVERS = 50

From = Annotated[date, strawberry.argument(name="from", description="First day, included.")]


def _range(first: date, last: date) -> Period:
    if not (in_range(first) and in_range(last)) or last < first:
        raise BadUserInput("to: on or after from, both between 1900 and 2199.")
    return Period(first, last)


@strawberry.type
class SeriesPoint:
    start: date
    end: date
    label: str = strawberry.field(
        description='E.g. "2026-11-02", "2026-W45", "2026-11", "FY2027 Q2".'
    )
    value: Decimal | None
    count: int | None = strawberry.field(
        description="value as the whole number it is, for a count metric; null otherwise."
    )
    compare_start: date | None
    compare_end: date | None
    compare_value: Decimal | None
    change: Decimal | None
    change_percent: Decimal | None = strawberry.field(
        description="The change as a percentage of the compared figure; null when that is 0."
    )


@strawberry.type
class MetricSeries:
    metric: MetricEnum
    grain: GrainEnum
    owner_type: OwnerTypeEnum
    points: list[SeriesPoint]
    owner_rep_id: strawberry.Private[int | None]
    owner_team_id: strawberry.Private[int | None]

    @strawberry.field
    async def owner(self, info: Info) -> GoalOwner | None:
        return await owner_of(info, self.owner_rep_id, self.owner_team_id)


@strawberry.type
class Mover:
    value: Decimal | None
    before: Decimal | None
    change: Decimal | None
    change_percent: Decimal | None
    rep_id: strawberry.Private[int]

    @strawberry.field
    async def rep(self, info: Info) -> User:
        rep = await info.context.loaders.users.load(self.rep_id)
        assert rep is not None, "a mover is someone of the organisation"
        return User.of(rep)


@strawberry.type(description="Who moved most between a period and the one as long before it.")
class Movers:
    metric: MetricEnum
    start: date
    end: date
    compare_start: date
    compare_end: date
    best: list[Mover]
    worst: list[Mover]


@strawberry.type
class CustomerCohort:
    month: date
    label: str
    size: int = strawberry.field(description="Accounts first won in the month.")
    returning: list[int] = strawberry.field(
        description="How many of them won again in each following month (first: the month after)."
    )
    returning_percent: list[Decimal | None] = strawberry.field(
        description="returning / size × 100, with two decimals."
    )


async def _scope(
    info: Info, owner_type: OwnerType, owner_id: strawberry.ID | None
) -> tuple[Scope, int | None, int | None]:
    """The reps whose figures count, once the viewer may read the owner's figures."""
    access = await info.context.access()
    owner = (parse_id(owner_id) or 0) if owner_id is not None else None
    if owner_type is not OwnerType.ORGANISATION and owner is None:
        raise BadUserInput("ownerId: needed for a rep or a team.")
    rep = owner if owner_type is OwnerType.REP else None
    team = owner if owner_type is OwnerType.TEAM else None
    access.require(access.can_read_goal_of(owner_type, rep, team))
    structure = await info.context.loaders.structure()
    return Scope(rep_ids=structure.reps_of(owner_type, owner)), rep, team


@strawberry.type
class TrendQueries:
    @strawberry.field(
        description="A metric over time for a rep, a team or the organisation, a point per "
        "day, week, month or fiscal quarter (the first and last clipped to the range), each "
        "compared with the previous one or the same days a year earlier."
    )
    async def metric_series(
        self,
        info: Info,
        metric: MetricEnum,
        grain: GrainEnum,
        from_: From,
        to: date,
        owner_type: OwnerTypeEnum = OwnerType.ORGANISATION,
        owner_id: strawberry.ID | None = None,
        compare_to: ComparisonEnum | None = None,
        market: MarketCode = None,
    ) -> MetricSeries:
        period = _range(from_, to)
        scope, rep, team = await _scope(info, OwnerType(owner_type), owner_id)
        scope = replace(scope, market_id=await market_id_of(info, Metric(metric), market))
        organisation = await info.context.loaders.own_organisation()
        try:
            points = buckets(
                Grain(grain), period.start, period.end, organisation.fiscal_year_start_month
            )
        except ValueError as error:
            raise BadUserInput(f"from/to: {error}; choose a coarser grain.") from error
        how = Comparison(compare_to) if compare_to is not None else None
        found = await trends.series(organisation, Metric(metric), scope, Grain(grain), points, how)
        return MetricSeries(
            metric=metric,
            grain=grain,
            owner_type=owner_type,
            owner_rep_id=rep,
            owner_team_id=team,
            points=[
                SeriesPoint(
                    start=p.bucket.period.start,
                    end=p.bucket.period.end,
                    label=p.bucket.label,
                    value=p.value,
                    count=count_of(Metric(metric), p.value),
                    compare_start=p.compared_with.start if p.compared_with else None,
                    compare_end=p.compared_with.end if p.compared_with else None,
                    compare_value=p.before,
                    change=change(p.value, p.before),
                    change_percent=change_percent(p.value, p.before),
                )
                for p in found
            ],
        )

    @strawberry.field(
        description="The reps you may see (of a team, or all) whose figure rose and fell "
        "most from the period as long just before to this one."
    )
    async def movers(
        self,
        info: Info,
        metric: MetricEnum,
        from_: From,
        to: date,
        team_id: strawberry.ID | None = None,
        limit: int = 5,
        market: MarketCode = None,
    ) -> Movers:
        period = _range(from_, to)
        market_id = await market_id_of(info, Metric(metric), market)
        if not 1 <= limit <= MAX_MOVERS:
            raise BadUserInput(f"limit: between 1 and {MAX_MOVERS}.")
        access = await info.context.access()
        if team_id is not None:
            candidates = (await info.context.team_below(team_id))[1]
        else:
            candidates = set((await info.context.loaders.structure()).teams_of)
        reps = sorted(rep for rep in candidates if access.can_read_rep(rep))
        length = period.end - period.start + timedelta(days=1)
        before = Period(period.start - length, period.end - length)
        organisation = await info.context.loaders.own_organisation()
        found = await trends.moves(organisation, Metric(metric), period, before, reps, market_id)
        movers = [
            Mover(
                rep_id=m.rep_id,
                value=m.value,
                before=m.before,
                change=change(m.value, m.before),
                change_percent=change_percent(m.value, m.before),
            )
            for m in found
        ]
        moved = sorted(
            (m for m in movers if m.change is not None),
            key=lambda m: (m.change or Decimal(0), -m.rep_id),
        )
        return Movers(
            metric=metric,
            start=period.start,
            end=period.end,
            compare_start=before.start,
            compare_end=before.end,
            best=[m for m in reversed(moved) if (m.change or 0) > 0][:limit],
            worst=[m for m in moved if (m.change or 0) < 0][:limit],
        )

    @strawberry.field(
        description="New-customer cohorts: of the accounts first won in each month from `from` "
        "to `to`, how many won again in each month after, up to `through` (default today)."
    )
    async def customer_cohorts(
        self,
        info: Info,
        from_: From,
        to: date,
        through: date | None = None,
        owner_type: OwnerTypeEnum = OwnerType.ORGANISATION,
        owner_id: strawberry.ID | None = None,
    ) -> list[CustomerCohort]:
        period = _range(from_, to)
        scope, _, _ = await _scope(info, OwnerType(owner_type), owner_id)
        organisation = await info.context.loaders.own_organisation()
        last = through or local_today(info.context.now, ZoneInfo(organisation.timezone))
        if not in_range(last) or last < period.start:
            raise BadUserInput("through: on or after from.")
        found = await trends.customer_cohorts(
            organisation.id, scope.rep_ids, period.start, period.end, last
        )
        return [
            CustomerCohort(
                month=c.month,
                label=c.month.strftime("%Y-%m"),
                size=c.size,
                returning=c.returning,
                returning_percent=[
                    shown(Decimal(n) / c.size * 100) if c.size else None for n in c.returning
                ],
            )
            for c in found
        ]
