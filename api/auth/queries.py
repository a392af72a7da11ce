"""Queries of API keys."""

from __future__ import annotations

import strawberry

from api.auth.types import ApiKey
from api.context import Info
from core.auth import service


@strawberry.type
class AuthQueries:
    @strawberry.field(description="Admins: the organisation's API keys, revoked ones included.")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        access = await info.context.access()
        access.require(access.is_admin)
        keys = await service.api_keys_of(access.viewer.organisation_id)
        return [ApiKey.of(key) for key in keys]
