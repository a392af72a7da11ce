"""Access tokens: who is calling, in which organisation, with which role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from core.orgs.models import Role, User

ALGORITHM = "HS256"
ACCESS_TOKEN_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class Viewer:
    user_id: int
    organisation_id: int
    role: Role


class InvalidToken(Exception):
    """The token is malformed, tampered with or expired."""


def mint_token(user: User, secret: str, ttl: timedelta = ACCESS_TOKEN_TTL) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "org": user.organisation_id,
        "role": user.role.value,
        "iat": now,
        "exp": now + ttl,
        "typ": "access",
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> Viewer:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "org", "role", "exp", "typ"]},
        )
        if claims["typ"] != "access":
            raise InvalidToken("not an access token")
        return Viewer(int(claims["sub"]), int(claims["org"]), Role(claims["role"]))
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from None


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if that is what it is."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
