"""Leaderboards from the rollups: everyone of a scope with figures, ranked on a metric over a
period. Reps are always on the board; a manager or an admin who also sells is on it once
they have figures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals import store as goal_store
from core.goals.service import Structure, read_progress, totals_of_reps, totals_of_teams
from core.orgs import store as people
from core.orgs.models import Organisation, Role, User
from domain.metrics import Metric, Totals, has_activity, sample_of, value_of
from domain.money import shown_or_none
from domain.periods import Period
from domain.teams import members
from gamification import store
from gamification.leaderboards import Figure, Standing, rank
from gamification.models import Contest


def _figure(key: int, metric: Metric, totals: Totals) -> Figure:
    value = value_of(metric, totals)
    return Figure(key, shown_or_none(value), sample_of(metric, totals))


def minimum_sample_of(organisation: Organisation, metric: Metric, asked: int | None) -> int | None:
    """The sample a board of `metric` ranks on: None for a sum or a count, else the one
    asked for or the organisation's."""
    if sample_of(metric, Totals()) is None:
        return None
    return asked if asked is not None else organisation.leaderboard_minimum_sample


def _on_board(user: User, totals: Totals) -> bool:
    return user.role is Role.REP or has_activity(totals)


async def leaderboard(
    organisation: Organisation,
    metric: Metric,
    period: Period,
    team_id: int | None,
    minimum_sample: int | None = None,
    market_id: int | None = None,
) -> list[tuple[User, Standing]]:
    """Everyone of the team (and the teams below it), or of the organisation, with figures
    (in a market, when given), ranked; a rate or an average below the minimum sample
    stands unranked."""
    _, users = await _board_people(organisation, team_id)
    totals = await totals_of_reps(organisation, metric, period, sorted(users), market_id)
    board = [key for key in sorted(users) if _on_board(users[key], totals[key])]
    sample = minimum_sample_of(organisation, metric, minimum_sample)
    figures = [_figure(key, metric, totals[key]) for key in board]
    return [(users[int(str(s.key))], s) for s in rank(figures, sample or 0)]


async def _board_people(
    organisation: Organisation, team_id: int | None
) -> tuple[Structure, dict[int, User]]:
    structure = await Structure.load(organisation.id)
    candidates = (
        members(team_id, structure.parents, structure.teams_of)
        if team_id is not None
        else tuple(structure.teams_of)
    )
    return structure, await people.users_by_ids(organisation.id, candidates)


async def attainment_leaderboard(
    organisation: Organisation, metric: Metric, period: Period, team_id: int | None, now: datetime
) -> list[tuple[User, Standing]]:
    """Everyone with a goal on `metric` for exactly this period ranked on its attainment
    (percent of their own target: fair between a big territory and a small one); reps
    without such a goal stand unranked."""
    structure, users = await _board_people(organisation, team_id)
    goals = await goal_store.rep_goals_for(organisation.id, metric, period, sorted(users))

    async def known() -> Structure:
        return structure

    measured = await read_progress(organisation, goals, now, known)
    attained: dict[int, Decimal | None] = {}
    for goal in goals:
        progress = measured.get(goal.id)
        if goal.owner_rep_id is not None and progress is not None:
            attained[goal.owner_rep_id] = shown_or_none(progress.attainment)
    board = [rep for rep in sorted(users) if users[rep].role is Role.REP or rep in attained]
    figures = [Figure(rep, attained.get(rep)) for rep in board]
    return [(users[int(str(s.key))], s) for s in rank(figures)]


async def points_leaderboard(
    organisation: Organisation, period: Period, team_id: int | None
) -> list[tuple[User, Standing]]:
    """Everyone of the scope ranked on the points earned in the period: standing badges'
    points and event points."""
    _, users = await _board_people(organisation, team_id)
    since, before = period.bounds(ZoneInfo(organisation.timezone))
    points = await store.points_earned(organisation.id, sorted(users), since, before)
    board = [rep for rep in sorted(users) if users[rep].role is Role.REP or points.get(rep)]
    figures = [Figure(rep, Decimal(points.get(rep, 0))) for rep in board]
    return [(users[int(str(s.key))], s) for s in rank(figures)]


async def team_leaderboard(
    organisation: Organisation,
    metric: Metric,
    period: Period,
    parent_id: int | None,
    minimum_sample: int | None = None,
    market_id: int | None = None,
) -> list[tuple[int, list[User], Standing]]:
    """The teams right below `parent_id` (the top teams when None) ranked on their figure,
    each with its people who sell (sub-teams included)."""
    structure = await Structure.load(organisation.id)
    teams = sorted(team for team, parent in structure.parents.items() if parent == parent_id)
    totals = await totals_of_teams(organisation, metric, period, teams, market_id)
    reps_of = {team: members(team, structure.parents, structure.teams_of) for team in teams}
    users = await people.users_by_ids(organisation.id, [r for rs in reps_of.values() for r in rs])
    sellers = await totals_of_reps(organisation, metric, period, sorted(users), market_id)
    sample = minimum_sample_of(organisation, metric, minimum_sample)
    ranked = rank([_figure(team, metric, totals[team]) for team in teams], sample or 0)
    return [
        (
            int(str(s.key)),
            [users[r] for r in reps_of[int(str(s.key))] if _on_board(users[r], sellers[r])],
            s,
        )
        for s in ranked
    ]


async def contest_standings(
    organisation: Organisation, contest: Contest
) -> list[tuple[User, Standing]]:
    """Where everyone of a contest stands: in a contest between teams, every rep of a team
    stands where the team stands."""
    period = Period(contest.starts_on, contest.ends_on)
    if not contest.between_teams:
        return await leaderboard(organisation, contest.metric, period, contest.team_id)
    return [
        (user, standing)
        for _, reps, standing in await team_leaderboard(
            organisation, contest.metric, period, contest.team_id
        )
        for user in reps
    ]
