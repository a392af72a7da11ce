"""Market rules without a database: a market's revenue spread over the days asked for, its
addressable accounts, a share rounded once from the exact ratio, and the whitespace lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from domain.errors import ErrorCode
from domain.markets import (
    Buying,
    MarketDraft,
    MarketSize,
    addressable_in,
    check_market,
    check_size,
    gaps,
    never_sold_to,
    normalised,
    open_accounts,
    revenue_over,
    share_of,
)
from domain.metrics import CUMULATIVE, RATES, Metric, Totals, value_of

FIRST_HALF = MarketSize(date(2026, 1, 1), date(2026, 6, 30), 30, Decimal(181_000))
SECOND_HALF = MarketSize(date(2026, 7, 1), date(2026, 12, 31), 40, Decimal(368_000))


def test_revenue_is_spread_evenly_over_each_size_s_days() -> None:
    sizes = [FIRST_HALF, SECOND_HALF]
    # 1,000 a day, then 2,000 a day.
    assert revenue_over(sizes, date(2026, 6, 30), date(2026, 7, 1)) == 3000
    assert revenue_over(sizes, date(2026, 1, 1), date(2026, 12, 31)) == 549_000
    # A day without a declared revenue leaves the figure unknown, not smaller.
    assert revenue_over(sizes, date(2026, 12, 31), date(2027, 1, 1)) is None
    assert revenue_over([FIRST_HALF], date(2026, 6, 1), date(2026, 7, 1)) is None
    # Nothing asked for (a period not begun): no figure.
    assert revenue_over(sizes, date(2026, 7, 2), date(2026, 7, 1)) is None
    # A size with accounts only brings no revenue.
    accounts_only = MarketSize(date(2026, 1, 1), date(2026, 12, 31), 12)
    assert revenue_over([accounts_only], date(2026, 3, 1), date(2026, 3, 1)) is None
    # A third of a three-day size is exactly a third.
    three_days = MarketSize(date(2026, 1, 1), date(2026, 1, 3), None, Decimal(1000))
    assert revenue_over([three_days], date(2026, 1, 2), date(2026, 1, 2)) == Fraction(1000, 3)


def test_addressable_accounts_are_those_of_the_period_s_last_day() -> None:
    sizes = [FIRST_HALF, SECOND_HALF]
    assert addressable_in(sizes, date(2026, 6, 16), date(2026, 7, 15)) == 40
    assert addressable_in(sizes, date(2026, 1, 1), date(2026, 1, 31)) == 30
    # A period running past the last size: the last one declared within it.
    assert addressable_in(sizes, date(2026, 12, 1), date(2027, 2, 28)) == 40
    assert addressable_in(sizes, date(2027, 1, 1), date(2027, 1, 31)) is None
    assert open_accounts(40, 3) == 37
    assert open_accounts(None, 3) is None
    assert open_accounts(2, 3) == 0


def test_a_share_rounds_once_from_the_exact_ratio() -> None:
    """2,000 over three days is 666.66… a day; 0.10 of it is 0.015% exactly, which rounds
    half up to 0.02. Dividing by 666.6666…7 (the nearest 28-digit decimal) would give
    0.01499…, and 0.01."""
    three_days = MarketSize(date(2026, 1, 1), date(2026, 1, 3), None, Decimal(2000))
    day = revenue_over([three_days], date(2026, 1, 1), date(2026, 1, 1))
    assert share_of(Decimal("0.10"), day) == Decimal("0.02")
    assert share_of(Decimal("0.10"), None) is None
    totals = Totals(revenue=Decimal(7000), market_revenue=Fraction(36000))
    assert value_of(Metric.MARKET_SHARE, totals) == Decimal("19.44")
    assert value_of(Metric.PENETRATION, Totals(customers=1, addressable=120)) == Decimal("0.83")
    assert value_of(Metric.PENETRATION, Totals(customers=1)) is None


def test_market_metrics_are_rates_and_penetration_grows() -> None:
    assert {Metric.MARKET_SHARE, Metric.PENETRATION} <= RATES
    assert Metric.PENETRATION in CUMULATIVE
    assert Metric.MARKET_SHARE not in CUMULATIVE


def test_a_market_names_where_it_is_or_what_it_buys() -> None:
    blank = normalised(MarketDraft(" X ", " Somewhere ", "  ", "", ("", " P1 ", "P1")))
    assert blank == MarketDraft("X", "Somewhere", None, None, ("P1",))
    assert check_market(blank) == []
    nowhere = check_market(normalised(MarketDraft("X", "Nowhere")))
    assert [(e.field, e.code) for e in nowhere] == [("region", ErrorCode.REQUIRED)]
    unnamed = check_market(normalised(MarketDraft("", "", region="EMEA")))
    assert [(e.field, e.code) for e in unnamed] == [
        ("code", ErrorCode.REQUIRED),
        ("name", ErrorCode.REQUIRED),
    ]


def test_sizes_of_one_market_do_not_overlap() -> None:
    assert check_size(SECOND_HALF, [FIRST_HALF]) == []
    overlapping = MarketSize(date(2026, 6, 30), date(2026, 7, 30), 10)
    assert [e.code for e in check_size(overlapping, [FIRST_HALF])] == [ErrorCode.CONFLICT]
    # The same start replaces a size, so it overlaps nothing.
    assert check_size(MarketSize(date(2026, 1, 1), date(2026, 3, 31), 10), [FIRST_HALF]) == []
    backwards = MarketSize(date(2026, 2, 1), date(2026, 1, 1), 10)
    assert [e.field for e in check_size(backwards, [])] == ["periodEnd"]
    empty = MarketSize(date(2026, 1, 1), date(2026, 1, 31))
    assert [e.field for e in check_size(empty, [])] == ["addressableAccounts"]
    zero = MarketSize(date(2026, 1, 1), date(2026, 1, 31), 0, Decimal(0))
    assert [(e.field, e.code) for e in check_size(zero, [])] == [
        ("addressableAccounts", ErrorCode.NOT_POSITIVE),
        ("revenue", ErrorCode.NOT_POSITIVE),
    ]


def test_gaps_rank_what_most_of_a_segment_buys() -> None:
    """Segment S has 5 accounts: product 1 is bought by 4 of them (6 wins), product 2 by 2
    (9 wins), product 3 by 2 (3 wins). Account 10 bought product 1, account 11 nothing;
    account 12 has no segment."""
    segments = {10: "S", 11: "S", 12: None}
    bought = {10: frozenset({1})}
    buying = {"S": {1: Buying(4, 6), 2: Buying(2, 9), 3: Buying(2, 3)}}
    found = gaps(segments, bought, buying, {"S": 5})
    assert [(g.account_id, g.product_id, g.adoption) for g in found] == [
        (11, 1, Decimal("80.00")),
        (10, 2, Decimal("40.00")),
        (11, 2, Decimal("40.00")),
        (10, 3, Decimal("40.00")),
        (11, 3, Decimal("40.00")),
    ]
    in_line = gaps(segments, bought, buying, {"S": 5}, frozenset({3}))
    assert [(g.account_id, g.product_id) for g in in_line] == [(10, 3), (11, 3)]
    assert never_sold_to([10, 11, 12], bought) == [11, 12]
    # Within a line of product 2, account 10 has bought nothing yet.
    assert never_sold_to([10, 11], bought, frozenset({2})) == [10, 11]
