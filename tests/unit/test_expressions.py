"""Computed import fields: plain arithmetic over columns, read without `eval`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.expressions import Expression, ExpressionError


def test_precedence_parentheses_and_names_with_spaces() -> None:
    expression = Expression.parse("Quantity * Unit Price - (Discount + 2.5) / 2")
    assert expression.columns == ("Quantity", "Unit Price", "Discount")
    # 3 × 19.99 − (4 + 2.5) / 2 = 59.97 − 3.25
    found = expression.evaluate(
        {"Quantity": Decimal(3), "Unit Price": Decimal("19.99"), "Discount": Decimal(4)}
    )
    assert found == Decimal("56.72")


def test_quoted_names_and_negation() -> None:
    expression = Expression.parse('-"Profit-Loss" + Sales')
    assert expression.columns == ("Profit-Loss", "Sales")
    assert expression.evaluate({"Profit-Loss": Decimal(30), "Sales": Decimal(100)}) == 70


def test_division_by_zero_is_an_arithmetic_error() -> None:
    with pytest.raises(ArithmeticError):
        Expression.parse("Sales / Quantity").evaluate({"Sales": Decimal(1), "Quantity": 0})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the expression is empty"),
        ("Sales -", "'Sales -': expected a number or a column at the end"),
        ("(Sales - Profit", "'(Sales - Profit': a parenthesis is not closed"),
        ("Sales Profit)", "'Sales Profit)': unexpected ')'"),
        ('"Sales', "'\"Sales': a quoted column name is not closed"),
        # A call is not arithmetic: the name is a column, and what follows it is refused.
        ("__import__('os')", "\"__import__('os')\": unexpected '('"),
    ],
)
def test_what_cannot_be_read_says_where(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        Expression.parse(text)
    assert str(raised.value) == message
