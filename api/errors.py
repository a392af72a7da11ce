"""Errors as clients see them: typed payloads for expected failures, coded GraphQL errors
for access, and a masked message for anything unexpected."""

from __future__ import annotations

from datetime import date

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from core.outages import UNAVAILABLE, is_outage
from domain.errors import ErrorCode, FieldError
from domain.inputs import EARLIEST_YEAR, LATEST_YEAR, in_range

ErrorCodeEnum = strawberry.enum(ErrorCode, name="ErrorCode")


@strawberry.type(description="A rule an input broke: which field, which rule, in words.")
class InputError:
    field: str
    code: ErrorCodeEnum
    message: str

    @classmethod
    def of(cls, error: FieldError) -> InputError:
        return cls(field=error.field, code=error.code, message=error.message)


@strawberry.type(description="The input was refused; nothing was stored.")
class InputErrors:
    errors: list[InputError]

    @classmethod
    def of(cls, *errors: FieldError) -> InputErrors:
        return cls(errors=[InputError.of(error) for error in errors])

    @classmethod
    def forbidden(cls, field: str = "", message: str = "You may not do this.") -> InputErrors:
        return cls.of(FieldError(field, ErrorCode.FORBIDDEN, message))

    @classmethod
    def not_found(cls, field: str, message: str = "Nothing with this id here.") -> InputErrors:
        return cls.of(FieldError(field, ErrorCode.NOT_FOUND, message))


class Unauthenticated(GraphQLError):
    def __init__(self, message: str = "Sign in to use this API.") -> None:
        super().__init__(message, extensions={"code": "UNAUTHENTICATED"})


class Forbidden(GraphQLError):
    def __init__(self, message: str = "You may not do this.") -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN"})


def should_mask(error: GraphQLError) -> bool:
    """Mask exceptions raised by our code or libraries; keep GraphQL's own errors
    (syntax, validation, coercion) and the access errors above, which are meant for clients."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class BadUserInput(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def checked_days(**days: date | None) -> None:
    """Days a query reads figures or records around: within the years figures exist for."""
    for name, day in days.items():
        if day is not None and not in_range(day):
            raise BadUserInput(f"{name}: between {EARLIEST_YEAR} and {LATEST_YEAR - 1}.")


class Masking(MaskErrors):
    """Our failures reach clients as "Unexpected error." — but a backing service that is
    down is named as such (code UNAVAILABLE), so that a client knows to send it again."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if not is_outage(error.original_error):
            return super().anonymise_error(error)
        return GraphQLError(
            UNAVAILABLE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "UNAVAILABLE"},
        )
