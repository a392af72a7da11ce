"""What gamification does when core announces a fact."""

from __future__ import annotations

from core.reactions import OrganisationProvisioned, on
from gamification import store


@on(OrganisationProvisioned)
async def default_badges(fact: OrganisationProvisioned) -> None:
    """Every organisation starts with TARGET_HIT and FIRST_WIN."""
    await store.create_default_badges(fact.organisation_id)
