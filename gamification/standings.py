"""Leaderboards from the rollups: every rep of a scope ranked on a metric over a period."""

from __future__ import annotations

from core.goals.service import Structure, figures_of_reps
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
