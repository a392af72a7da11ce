"""Facts core announces, and the reactions other packages register for them: core does
not know what gamification does when an organisation is provisioned, only that something
may react. Reactions run in the announcing transaction, in the order registered."""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

# Modules that register reactions, by name (as tortoise takes its model modules): loaded
# before the first announcement, in whichever process makes it.
REACTION_MODULES = ("gamification.reactions",)


@dataclass(frozen=True)
class OrganisationProvisioned:
    organisation_id: int


Fact = OrganisationProvisioned
F = TypeVar("F", bound=Fact)
Reaction = Callable[[Any], Awaitable[None]]
_reactions: dict[type, list[Reaction]] = defaultdict(list)
_loaded = False


def on(kind: type[F]) -> Callable[[Callable[[F], Awaitable[None]]], Callable[[F], Awaitable[None]]]:
    """Register the decorated coroutine as a reaction to facts of `kind`."""

    def register(reaction: Callable[[F], Awaitable[None]]) -> Callable[[F], Awaitable[None]]:
        _reactions[kind].append(reaction)
        return reaction

    return register


async def announce(fact: Fact) -> None:
    global _loaded
    if not _loaded:
        for name in REACTION_MODULES:
            importlib.import_module(name)
        _loaded = True
    for reaction in _reactions[type(fact)]:
        await reaction(fact)
