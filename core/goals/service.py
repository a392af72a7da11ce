"""Creating goals under the SMART rules and measuring where they stand."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise import connections
from tortoise.transactions import in_transaction

from core.goals import store
from core.goals.models import BaselineSource, Goal, OwnerType
from core.metrics import store as rollups
from core.metrics.store import Measure, Scope
from core.orgs import store as people
from core.orgs.models import Organisation
from core.sales import store as sales
from domain import smart
from domain.inputs import usable
from domain.metrics import CUMULATIVE, Metric, Totals, value_of
from domain.money import shown
from domain.periods import Period, comparable_history, local_today, preceding
from domain.progress import PaceThresholds, Progress, compute_progress
from domain.targets import TargetKind, TargetSpec, achievability, resolve
from domain.teams import ancestors, members

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScopeFilter:
    product_external_ids: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewGoal:
    metric: Metric
    owner_type: OwnerType
    owner_id: int | None
    target: TargetSpec
    period: smart.PeriodRequest
    baseline: Decimal | None = None
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
    )


def _measure(key: Hashable, metric: Metric, scope: Scope, period: Period) -> Measure:
    return Measure(key, metric, scope, period.start.toordinal(), period.end.toordinal())


async def _totals(organisation_id: int, measures: Sequence[Measure]) -> dict[Hashable, Totals]:
    return await rollups.totals(connections.get("default"), organisation_id, measures)


async def create_goal(
    organisation: Organisation, new: NewGoal, now: datetime
) -> list[Goal] | list[smart.Violation]:
    """Store one goal per planned period (one, or one per recurrence), or none and every
    SMART rule the request breaks."""
    periods, violations = smart.plan_periods(new.period, organisation.fiscal_year_start_month)
    if violations:
        return violations
    structure = await Structure.load(organisation.id)
    owner_found = structure.owner_exists(new.owner_type, new.owner_id)
    products = await sales.products_by_external_id(organisation.id, new.scope.product_external_ids)
    regions, segments = await sales.known_regions_and_segments(organisation.id)
    scope = Scope(
        rep_ids=structure.reps_of(new.owner_type, new.owner_id) if owner_found else (),
        product_ids=tuple(sorted(p.id for p in products.values())),
        regions=new.scope.regions,
        segments=new.scope.segments,
    )
    parent = await store.find_goal(organisation.id, new.parent_id) if new.parent_id else None

    parent_facts = None
    if parent is not None:
        related = parent.owner_type is OwnerType.ORGANISATION or (
            parent.owner_type is OwnerType.TEAM
            and parent.owner_team_id in structure.teams_above(new.owner_type, new.owner_id)
        )
        parent_facts = smart.ParentFacts(parent.metric, period_of(parent), related)

    # The baseline of a relative target is the owner's figure for the period before the
    # first goal; achievability compares each goal with its own comparable history.
    kind = periods[0][1]
    fiscal = organisation.fiscal_year_start_month
    before_first = preceding(periods[0][0], kind, fiscal)
    measures = [_measure("baseline", new.metric, scope, before_first)]
    for index, (period, period_kind) in enumerate(periods):
        for position, past in enumerate(comparable_history(period, period_kind, fiscal)):
            measures.append(_measure((index, position), new.metric, scope, past))
    figures = {
        key: value_of(new.metric, t)
        for key, t in (await _totals(organisation.id, measures)).items()
    }

    baseline, baseline_source = _baseline(new, figures["baseline"])
    # Numbers that cannot be computed with are reported by SMART; nothing is derived from them.
    numbers_usable = all(
        value is None or usable(value) for value in (new.target.value, new.target.start, baseline)
    )
    target = resolve(new.target, baseline) if numbers_usable else None
    today = local_today(now, ZoneInfo(organisation.timezone))
    has_cost_data = await sales.has_cost_data(organisation.id)
    drafts = []
    for index, (period, _) in enumerate(periods):
        history = [v for (i, _), v in _indexed(figures) if i == index and v is not None]
        best = max(history) if history else None
        drafts.append(
            smart.GoalDraft(
                metric=new.metric,
                spec=new.target,
                target=target,
                owner_found=owner_found,
                period_start=period.start,
                period_end=period.end,
                today=today,
                owner_is_organisation=new.owner_type is OwnerType.ORGANISATION,
                unknown_scope=_unknown_scope(new.scope, products, regions, segments),
                filters_products=bool(new.scope.product_external_ids),
                has_cost_data=has_cost_data,
                best_history=best,
                achievability=achievability(target, best) if target is not None else None,
                stretch_limit=organisation.stretch_limit,
                stretch_acknowledged=new.acknowledge_stretch,
                rationale=new.rationale,
                parent_given=new.parent_id is not None,
                parent=parent_facts,
                given_baseline=new.baseline,
            )
        )
    violations = _distinct([v for draft in drafts for v in smart.validate(draft)])
    if violations:
        return violations
    assert target is not None
    series_id = str(uuid.uuid4()) if len(periods) > 1 else None
    goals = [
        Goal(
            organisation_id=organisation.id,
            owner_type=new.owner_type,
            owner_rep_id=new.owner_id if new.owner_type is OwnerType.REP else None,
            owner_team_id=new.owner_id if new.owner_type is OwnerType.TEAM else None,
            parent_id=parent.id if parent else None,
            metric=new.metric,
            target=target,
            target_kind=new.target.kind,
            target_change=new.target.value if new.target.needs_history else None,
            target_start=new.target.start,
            baseline=baseline,
            baseline_source=baseline_source,
            best_history=draft.best_history,
            achievability=draft.achievability,
            stretch_acknowledged=new.acknowledge_stretch,
            scope=_scope_json(scope),
            period_start=period.start,
            period_end=period.end,
            period_kind=period_kind,
            series_id=series_id,
            rationale=new.rationale,
        )
        for draft, (period, period_kind) in zip(drafts, periods, strict=True)
    ]
    async with in_transaction():
        return await store.create_goals(goals)


def _indexed(
    figures: dict[Hashable, Decimal | None],
) -> list[tuple[tuple[int, int], Decimal | None]]:
    return [(key, value) for key, value in figures.items() if isinstance(key, tuple)]


def _baseline(
    new: NewGoal, from_history: Decimal | None
) -> tuple[Decimal | None, BaselineSource | None]:
    if new.target.kind is TargetKind.MOVE:
        return new.target.start, BaselineSource.GIVEN
    if new.baseline is not None:
        return new.baseline, BaselineSource.GIVEN
    if from_history is None or (
        new.target.kind is TargetKind.RELATIVE_PERCENT and from_history == 0
    ):
        return None, None
    return from_history, BaselineSource.HISTORY


def _unknown_scope(
    scope: ScopeFilter, products: dict[str, object], regions: set[str], segments: set[str]
) -> dict[str, list[str]]:
    return {
        "scope.productIds": [p for p in scope.product_external_ids if p not in products],
        "scope.regions": [r for r in scope.regions if r not in regions],
        "scope.segments": [s for s in scope.segments if s not in segments],
    }


def _scope_json(scope: Scope) -> dict[str, list[object]] | None:
    found = {
        "productIds": list(scope.product_ids),
        "regions": list(scope.regions),
        "segments": list(scope.segments),
    }
    return {key: value for key, value in found.items() if value} or None


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
    """Progress of many goals at once, from the rollups, in a few statements in all. A goal
    whose figures cannot be computed (a target stored before targets were checked, say) is
    logged and left out: it never stops the others being measured."""
    if not goals:
        return {}
    structure = structure or await Structure.load(organisation.id)
    tz = ZoneInfo(organisation.timezone)
    totals = await _totals(
        organisation.id,
        [
            _measure(goal.id, goal.metric, scope_of(goal, structure), period_of(goal))
            for goal in goals
        ],
    )
    thresholds = thresholds_of(organisation)
    measured = {}
    for goal in goals:
        try:
            measured[goal.id] = compute_progress(
                value_of(goal.metric, totals[goal.id]),
                goal.target,
                period_of(goal).elapsed_fraction(now, tz),
                thresholds,
                cumulative=goal.metric in CUMULATIVE,
                start=goal.target_start if goal.target_kind is TargetKind.MOVE else None,
            )
        except (ArithmeticError, ValueError) as error:
            logger.error("goal %s cannot be measured: %r", goal.id, error)
    return measured


async def measure_affected_goals(
    organisation: Organisation, rep_ids: Sequence[int], now: datetime
) -> list[Measured]:
    """Measure every goal whose figures include these reps, noting which moved since their
    last snapshot."""
    structure = await Structure.load(organisation.id)
    teams = {
        team
        for rep in rep_ids
        for team in ancestors(structure.teams_of.get(rep), structure.parents)
    }
    goals = await store.goals_touching(organisation.id, rep_ids, sorted(teams))
    return await _measured(organisation, goals, now, structure)


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
    goals = await store.goals_running_on(organisation.id, today)
    progress = await measure_goals(organisation, goals, now)
    await store.add_snapshots(list(progress.items()), now)
    return len(progress)


async def figures_of_reps(
    organisation: Organisation, metric: Metric, period: Period, rep_ids: Sequence[int]
) -> dict[int, Decimal | None]:
    """Each rep's own figure for a metric over a period: one statement for any number."""
    totals = await _totals(
        organisation.id, [_measure(rep, metric, Scope(rep_ids=(rep,)), period) for rep in rep_ids]
    )
    values = {rep: value_of(metric, totals[rep]) for rep in rep_ids}
    return {rep: shown(v) if v is not None else None for rep, v in values.items()}


async def rep_figures(
    organisation: Organisation, rep_id: int, metrics: Sequence[Metric], periods: Sequence[Period]
) -> list[dict[Metric, Decimal | None]]:
    """A rep's figure for each metric in each period: a few statements for all of them."""
    scope = Scope(rep_ids=(rep_id,))
    totals = await _totals(
        organisation.id,
        [
            _measure((index, metric), metric, scope, period)
            for index, period in enumerate(periods)
            for metric in metrics
        ],
    )
    figures = []
    for index in range(len(periods)):
        values = {metric: value_of(metric, totals[(index, metric)]) for metric in metrics}
        figures.append({m: shown(v) if v is not None else None for m, v in values.items()})
    return figures


async def daily_figures(
    organisation: Organisation, metric: Metric, rep_id: int, days: Sequence[date]
) -> dict[date, Decimal | None]:
    """A rep's figure for each of these days: one statement for all of them."""
    scope = Scope(rep_ids=(rep_id,))
    totals = await _totals(
        organisation.id, [_measure(day, metric, scope, Period(day, day)) for day in days]
    )
    return {day: value_of(metric, totals[day]) for day in days}


async def figures_of_teams(
    organisation: Organisation, metric: Metric, period: Period, team_ids: Sequence[int]
) -> dict[int, Decimal | None]:
    """Each team's figure (with the teams below it) for a metric over a period."""
    structure = await Structure.load(organisation.id)
    totals = await _totals(
        organisation.id,
        [
            _measure(team, metric, Scope(rep_ids=structure.reps_of(OwnerType.TEAM, team)), period)
            for team in team_ids
        ],
    )
    values = {team: value_of(metric, totals[team]) for team in team_ids}
    return {team: shown(v) if v is not None else None for team, v in values.items()}
