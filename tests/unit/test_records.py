from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from domain.errors import ErrorCode
from domain.records import (
    DealRecord,
    DealStage,
    LeadRecord,
    check_deal,
    check_lead,
    first_occurrences,
)

CREATED = datetime(2026, 11, 1, 9, tzinfo=UTC)
GOOD = DealRecord(
    external_id="d-1",
    owner_email="rita@example.test",
    amount=Decimal("1200.50"),
    stage=DealStage.WON,
    created_at=CREATED,
    closed_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def errors(record: DealRecord) -> list[tuple[str, ErrorCode]]:
    return [(e.field, e.code) for e in check_deal(record, NOW)]


def test_a_good_deal_has_no_errors() -> None:
    assert check_deal(GOOD, NOW) == []
    assert check_deal(replace(GOOD, stage=DealStage.OPEN, closed_at=None), NOW) == []


def test_amount_and_cost_must_not_be_negative() -> None:
    assert errors(replace(GOOD, amount=Decimal("-0.01"))) == [("amount", ErrorCode.NEGATIVE)]
    assert errors(replace(GOOD, cost=Decimal(-1))) == [("cost", ErrorCode.NEGATIVE)]
    assert check_deal(replace(GOOD, amount=Decimal(0)), NOW) == []


def test_quantity_must_be_positive() -> None:
    assert errors(replace(GOOD, quantity=0)) == [("quantity", ErrorCode.NOT_POSITIVE)]


def test_closed_deals_need_a_close_date_not_before_creation() -> None:
    assert errors(replace(GOOD, stage=DealStage.LOST, closed_at=None)) == [
        ("closedAt", ErrorCode.REQUIRED)
    ]
    assert errors(replace(GOOD, closed_at=datetime(2026, 10, 1, tzinfo=UTC))) == [
        ("closedAt", ErrorCode.BEFORE_CREATED)
    ]


def test_times_must_carry_an_offset() -> None:
    naive = datetime(2026, 11, 20, 9)  # noqa: DTZ001 - the point of the test
    assert errors(replace(GOOD, closed_at=naive)) == [("closedAt", ErrorCode.NO_TIMEZONE)]


def test_external_id_is_required_and_bounded() -> None:
    assert errors(replace(GOOD, external_id=" ")) == [("externalId", ErrorCode.REQUIRED)]
    assert errors(replace(GOOD, external_id="x" * 201)) == [("externalId", ErrorCode.TOO_LONG)]


def test_first_occurrences_marks_later_duplicates() -> None:
    assert first_occurrences(["a", "b", "a", "c", "b"]) == {0, 1, 3}


def test_values_beyond_what_the_columns_hold_are_refused_by_name() -> None:
    # What a CSV file can carry that GraphQL's own types already refuse.
    assert errors(replace(GOOD, quantity=2**31)) == [("quantity", ErrorCode.TOO_LARGE)]
    assert errors(replace(GOOD, quantity=2**31 - 1)) == []
    assert errors(replace(GOOD, amount=Decimal("1E14"))) == [("amount", ErrorCode.TOO_LARGE)]
    assert errors(replace(GOOD, amount=Decimal("99999999999999.9999"))) == []
    assert errors(replace(GOOD, amount=Decimal("957.57751"))) == [("amount", ErrorCode.TOO_PRECISE)]
    assert errors(replace(GOOD, amount=Decimal("957.57750"))) == []
    assert errors(replace(GOOD, cost=Decimal("sNaN"))) == [("cost", ErrorCode.INVALID)]
    assert errors(replace(GOOD, segment="x" * 101)) == [("segment", ErrorCode.TOO_LONG)]
    assert errors(replace(GOOD, owner_email="rita\u0000@example.test")) == [
        ("ownerEmail", ErrorCode.INVALID)
    ]
    # A line break is text (a multi-line CRM field); other control characters are not.
    assert errors(replace(GOOD, region="North\nEast")) == []
    assert errors(replace(GOOD, region="North\x1b[31m")) == [("region", ErrorCode.INVALID)]


def test_instants_must_fall_between_1900_and_2200() -> None:
    far = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14)))
    assert errors(replace(GOOD, closed_at=far)) == [("closedAt", ErrorCode.OUT_OF_RANGE)]
    early = datetime(1899, 12, 31, 23, tzinfo=UTC)
    assert errors(replace(GOOD, created_at=early)) == [("createdAt", ErrorCode.OUT_OF_RANGE)]
    assert errors(replace(GOOD, created_at=datetime(1900, 1, 1, tzinfo=UTC))) == []


def test_a_decided_deal_cannot_close_in_the_future() -> None:
    """Five minutes ahead is a CRM's clock running fast; a day ahead has not happened. An
    open deal's closedAt is its expected close, and may lie ahead."""
    ahead = NOW + timedelta(days=1)
    assert errors(replace(GOOD, closed_at=ahead)) == [("closedAt", ErrorCode.IN_THE_FUTURE)]
    assert errors(replace(GOOD, stage=DealStage.LOST, closed_at=ahead)) == [
        ("closedAt", ErrorCode.IN_THE_FUTURE)
    ]
    assert errors(replace(GOOD, closed_at=NOW + timedelta(minutes=5))) == []
    assert errors(replace(GOOD, stage=DealStage.OPEN, closed_at=ahead)) == []


def test_a_lead_cannot_be_created_or_qualified_in_the_future() -> None:
    lead = LeadRecord(external_id="l-1", owner_email="rita@example.test", created_at=CREATED)
    later = NOW + timedelta(hours=1)
    assert check_lead(lead, NOW) == []
    assert [(e.field, e.code) for e in check_lead(replace(lead, created_at=later), NOW)] == [
        ("createdAt", ErrorCode.IN_THE_FUTURE)
    ]
    assert [(e.field, e.code) for e in check_lead(replace(lead, qualified_at=later), NOW)] == [
        ("qualifiedAt", ErrorCode.IN_THE_FUTURE)
    ]
