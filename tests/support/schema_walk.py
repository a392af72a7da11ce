"""Queries generated from the schema itself: from a root field, every field of every type,
following every relation to a depth, so that a field added tomorrow is walked too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

# A type may appear this many times on one path (goal → parent → children → …).
REPEATS = 3


def _free(name: str) -> bool:
    """Wrappers that do not count as a step: connections, edges and page info."""
    return name.endswith(("Connection", "Edge")) or name == "PageInfo"


def _required_args(field: GraphQLField) -> bool:
    return any(
        isinstance(arg.type, GraphQLNonNull) and arg.default_value is None
        for arg in field.args.values()
    )


def selection(kind: Any, depth: int, path: tuple[str, ...] = ()) -> str:
    """The selection set of `kind`: its scalars, and its relations `depth` steps on."""
    named = get_named_type(kind)
    if isinstance(named, GraphQLUnionType):
        parts = [f"... on {member.name} {selection(member, depth, path)}" for member in named.types]
        return "{ __typename " + " ".join(parts) + " }"
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return ""
    steps = depth if _free(named.name) else depth - 1
    fields = ["__typename"]
    for name, field in named.fields.items():
        if _required_args(field):
            continue
        target = get_named_type(field.type)
        if not isinstance(target, GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType):
            fields.append(name)
            continue
        if steps < 0 or path.count(target.name) >= REPEATS:
            continue
        inner = selection(field.type, steps, (*path, named.name))
        if inner:
            fields.append(f"{name} {inner}")
    return "{ " + " ".join(fields) + " }"


def root_fields(schema: GraphQLSchema, operation: str = "query") -> dict[str, GraphQLField]:
    root = schema.query_type if operation == "query" else schema.subscription_type
    assert root is not None
    return dict(root.fields)


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every object (a dict with a `__typename`) in a response, at any depth."""
    if isinstance(value, dict):
        if "__typename" in value:
            yield value
        for item in value.values():
            yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)
