"""Exports taken as they are: value maps on any field, constants, defaults, skipped rows and
computed fields in the mapping, each row parsed by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain.imports import (
    SKIPPED,
    Context,
    Kind,
    Parsed,
    column_indexes,
    described,
    load_mapping,
    parse_row,
)
from domain.records import DealRecord, DealStage

NEW_YORK = ZoneInfo("America/New_York")
# A retail order sheet: no stage (every order is won), no amount or cost columns.
ORDERS: dict[str, Any] = {
    "columns": {
        "external_id": "Order ID",
        "owner": "Rep",
        "created_at": "Order Date",
        "closed_at": "Order Date",
        "product_external_id": "Product",
        "quantity": "Quantity",
    },
    "constants": {"stage": "WON"},
    "computed": {"amount": "Quantity * Unit Price", "cost": "Sales - Profit"},
    "values": {
        "product_external_id": {"GTXPro": "GTX Pro"},
        "owner": {"JD": "jane@acme.test"},
    },
    "formats": {"date": "%m/%d/%Y"},
}
ORDERS_HEADER = [
    "Order ID",
    "Order Date",
    "Rep",
    "Product",
    "Quantity",
    "Unit Price",
    "Sales",
    "Profit",
]
# A B2B pipeline: early stages left out, open deals without an amount yet, leads of a
# creation date only in the modification column.
PIPELINE: dict[str, Any] = {
    "columns": {
        "external_id": "Id",
        "owner": "Owner",
        "amount": "Value",
        "stage": "Stage",
        "created_at": "Created",
    },
    "values": {"stage": {"Won": "WON", "Lost": "LOST", "*": "OPEN"}},
    "defaults": {"amount": "0", "created_at": {"column": "Modified"}},
    "skip": {"stage": ["Prospecting", "qualification"]},
}
PIPELINE_HEADER = ["Id", "Owner", "Value", "Stage", "Created", "Modified"]


def parse(mapping: dict[str, Any], header: list[str], *values: str) -> Any:
    loaded = load_mapping(Kind.DEALS, mapping)
    context = Context(loaded, NEW_YORK, "USD")
    indexes = column_indexes(loaded, header)
    found = parse_row(Kind.DEALS, list(values), indexes, context)
    if isinstance(found, list):
        return [described(error, loaded, values, indexes) for error in found]
    return found


def test_an_order_line_computes_its_amount_and_cost_and_maps_names() -> None:
    parsed = parse(
        ORDERS, ORDERS_HEADER, "O-1", "11/17/2026", "JD", "GTXPro", "3", "19.99", "59.97", "20.00"
    )
    assert isinstance(parsed, Parsed)
    deal = parsed.record
    assert isinstance(deal, DealRecord)
    # 3 × 19.99 = 59.97; cost: 59.97 − 20.00 = 39.97.
    assert (deal.amount, deal.cost, deal.quantity) == (Decimal("59.97"), Decimal("39.97"), 3)
    assert deal.stage is DealStage.WON
    assert deal.product_external_id == "GTX Pro"
    assert parsed.owner is not None
    assert parsed.owner.value == "jane@acme.test"
    # Midnight in New York (the organisation's timezone) is 05:00 UTC in November.
    assert deal.created_at == deal.closed_at == datetime(2026, 11, 17, 5, 0, tzinfo=UTC)


def test_a_computed_field_names_the_column_that_is_not_a_number() -> None:
    found = parse(
        ORDERS, ORDERS_HEADER, "O-2", "11/17/2026", "JD", "GTXPro", "three", "19.99", "1", "0"
    )
    # The amount computed from it, and the quantity read from it, both fail on that cell.
    assert found == [
        'column "Quantity" = "three": not a number',
        'column "Quantity" = "three": not a number',
    ]


def test_defaults_fill_blank_cells_and_skipped_stages_are_skipped() -> None:
    opened = parse(
        PIPELINE, PIPELINE_HEADER, "P1", "ana@acme.test", "", "Open", "", "2026-11-01T10:00:00"
    )
    assert isinstance(opened, Parsed)
    deal = opened.record
    assert isinstance(deal, DealRecord)
    assert (deal.amount, deal.stage) == (Decimal(0), DealStage.OPEN)
    # New York left daylight saving at 2 AM that morning: 10 AM is EST, UTC−5.
    assert deal.created_at == datetime(2026, 11, 1, 15, 0, tzinfo=UTC)

    for stage in ("Prospecting", "QUALIFICATION"):
        row = ("P2", "ana@acme.test", "100", stage, "2026-11-01T10:00:00", "")
        assert parse(PIPELINE, PIPELINE_HEADER, *row) is SKIPPED
