"""GraphQL types of sessions and API keys."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.errors import ErrorCodeEnum
from api.orgs.types import User
from core.auth import models, service


@strawberry.type(description="Too many failed attempts: try again after a while.")
class RetryLater:
    code: ErrorCodeEnum
    message: str
    retry_after_seconds: int


@strawberry.type(description="A signed-in session: keep the refresh token secret.")
class Session:
    access_token: str = strawberry.field(description="Send as `Authorization: Bearer …`.")
    refresh_token: str = strawberry.field(description="Trade for a new session, once.")
    refresh_expires_at: datetime
    user: User

    @classmethod
    def of(cls, session: service.Session) -> Session:
        return cls(
            access_token=session.access_token,
            refresh_token=session.refresh_token,
            refresh_expires_at=session.expires_at,
            user=User.of(session.user),
        )


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime | None = strawberry.field(description="Null: until revoked.")

    @classmethod
    def of(cls, key: models.ApiKey) -> ApiKey:
        return cls(
            id=strawberry.ID(str(key.id)),
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_at=key.created_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
            expires_at=key.expires_at,
        )


@strawberry.type(description="A new API key. `secret` is shown this once and never stored.")
class CreatedApiKey:
    api_key: ApiKey
    secret: str


@strawberry.type
class Revoked:
    revoked: bool
