"""Every query of the rollups: applying changes on ingestion and totalling them for goals.

Totals for many goals are computed together, a few statements per batch whatever the
number of goals, and each statement reads only the days of the periods asked for, so the
cost follows the size of the answer, not the length of history.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from core.markets import store as markets
from core.sql import Params
from domain.markets import addressable_in, revenue_over
from domain.metrics import (
    ACCOUNT_METRICS,
    DEAL_METRICS,
    LEAD_METRICS,
    MARKET_METRICS,
    TRAINING_METRICS,
    Metric,
    Totals,
)
from domain.money import from_ticks
from domain.rollups import DEAL_FIELDS, LEAD_FIELDS, Deltas, deal_day_rows, lead_day_rows

CHUNK = 400
ANY_PRODUCT = -1
ANY_COURSE = -1
ORGANISATION_WIDE = -1


async def _upsert_add(
    connection: BaseDBAsyncClient,
    table: str,
    key_columns: Sequence[str],
    sum_columns: Sequence[str],
    organisation_id: int,
    rows: Sequence[tuple[tuple[Any, ...], tuple[int, ...]]],
) -> None:
    columns = ["organisation_id", *key_columns, *sum_columns]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sum_columns)
    for start in range(0, len(rows), CHUNK):
        params = Params(connection)
        values = ", ".join(
            "(" + ", ".join(params(v) for v in (organisation_id, *key, *sums)) + ")"
            for key, sums in rows[start : start + CHUNK]
        )
        await connection.execute_query(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "
            f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}",
            params.values,
        )


async def apply(connection: BaseDBAsyncClient, organisation_id: int, deltas: Deltas) -> None:
    """Add signed changes to the rollups, inside the caller's transaction."""
    deltas = deltas.nonzero()
    await _upsert_add(
        connection,
        "deal_day",
        ("rep_id", "day", "product_key", "region", "segment"),
        DEAL_FIELDS,
        organisation_id,
        list(deal_day_rows(deltas)),
    )
    await _upsert_add(
        connection,
        "account_day",
        ("rep_id", "day", "account_id", "product_key", "region", "segment"),
        ("won",),
        organisation_id,
        [(key, (won,)) for key, won in deltas.account_days.items()],
    )
    await _upsert_add(
        connection,
        "lead_day",
        ("rep_id", "day", "region", "segment"),
        LEAD_FIELDS,
        organisation_id,
        list(lead_day_rows(deltas)),
    )


@dataclass(frozen=True)
class Scope:
    """Whose figures and which of them: reps (None for the whole organisation), and the
    products, regions and segments to keep (empty: all) — or, for training, the courses;
    or a declared market, which stands for its region, segment and products."""

    rep_ids: tuple[int, ...] | None
    product_ids: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    course_ids: tuple[int, ...] = ()
    market_id: int | None = None


@dataclass(frozen=True)
class Measure:
    key: Hashable
    metric: Metric
    scope: Scope
    first_day: int
    last_day: int
    # The period compared with (retention): the previous one of the same kind.
    previous_first: int
    previous_last: int
    # The last day gone by (a market's revenue is compared over the days measured so far);
    # None: the whole period.
    through_day: int | None = None


@dataclass
class _Spec:
    """The measures as rows of a VALUES list: one per rep × product × region × segment."""

    params: Params
    rows: list[str] = field(default_factory=list)
    reps: set[int] = field(default_factory=set)
    # (first, last) day of each measure's period and of the period it is compared with.
    ranges: list[tuple[int, int]] = field(default_factory=list)
    previous: list[tuple[int, int]] = field(default_factory=list)

    def add(self, index: int, measure: Measure, with_products: bool) -> None:
        scope = measure.scope
        reps = scope.rep_ids if scope.rep_ids is not None else (ORGANISATION_WIDE,)
        self.reps.update(reps)
        first, last = measure.first_day, measure.last_day
        self.ranges.append((first, last))
        self.previous.append((measure.previous_first, measure.previous_last))
        products = scope.product_ids if with_products and scope.product_ids else (ANY_PRODUCT,)
        regions: Iterable[str | None] = scope.regions or (None,)
        segments: Iterable[str | None] = scope.segments or (None,)
        p = self.params
        for rep in reps:
            for product in products:
                for region in regions:
                    for segment in segments:
                        self.rows.append(
                            f"({p.integer(index)}, {p.integer(rep)}, {p.integer(product)}, "
                            f"{p.text(region)}, {p.text(segment)}, "
                            f"{p.integer(measure.first_day)}, {p.integer(measure.last_day)}, "
                            f"{p.integer(measure.previous_first)}, "
                            f"{p.integer(measure.previous_last)})"
                        )

    def bounds(self, alias: str, org_wide: bool, previous: bool = False) -> str:
        """Constant conditions covering every row of the spec, so that the planner reads the
        rollups through their (rep_id, day) or (organisation_id, day) index instead of
        joining against a whole table (a join on ranges hides them from it)."""
        ranges = self.previous if previous else self.ranges
        p = self.params
        first = p.integer(min(first for first, _ in ranges))
        found = f" AND {alias}.day BETWEEN {first} AND {p.integer(max(last for _, last in ranges))}"
        if not org_wide:
            found += (
                f" AND {alias}.rep_id IN ({', '.join(p.integer(r) for r in sorted(self.reps))})"
            )
        return found

    def cte(self) -> str:
        return (
            "WITH spec (k, rep, product, region, segment, s, e, ps, pe) AS (VALUES "
            + ", ".join(self.rows)
            + ")"
        )


def _spec(
    connection: BaseDBAsyncClient,
    measures: Sequence[Measure],
    indexes: Sequence[int],
    with_products: bool,
) -> _Spec:
    """A fresh spec for one statement: its parameters are numbered (or, in SQLite, ordered)
    as they appear in that statement's text."""
    spec = _Spec(Params(connection))
    for index in indexes:
        spec.add(index, measures[index], with_products)
    return spec


def _matches(alias: str, org_wide: bool, spec: str = "spec", products: bool = True) -> str:
    # The rep condition is an equality (never an OR) so that the (rep_id, day, …) index
    # drives the join; organisation-wide measures go through (organisation_id, day).
    rep = "TRUE" if org_wide else f"{alias}.rep_id = {spec}.rep"
    product = (
        f" AND ({spec}.product = {ANY_PRODUCT} OR {alias}.product_key = {spec}.product)"
        if products
        else ""
    )
    return (
        f"{rep}{product}"
        f" AND ({spec}.region IS NULL OR {alias}.region = {spec}.region)"
        f" AND ({spec}.segment IS NULL OR {alias}.segment = {spec}.segment)"
    )


async def totals(
    connection: BaseDBAsyncClient, organisation_id: int, measures: Sequence[Measure]
) -> dict[Hashable, Totals]:
    """Totals for every measure, reading only the families of figures their metrics need:
    at most two statements a family (reps' measures, organisation-wide ones)."""
    found: dict[int, dict[str, Any]] = {index: {} for index in range(len(measures))}
    in_markets = await markets.facts(
        organisation_id, {m.scope.market_id for m in measures if m.scope.market_id is not None}
    )
    measures = [_in_market(measure, in_markets) for measure in measures]
    for org_wide in (False, True):
        group = [i for i, m in enumerate(measures) if (m.scope.rep_ids is None) == org_wide]
        families = (
            (_deal_totals, [i for i in group if measures[i].metric in DEAL_METRICS]),
            (_account_totals, [i for i in group if measures[i].metric in ACCOUNT_METRICS]),
            (_lead_totals, [i for i in group if measures[i].metric in LEAD_METRICS]),
            (_training_totals, [i for i in group if measures[i].metric in TRAINING_METRICS]),
        )
        for family, indexes in families:
            # A team without members has nothing to read; its totals stay zero.
            readable = [i for i in indexes if measures[i].scope.rep_ids != ()]
            if readable:
                await family(connection, organisation_id, measures, readable, found, org_wide)
    for index, measure in enumerate(measures):
        market = in_markets.get(measure.scope.market_id or 0)
        if measure.metric in MARKET_METRICS and market is not None:
            first, last = date.fromordinal(measure.first_day), date.fromordinal(measure.last_day)
            through = date.fromordinal(measure.through_day or measure.last_day)
            found[index].update(
                market_revenue=revenue_over(market.sizes, first, through),
                addressable=addressable_in(market.sizes, first, last),
            )
    return {measures[index].key: Totals(**values) for index, values in found.items()}


def _in_market(measure: Measure, found: dict[int, markets.MarketFacts]) -> Measure:
    """A market's measure as the region, segment and products it stands for (one not found
    counts nobody)."""
    market_id = measure.scope.market_id
    if market_id is None:
        return measure
    market = found.get(market_id)
    if market is None:
        return replace(measure, scope=replace(measure.scope, rep_ids=()))
    scope = replace(
        measure.scope,
        product_ids=market.product_ids,
        regions=(market.region,) if market.region else (),
        segments=(market.segment,) if market.segment else (),
    )
    return replace(measure, scope=scope)


def _int(value: Any) -> int:
    return int(value or 0)


async def _sums(
    connection: BaseDBAsyncClient,
    organisation_id: int,
    measures: Sequence[Measure],
    indexes: Sequence[int],
    org_wide: bool,
    table: str,
    columns: Sequence[str],
    with_products: bool,
) -> list[dict[str, Any]]:
    """Each measure's sums of `columns` of a rollup table over its scope and period."""
    spec = _spec(connection, measures, indexes, with_products)
    org = partial(spec.params, organisation_id)
    sums = ", ".join(f"SUM(r.{column}) AS {column}" for column in columns)
    return await connection.execute_query_dict(
        f"{spec.cte()} SELECT spec.k AS k, {sums} "
        f"FROM spec JOIN {table} r ON r.organisation_id = {org()}{spec.bounds('r', org_wide)} "
        f"AND r.day BETWEEN spec.s AND spec.e "
        f"AND {_matches('r', org_wide, products=with_products)} GROUP BY spec.k",
        spec.params.values,
    )


async def _deal_totals(
    connection: BaseDBAsyncClient,
    organisation_id: int,
    measures: Sequence[Measure],
    indexes: Sequence[int],
    found: dict[int, dict[str, Any]],
    org_wide: bool,
) -> None:
    rows = await _sums(
        connection, organisation_id, measures, indexes, org_wide, "deal_day", DEAL_FIELDS, True
    )
    for row in rows:
        found[row["k"]].update(
            revenue=from_ticks(_int(row["revenue_ticks"])),
            cost=from_ticks(_int(row["cost_ticks"])),
            units=_int(row["units"]),
            won=_int(row["won"]),
            lost=_int(row["lost"]),
        )


async def _account_totals(
    connection: BaseDBAsyncClient,
    organisation_id: int,
    measures: Sequence[Measure],
    indexes: Sequence[int],
    found: dict[int, dict[str, Any]],
    org_wide: bool,
) -> None:
    spec = _spec(connection, measures, indexes, with_products=True)
    org = partial(spec.params, organisation_id)
    # Accounts won in the period, and those whose first win in the same scope is not earlier.
    new_customers = await connection.execute_query_dict(
        f"{spec.cte()} SELECT spec.k AS k, COUNT(DISTINCT a.account_id) AS customers, "
        "COUNT(DISTINCT CASE WHEN NOT EXISTS (SELECT 1 FROM account_day b JOIN spec s2 "
        f"ON s2.k = spec.k AND {_matches('b', org_wide, 's2')} WHERE b.account_id = a.account_id "
        f"AND b.organisation_id = {org()} AND b.won > 0 AND b.day < spec.s) "
        "THEN a.account_id END) AS n "
        f"FROM spec JOIN account_day a ON a.organisation_id = {org()} AND a.won > 0"
        f"{spec.bounds('a', org_wide)} "
        f"AND a.day BETWEEN spec.s AND spec.e AND {_matches('a', org_wide)} "
        "GROUP BY spec.k",
        spec.params.values,
    )
    for row in new_customers:
        found[row["k"]].update(new_customers=_int(row["n"]), customers=_int(row["customers"]))
    # Accounts won in the period compared with, and which of them were won again.
    spec = _spec(connection, measures, indexes, with_products=True)
    org = partial(spec.params, organisation_id)
    retention = await connection.execute_query_dict(
        f"{spec.cte()} SELECT spec.k AS k, COUNT(DISTINCT a.account_id) AS previous, "
        "COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM account_day c JOIN spec s3 "
        f"ON s3.k = spec.k AND {_matches('c', org_wide, 's3')} WHERE c.account_id = a.account_id "
        f"AND c.organisation_id = {org()} AND c.won > 0 AND c.day BETWEEN spec.s AND spec.e) "
        "THEN a.account_id END) AS retained "
        f"FROM spec JOIN account_day a ON a.organisation_id = {org()} AND a.won > 0"
        f"{spec.bounds('a', org_wide, previous=True)} "
        "AND a.day BETWEEN spec.ps AND spec.pe "
        f"AND {_matches('a', org_wide)} GROUP BY spec.k",
        spec.params.values,
    )
    for row in retention:
        found[row["k"]].update(
            previous_customers=_int(row["previous"]), retained=_int(row["retained"])
        )


async def _lead_totals(
    connection: BaseDBAsyncClient,
    organisation_id: int,
    measures: Sequence[Measure],
    indexes: Sequence[int],
    found: dict[int, dict[str, Any]],
    org_wide: bool,
) -> None:
    # Leads carry no product: a product scope does not apply to them.
    rows = await _sums(
        connection, organisation_id, measures, indexes, org_wide, "lead_day", LEAD_FIELDS, False
    )
    for row in rows:
        found[row["k"]].update({field: _int(row[field]) for field in LEAD_FIELDS})


async def _training_totals(
    connection: BaseDBAsyncClient,
    organisation_id: int,
    measures: Sequence[Measure],
    indexes: Sequence[int],
    found: dict[int, dict[str, Any]],
    org_wide: bool,
) -> None:
    """Passed completions in each period, and the people whose certification holds on its
    last day (earned by then, not run out): one statement for every measure. Each rep ×
    course of a scope is a row of the spec, so a completion matches one row at most."""
    params = Params(connection)
    rows = []
    for index in indexes:
        measure = measures[index]
        reps = measure.scope.rep_ids if measure.scope.rep_ids is not None else (ORGANISATION_WIDE,)
        for rep in reps:
            for course in measure.scope.course_ids or (ANY_COURSE,):
                rows.append(
                    f"({params.integer(index)}, {params.integer(rep)}, {params.integer(course)}, "
                    f"{params.integer(measure.first_day)}, {params.integer(measure.last_day)})"
                )
    rep = "TRUE" if org_wide else "c.rep_id = spec.rep"
    result = await connection.execute_query_dict(
        f"WITH spec (k, rep, course, s, e) AS (VALUES {', '.join(rows)}) "
        "SELECT spec.k AS k, "
        "COUNT(CASE WHEN c.day BETWEEN spec.s AND spec.e THEN c.id END) AS completions, "
        "COUNT(DISTINCT CASE WHEN c.expires_day IS NOT NULL AND c.day <= spec.e "
        "AND c.expires_day > spec.e THEN c.rep_id END) AS certified "
        f"FROM spec JOIN training_completion c ON c.organisation_id = {params(organisation_id)} "
        f"AND c.passed AND {rep} "
        f"AND (spec.course = {ANY_COURSE} OR c.course_id = spec.course) "
        "AND c.day <= spec.e GROUP BY spec.k",
        params.values,
    )
    for row in result:
        found[row["k"]].update(
            completions=_int(row["completions"]), certified=_int(row["certified"])
        )
