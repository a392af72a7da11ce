"""SMART validation of a goal draft: one violation per broken rule.

The caller resolves everything that needs the database (does the owner exist, what did
the owner achieve before, what does the parent goal look like) into a `GoalDraft`; the
rules here are plain comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.errors import ErrorCode, FieldError
from domain.inputs import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_THRESHOLD,
    in_range,
    usable,
)
from domain.metrics import (
    COST_METRICS,
    LEAD_METRICS,
    MARKET_METRICS,
    RATES,
    TRAINING_METRICS,
    Metric,
)
from domain.money import MAX_MONEY, PLACES, fits_kept
from domain.periods import Period, PeriodKind, add_years, following, period_containing
from domain.targets import TargetKind, TargetSpec, achievability

MAX_HORIZON_YEARS = 2
MAX_RECURRENCES = 24
DEFAULT_STRETCH_LIMIT = Decimal(50)
# A target more than five times the owner's best comparable period (400% above it) is not
# achievable, acknowledged or not.
DEFAULT_STRETCH_HARD_LIMIT = Decimal(400)


class ViolationCode(StrEnum):
    METRIC_MISSING = "METRIC_MISSING"
    TARGET_MISSING = "TARGET_MISSING"
    TARGET_NOT_POSITIVE = "TARGET_NOT_POSITIVE"
    TARGET_NOT_ABOVE_START = "TARGET_NOT_ABOVE_START"
    OWNER_NOT_FOUND = "OWNER_NOT_FOUND"
    SCOPE_UNKNOWN = "SCOPE_UNKNOWN"
    NO_COST_DATA = "NO_COST_DATA"
    BASELINE_UNAVAILABLE = "BASELINE_UNAVAILABLE"
    SCOPE_NOT_APPLICABLE = "SCOPE_NOT_APPLICABLE"
    RATE_OUT_OF_RANGE = "RATE_OUT_OF_RANGE"
    STRETCH_NOT_ACKNOWLEDGED = "STRETCH_NOT_ACKNOWLEDGED"
    NO_PARENT_OR_RATIONALE = "NO_PARENT_OR_RATIONALE"
    PARENT_NOT_FOUND = "PARENT_NOT_FOUND"
    PARENT_METRIC_DIFFERS = "PARENT_METRIC_DIFFERS"
    PARENT_PERIOD_OUTSIDE = "PARENT_PERIOD_OUTSIDE"
    PARENT_OWNER_UNRELATED = "PARENT_OWNER_UNRELATED"
    PERIOD_MISSING = "PERIOD_MISSING"
    PERIOD_AMBIGUOUS = "PERIOD_AMBIGUOUS"
    RECURRENCE_COUNT = "RECURRENCE_COUNT"
    END_BEFORE_START = "END_BEFORE_START"
    END_IN_PAST = "END_IN_PAST"
    HORIZON_TOO_LONG = "HORIZON_TOO_LONG"
    NUMBER_OUT_OF_RANGE = "NUMBER_OUT_OF_RANGE"
    TOO_PRECISE = "TOO_PRECISE"
    BEYOND_REACH = "BEYOND_REACH"
    PERIOD_OUT_OF_RANGE = "PERIOD_OUT_OF_RANGE"
    HISTORICAL_NOT_OVER = "HISTORICAL_NOT_OVER"
    MARKET_REQUIRED = "MARKET_REQUIRED"
    MARKET_SIZE_MISSING = "MARKET_SIZE_MISSING"


class Criterion(StrEnum):
    SPECIFIC = "SPECIFIC"
    MEASURABLE = "MEASURABLE"
    ACHIEVABLE = "ACHIEVABLE"
    RELEVANT = "RELEVANT"
    TIME_BOUND = "TIME_BOUND"


@dataclass(frozen=True)
class Violation:
    criterion: Criterion
    code: ViolationCode
    message: str
    field: str


@dataclass(frozen=True)
class ParentFacts:
    metric: Metric
    period: Period
    # The parent's owner is the child's owner's team (or an ancestor team) or the
    # organisation, so that the child contributes to it.
    owner_related: bool


@dataclass(frozen=True)
class GoalDraft:
    """What the SMART rules need to know about a goal.

    A vague request still makes a draft: `metric` and `spec` are None when not given, and
    `period` when none could be planned, so that every other rule is still checked.
    `target` is the resolved absolute target (None when a relative target found no
    baseline); `unknown_scope` maps a scope field to the names it gives that do not exist;
    `best_history` is the owner's best comparable period; `today` is the organisation's.
    Beyond `stretch_limit` percent above `best_history` a target needs acknowledging;
    beyond `stretch_hard_limit` it is refused. A `historical` goal is about a period that
    is over (analysis, backtesting a plan).
    """

    metric: Metric | None
    spec: TargetSpec | None
    target: Decimal | None
    owner_found: bool
    period: Period | None
    today: date
    owner_is_organisation: bool = False
    unknown_scope: dict[str, list[str]] = field(default_factory=dict)
    filters_products: bool = False
    # Products, regions or segments given; courses given; given courses that certify nobody.
    filters_sales: bool = False
    filters_courses: bool = False
    not_certifying: tuple[str, ...] = ()
    # A declared market given; found, but without the size the metric is measured against
    # over the period (its revenue on every day, its addressable accounts).
    filters_market: bool = False
    market_unsized: str | None = None
    has_cost_data: bool = True
    best_history: Decimal | None = None
    achievability: Decimal | None = None
    stretch_limit: Decimal = DEFAULT_STRETCH_LIMIT
    stretch_hard_limit: Decimal = DEFAULT_STRETCH_HARD_LIMIT
    historical: bool = False
    stretch_acknowledged: bool = False
    rationale: str | None = None
    parent_given: bool = False
    parent: ParentFacts | None = None
    # A baseline the request gave (a relative target's starting figure).
    given_baseline: Decimal | None = None


def validate(draft: GoalDraft) -> list[Violation]:
    return [
        *_specific(draft),
        *_measurable(draft),
        *_achievable(draft),
        *_relevant(draft),
        *_time_bound(draft),
    ]


def _numbers(draft: GoalDraft) -> list[Violation]:
    """Every number given is finite and within what a goal can store."""
    given = {"baseline": draft.given_baseline}
    if draft.spec is not None:
        given |= {"target": draft.spec.value, "moveFrom": draft.spec.start}
    found = []
    for name, value in given.items():
        if value is None:
            continue
        if not usable(value):
            found.append(
                Violation(
                    Criterion.SPECIFIC,
                    ViolationCode.NUMBER_OUT_OF_RANGE,
                    f"{name} must be a number between -{MAX_MONEY:,} and {MAX_MONEY:,}.",
                    name,
                )
            )
        elif not fits_kept(value):
            found.append(
                Violation(
                    Criterion.SPECIFIC,
                    ViolationCode.TOO_PRECISE,
                    f"{name} has more than {PLACES} decimal places ({value}).",
                    name,
                )
            )
    return found


def _specific(draft: GoalDraft) -> list[Violation]:
    found = _numbers(draft)
    if draft.metric is None:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.METRIC_MISSING,
                "A goal must name the metric it measures (REVENUE, DEALS_WON, …).",
                "metric",
            )
        )
    if draft.spec is None:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.TARGET_MISSING,
                "A goal must name a figure to reach: give a target.",
                "target",
            )
        )
        return found + _owner_and_scope(draft)
    value = draft.spec.value
    if any(v.field in ("target", "moveFrom") for v in found):
        pass  # not a usable number: said once, above
    elif draft.spec.kind is TargetKind.ABSOLUTE or draft.spec.kind is TargetKind.MOVE:
        if value <= 0:
            found.append(
                Violation(
                    Criterion.SPECIFIC,
                    ViolationCode.TARGET_NOT_POSITIVE,
                    "The target must be a number greater than zero.",
                    "target",
                )
            )
    elif value == 0:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.TARGET_NOT_POSITIVE,
                "A relative target must name a change other than zero.",
                "target",
            )
        )
    start = draft.spec.start
    if (
        draft.spec.kind is TargetKind.MOVE
        and start is not None
        and not any(v.field in ("target", "moveFrom") for v in found)
        and start >= value
    ):
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.TARGET_NOT_ABOVE_START,
                "A move must go up: the value to reach must be above the starting value.",
                "target",
            )
        )
    return found + _owner_and_scope(draft)


def _owner_and_scope(draft: GoalDraft) -> list[Violation]:
    found = []
    if draft.metric in MARKET_METRICS and not draft.filters_market:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.MARKET_REQUIRED,
                f"{draft.metric} is measured against a declared market: name it in scope.market.",
                "scope.market",
            )
        )
    if not draft.owner_found:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.OWNER_NOT_FOUND,
                "The goal must name an owner that exists in the organisation.",
                "ownerId",
            )
        )
    for scope_field, names in sorted(draft.unknown_scope.items()):
        if names:
            found.append(
                Violation(
                    Criterion.SPECIFIC,
                    ViolationCode.SCOPE_UNKNOWN,
                    f"Not known in this organisation: {', '.join(sorted(names))}.",
                    scope_field,
                )
            )
    return found


def _measurable(draft: GoalDraft) -> list[Violation]:
    found = []
    if draft.metric in COST_METRICS and not draft.has_cost_data:
        found.append(
            Violation(
                Criterion.MEASURABLE,
                ViolationCode.NO_COST_DATA,
                f"{draft.metric} needs costs: no deal or product of this organisation has one.",
                "metric",
            )
        )
    # (A baseline given but not a number is said once, under SPECIFIC; without a metric or
    # a period there is no history to look in.)
    if (
        draft.spec is not None
        and draft.spec.needs_history
        and draft.target is None
        and draft.given_baseline is None
        and draft.metric is not None
        and draft.period is not None
    ):
        found.append(
            Violation(
                Criterion.MEASURABLE,
                ViolationCode.BASELINE_UNAVAILABLE,
                "A relative target needs a baseline: the owner has no figure for the "
                "comparable period it is set against, so give one.",
                "baseline",
            )
        )
    if draft.metric in LEAD_METRICS and draft.filters_products:
        found.append(
            Violation(
                Criterion.MEASURABLE,
                ViolationCode.SCOPE_NOT_APPLICABLE,
                "Leads carry no product, so a lead metric cannot be scoped to products.",
                "scope.productIds",
            )
        )
    return found + _training_scope(draft) + _market_scope(draft)


def _market_scope(draft: GoalDraft) -> list[Violation]:
    """A market stands for its own region, segment and products, and has a size to be
    measured against only where one is declared."""
    if not draft.filters_market or draft.metric in TRAINING_METRICS:
        return []  # a training goal scoped by a market is refused with the other sales terms
    if draft.filters_sales:
        message = "A market stands for its region, segment and products: give it alone."
        return [_not_applicable(message, "scope.market")]
    if draft.metric in MARKET_METRICS and draft.market_unsized:
        return [
            Violation(
                Criterion.MEASURABLE,
                ViolationCode.MARKET_SIZE_MISSING,
                draft.market_unsized,
                "scope.market",
            )
        ]
    return []


def _training_scope(draft: GoalDraft) -> list[Violation]:
    """Training figures count courses, sales figures count sales: neither is scoped by the
    other's terms, and only a certifying course has people certified in it."""
    if draft.metric in TRAINING_METRICS and (draft.filters_sales or draft.filters_market):
        message = "A training goal counts courses: scope it by courseIds, not by sales."
        return [_not_applicable(message, "scope")]
    if draft.metric is not None and draft.metric not in TRAINING_METRICS and draft.filters_courses:
        message = f"{draft.metric} is a sales figure: courses apply to training goals only."
        return [_not_applicable(message, "scope.courseIds")]
    if draft.metric is Metric.CERTIFIED and draft.not_certifying:
        names = ", ".join(sorted(draft.not_certifying))
        return [_not_applicable(f"No certification comes with: {names}.", "scope.courseIds")]
    return []


def _not_applicable(message: str, field_name: str) -> Violation:
    return Violation(Criterion.MEASURABLE, ViolationCode.SCOPE_NOT_APPLICABLE, message, field_name)


def _achievable(draft: GoalDraft) -> list[Violation]:
    found = []
    if draft.metric in RATES:
        values = [draft.target, draft.spec.start if draft.spec else None]
        if any(v is not None and not Decimal(0) <= v <= 100 for v in values):
            found.append(
                Violation(
                    Criterion.ACHIEVABLE,
                    ViolationCode.RATE_OUT_OF_RANGE,
                    f"{draft.metric} is a percentage: its target must be between 0 and 100.",
                    "target",
                )
            )
    if draft.achievability is not None and (
        not usable(draft.achievability, MAX_THRESHOLD)
        or draft.achievability > draft.stretch_hard_limit
    ):
        found.append(
            Violation(
                Criterion.ACHIEVABLE,
                ViolationCode.BEYOND_REACH,
                f"The target is more than {draft.stretch_hard_limit}% above the owner's best "
                f"comparable period ({draft.best_history}), the organisation's hard limit: "
                "no acknowledgement covers that.",
                "target",
            )
        )
    elif (
        draft.achievability is not None
        and draft.achievability > draft.stretch_limit
        and not draft.stretch_acknowledged
    ):
        found.append(
            Violation(
                Criterion.ACHIEVABLE,
                ViolationCode.STRETCH_NOT_ACKNOWLEDGED,
                f"The target is {draft.achievability}% above the owner's best comparable "
                f"period ({draft.best_history}); beyond {draft.stretch_limit}% it needs "
                "acknowledgeStretch.",
                "target",
            )
        )
    return found


def _relevant(draft: GoalDraft) -> list[Violation]:
    found = []
    has_rationale = bool(draft.rationale and draft.rationale.strip())
    if not draft.owner_is_organisation and not draft.parent_given and not has_rationale:
        found.append(
            Violation(
                Criterion.RELEVANT,
                ViolationCode.NO_PARENT_OR_RATIONALE,
                "A rep or team goal must link to a parent goal or say why it matters.",
                "rationale",
            )
        )
    if draft.parent_given and draft.parent is None:
        found.append(
            Violation(
                Criterion.RELEVANT,
                ViolationCode.PARENT_NOT_FOUND,
                "No such parent goal in this organisation.",
                "parentId",
            )
        )
    parent = draft.parent
    if parent is not None:
        if draft.metric is not None and parent.metric is not draft.metric:
            found.append(
                Violation(
                    Criterion.RELEVANT,
                    ViolationCode.PARENT_METRIC_DIFFERS,
                    f"The parent goal measures {parent.metric}, not {draft.metric}.",
                    "parentId",
                )
            )
        period = draft.period
        if period is not None and (
            period.start < parent.period.start or period.end > parent.period.end
        ):
            found.append(
                Violation(
                    Criterion.RELEVANT,
                    ViolationCode.PARENT_PERIOD_OUTSIDE,
                    "The period must lie within the parent goal's period.",
                    "parentId",
                )
            )
        if not parent.owner_related:
            found.append(
                Violation(
                    Criterion.RELEVANT,
                    ViolationCode.PARENT_OWNER_UNRELATED,
                    "The parent goal must belong to the owner's team, a team above it, "
                    "or the organisation.",
                    "parentId",
                )
            )
    return found


def _time_bound(draft: GoalDraft) -> list[Violation]:
    found: list[Violation] = []
    if draft.period is None:
        return found  # why there is none was said when it was planned
    period_start, period_end = draft.period.start, draft.period.end
    if period_end < period_start:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.END_BEFORE_START,
                "The period must end on or after the day it starts.",
                "periodEnd",
            )
        )
    if draft.historical and period_end >= draft.today:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.HISTORICAL_NOT_OVER,
                f"A historical goal is about a period that is over (today is "
                f"{draft.today.isoformat()}).",
                "periodEnd",
            )
        )
    if not draft.historical and period_end < draft.today:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.END_IN_PAST,
                f"The period must not end in the past (today is {draft.today.isoformat()}); "
                "a goal about a period that is over is marked historical.",
                "periodEnd",
            )
        )
    horizon = add_years(draft.today, MAX_HORIZON_YEARS)
    if period_end > horizon:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.HORIZON_TOO_LONG,
                f"The period must end within {MAX_HORIZON_YEARS} years (by {horizon.isoformat()}).",
                "periodEnd",
            )
        )
    return found


MAX_MINIMUM_SAMPLE = 10_000


def check_goal_policy(
    stretch_limit: Decimal, stretch_hard_limit: Decimal, minimum_sample: int
) -> list[FieldError]:
    """An organisation's goal policy: a stretch limit that needs acknowledging, a hard
    limit at or above it that nothing covers, and the sample a ranked rate rests on."""
    errors = []
    for name, value in (("stretchLimit", stretch_limit), ("stretchHardLimit", stretch_hard_limit)):
        if not usable(value, MAX_THRESHOLD) or value < 0:
            errors.append(
                FieldError(
                    name,
                    ErrorCode.OUT_OF_RANGE,
                    f"{name} is a percentage from 0 to {MAX_THRESHOLD:,}.",
                )
            )
    if not errors and stretch_hard_limit < stretch_limit:
        errors.append(
            FieldError(
                "stretchHardLimit",
                ErrorCode.OUT_OF_RANGE,
                f"The hard limit must be at or above the stretch limit ({stretch_limit}%).",
            )
        )
    if not 1 <= minimum_sample <= MAX_MINIMUM_SAMPLE:
        errors.append(
            FieldError(
                "leaderboardMinimumSample",
                ErrorCode.OUT_OF_RANGE,
                f"leaderboardMinimumSample is from 1 to {MAX_MINIMUM_SAMPLE:,}.",
            )
        )
    return errors


@dataclass(frozen=True)
class PeriodRequest:
    """How a goal's period was asked for: custom dates, a named period (the month, fiscal
    quarter or fiscal year containing a day), and optionally a recurrence (one goal per
    period of a kind, `count` times, starting with the one containing the start)."""

    start: date | None = None
    end: date | None = None
    named: tuple[PeriodKind, date] | None = None
    recurrence: tuple[PeriodKind, int] | None = None


def plan_periods(
    request: PeriodRequest, fiscal_start_month: int
) -> tuple[list[tuple[Period, PeriodKind | None]], list[Violation]]:
    """The period of each goal to create, or why there is none."""
    given = [request.start, request.end, request.named[1] if request.named else None]
    if any(day is not None and not in_range(day) for day in given):
        return [], [
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.PERIOD_OUT_OF_RANGE,
                f"A goal's period falls between {EARLIEST_YEAR} and {LATEST_YEAR - 1}.",
                "period",
            )
        ]
    custom = request.start is not None or request.end is not None
    if custom and request.named is not None:
        return [], [
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.PERIOD_AMBIGUOUS,
                "Give either periodStart and periodEnd or a named period, not both.",
                "period",
            )
        ]
    if request.recurrence is not None:
        kind, count = request.recurrence
        first_day = request.named[1] if request.named else request.start
        if first_day is None:
            return [], [_missing("periodStart")]
        if not 1 <= count <= MAX_RECURRENCES:
            return [], [
                Violation(
                    Criterion.TIME_BOUND,
                    ViolationCode.RECURRENCE_COUNT,
                    f"A recurrence makes between 1 and {MAX_RECURRENCES} goals.",
                    "recurrence.count",
                )
            ]
        periods = [period_containing(kind, first_day, fiscal_start_month)]
        while len(periods) < count:
            periods.append(following(kind, periods[-1], fiscal_start_month))
        return [(period, kind) for period in periods], []
    if request.named is not None:
        kind, day = request.named
        return [(period_containing(kind, day, fiscal_start_month), kind)], []
    if request.start is None or request.end is None:
        return [], [_missing("periodStart" if request.start is None else "periodEnd")]
    return [(Period(request.start, request.end), None)], []


def _missing(field_name: str) -> Violation:
    return Violation(
        Criterion.TIME_BOUND,
        ViolationCode.PERIOD_MISSING,
        "A goal needs a period: periodStart and periodEnd, or a named period.",
        field_name,
    )


def check_new_target(
    metric: Metric,
    target: Decimal,
    start: Decimal | None,
    best_history: Decimal | None,
    stretch_limit: Decimal,
    stretch_hard_limit: Decimal,
    acknowledged: bool,
) -> list[Violation]:
    """The SMART rules a changed target is held to, as a new goal's is: a usable, positive
    number (above a move's start), a rate between 0 and 100, within the stretch limits."""
    kind = TargetKind.MOVE if start is not None else TargetKind.ABSOLUTE
    draft = GoalDraft(
        metric=metric,
        spec=TargetSpec(kind, target, start),
        target=target,
        owner_found=True,
        period=None,
        today=date.min,
        best_history=best_history,
        achievability=achievability(target, best_history) if usable(target) else None,
        stretch_limit=stretch_limit,
        stretch_hard_limit=stretch_hard_limit,
        stretch_acknowledged=acknowledged,
    )
    return [
        v for v in [*_specific(draft), *_achievable(draft)] if v.field in ("target", "moveFrom")
    ]
