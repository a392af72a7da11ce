"""Creating goals under the SMART rules and measuring where they stand."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise import connections
from tortoise.transactions import in_transaction

from core import clock
from core.goals import figures, store
from core.goals.models import BaselineSource, Goal, OwnerType
from core.markets import store as markets
from core.markets.models import Market
from core.metrics import store as rollups
from core.metrics.store import Measure, Scope
from core.orgs import store as people
from core.orgs.models import Organisation
from core.sales import store as sales
from core.training import store as training
from domain import smart
from domain.inputs import usable
from domain.markets import MarketSize, addressable_in, revenue_over
from domain.metrics import CUMULATIVE, DAY_BY_DAY, Metric, Totals, value_of
from domain.money import shown_or_none
from domain.periods import (
    Period,
    a_year_before,
    comparable_history,
    last_complete,
    local_today,
    preceding,
)
from domain.progress import PaceThresholds, Progress, compute_progress
from domain.targets import BaselineFrom, TargetKind, TargetSpec, achievability, resolve
from domain.teams import ancestors, members

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScopeFilter:
    product_external_ids: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    course_codes: tuple[str, ...] = ()
    market_code: str | None = None


@dataclass(frozen=True)
class NewGoal:
    """A goal as asked for; `metric` and `target` are None when the request leaves them out
    (SMART then says so, with everything else it finds)."""

    metric: Metric | None
    owner_type: OwnerType
    owner_id: int | None
    target: TargetSpec | None
    period: smart.PeriodRequest
    baseline: Decimal | None = None
    baseline_from: BaselineFrom = BaselineFrom.PREVIOUS_PERIOD
    historical: bool = False
    scope: ScopeFilter = field(default_factory=ScopeFilter)
    rationale: str | None = None
    parent_id: int | None = None
    acknowledge_stretch: bool = False


@dataclass(frozen=True)
class Measured:
    goal: Goal
    progress: Progress
    changed: bool


@dataclass(frozen=True)
class Structure:
    """The organisation's team tree and who sits where: enough to know whose figures a
    team's goal adds up."""

    parents: dict[int, int | None]
    teams_of: dict[int, int | None]

    @classmethod
    async def load(cls, organisation_id: int) -> Structure:
        return cls(await people.team_tree(organisation_id), await people.rep_teams(organisation_id))

    def reps_of(self, owner_type: OwnerType, owner_id: int | None) -> tuple[int, ...] | None:
        if owner_type is OwnerType.ORGANISATION:
            return None
        if owner_type is OwnerType.TEAM:
            assert owner_id is not None
            return members(owner_id, self.parents, self.teams_of)
        assert owner_id is not None
        return (owner_id,)

    def owner_exists(self, owner_type: OwnerType, owner_id: int | None) -> bool:
        if owner_type is OwnerType.ORGANISATION:
            return True
        if owner_id is None:
            return False
        return owner_id in (self.parents if owner_type is OwnerType.TEAM else self.teams_of)

    def teams_above(self, owner_type: OwnerType, owner_id: int | None) -> list[int]:
        """The teams a goal of this owner rolls up into, nearest first."""
        if owner_type is OwnerType.REP and owner_id is not None:
            return ancestors(self.teams_of.get(owner_id), self.parents)
        if owner_type is OwnerType.TEAM and owner_id is not None:
            return ancestors(owner_id, self.parents)[1:]
        return []


def owner_id_of(goal: Goal) -> int | None:
    return goal.owner_rep_id if goal.owner_type is OwnerType.REP else goal.owner_team_id


def period_of(goal: Goal) -> Period:
    return Period(goal.period_start, goal.period_end)


def thresholds_of(organisation: Organisation) -> PaceThresholds:
    return PaceThresholds(on_track=organisation.on_track_pace, at_risk=organisation.at_risk_pace)


def scope_of(goal: Goal, structure: Structure) -> Scope:
    scope = goal.scope or {}
    return Scope(
        rep_ids=structure.reps_of(goal.owner_type, owner_id_of(goal)),
        product_ids=tuple(scope.get("productIds", ())),
        regions=tuple(scope.get("regions", ())),
        segments=tuple(scope.get("segments", ())),
        course_ids=tuple(scope.get("courseIds", ())),
        market_id=scope.get("marketId"),
    )


def _measure(
    key: Hashable, metric: Metric, scope: Scope, period: Period, organisation: Organisation
) -> Measure:
    before = preceding(period, organisation.fiscal_year_start_month)
    today = local_today(clock.now(), ZoneInfo(organisation.timezone))
    return Measure(
        key,
        metric,
        scope,
        period.start.toordinal(),
        period.end.toordinal(),
        before.start.toordinal(),
        before.end.toordinal(),
        through_day=min(period.end, today).toordinal(),
    )


async def _totals(organisation_id: int, measures: Sequence[Measure]) -> dict[Hashable, Totals]:
    return await rollups.totals(connections.get("default"), organisation_id, measures)


async def create_goal(
    organisation: Organisation, new: NewGoal, now: datetime
) -> list[Goal] | list[smart.Violation]:
    """Store one goal per planned period (one, or one per recurrence), or none and every
    SMART rule the request breaks."""
    periods, period_violations = smart.plan_periods(
        new.period, organisation.fiscal_year_start_month
    )
    structure = await Structure.load(organisation.id)
    owner_found = structure.owner_exists(new.owner_type, new.owner_id)
    products = await sales.products_by_external_id(organisation.id, new.scope.product_external_ids)
    regions, segments = await sales.known_regions_and_segments(organisation.id)
    declared_regions, declared_segments = await markets.declared_regions_and_segments(
        organisation.id
    )
    regions, segments = regions | declared_regions, segments | declared_segments
    courses = await training.courses_by_code(organisation.id, new.scope.course_codes)
    market_code = new.scope.market_code
    named = await markets.markets_by_code(organisation.id, [market_code] if market_code else [])
    market = named.get(market_code or "")
    scope = Scope(
        rep_ids=structure.reps_of(new.owner_type, new.owner_id) if owner_found else (),
        product_ids=tuple(sorted(p.id for p in products.values())),
        regions=new.scope.regions,
        segments=new.scope.segments,
        course_ids=tuple(sorted(c.id for c in courses.values())),
        market_id=market.id if market else None,
    )
    rows = (
        (await markets.sizes_of(organisation.id, [market.id])).get(market.id, []) if market else []
    )
    sizes = [markets.size_of(row) for row in rows]
    parent = await store.find_goal(organisation.id, new.parent_id) if new.parent_id else None

    parent_facts = None
    if parent is not None:
        related = parent.owner_type is OwnerType.ORGANISATION or (
            parent.owner_type is OwnerType.TEAM
            and parent.owner_team_id in structure.teams_above(new.owner_type, new.owner_id)
        )
        parent_facts = smart.ParentFacts(parent.metric, period_of(parent), related)
    sources: list[tuple[Decimal | None, BaselineSource | None, Period | None]] = []

    fiscal = organisation.fiscal_year_start_month
    today = local_today(now, ZoneInfo(organisation.timezone))
    # Each goal's baseline period and comparable history; a request too vague to name a
    # metric or a period has no figures to look up, and is checked all the same.
    planned = [
        (period, kind, _baseline_period(new, periods[0][0], period, today, fiscal))
        for period, kind in periods
    ]
    looked_up: dict[Hashable, Decimal | None] = {}
    if new.metric is not None and planned:
        measures = []
        for index, (period, _, baseline_period) in enumerate(planned):
            if baseline_period is not None:
                measures.append(
                    _measure(("baseline", index), new.metric, scope, baseline_period, organisation)
                )
            for position, past in enumerate(comparable_history(period, fiscal)):
                measures.append(
                    _measure(("history", index, position), new.metric, scope, past, organisation)
                )
        looked_up = {
            key: value_of(new.metric, t)
            for key, t in (await _totals(organisation.id, measures)).items()
        }
    has_cost_data = await sales.has_cost_data(organisation.id)
    drafts = []
    for index, slot in enumerate(planned or [None]):
        baseline, source = _baseline(new, looked_up.get(("baseline", index)))
        # Numbers that cannot be computed with are reported by SMART; nothing is derived
        # from them.
        spec = new.target
        usable_numbers = spec is not None and all(
            value is None or usable(value) for value in (spec.value, spec.start, baseline)
        )
        target = resolve(spec, baseline) if spec is not None and usable_numbers else None
        history = [
            v
            for key, v in looked_up.items()
            if isinstance(key, tuple) and key[:2] == ("history", index) and v is not None
        ]
        best = max(history) if history else None
        drafts.append(
            smart.GoalDraft(
                metric=new.metric,
                spec=spec,
                target=target,
                owner_found=owner_found,
                period=slot[0] if slot else None,
                today=today,
                owner_is_organisation=new.owner_type is OwnerType.ORGANISATION,
                unknown_scope=_unknown_scope(
                    new.scope, products, regions, segments, courses, market
                ),
                filters_products=bool(new.scope.product_external_ids),
                filters_sales=bool(
                    new.scope.product_external_ids or new.scope.regions or new.scope.segments
                ),
                filters_courses=bool(new.scope.course_codes),
                not_certifying=tuple(
                    code for code, c in courses.items() if c.certification_months is None
                ),
                filters_market=market_code is not None,
                market_unsized=_unsized(new.metric, market, sizes, slot[0]) if slot else None,
                has_cost_data=has_cost_data,
                best_history=best,
                achievability=achievability(target, best) if target is not None else None,
                stretch_limit=organisation.stretch_limit,
                stretch_hard_limit=organisation.stretch_hard_limit,
                stretch_acknowledged=new.acknowledge_stretch,
                rationale=new.rationale,
                parent_given=new.parent_id is not None,
                parent=parent_facts,
                given_baseline=new.baseline,
                historical=new.historical,
            )
        )
        sources.append((baseline, source, slot[2] if slot and source else None))
    found = period_violations + [v for d in drafts for v in smart.validate(d)]
    order = list(smart.Criterion)
    violations = sorted(_distinct(found), key=lambda v: order.index(v.criterion))
    if violations:
        return violations
    assert new.metric is not None
    assert new.target is not None
    series_id = str(uuid.uuid4()) if len(planned) > 1 else None
    goals = []
    for draft, (period, period_kind, _), (baseline, source, baseline_period) in zip(
        drafts, planned, sources, strict=True
    ):
        assert draft.target is not None
        goals.append(
            Goal(
                organisation_id=organisation.id,
                owner_type=new.owner_type,
                owner_rep_id=new.owner_id if new.owner_type is OwnerType.REP else None,
                owner_team_id=new.owner_id if new.owner_type is OwnerType.TEAM else None,
                parent_id=parent.id if parent else None,
                metric=new.metric,
                target=draft.target,
                target_kind=new.target.kind,
                target_change=new.target.value if new.target.needs_history else None,
                target_start=new.target.start,
                baseline=baseline,
                baseline_source=source,
                baseline_start=baseline_period.start if baseline_period else None,
                baseline_end=baseline_period.end if baseline_period else None,
                best_history=draft.best_history,
                achievability=draft.achievability,
                stretch_acknowledged=new.acknowledge_stretch,
                scope=_scope_json(scope),
                period_start=period.start,
                period_end=period.end,
                period_kind=period_kind,
                series_id=series_id,
                rationale=new.rationale,
                historical=new.historical,
            )
        )
    async with in_transaction():
        created = await store.create_goals(goals)
        await figures.created(organisation.id, [goal.id for goal in created])
    await _backfill_history(organisation, created, now)
    return created


def _baseline_period(
    new: NewGoal, first: Period, period: Period, today: date, fiscal_start_month: int
) -> Period | None:
    """The period a relative target's baseline is measured over: the last complete
    comparable period before the first goal of a request (one baseline for a series), or
    each goal's own period a year earlier, when that is over."""
    if new.target is None or not new.target.needs_history or new.baseline is not None:
        return None
    if new.baseline_from is BaselineFrom.SAME_PERIOD_LAST_YEAR:
        last_year = a_year_before(period)
        return last_year if last_year.end < today else None
    return last_complete(first, today, fiscal_start_month)


def _baseline(
    new: NewGoal, from_history: Decimal | None
) -> tuple[Decimal | None, BaselineSource | None]:
    if new.target is None:
        return None, None
    if new.target.kind is TargetKind.MOVE:
        return new.target.start, BaselineSource.GIVEN
    if new.baseline is not None:
        return new.baseline, BaselineSource.GIVEN
    if from_history is None or (
        new.target.kind is TargetKind.RELATIVE_PERCENT and from_history == 0
    ):
        return None, None
    if new.baseline_from is BaselineFrom.SAME_PERIOD_LAST_YEAR:
        return from_history, BaselineSource.SAME_PERIOD_LAST_YEAR
    return from_history, BaselineSource.HISTORY


def _unknown_scope(
    scope: ScopeFilter,
    products: dict[str, object],
    regions: set[str],
    segments: set[str],
    courses: dict[str, object],
    market: Market | None,
) -> dict[str, list[str]]:
    return {
        "scope.productIds": [p for p in scope.product_external_ids if p not in products],
        "scope.regions": [r for r in scope.regions if r not in regions],
        "scope.segments": [s for s in scope.segments if s not in segments],
        "scope.courseIds": [c for c in scope.course_codes if c not in courses],
        "scope.market": [scope.market_code] if scope.market_code and market is None else [],
    }


def _unsized(
    metric: Metric | None, market: Market | None, sizes: Sequence[MarketSize], period: Period
) -> str | None:
    """Why a market goal cannot be measured over its period, if it cannot: no revenue
    declared for some of its days (a share), no addressable accounts (penetration)."""
    if market is None:
        return None
    days = f"{period.start.isoformat()} to {period.end.isoformat()}"
    if metric is Metric.MARKET_SHARE and revenue_over(sizes, period.start, period.end) is None:
        return (
            f"{market.code} has no revenue declared for every day of {days}: give its "
            "size with setMarketSize."
        )
    if metric is Metric.PENETRATION and addressable_in(sizes, period.start, period.end) is None:
        return (
            f"{market.code} has no addressable accounts declared for {days}: give its "
            "size with setMarketSize."
        )
    return None


def _scope_json(scope: Scope) -> dict[str, object] | None:
    found = {
        "productIds": list(scope.product_ids),
        "regions": list(scope.regions),
        "segments": list(scope.segments),
        "courseIds": list(scope.course_ids),
    }
    kept: dict[str, object] = {key: value for key, value in found.items() if value}
    if scope.market_id is not None:
        kept["marketId"] = scope.market_id
    return kept or None


def _distinct(violations: list[smart.Violation]) -> list[smart.Violation]:
    """A recurring request breaks a rule once, however many of its goals break it."""
    seen: set[tuple[smart.ViolationCode, str]] = set()
    unique = []
    for violation in violations:
        if (violation.code, violation.field) not in seen:
            seen.add((violation.code, violation.field))
            unique.append(violation)
    return unique


async def measure_goals(
    organisation: Organisation,
    goals: Sequence[Goal],
    now: datetime,
    structure: Structure | None = None,
) -> dict[int, Progress]:
    """Progress of many goals at once, from the rollups, in a few statements in all (a
    goal that cannot be measured is left out, see `_standing`)."""
    if not goals:
        return {}
    structure = structure or await Structure.load(organisation.id)
    totals = await _totals(
        organisation.id,
        [
            _measure(
                goal.id,
                goal.metric,
                scope_of(goal, structure),
                period_of(goal),
                organisation,
            )
            for goal in goals
        ],
    )
    values = {goal.id: value_of(goal.metric, totals[goal.id]) for goal in goals}
    return _standing(organisation, goals, values, now)


def _standing(
    organisation: Organisation,
    goals: Sequence[Goal],
    values: Mapping[int, Decimal | None],
    now: datetime,
) -> dict[int, Progress]:
    """Where each goal stands at `now` with its current value. A goal whose figures cannot
    be computed (a target stored before targets were checked, say) is logged and left out:
    it never stops the others."""
    tz = ZoneInfo(organisation.timezone)
    thresholds = thresholds_of(organisation)
    standing = {}
    for goal in goals:
        try:
            standing[goal.id] = _progress(goal, values[goal.id], now, tz, thresholds)
        except (ArithmeticError, ValueError) as error:
            logger.error("goal %s cannot be measured: %r", goal.id, error)
    return standing


async def read_progress(
    organisation: Organisation,
    goals: Sequence[Goal],
    now: datetime,
    structure: Callable[[], Awaitable[Structure]],
) -> dict[int, Progress]:
    """Progress of these goals as a reader sees it: from the stored figures where they are
    valid (a lookup), measured from the rollups where not — and always for a figure that
    moves with the days (a market share)."""
    found = await figures.stored(organisation.id, [goal.id for goal in goals])
    known = [goal for goal in goals if goal.id in found and goal.metric not in DAY_BY_DAY]
    unknown = [goal for goal in goals if goal.id not in found or goal.metric in DAY_BY_DAY]
    progress = _standing(organisation, known, found, now)
    if unknown:
        progress.update(await measure_goals(organisation, unknown, now, await structure()))
    return progress


def _progress(
    goal: Goal, value: Decimal | None, at: datetime, tz: ZoneInfo, thresholds: PaceThresholds
) -> Progress:
    return compute_progress(
        value,
        goal.target,
        period_of(goal).elapsed_fraction(at, tz),
        thresholds,
        cumulative=goal.metric in CUMULATIVE,
        start=goal.target_start if goal.target_kind is TargetKind.MOVE else None,
    )


async def _backfill_history(
    organisation: Organisation, goals: Sequence[Goal], now: datetime
) -> None:
    """A new goal's progress history from its period's start: where it stood at the end of
    each day gone by (from the daily rollups), and now, so that a trend shows at once."""
    tz = ZoneInfo(organisation.timezone)
    today = local_today(now, tz)
    structure = await Structure.load(organisation.id)
    measures, instants = [], {}
    for goal in goals:
        last = min(goal.period_end, today)
        day = goal.period_start
        while day <= last:
            after = Period(day, day).bounds(tz)[1]
            instants[(goal.id, day)] = min(after, now)
            measures.append(
                _measure(
                    (goal.id, day),
                    goal.metric,
                    scope_of(goal, structure),
                    Period(goal.period_start, day),
                    organisation,
                )
            )
            day += timedelta(days=1)
    if not measures:
        return
    totals = await _totals(organisation.id, measures)
    thresholds = thresholds_of(organisation)
    by_goal = {goal.id: goal for goal in goals}
    snapshots = [
        (
            at,
            goal_id,
            _progress(
                by_goal[goal_id],
                value_of(by_goal[goal_id].metric, totals[(goal_id, day)]),
                at,
                tz,
                thresholds,
            ),
        )
        for (goal_id, day), at in instants.items()
    ]
    await store.add_snapshots_at(snapshots)


async def measure_affected_goals(
    organisation: Organisation, rep_ids: Sequence[int], now: datetime
) -> list[Measured]:
    """Measure every goal whose figures include these reps, noting which moved since their
    last snapshot."""
    version = await figures.version_of(organisation.id)
    structure = await Structure.load(organisation.id)
    teams = {
        team
        for rep in rep_ids
        for team in ancestors(structure.teams_of.get(rep), structure.parents)
    }
    goals = await store.goals_touching(organisation.id, rep_ids, sorted(teams))
    measured = await _measured(organisation, goals, now, structure)
    await _store_figures(organisation, version, {m.goal.id: m.progress for m in measured})
    return measured


async def _store_figures(
    organisation: Organisation, version: int, progress: Mapping[int, Progress]
) -> None:
    """Keep what was measured at `version` as the goals' figures (see core/goals/figures)."""
    await figures.store(
        organisation.id, version, {goal: found.exact_value for goal, found in progress.items()}
    )


async def _measured(
    organisation: Organisation, goals: Sequence[Goal], now: datetime, structure: Structure
) -> list[Measured]:
    progress = await measure_goals(organisation, goals, now, structure)
    latest = await store.latest_snapshots([goal.id for goal in goals])
    measured = []
    for goal in goals:
        if goal.id not in progress:
            continue
        last = latest.get(goal.id)
        now_progress = progress[goal.id]
        # Never measured before: it moved only if there is something to show (a team
        # follower is not sent every untouched goal the rep's deal is counted in).
        changed = (
            now_progress.current_value not in (None, Decimal(0))
            if last is None
            else last.current_value != now_progress.current_value
            or last.status != now_progress.status
        )
        measured.append(Measured(goal, now_progress, changed))
    return measured


async def snapshot_changes(measured: Sequence[Measured], now: datetime) -> None:
    """Keep the progress of the goals that moved, for trends and change detection."""
    await store.add_snapshots(
        [(item.goal.id, item.progress) for item in measured if item.changed], now
    )


async def snapshot_running_goals(organisation: Organisation, now: datetime) -> int:
    """The daily snapshot of every running goal, moved or not, so trends have a point per
    day. Returns how many were taken."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    version = await figures.version_of(organisation.id)
    goals = await store.goals_running_on(organisation.id, today)
    progress = await measure_goals(organisation, goals, now)
    await _store_figures(organisation, version, progress)
    await store.add_snapshots(list(progress.items()), now)
    return len(progress)


async def totals_of_reps(
    organisation: Organisation,
    metric: Metric,
    period: Period,
    rep_ids: Sequence[int],
    market_id: int | None = None,
) -> dict[int, Totals]:
    """Each rep's own totals for a metric over a period (in a market): one statement for
    any number."""
    totals = await _totals(
        organisation.id,
        [
            _measure(rep, metric, Scope(rep_ids=(rep,), market_id=market_id), period, organisation)
            for rep in rep_ids
        ],
    )
    return {rep: totals[rep] for rep in rep_ids}


async def figures_of_reps(
    organisation: Organisation, metric: Metric, period: Period, rep_ids: Sequence[int]
) -> dict[int, Decimal | None]:
    """Each rep's own figure for a metric over a period, as shown."""
    totals = await totals_of_reps(organisation, metric, period, rep_ids)
    return {rep: shown_or_none(value_of(metric, t)) for rep, t in totals.items()}


async def rep_figures(
    organisation: Organisation, rep_id: int, metrics: Sequence[Metric], periods: Sequence[Period]
) -> list[dict[Metric, Decimal | None]]:
    """A rep's figure for each metric in each period: a few statements for all of them."""
    scope = Scope(rep_ids=(rep_id,))
    totals = await _totals(
        organisation.id,
        [
            _measure((index, metric), metric, scope, period, organisation)
            for index, period in enumerate(periods)
            for metric in metrics
        ],
    )
    figures = []
    for index in range(len(periods)):
        values = {metric: value_of(metric, totals[(index, metric)]) for metric in metrics}
        figures.append({m: shown_or_none(v) for m, v in values.items()})
    return figures


async def daily_figures(
    organisation: Organisation, metric: Metric, rep_id: int, days: Sequence[date]
) -> dict[date, Decimal | None]:
    """A rep's figure for each of these days: one statement for all of them."""
    scope = Scope(rep_ids=(rep_id,))
    totals = await _totals(
        organisation.id,
        [_measure(day, metric, scope, Period(day, day), organisation) for day in days],
    )
    return {day: value_of(metric, totals[day]) for day in days}


async def totals_over(
    organisation: Organisation,
    metric: Metric,
    wanted: Sequence[tuple[Hashable, Scope, Period]],
) -> dict[Hashable, Totals]:
    """Totals of `metric` for each (key, scope, period): a few statements for all."""
    return await totals_of_each(organisation, [(k, metric, s, p) for k, s, p in wanted])


async def totals_of_each(
    organisation: Organisation, wanted: Sequence[tuple[Hashable, Metric, Scope, Period]]
) -> dict[Hashable, Totals]:
    """Totals for each (key, metric, scope, period), metrics mixed: a few statements for all."""
    return await _totals(
        organisation.id,
        [_measure(k, metric, scope, period, organisation) for k, metric, scope, period in wanted],
    )


async def totals_of_teams(
    organisation: Organisation,
    metric: Metric,
    period: Period,
    team_ids: Sequence[int],
    market_id: int | None = None,
) -> dict[int, Totals]:
    """Each team's totals (with the teams below it) for a metric over a period (in a
    market)."""
    structure = await Structure.load(organisation.id)
    totals = await _totals(
        organisation.id,
        [
            _measure(
                team,
                metric,
                Scope(rep_ids=structure.reps_of(OwnerType.TEAM, team), market_id=market_id),
                period,
                organisation,
            )
            for team in team_ids
        ],
    )
    return {team: totals[team] for team in team_ids}
