"""Signing in and out, and managing API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.auth.types import ApiKey, CreatedApiKey, RetryLater, Revoked, Session
from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.orgs.types import User
from core.auth import service
from core.events import credentials_channel
from core.messages import CredentialEnded
from core.orgs import store as people
from core.orgs.edits import set_person_active
from core.orgs.models import User as UserModel
from domain.errors import ErrorCode, FieldError

LoginResult = Annotated[Session | InputErrors | RetryLater, strawberry.union("LoginResult")]
LogoutResult = Annotated[Revoked | InputErrors, strawberry.union("LogoutResult")]
CreateApiKeyResult = Annotated[CreatedApiKey | InputErrors, strawberry.union("CreateApiKeyResult")]
RevokeApiKeyResult = Annotated[ApiKey | InputErrors, strawberry.union("RevokeApiKeyResult")]
ResetResult = Annotated[User | InputErrors, strawberry.union("UserResult")]
MIN_PASSWORD_LENGTH = 10


@strawberry.type
class AuthMutations:
    @strawberry.mutation(
        description="Sign in with email and password. After too many failures for one "
        "account or from one address, `RetryLater` says for how long to wait."
    )
    async def login(self, info: Info, email: str, password: str) -> LoginResult:
        context = info.context
        account, address = email.strip().lower(), context.client_address
        wait = await context.throttle.wait(account, address)
        if wait is not None:
            return RetryLater(
                code=ErrorCode.TOO_MANY,
                message=f"Too many failed sign-ins: try again in {wait} seconds.",
                retry_after_seconds=wait,
            )
        session = await service.login(email, password, context.settings.jwt_secret, context.now)
        if session is None:
            await context.throttle.failed(account, address)
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

    @strawberry.mutation(
        description="Sign out: the session of this refresh token ends, and with it every "
        "access token and open subscription of that session."
    )
    async def logout(self, info: Info, refresh_token: str) -> LogoutResult:
        ended = await service.end_session(refresh_token, info.context.now)
        if ended is None:
            return InputErrors.not_found("refreshToken", "No live refresh token like this.")
        user = await ended.user
        await _announce(
            info, user.organisation_id, CredentialEnded(user_id=user.id, session=ended.session)
        )
        return Revoked(revoked=True)

    @strawberry.mutation(
        description="A new password: every session of yours ends, and a new one starts "
        "for this client."
    )
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> LoginResult:
        context = info.context
        viewer = context.require_viewer()
        if viewer.user_id is None:
            return InputErrors.forbidden("currentPassword", "Only a person has a password.")
        if problem := _weak(new_password):
            return problem
        user = await people.find_user(viewer.organisation_id, viewer.user_id)
        if user is None:
            return InputErrors.not_found("currentPassword")
        session = await service.change_password(
            user, current_password, new_password, context.settings.jwt_secret, context.now
        )
        if session is None:
            return InputErrors.of(
                FieldError(
                    "currentPassword", ErrorCode.INVALID_CREDENTIALS, "Wrong current password."
                )
            )
        await _announce(info, user.organisation_id, CredentialEnded(user_id=user.id))
        context.speak_for(session.viewer)
        return Session.of(session)

    @strawberry.mutation(
        description="Admins: set someone's password; every session of theirs ends."
    )
    async def reset_password(
        self, info: Info, user_id: strawberry.ID, new_password: str
    ) -> ResetResult:
        user = await _person_for_admin(info, user_id)
        if isinstance(user, InputErrors):
            return user
        if problem := _weak(new_password):
            return problem
        await service.reset_password(user, new_password, info.context.now)
        await _announce(info, user.organisation_id, CredentialEnded(user_id=user.id))
        return User.of(user)

    @strawberry.mutation(
        description="Admins: deactivate someone (signed out at once, may not sign in) or "
        "bring them back."
    )
    async def set_user_active(
        self,
        info: Info,
        user_id: strawberry.ID,
        active: bool,
        reason: Annotated[
            str | None, strawberry.argument(description="Why: kept in the audit trail.")
        ] = None,
    ) -> ResetResult:
        user = await _person_for_admin(info, user_id)
        if isinstance(user, InputErrors):
            return user
        viewer = info.context.require_viewer()
        changed = await set_person_active(user, active, viewer.user_id, info.context.now, reason)
        if isinstance(changed, FieldError):
            return InputErrors.of(changed)
        if not active:
            await _announce(info, user.organisation_id, CredentialEnded(user_id=user.id))
        return User.of(user)

    @strawberry.mutation(
        description="Admins: a key for an integration, with scopes (`ingest` to send data, "
        "`read` to read everything), valid until revoked or until `expiresAt`."
    )
    async def create_api_key(
        self,
        info: Info,
        name: str,
        scopes: list[str],
        expires_at: datetime | None = None,
    ) -> CreateApiKeyResult:
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
        if expires_at is not None and (expires_at.tzinfo is None or expires_at <= info.context.now):
            return InputErrors.of(
                FieldError("expiresAt", ErrorCode.INVALID, "A future instant, with its UTC offset.")
            )
        key, secret = await service.create_api_key(
            access.viewer.organisation_id, name, scopes, expires_at
        )
        return CreatedApiKey(api_key=ApiKey.of(key), secret=secret)

    @strawberry.mutation(description="Admins: stop a key from working, at once.")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("id")
        key = await service.revoke_api_key(
            access.viewer.organisation_id, parse_id(id) or 0, info.context.now
        )
        if key is None:
            return InputErrors.not_found("id")
        await _announce(info, key.organisation_id, CredentialEnded(api_key_id=key.id))
        return ApiKey.of(key)


async def _announce(info: Info, organisation_id: int, ended: CredentialEnded) -> None:
    """Tell every API process that a credential ended, so its open subscriptions close."""
    await info.context.bus.publish(credentials_channel(organisation_id), ended)


async def _person_for_admin(info: Info, user_id: strawberry.ID) -> UserModel | InputErrors:
    access = await info.context.access()
    if not access.is_admin:
        return InputErrors.forbidden("userId")
    user = await people.find_user(access.viewer.organisation_id, parse_id(user_id) or 0)
    return user if user is not None else InputErrors.not_found("userId")


def _weak(password: str) -> InputErrors | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return InputErrors.of(
            FieldError(
                "newPassword",
                ErrorCode.INVALID,
                f"At least {MIN_PASSWORD_LENGTH} characters.",
            )
        )
    return None
