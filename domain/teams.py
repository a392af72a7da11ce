"""The team tree: who is under whom, from a plain {team: parent} map."""

from __future__ import annotations

from collections.abc import Mapping


def ancestors(team_id: int | None, parents: Mapping[int, int | None]) -> list[int]:
    """The team and every team above it, nearest first."""
    chain: list[int] = []
    while team_id is not None and team_id not in chain:
        chain.append(team_id)
        team_id = parents.get(team_id)
    return chain


def subtree(team_id: int, parents: Mapping[int, int | None]) -> set[int]:
    """The team and every team below it."""
    return {team for team in parents if team_id in ancestors(team, parents)}


def members(
    team_id: int, parents: Mapping[int, int | None], teams_of: Mapping[int, int | None]
) -> tuple[int, ...]:
    """Everyone in the team or its sub-teams, sorted."""
    teams = subtree(team_id, parents)
    return tuple(sorted(user for user, team in teams_of.items() if team in teams))


def managers_above(
    person: int,
    team_id: int | None,
    parents: Mapping[int, int | None],
    managers: Mapping[int, int | None],
) -> list[int]:
    """The managers of the person's team and of every team above it, nearest first, without
    the person themselves: who they check in with, and who may see those check-ins."""
    found: list[int] = []
    for team in ancestors(team_id, parents):
        manager = managers.get(team)
        if manager is not None and manager != person and manager not in found:
            found.append(manager)
    return found
