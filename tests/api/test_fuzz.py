"""Generated operations over the whole schema (hypothesis-graphql), as each role: whatever
arrives, the answer is data, a typed error or a coded GraphQL error — never an HTTP 500 and
never a masked "Unexpected error.". A field added tomorrow is fuzzed too."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from graphql import GraphQLSchema
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from api.schema import schema
from core.orgs import service as orgs
from core.orgs.models import Role, User
from tests.conftest import Org

# Values that broke things before, beside everything hypothesis makes of each scalar.
AWKWARD_NUMBERS = ["NaN", "-Infinity", "1e30", "-1", "0.000001", "99999999999999999.99"]
SCALARS = {
    "Date": st.one_of(st.dates(), st.sampled_from([date(1, 1, 1), date(9999, 12, 31)])).map(
        lambda day: nodes.String(day.isoformat())
    ),
    "DateTime": st.one_of(
        st.datetimes(timezones=st.just(UTC)),
        st.just(datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
    ).map(lambda moment: nodes.String(moment.isoformat())),
    "Decimal": st.one_of(
        st.sampled_from(AWKWARD_NUMBERS),
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    ).map(nodes.String),
    "JSON": st.just(nodes.Object([])),
}
EXAMPLES = 150


def operations(graphql_schema: GraphQLSchema) -> st.SearchStrategy[str]:
    return from_schema(graphql_schema, custom_scalars=SCALARS)  # type: ignore[return-value]


async def _answer(client: httpx.AsyncClient, token: str, operation: str) -> None:
    response = await client.post(
        "/graphql", json={"query": operation}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code != 500, (operation, response.text)
    if response.status_code != 200:
        return  # refused before running: a 4xx with a reason
    body = response.json()
    masked = [e for e in body.get("errors") or [] if e["message"] == "Unexpected error."]
    assert not masked, (operation, masked)


@pytest.mark.parametrize("role", ["admin", "manager", "rep"])
async def test_generated_operations_never_fail_unexpectedly(
    client: httpx.AsyncClient, org: Org, role: str
) -> None:
    manager = await orgs.create_user(
        org.organisation.id, email="max@acme.test", name="Max", role=Role.MANAGER, team_id=None
    )
    assert isinstance(manager, User)
    org.team.manager_id = manager.id
    await org.team.save(update_fields=["manager_id"])
    token = org.token({"admin": org.admin, "manager": manager, "rep": org.rep}[role])

    for operation in generated(operations(schema._schema), EXAMPLES):
        await _answer(client, token, operation)


def generated(strategy: st.SearchStrategy[str], count: int) -> list[str]:
    """`count` operations drawn by hypothesis (run here, since its runner is not async)."""
    drawn: list[str] = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate])
    @given(strategy)
    def draw(operation: str) -> None:
        drawn.append(operation)

    draw()
    return drawn
