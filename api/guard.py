"""The access policy put on the schema's fields when it is built, so that no resolver,
relation or list can hand a client an object it may not see (`api/visibility.py` says what
that is): every field is considered, and each that can carry a guarded object is wrapped.

An object that fails its rule becomes null in a nullable field, leaves a list (or a
connection's edges), and is FORBIDDEN in a field that cannot be null. Fields named in the
table are null when their rule fails. An API key without the `read` scope reads nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from inspect import isawaitable
from typing import Any

from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
    default_field_resolver,
    get_named_type,
)
from starlette.requests import Request

from api.errors import BadUserInput, Forbidden
from api.pagination import Edge
from api.policy import Access
from api.visibility import FIELDS, OBJECTS
from core.telemetry import POLICY_WITHHELD

logger = logging.getLogger(__name__)
ROOTS = frozenset({"Query", "Subscription"})


def _guarded_names(schema: GraphQLSchema) -> frozenset[str]:
    """GraphQL types whose values may hold a guarded object: the guarded types themselves,
    unions with one of them, and the edges of connections of them."""
    guarded = {cls.__strawberry_definition__.name for cls in OBJECTS}  # type: ignore[attr-defined]
    names = set(guarded)
    for name, kind in schema.type_map.items():
        if isinstance(kind, GraphQLUnionType):
            members = {member.name for member in kind.types}
        elif isinstance(kind, GraphQLObjectType) and "node" in kind.fields:
            members = {get_named_type(kind.fields["node"].type).name}
        else:
            continue
        if members & guarded:
            names.add(name)
    return frozenset(names)


def guard(schema: GraphQLSchema) -> None:
    """Put the policy on every field of `schema` that needs it, once, when the schema is
    built: a field whose value may hold a guarded object, a field with a rule of its own,
    and every root and mutation field. The other fields (names, figures, dates) keep their
    resolvers as they are: nothing runs for them per request."""
    guarded = _guarded_names(schema)
    for type_name, kind in schema.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in kind.fields.items():
            resolve = field.resolve or default_field_resolver
            if type_name in ROOTS:
                field.resolve = _bind(_root, resolve, guarded)
            elif type_name == "Mutation":
                field.resolve = _bind(_mutation, resolve, guarded)
            elif (rule := FIELDS.get((type_name, field_name))) is not None:
                field.resolve = _ruled(rule, resolve)
            elif get_named_type(field.type).name in guarded:
                field.resolve = _screening(resolve)


def _bind(step: Callable[..., Any], resolve: Callable[..., Any], guarded: frozenset[str]) -> Any:
    def resolver(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        return step(resolve, guarded, root, info, **kwargs)

    return resolver


def _ruled(rule: Callable[[Access, Any], bool], resolve: Callable[..., Any]) -> Any:
    """A field null unless its rule lets the viewer see it."""

    def resolver(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        known = info.context.known_access
        if known is not None:  # the common case, without a coroutine per field
            return resolve(root, info, **kwargs) if rule(known, root) else None
        return _field(rule, resolve, root, info, **kwargs)

    return resolver


def _screening(resolve: Callable[..., Any]) -> Any:
    """A field whose objects (or list of them) leave the answer when the viewer may not see
    them."""

    def resolver(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        result = resolve(root, info, **kwargs)
        known = info.context.known_access
        if known is not None and not isawaitable(result):
            return _screen(result, info, known)
        return _screened(result, info)

    return resolver


async def _root(
    resolve: Callable[..., Any],
    guarded: frozenset[str],
    root: Any,
    info: GraphQLResolveInfo,
    **kwargs: Any,
) -> Any:
    if info.parent_type.name == "Subscription" and isinstance(info.context.request, Request):
        raise BadUserInput("Subscriptions run over a websocket (graphql-transport-ws).")
    viewer = info.context.viewer
    if viewer is not None and not (await info.context.access()).may_read:
        raise Forbidden("This API key may only send data (scope `ingest`).")
    result = resolve(root, info, **kwargs)
    if isawaitable(result):
        result = await result
    if hasattr(result, "__aiter__"):  # a subscription: its events are filtered by it
        return result
    if get_named_type(info.return_type).name not in guarded:
        return result
    return await _screened(result, info)


async def _mutation(
    resolve: Callable[..., Any],
    guarded: frozenset[str],
    root: Any,
    info: GraphQLResolveInfo,
    **kwargs: Any,
) -> Any:
    result = resolve(root, info, **kwargs)
    if isawaitable(result):
        result = await result
    # What the viewer may see can have changed (a team created under theirs).
    info.context.refresh()
    if get_named_type(info.return_type).name not in guarded:
        return result
    return await _screened(result, info)


async def _field(
    rule: Callable[[Access, Any], bool],
    resolve: Callable[..., Any],
    root: Any,
    info: GraphQLResolveInfo,
    **kwargs: Any,
) -> Any:
    if not rule(await info.context.access(), root):
        return None
    result = resolve(root, info, **kwargs)
    return await result if isawaitable(result) else result


async def _screened(result: Any, info: GraphQLResolveInfo) -> Any:
    if isawaitable(result):
        result = await result
    return _screen(result, info, await info.context.access())


def _screen(result: Any, info: GraphQLResolveInfo, access: Access) -> Any:
    if result is None:
        return None
    if isinstance(result, list):
        kept = [item for item in result if _visible(access, item)]
        if len(kept) != len(result):
            _dropped(info, len(result) - len(kept))
        return kept
    if _visible(access, result):
        return result
    _dropped(info, 1)
    if isinstance(info.return_type, GraphQLNonNull):
        raise Forbidden()
    return None


def _visible(access: Access, value: Any) -> bool:
    if isinstance(value, Edge):
        value = value.node
    rule = OBJECTS.get(type(value))
    return rule is None or rule(access, value)


def _dropped(info: GraphQLResolveInfo, count: int) -> None:
    # Expected on relations (a goal's parent a rep may not see); in a root field's answer
    # (or its connection's edges) it means a store answered more than the viewer may read.
    root = _root_field(info)
    if root is not None:
        POLICY_WITHHELD.labels(root).inc(count)
        logger.warning("policy withheld %d object(s) from %s", count, root)


def _root_field(info: GraphQLResolveInfo) -> str | None:
    """The root field whose own answer this is, if it is one."""
    if info.parent_type.name in ROOTS:
        return info.field_name
    above = info.path.prev
    if info.parent_type.name.endswith("Connection") and above and above.prev is None:
        return str(above.key)
    return None
