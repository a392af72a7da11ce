"""Reads of issued credentials."""

from __future__ import annotations

from collections.abc import Sequence

from core.credentials.models import IssuedCredential


async def credentials_of_awards(
    organisation_id: int, award_ids: Sequence[int]
) -> dict[int, IssuedCredential]:
    found = await IssuedCredential.filter(organisation_id=organisation_id, award_id__in=award_ids)
    return {issued.award_id: issued for issued in found}
