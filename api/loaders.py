"""Data loaders, built fresh for each request (and each subscription event)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

from core.checkins import store as checkin_store
from core.checkins.models import ActionItem
from core.credentials import store as credential_store
from core.credentials.models import IssuedCredential
from core.goals import service as goals
from core.goals import store as goal_store
from core.goals.models import Goal, ProgressSnapshot
from core.markets import store as market_store
from core.markets.models import Market, MarketSize
from core.orgs import store as people
from core.orgs.models import Organisation, Role, Team, User
from core.sales import store as sales
from core.sales.models import Product
from core.training import store as training_store
from core.training.models import Assignment, Course
from domain.progress import Progress
from domain.teams import members
from gamification import store as gamification_store
from gamification.models import Award, BadgeDefinition

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


def _by_key(fetch: Callable[[Sequence[K]], Awaitable[dict[K, V]]]) -> DataLoader[K, V | None]:
    async def load(keys: Sequence[K]) -> list[V | None]:
        found = await fetch(keys)
        return [found.get(key) for key in keys]

    return DataLoader(load)


def _grouped(
    fetch: Callable[[Sequence[K]], Awaitable[Iterable[V]]], key_of: Callable[[V], K]
) -> DataLoader[K, list[V]]:
    async def load(keys: Sequence[K]) -> list[list[V]]:
        groups: dict[K, list[V]] = defaultdict(list)
        for item in await fetch(keys):
            groups[key_of(item)].append(item)
        return [groups[key] for key in keys]

    return DataLoader(load)


def at_once(
    loader: DataLoader[K, V], key: K, shape: Callable[[V], T]
) -> T | Coroutine[Any, Any, T]:
    """`shape` of the loader's value for `key`: at once when a level above has loaded it (no
    coroutine, no task for the executor to gather), else once the loader has it."""
    loaded = loader.cache_map.get(key)
    if (
        loaded is not None
        and loaded.done()
        and not loaded.cancelled()
        and loaded.exception() is None
    ):
        return shape(loaded.result())

    async def later() -> T:
        return shape(await loader.load(key))

    return later()


class Once(Generic[V]):
    """A value read at most once per request, however many resolvers ask for it."""

    def __init__(self, read: Callable[[], Awaitable[V]]) -> None:
        self._read = read
        self._task: asyncio.Future[V] | None = None

    async def __call__(self) -> V:
        if self._task is None:
            self._task = asyncio.ensure_future(self._read())
        return await self._task


@dataclass(frozen=True)
class Loaders:
    # The viewer's organisation and its team structure, read once per request.
    own_organisation: Once[Organisation]
    structure: Once[goals.Structure]
    # Each team's manager, read once per request.
    team_managers: Once[dict[int, int | None]]
    # The badge each code gives now (its newest version).
    badges: Once[dict[str, BadgeDefinition]]
    organisation: DataLoader[int, Organisation | None]
    users: DataLoader[int, User | None]
    teams: DataLoader[int, Team | None]
    products: DataLoader[int, Product | None]
    goals: DataLoader[int, Goal | None]
    children: DataLoader[int, list[Goal]]
    series: DataLoader[str, list[Goal]]
    # Keyed by the goal itself (equal by id), which every asker already holds.
    progress: DataLoader[Goal, Progress | None]
    snapshots: DataLoader[int, list[ProgressSnapshot]]
    goal_awards: DataLoader[int, list[Award]]
    team_reps: DataLoader[int, list[User]]
    rep_goals: DataLoader[int, list[Goal]]
    check_in_items: DataLoader[int, list[ActionItem]]
    action_items: DataLoader[int, ActionItem | None]
    courses: DataLoader[int, Course | None]
    assignments: DataLoader[int, Assignment | None]
    markets: DataLoader[int, Market | None]
    market_sizes: DataLoader[int, list[MarketSize]]
    # Keyed by award id.
    credentials: DataLoader[int, IssuedCredential | None]


def create_loaders(organisation_id: int, now: datetime) -> Loaders:
    """Loaders that only ever read `organisation_id`'s rows, measuring progress at `now`."""
    org = organisation_id
    own_organisation = Once(lambda: people.get_organisation(org))
    structure = Once(lambda: goals.Structure.load(org))

    async def organisations(ids: Sequence[int]) -> dict[int, Organisation]:
        return {org: await own_organisation()} if org in ids else {}

    async def market_sizes(ids: Sequence[int]) -> list[MarketSize]:
        found = await market_store.sizes_of(org, ids)
        return [size for key in ids for size in found.get(key, [])]

    async def load_progress(keys: Sequence[Goal]) -> list[Progress | None]:
        measured = await goals.read_progress(await own_organisation(), keys, now, structure)
        return [measured.get(goal.id) for goal in keys]

    users = _by_key(lambda ids: people.users_by_ids(org, ids))

    async def load_team_reps(ids: Sequence[int]) -> list[list[User]]:
        structure_now = await structure()
        wanted = {
            team: members(team, structure_now.parents, structure_now.teams_of) for team in ids
        }
        found = await people.users_by_ids(org, [u for team in wanted.values() for u in team])
        # Whoever asks for one of them next (an award's rep, a goal's owner) has them.
        users.prime_many(found)
        return [
            [found[u] for u in wanted[team] if u in found and found[u].role is Role.REP]
            for team in ids
        ]

    return Loaders(
        own_organisation=own_organisation,
        structure=structure,
        team_managers=Once(lambda: people.team_managers(org)),
        badges=Once(lambda: gamification_store.badges_by_code(org)),
        organisation=_by_key(organisations),
        users=users,
        teams=_by_key(lambda ids: people.teams_by_ids(org, ids)),
        products=_by_key(lambda ids: sales.products_by_ids(org, ids)),
        goals=_by_key(lambda ids: goal_store.goals_by_ids(org, ids)),
        children=_grouped(lambda ids: goal_store.goals_of_parents(org, ids), lambda g: g.parent_id),
        series=_grouped(lambda ids: goal_store.goals_of_series(org, ids), lambda g: g.series_id),
        progress=DataLoader(load_progress),
        snapshots=_grouped(goal_store.snapshots_of, lambda s: s.goal_id),
        goal_awards=_grouped(
            lambda ids: gamification_store.awards_for_goals(org, ids), lambda a: a.goal_id
        ),
        team_reps=DataLoader(load_team_reps),
        rep_goals=_grouped(
            lambda ids: goal_store.goals_of_reps(org, ids), lambda g: g.owner_rep_id
        ),
        check_in_items=_grouped(checkin_store.action_items_of, lambda item: item.check_in_id),
        action_items=_by_key(lambda ids: checkin_store.action_items_by_ids(org, ids)),
        courses=_by_key(lambda ids: training_store.courses_by_ids(org, ids)),
        assignments=_by_key(lambda ids: training_store.assignments_by_ids(org, ids)),
        markets=_by_key(lambda ids: market_store.markets_by_ids(org, ids)),
        market_sizes=_grouped(market_sizes, lambda size: size.market_id),
        credentials=_by_key(lambda ids: credential_store.credentials_of_awards(org, ids)),
    )
