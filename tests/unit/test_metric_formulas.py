from decimal import Decimal

import pytest

from domain.metrics import Metric, Totals, value_of

D = Decimal
# Three won deals for 1,000 + 2,500 + 500 = 4,000 with 2,400 of cost and 7 units; one lost;
# of 4 accounts won last period, 3 won again; 2 new accounts; 10 leads, 6 qualified, 3 won.
TOTALS = Totals(
    revenue=D(4000),
    cost=D(2400),
    units=7,
    won=3,
    lost=1,
    new_customers=2,
    previous_customers=4,
    retained=3,
    leads=10,
    qualified=6,
    converted=3,
)


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (Metric.REVENUE, D(4000)),
        (Metric.GROSS_PROFIT, D(1600)),
        (Metric.PROFIT_MARGIN, D("40.00")),  # 1,600 / 4,000
        (Metric.UNITS_SOLD, D(7)),
        (Metric.DEALS_WON, D(3)),
        (Metric.WIN_RATE, D("75.00")),  # 3 / (3 + 1)
        (Metric.AVERAGE_DEAL_SIZE, D("1333.33")),  # 4,000 / 3
        (Metric.NEW_CUSTOMERS, D(2)),
        (Metric.RETENTION_RATE, D("75.00")),  # 3 / 4
        (Metric.LEADS, D(10)),
        (Metric.QUALIFIED_LEADS, D(6)),
        (Metric.CONVERSION_RATE, D("30.00")),  # 3 / 10
    ],
)
def test_each_formula(metric: Metric, expected: Decimal) -> None:
    assert value_of(metric, TOTALS) == expected


@pytest.mark.parametrize(
    "metric",
    [
        Metric.PROFIT_MARGIN,
        Metric.WIN_RATE,
        Metric.AVERAGE_DEAL_SIZE,
        Metric.RETENTION_RATE,
        Metric.CONVERSION_RATE,
    ],
)
def test_an_empty_denominator_is_null_not_zero(metric: Metric) -> None:
    assert value_of(metric, Totals()) is None


def test_counts_of_nothing_are_zero() -> None:
    assert value_of(Metric.REVENUE, Totals()) == 0
    assert value_of(Metric.NEW_CUSTOMERS, Totals()) == 0
