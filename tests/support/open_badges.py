"""The Open Badges 3.0 schema the tests validate documents against (tests/data/open_badges),
with the URI and date-time formats checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data/open_badges/openbadgecredential.schema.json").read_text()
)
_REGISTRY = Registry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))
# Without their checkers (the `format-nongpl` extra) formats pass unchecked.
assert {"uri", "date-time"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers)


def problems(document: Any, definition: str | None = None) -> list[str]:
    """Where `document` breaks the schema (as an OpenBadgeCredential, or as one of its
    definitions: Achievement, Profile, …), one line per error; empty when it is valid."""
    schema = SCHEMA if definition is None else {"$ref": f"{SCHEMA['$id']}#/$defs/{definition}"}
    validator = Draft202012Validator(
        schema, registry=_REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return sorted(
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(document)
    )
