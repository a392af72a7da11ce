"""Data loaders, built fresh for each request (and each subscription event)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from strawberry.dataloader import DataLoader

from core.goals import service as goals
from core.goals import store as goal_store
from core.goals.models import Goal
from core.orgs import store as people
from core.orgs.models import Team, User
from domain.progress import Progress
from gamification import store as gamification_store
from gamification.models import Award


@dataclass(frozen=True)
class Loaders:
    users: DataLoader[int, User | None]
    teams: DataLoader[int, Team | None]
    goals: DataLoader[int, Goal | None]
    progress: DataLoader[int, Progress]
    goal_awards: DataLoader[int, list[Award]]


def create_loaders(organisation_id: int, now: datetime) -> Loaders:
    """Loaders that only ever read `organisation_id`'s rows, measuring progress at `now`."""

    async def load_users(ids: Sequence[int]) -> list[User | None]:
        found = await people.users_by_ids(organisation_id, ids)
        return [found.get(key) for key in ids]

    async def load_teams(ids: Sequence[int]) -> list[Team | None]:
        found = await people.teams_by_ids(organisation_id, ids)
        return [found.get(key) for key in ids]

    async def load_goals(ids: Sequence[int]) -> list[Goal | None]:
        found = await goal_store.goals_by_ids(organisation_id, ids)
        return [found.get(key) for key in ids]

    async def load_progress(ids: Sequence[int]) -> list[Progress]:
        organisation = await people.get_organisation(organisation_id)
        found = await goal_store.goals_by_ids(organisation_id, ids)
        return [await goals.measure(organisation, found[key], now) for key in ids]

    async def load_goal_awards(ids: Sequence[int]) -> list[list[Award]]:
        by_goal: dict[int, list[Award]] = defaultdict(list)
        for award in await gamification_store.awards_for_goals(organisation_id, ids):
            if award.goal_id is not None:
                by_goal[award.goal_id].append(award)
        return [by_goal[key] for key in ids]

    return Loaders(
        users=DataLoader(load_users),
        teams=DataLoader(load_teams),
        goals=DataLoader(load_goals),
        progress=DataLoader(load_progress),
        goal_awards=DataLoader(load_goal_awards),
    )
