"""Leaderboards from the rollups: every rep of a scope ranked on a metric over a period."""

from __future__ import annotations

from core.goals.service import Structure, figures_of_reps, figures_of_teams
from core.orgs import store as people
from core.orgs.models import Organisation, Role, User
from domain.metrics import Metric
from domain.periods import Period
from domain.teams import members
from gamification.leaderboards import Standing, rank


async def leaderboard(
    organisation: Organisation, metric: Metric, period: Period, team_id: int | None
) -> list[tuple[User, Standing]]:
    """The reps of the team (and the teams below it), or of the organisation, ranked."""
    structure = await Structure.load(organisation.id)
    candidates = (
        members(team_id, structure.parents, structure.teams_of)
        if team_id is not None
        else tuple(structure.teams_of)
    )
    users = await people.users_by_ids(organisation.id, candidates)
    reps = sorted(u.id for u in users.values() if u.role is Role.REP)
    figures = await figures_of_reps(organisation, metric, period, reps)
    return [(users[int(s.key)], s) for s in rank([(rep, figures[rep]) for rep in reps])]


async def team_leaderboard(
    organisation: Organisation, metric: Metric, period: Period, parent_id: int | None
) -> list[tuple[int, list[User], Standing]]:
    """The teams right below `parent_id` (the top teams when None) ranked on their figure,
    each with its reps (sub-teams included)."""
    structure = await Structure.load(organisation.id)
    teams = sorted(team for team, parent in structure.parents.items() if parent == parent_id)
    figures = await figures_of_teams(organisation, metric, period, teams)
    reps_of = {team: members(team, structure.parents, structure.teams_of) for team in teams}
    users = await people.users_by_ids(organisation.id, [r for rs in reps_of.values() for r in rs])
    ranked = rank([(team, figures[team]) for team in teams])
    return [
        (
            int(str(s.key)),
            [users[r] for r in reps_of[int(str(s.key))] if users[r].role is Role.REP],
            s,
        )
        for s in ranked
    ]
