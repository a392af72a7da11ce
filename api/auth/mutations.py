"""Signing in and out, and managing API keys."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.auth.types import ApiKey, CreatedApiKey, Revoked, Session
from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from core.auth import service
from domain.errors import ErrorCode, FieldError

LoginResult = Annotated[Session | InputErrors, strawberry.union("LoginResult")]
LogoutResult = Annotated[Revoked | InputErrors, strawberry.union("LogoutResult")]
CreateApiKeyResult = Annotated[CreatedApiKey | InputErrors, strawberry.union("CreateApiKeyResult")]
RevokeApiKeyResult = Annotated[ApiKey | InputErrors, strawberry.union("RevokeApiKeyResult")]


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Sign in with email and password.")
    async def login(self, info: Info, email: str, password: str) -> LoginResult:
        context = info.context
        session = await service.login(email, password, context.settings.jwt_secret, context.now)
        if session is None:
            return InputErrors.of(
                FieldError("password", ErrorCode.INVALID_CREDENTIALS, "Wrong email or password.")
            )
        context.speak_for(session.viewer)
        return Session.of(session)

    @strawberry.mutation(description="Trade a refresh token for a new session; it is used up.")
    async def refresh_token(self, info: Info, refresh_token: str) -> LoginResult:
        context = info.context
        session = await service.refresh(refresh_token, context.settings.jwt_secret, context.now)
        if session is None:
            return InputErrors.of(
                FieldError(
                    "refreshToken",
                    ErrorCode.INVALID_CREDENTIALS,
                    "This refresh token is unknown, expired, used or revoked.",
                )
            )
        context.speak_for(session.viewer)
        return Session.of(session)

    @strawberry.mutation(description="Revoke a refresh token (sign out).")
    async def logout(self, info: Info, refresh_token: str) -> LogoutResult:
        revoked = await service.revoke_refresh_token(refresh_token, info.context.now)
        if not revoked:
            return InputErrors.not_found("refreshToken", "No live refresh token like this.")
        return Revoked(revoked=True)

    @strawberry.mutation(description="Admins: a key for an integration, with scopes (`ingest`).")
    async def create_api_key(self, info: Info, name: str, scopes: list[str]) -> CreateApiKeyResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("name")
        unknown = sorted(set(scopes) - service.SCOPES)
        if unknown or not scopes:
            return InputErrors.of(
                FieldError(
                    "scopes",
                    ErrorCode.INVALID,
                    f"Scopes are some of {', '.join(sorted(service.SCOPES))}.",
                )
            )
        if not name.strip():
            return InputErrors.of(FieldError("name", ErrorCode.REQUIRED, "Name the key."))
        key, secret = await service.create_api_key(access.viewer.organisation_id, name, scopes)
        return CreatedApiKey(api_key=ApiKey.of(key), secret=secret)

    @strawberry.mutation(description="Admins: stop a key from working, at once.")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("id")
        key = await service.revoke_api_key(
            access.viewer.organisation_id, parse_id(id) or 0, info.context.now
        )
        return ApiKey.of(key) if key else InputErrors.not_found("id")
