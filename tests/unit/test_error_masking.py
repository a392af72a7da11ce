from graphql import GraphQLError

from api.errors import Forbidden, should_mask


def test_our_exceptions_are_masked_but_graphql_and_access_errors_are_not() -> None:
    crashed = GraphQLError("boom", original_error=RuntimeError("SELECT * FROM secret"))
    syntax = GraphQLError("Syntax Error: Expected Name, found '{'.")
    forbidden = GraphQLError("x", original_error=Forbidden())

    assert should_mask(crashed) is True
    assert should_mask(syntax) is False
    assert should_mask(forbidden) is False
