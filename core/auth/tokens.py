"""Access tokens (JWT), and who a request speaks for: a user with a role, or an API key
with scopes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import jwt

from core import clock
from core.orgs.models import Role, User

ALGORITHM = "HS256"
ACCESS_TOKEN_TTL = timedelta(minutes=15)
API_KEY_PREFIX = "psk_"


@dataclass(frozen=True)
class Viewer:
    organisation_id: int
    user_id: int | None = None
    role: Role | None = None
    # An integration calling with an API key has scopes instead of a user and a role.
    api_key_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # When the credential stops being valid: long-lived connections end then.
    expires_at: datetime | None = None
    # The signed-in session the access token belongs to (None for development tokens).
    session: str | None = None


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says; whether it still holds is for the database to say
    (`core.auth.service.token_viewer`)."""

    user_id: int
    organisation_id: int
    session_version: int
    session: str | None
    expires_at: datetime


class InvalidToken(Exception):
    """The token is malformed, tampered with or expired."""


def mint_token(
    user: User, secret: str, ttl: timedelta = ACCESS_TOKEN_TTL, session: str | None = None
) -> str:
    now = clock.now()
    claims: dict[str, object] = {
        "sub": str(user.id),
        "org": user.organisation_id,
        "ver": user.session_version,
        "iat": now,
        "exp": now + ttl,
        "typ": "access",
    }
    if session is not None:
        claims["sid"] = session
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            # Expiry is checked below against the service's clock, which minted it.
            options={
                "require": ["sub", "org", "ver", "exp", "typ"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
        if claims["typ"] != "access":
            raise InvalidToken("not an access token")
        expires_at = datetime.fromtimestamp(claims["exp"], UTC)
        if expires_at <= clock.now():
            raise InvalidToken("Signature has expired")
        session = claims.get("sid")
        return AccessClaims(
            user_id=int(claims["sub"]),
            organisation_id=int(claims["org"]),
            session_version=int(claims["ver"]),
            session=str(session) if session is not None else None,
            expires_at=expires_at,
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as error:
        raise InvalidToken(str(error)) from None


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if that is what it is."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Refresh tokens and API keys are long random strings: a plain SHA-256 is enough to
    store them safely (no dictionary to guess from), and lets them be looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()
