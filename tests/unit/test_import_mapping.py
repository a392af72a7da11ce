"""Import mappings: what a mapping may say, and one row parsed under it, by hand."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.errors import ErrorCode
from domain.imports import (
    Context,
    Kind,
    MappingError,
    Parsed,
    column_indexes,
    load_mapping,
    parse_row,
)
from domain.records import DealRecord, DealStage

BERLIN = ZoneInfo("Europe/Berlin")
MAPPING: dict[str, Any] = {
    "columns": {
        "external_id": "Id",
        "owner": "Owner",
        "amount": "Amount",
        "stage": "Stage",
        "created_at": "Created",
        "closed_at": "Closed",
        "currency": "Cur",
    },
    "values": {"stage": {"Closed Won": "WON", "closed lost": "LOST", "*": "OPEN"}},
    "formats": {
        "datetime": ["%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z"],
        "date": "%d.%m.%Y",
        "decimal_separator": ",",
        "thousands_separator": ".",
    },
    "rates": {"chf": "1.125"},
}
HEADER = ["Id", "Owner", "Amount", "Cur", "Stage", "Created", "Closed"]


def parse(*values: str) -> Parsed | list[tuple[str, ErrorCode]]:
    mapping = load_mapping(Kind.DEALS, MAPPING)
    context = Context(mapping, BERLIN, "EUR")
    found = parse_row(Kind.DEALS, list(values), column_indexes(mapping, HEADER), context)
    return [(e.field, e.code) for e in found] if isinstance(found, list) else found


def test_a_row_is_parsed_with_its_formats_value_map_and_rate() -> None:
    parsed = parse("7", "Ana", "1.234,50", "CHF", "CLOSED WON", "01.03.2027 09:30", "15.03.2027")
    assert isinstance(parsed, Parsed)
    assert parsed.owner is not None
    assert parsed.owner.value == "Ana"
    deal = parsed.record
    assert isinstance(deal, DealRecord)
    # 1,234.50 CHF × 1.125 = 1,388.8125 EUR, kept to its four places; local Berlin times;
    # a date alone is the start of its day; any other stage is OPEN.
    assert (deal.amount, deal.stage) == (Decimal("1388.8125"), DealStage.WON)
    assert deal.created_at == datetime(2027, 3, 1, 9, 30, tzinfo=BERLIN)
    assert deal.closed_at == datetime(2027, 3, 15, 0, 0, tzinfo=BERLIN)
    other = parse("8", "Ana", "10", "", "Negotiation", "2027-03-01T09:30:00+0000", "")
    assert isinstance(other, Parsed)
    assert isinstance(other.record, DealRecord)
    assert other.record.stage is DealStage.OPEN
    assert other.record.created_at == datetime.fromisoformat("2027-03-01T09:30:00+00:00")


def test_every_unreadable_field_of_a_row_is_named() -> None:
    assert parse("", "Ana", "lots", "USD", "Closed Won", "31.02.2027 09:00", "") == [
        ("external_id", ErrorCode.REQUIRED),
        ("amount", ErrorCode.INVALID),
        ("created_at", ErrorCode.INVALID),
    ]
    assert parse("9", "Ana", "5", "USD", "Closed Won", "01.03.2027 09:00", "") == [
        ("currency", ErrorCode.INVALID)
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"columns": {"owner": "Owner"}}, "columns: external_id, amount, stage, created_at"),
        ({"columns": {**MAPPING["columns"], "colour": "C"}}, "columns.colour: deals have no"),
        ({"values": {"stage": {"Won": "WINNING"}}}, "values.stage.'Won': 'WINNING' is not"),
        ({"values": {"colour": {"EU": "EMEA"}}}, "values.colour: deals have no such field"),
        ({"computed": {"stage": "A + B"}}, "computed.stage: only amount, cost, quantity"),
        ({"computed": {"cost": "Sales - "}}, "computed.cost: 'Sales - ': expected a number"),
        ({"constants": {"amount": "1"}}, "amount is given a column and a constant"),
        ({"defaults": {"amount": {"col": "X"}}}, "defaults.amount must be a value or { column"),
        ({"skip": {"segment": "SMB"}}, "skip.segment: a row is skipped by a mapped column"),
        ({"formats": {"timezone": "Mars/Olympus"}}, "formats.timezone: unknown timezone"),
        ({"owners": {"match": "phone"}}, "owners.match must be one of email, name, external_id"),
        ({"rates": {"EUR": "a lot"}}, "rates.EUR: 'a lot' is not a number"),
        ({"extra": {}}, "unknown section(s): extra"),
    ],
)
def test_a_wrong_mapping_says_which_key(change: dict[str, Any], message: str) -> None:
    with pytest.raises(MappingError) as raised:
        load_mapping(Kind.DEALS, {**MAPPING, **change})
    assert str(raised.value).startswith(message)


def test_a_mapped_column_missing_from_the_file_is_named() -> None:
    with pytest.raises(MappingError, match="the file has no column\\(s\\): 'Closed'"):
        column_indexes(load_mapping(Kind.DEALS, MAPPING), HEADER[:-1])


@pytest.mark.parametrize(
    ("raw", "pattern", "expected"),
    [
        # Read fast, and the same as strptime would.
        ("2027-03-01 09:30:00", "%Y-%m-%d %H:%M:%S", datetime(2027, 3, 1, 9, 30)),  # noqa: DTZ001
        # Not zero-padded: only strptime reads it.
        ("2027-3-1 9:30:00", "%Y-%m-%d %H:%M:%S", datetime(2027, 3, 1, 9, 30)),  # noqa: DTZ001
        # ISO-shaped but not this pattern's shape: refused, as strptime refuses it.
        ("2027-03-01T09:30:00", "%Y-%m-%d %H:%M:%S", None),
        ("2027-03-01 09:30", "%Y-%m-%d %H:%M:%S", None),
    ],
)
def test_numeric_patterns_read_exactly_what_strptime_reads(
    raw: str, pattern: str, expected: datetime | None
) -> None:
    mapping = load_mapping(Kind.DEALS, {**MAPPING, "formats": {"datetime": pattern}})
    context = Context(mapping, BERLIN, "EUR")
    values = ["1", "Ana", "1", "", "Closed Won", raw, ""]
    found = parse_row(Kind.DEALS, values, column_indexes(mapping, HEADER), context)
    if expected is None:
        assert isinstance(found, list)
        assert [(e.field, e.code) for e in found] == [("created_at", ErrorCode.INVALID)]
    else:
        assert isinstance(found, Parsed)
        assert isinstance(found.record, DealRecord)
        assert found.record.created_at == expected.replace(tzinfo=BERLIN)
