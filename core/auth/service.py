"""Signing in, refreshing and revoking sessions, and API keys for integrations."""

from __future__ import annotations

import asyncio
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.auth.models import ApiKey, RefreshToken
from core.auth.tokens import (
    API_KEY_PREFIX,
    AccessClaims,
    Viewer,
    digest,
    mint_token,
    new_secret,
)
from core.orgs.models import User

REFRESH_TOKEN_TTL = timedelta(days=30)
SCOPES = frozenset({"ingest", "read"})
_hasher = PasswordHasher()
# Verified against when the email is unknown, so that a wrong email costs as much time as a
# wrong password and does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("no such user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Session:
    user: User
    access_token: str
    refresh_token: str
    expires_at: datetime
    session: str

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.user.organisation_id, self.user.id, self.user.role, session=self.session)


async def _issue(user: User, secret: str, now: datetime, session: str | None = None) -> Session:
    """A refresh token and an access token for `session` (a new one when None)."""
    session = session or uuid.uuid4().hex
    refresh = new_secret()
    await RefreshToken.create(
        user_id=user.id,
        token_hash=digest(refresh),
        session=session,
        expires_at=now + REFRESH_TOKEN_TTL,
    )
    access = mint_token(user, secret, session=session)
    return Session(user, access, refresh, now + REFRESH_TOKEN_TTL, session)


async def _password_matches(password_hash: str | None, password: str) -> bool:
    # argon2 takes tens of milliseconds of CPU by design: not on the event loop.
    return await asyncio.to_thread(_verify, password_hash, password)


async def login(email: str, password: str, secret: str, now: datetime) -> Session | None:
    user = await User.get_or_none(email=email.strip().lower())
    matches = await _password_matches(user.password_hash if user else None, password)
    if not matches or user is None or not user.active:
        return None
    return await _issue(user, secret, now)


async def refresh(token: str, secret: str, now: datetime) -> Session | None:
    """A new session for a live refresh token, which is used up (rotated) in exchange."""
    async with in_transaction():
        stored = (
            await RefreshToken.filter(token_hash=digest(token))
            .select_for_update()
            .prefetch_related("user")
            .first()
        )
        if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
            return None
        if not stored.user.active:
            return None
        stored.revoked_at = now
        await stored.save(update_fields=["revoked_at"])
        return await _issue(stored.user, secret, now, stored.session)


async def end_session(token: str, now: datetime) -> RefreshToken | None:
    """Sign out: the session of this refresh token ends, with every access token minted
    for it. The (revoked) token, to say whose session ended; None if it was not live."""
    stored = await RefreshToken.get_or_none(token_hash=digest(token), revoked_at=None)
    if stored is None:
        return None
    await RefreshToken.filter(session=stored.session, revoked_at=None).update(revoked_at=now)
    return stored


async def end_all_sessions(user: User, now: datetime) -> None:
    """Every session of the person ends, now: access tokens minted under the old version
    are refused, refresh tokens revoked."""
    await User.filter(id=user.id).update(session_version=F("session_version") + 1)
    await RefreshToken.filter(user_id=user.id, revoked_at=None).update(revoked_at=now)
    await user.refresh_from_db(fields=["session_version"])


async def change_password(
    user: User, current: str, new: str, secret: str, now: datetime
) -> Session | None:
    """A new password, every other session ended, and a fresh session for this one; None
    when `current` is wrong."""
    if not await _password_matches(user.password_hash, current):
        return None
    await set_password(user, new)
    await end_all_sessions(user, now)
    return await _issue(user, secret, now)


async def reset_password(user: User, new: str, now: datetime) -> None:
    """An administrator's reset: the person signs in again with `new`, everywhere."""
    await set_password(user, new)
    await end_all_sessions(user, now)


async def set_active(user: User, active: bool, now: datetime) -> None:
    user.active = active
    await user.save(update_fields=["active"])
    if not active:
        await end_all_sessions(user, now)


async def token_viewer(claims: AccessClaims, now: datetime) -> Viewer | None:
    """Who a valid access token speaks for, read afresh: None when the person was
    deactivated, their sessions were ended, or this session was signed out. The role is
    the one they have now, not the one they had when the token was minted."""
    user = await User.get_or_none(id=claims.user_id, organisation_id=claims.organisation_id)
    if user is None or not user.active or user.session_version != claims.session_version:
        return None
    if claims.session is not None:
        live = await RefreshToken.filter(
            session=claims.session, user_id=user.id, revoked_at=None, expires_at__gt=now
        ).exists()
        if not live:
            return None
    return Viewer(
        user.organisation_id,
        user.id,
        user.role,
        expires_at=claims.expires_at,
        session=claims.session,
    )


async def hashed(password: str) -> str:
    """`hash_password` off the event loop: argon2 is slow on purpose."""
    return await asyncio.to_thread(hash_password, password)


async def set_password(user: User, password: str) -> None:
    user.password_hash = await hashed(password)
    await user.save(update_fields=["password_hash"])


async def create_api_key(
    organisation_id: int,
    name: str,
    scopes: Sequence[str],
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """The stored key and, once only, its secret."""
    prefix = secrets.token_hex(6)
    secret = f"{API_KEY_PREFIX}{prefix}_{new_secret()}"
    key = await ApiKey.create(
        organisation_id=organisation_id,
        name=name,
        prefix=prefix,
        key_hash=digest(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    return key, secret


async def revoke_api_key(organisation_id: int, key_id: int, now: datetime) -> ApiKey | None:
    key = await ApiKey.get_or_none(organisation_id=organisation_id, id=key_id)
    if key is not None and key.revoked_at is None:
        key.revoked_at = now
        await key.save(update_fields=["revoked_at"])
    return key


async def api_key_viewer(secret: str, now: datetime) -> Viewer | None:
    """Who an API key speaks for, if it is live."""
    if not secret.startswith(API_KEY_PREFIX):
        return None
    prefix = secret[len(API_KEY_PREFIX) :].split("_", 1)[0]
    key = await ApiKey.get_or_none(prefix=prefix)
    if (
        key is None
        or key.revoked_at is not None
        or (key.expires_at is not None and key.expires_at <= now)
        or not hmac.compare_digest(key.key_hash, digest(secret))
    ):
        return None
    await ApiKey.filter(id=key.id).update(last_used_at=now)
    return Viewer(
        key.organisation_id,
        api_key_id=key.id,
        scopes=frozenset(key.scopes),
        expires_at=key.expires_at,
    )


async def api_keys_of(organisation_id: int) -> list[ApiKey]:
    return await ApiKey.filter(organisation_id=organisation_id).order_by("id")
