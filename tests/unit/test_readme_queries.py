"""The README's GraphQL examples validate against the schema: a change that breaks what the
README tells a client to send fails here."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import build_schema, parse, validate

ROOT = Path(__file__).resolve().parents[2]


def test_every_graphql_block_of_the_readme_validates() -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```graphql\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 3
    for block in blocks:
        errors = validate(schema, parse(block))
        assert not errors, (block, errors)
