"""Every argument of every operation screened before a resolver sees it: texts printable and
within the length their column (or purpose) allows, lists within a size. A failure is a
BAD_USER_INPUT error naming the argument's path; nothing runs.

CRM record batches (`ingestDeals`, …) are exempt: each record is checked on its own
(`domain/records.py`), so that one bad record is rejected and the others stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any

from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, default_field_resolver

from api.errors import BadUserInput
from domain.errors import ErrorCode, FieldError
from domain.inputs import check_text

# Characters allowed per argument name, from the columns they are stored in.
TEXT_LIMITS = {
    "code": 64,
    "name": 200,
    "email": 320,
    "ownerEmail": 320,
    "regions": 100,
    "segments": 100,
    "productIds": 200,
    "description": 2_000,
    "rationale": 2_000,
    "comment": 10_000,
    "privateNote": 10_000,
}
OTHER_TEXT = 1_000
MAX_ITEMS = 1_000
RECORD_BATCHES = {
    ("ingestDeals", "deals"),
    ("ingestLeads", "leads"),
    ("ingestAccounts", "accounts"),
    ("ingestProducts", "products"),
}


def problems(name: str, value: Any, path: str) -> Iterator[FieldError]:
    """What is wrong with an argument value, at any depth."""
    if isinstance(value, str):
        yield from check_text(path, value, TEXT_LIMITS.get(name, OTHER_TEXT))
    elif isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            yield FieldError(path, ErrorCode.TOO_MANY, f"{path}: at most {MAX_ITEMS} items.")
            return
        for index, item in enumerate(value):
            yield from problems(name, item, f"{path}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from problems(key, item, f"{path}.{key}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type | Enum):
        for item in dataclasses.fields(value):
            yield from problems(
                _camel(item.name), getattr(value, item.name), f"{path}.{_camel(item.name)}"
            )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def screen_inputs(schema: GraphQLSchema) -> None:
    """Screen the arguments of every field of `schema` that takes any, once, when the schema
    is built (a field without arguments costs nothing per request)."""
    for type_name, kind in schema.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in kind.fields.items():
            names = [name for name in field.args if (field_name, name) not in RECORD_BATCHES]
            if names:
                field.resolve = _screened(field.resolve or default_field_resolver, names)


def _screened(resolve: Callable[..., Any], names: list[str]) -> Any:
    def resolver(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        for name in names:
            if name in kwargs:
                found = next(problems(name, kwargs[name], name), None)
                if found is not None:
                    raise BadUserInput(found.message)
        return resolve(root, info, **kwargs)

    return resolver
