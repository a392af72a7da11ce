"""Queries of awards."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.gamification.types import Award
from api.ids import parse_id
from api.pagination import Connection, keyset
from gamification import store


@strawberry.type
class GamificationQueries:
    @strawberry.field(description="Awards of the reps you may see, newest first.")
    async def awards(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        rep_id: strawberry.ID | None = None,
        include_revoked: Annotated[
            bool,
            strawberry.argument(
                description="Also the badges withdrawn because their figure fell back below "
                "the threshold while the period ran (with revokedAt and revocation)."
            ),
        ] = False,
    ) -> Connection[Award]:
        access = await info.context.access()
        awards = store.awards_of(
            access.viewer.organisation_id,
            access.rep_ids,
            (parse_id(rep_id) or 0) if rep_id is not None else None,
            include_revoked,
        )
        return await keyset(awards, first, after, Award.of, newest_first=True)
