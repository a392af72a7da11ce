"""The dashboard is a typed client of the public API: every operation it sends (its
operations.graphql) validates against schema.graphql, so a schema change that breaks the
dashboard fails here."""

from __future__ import annotations

import re

from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)

from api.pages import APP
from tests.support.servers import ROOT

OPERATIONS = (APP / "operations.graphql").read_text()
SCHEMA = (ROOT / "schema.graphql").read_text()


def problems(schema: GraphQLSchema) -> list[GraphQLError]:
    return validate(schema, parse(OPERATIONS))


def test_every_operation_the_dashboard_sends_validates_against_the_exported_schema() -> None:
    document = parse(OPERATIONS)
    defined = {
        d.name.value
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name
    }
    # What app.js sends, by name: request("Name", …) and follow("Name", …).
    sent = set(re.findall(r'(?:request|follow)\("(\w+)"', (APP / "app.js").read_text()))

    assert problems(build_schema(SCHEMA)) == []
    assert sent == defined


def test_a_field_the_dashboard_reads_going_away_fails_the_check() -> None:
    schema = build_schema(SCHEMA)
    # GoalProgress.pace, read by every goal card, taken out of the schema.
    del schema.type_map["GoalProgress"].fields["pace"]  # type: ignore[union-attr]

    assert [e.message for e in problems(schema)] == [
        "Cannot query field 'pace' on type 'GoalProgress'."
    ]
