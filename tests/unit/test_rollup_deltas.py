from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.records import DealStage
from domain.rollups import DealFacts, Deltas

LA = ZoneInfo("America/Los_Angeles")
# 2026-12-01 05:00Z is still 30 November in Los Angeles.
WON = DealFacts(
    rep_id=7,
    account_id=3,
    product_key=0,
    region="West",
    segment="SMB",
    stage=DealStage.WON,
    closed_at=datetime(2026, 12, 1, 5, tzinfo=UTC),
    amount=Decimal("1200.50"),
    cost=Decimal("700.25"),
    quantity=2,
)
NOV_30 = date(2026, 11, 30).toordinal()


def test_a_won_deal_adds_to_its_local_day() -> None:
    deltas = Deltas.empty()
    deltas.replace_deal(None, WON, LA)

    key = (7, NOV_30, 0, "West", "SMB")
    assert deltas.deal_days == {
        key: Counter(revenue_ticks=12_005_000, cost_ticks=7_002_500, units=2, won=1)
    }
    assert deltas.account_days == Counter({(7, NOV_30, 3, 0, "West", "SMB"): 1})


def test_won_to_lost_moves_the_deal_between_columns() -> None:
    deltas = Deltas.empty()
    deltas.replace_deal(WON, replace(WON, stage=DealStage.LOST), LA)

    net = deltas.nonzero()
    assert dict(net.deal_days[(7, NOV_30, 0, "West", "SMB")]) == {
        "revenue_ticks": -12_005_000,
        "cost_ticks": -7_002_500,
        "units": -2,
        "won": -1,
        "lost": 1,
    }
    assert net.account_days == Counter({(7, NOV_30, 3, 0, "West", "SMB"): -1})


def test_an_unchanged_deal_changes_nothing() -> None:
    deltas = Deltas.empty()
    deltas.replace_deal(WON, WON, LA)

    assert deltas.nonzero() == Deltas.empty()


def test_amounts_are_summed_exactly_to_four_places() -> None:
    """Half a cent and an order line's four places are kept: 10.005 is 100,050
    ten-thousandths and 957.5775 is 9,575,775; nothing is rounded on the way in."""
    deltas = Deltas.empty()
    deltas.replace_deal(None, replace(WON, amount=Decimal("10.005"), cost=Decimal(0)), LA)
    deltas.replace_deal(None, replace(WON, amount=Decimal("957.5775"), cost=Decimal(0)), LA)

    sums = deltas.deal_days[(7, NOV_30, 0, "West", "SMB")]
    assert (sums["revenue_ticks"], sums["won"]) == (100_050 + 9_575_775, 2)
