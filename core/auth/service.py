"""Signing in, refreshing and revoking sessions, and API keys for integrations."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.transactions import in_transaction

from core.auth.models import ApiKey, RefreshToken
from core.auth.tokens import API_KEY_PREFIX, Viewer, digest, mint_token, new_secret
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

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.user.organisation_id, self.user.id, self.user.role)


async def _issue(user: User, secret: str, now: datetime) -> Session:
    refresh = new_secret()
    await RefreshToken.create(
        user_id=user.id, token_hash=digest(refresh), expires_at=now + REFRESH_TOKEN_TTL
    )
    return Session(user, mint_token(user, secret), refresh, now + REFRESH_TOKEN_TTL)


async def login(email: str, password: str, secret: str, now: datetime) -> Session | None:
    user = await User.get_or_none(email=email.strip().lower())
    if not _verify(user.password_hash if user else None, password) or user is None:
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
        stored.revoked_at = now
        await stored.save(update_fields=["revoked_at"])
        return await _issue(stored.user, secret, now)


async def revoke_refresh_token(token: str, now: datetime) -> bool:
    revoked = await RefreshToken.filter(token_hash=digest(token), revoked_at=None).update(
        revoked_at=now
    )
    return revoked > 0


async def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    await user.save(update_fields=["password_hash"])


async def create_api_key(
    organisation_id: int, name: str, scopes: Sequence[str]
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
        or not hmac.compare_digest(key.key_hash, digest(secret))
    ):
        return None
    await ApiKey.filter(id=key.id).update(last_used_at=now)
    return Viewer(key.organisation_id, api_key_id=key.id, scopes=frozenset(key.scopes))


async def api_keys_of(organisation_id: int) -> list[ApiKey]:
    return await ApiKey.filter(organisation_id=organisation_id).order_by("id")
