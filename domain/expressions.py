"""Plain arithmetic over a row's columns, for import mappings (`cost = "Sales - Profit"`):
numbers, column names, + - * / and parentheses, read by a small parser — never `eval`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

OPERATORS = "+-*/()"


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where."""


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Column:
    name: str


@dataclass(frozen=True)
class Negated:
    operand: Node


@dataclass(frozen=True)
class Operation:
    operator: str
    left: Node
    right: Node


Node = Number | Column | Negated | Operation

_APPLY: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@dataclass(frozen=True)
class Expression:
    text: str
    root: Node

    @classmethod
    def parse(cls, text: str) -> Expression:
        parser = _Parser(_tokens(text), text)
        root = parser.sum()
        if parser.position != len(parser.tokens):
            raise ExpressionError(f"{text!r}: unexpected {parser.tokens[parser.position]!r}")
        return cls(text, root)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns it reads, in order of first use."""
        found: list[str] = []
        pending: list[Node] = [self.root]
        while pending:
            node = pending.pop()
            if isinstance(node, Column) and node.name not in found:
                found.append(node.name)
            elif isinstance(node, Negated):
                pending.append(node.operand)
            elif isinstance(node, Operation):
                pending += [node.right, node.left]
        return tuple(found)

    def evaluate(self, columns: Mapping[str, Decimal]) -> Decimal:
        """Its value given each column's; ArithmeticError for a division by zero."""
        return _evaluate(self.root, columns)


def _evaluate(node: Node, columns: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Column):
        return columns[node.name]
    if isinstance(node, Negated):
        return -_evaluate(node.operand, columns)
    left, right = _evaluate(node.left, columns), _evaluate(node.right, columns)
    if node.operator == "/" and right == 0:
        raise ZeroDivisionError("division by zero")
    return _APPLY[node.operator](left, right)


def _tokens(text: str) -> list[str | Decimal | Column]:
    """Operators as themselves, numbers as Decimals, anything else as a column name: a run
    of other characters (spaces inside kept: `Unit Price`) or a name in double quotes."""
    tokens: list[str | Decimal | Column] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char in OPERATORS:
            tokens.append(char)
            position += 1
        elif char == '"':
            end = text.find('"', position + 1)
            if end == -1:
                raise ExpressionError(f"{text!r}: a quoted column name is not closed")
            tokens.append(Column(text[position + 1 : end]))
            position = end + 1
        else:
            end = position
            while end < len(text) and text[end] not in OPERATORS and text[end] != '"':
                end += 1
            word = text[position:end].strip()
            try:
                tokens.append(Decimal(word))
            except InvalidOperation:
                tokens.append(Column(word))
            position = end
    if not tokens:
        raise ExpressionError("the expression is empty")
    return tokens


class _Parser:
    def __init__(self, tokens: list[str | Decimal | Column], text: str) -> None:
        self.tokens, self.text, self.position = tokens, text, 0

    def _peek(self) -> str | Decimal | Column | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def sum(self) -> Node:
        return self._chain(("+", "-"), self.product)

    def product(self) -> Node:
        return self._chain(("*", "/"), self.factor)

    def _chain(self, operators: tuple[str, str], operand: Callable[[], Node]) -> Node:
        """Operands joined by these operators, left to right."""
        node = operand()
        while (token := self._peek()) in operators:
            self.position += 1
            node = Operation(str(token), node, operand())
        return node

    def factor(self) -> Node:
        token = self._peek()
        self.position += 1
        if token == "-":
            return Negated(self.factor())
        if token == "(":
            node = self.sum()
            if self._peek() != ")":
                raise ExpressionError(f"{self.text!r}: a parenthesis is not closed")
            self.position += 1
            return node
        if isinstance(token, Decimal):
            return Number(token)
        if isinstance(token, Column):
            return token
        raise ExpressionError(
            f"{self.text!r}: expected a number or a column"
            + (f", found {token!r}" if token is not None else " at the end")
        )
