"""Every query of organisations, teams and users."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.orgs.models import Holiday, Organisation, Role, Team, User
from domain.calendar import WorkingCalendar


async def create_organisation(
    name: str, *, currency: str, timezone: str, fiscal_year_start_month: int
) -> Organisation:
    return await Organisation.create(
        name=name,
        currency=currency,
        timezone=timezone,
        fiscal_year_start_month=fiscal_year_start_month,
    )


async def get_organisation(organisation_id: int) -> Organisation:
    return await Organisation.get(id=organisation_id)


async def create_team(organisation_id: int, name: str, parent_id: int | None) -> Team:
    return await Team.create(organisation_id=organisation_id, name=name, parent_id=parent_id)


async def create_user(
    organisation_id: int,
    *,
    email: str,
    name: str,
    role: Role,
    team_id: int | None,
    password_hash: str | None,
    external_id: str | None = None,
) -> User:
    return await User.create(
        organisation_id=organisation_id,
        email=email,
        name=name,
        role=role,
        team_id=team_id,
        password_hash=password_hash,
        external_id=external_id,
    )


async def find_team(organisation_id: int, team_id: int) -> Team | None:
    return await Team.get_or_none(organisation_id=organisation_id, id=team_id)


async def find_user(organisation_id: int, user_id: int) -> User | None:
    return await User.get_or_none(organisation_id=organisation_id, id=user_id)


async def users_by_email(organisation_id: int, emails: Iterable[str]) -> dict[str, User]:
    users = await User.filter(organisation_id=organisation_id, email__in=list(set(emails)))
    return {user.email: user for user in users}


async def users_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, User]:
    users = await User.filter(organisation_id=organisation_id, id__in=list(set(ids)))
    return {user.id: user for user in users}


async def teams_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Team]:
    teams = await Team.filter(organisation_id=organisation_id, id__in=list(set(ids)))
    return {team.id: team for team in teams}


async def team_tree(organisation_id: int) -> dict[int, int | None]:
    """Every team of the organisation and its parent: the whole tree in one small query."""
    rows = await Team.filter(organisation_id=organisation_id).values_list("id", "parent_id")
    return {team_id: parent_id for team_id, parent_id in rows}


async def rep_teams(organisation_id: int) -> dict[int, int | None]:
    """Every user of the organisation and their team."""
    rows = await User.filter(organisation_id=organisation_id).values_list("id", "team_id")
    return {user_id: team_id for user_id, team_id in rows}


async def organisation_ids() -> list[int]:
    return list(await Organisation.all().order_by("id").values_list("id", flat=True))


async def teams_managed_by(user_id: int) -> list[int]:
    return list(await Team.filter(manager_id=user_id).values_list("id", flat=True))


async def exists_anywhere(model: type[Model], row_id: int) -> bool:
    """Whether any organisation has this row: to tell "not yours" from "not there"."""
    return await model.filter(id=row_id).exists()


def people_of(
    organisation_id: int,
    readable: Collection[int] | None,
    within: Collection[int] | None,
    role: Role | None = Role.REP,
    active: bool | None = None,
) -> QuerySet[User]:
    """People among `readable` (None: all) and, when given, among `within`, of a role and
    an active state (None: any)."""
    query = User.filter(organisation_id=organisation_id)
    if role is not None:
        query = query.filter(role=role)
    if active is not None:
        query = query.filter(active=active)
    for ids in (readable, within):
        if ids is not None:
            query = query.filter(id__in=sorted(ids))
    return query


async def holidays(organisation_id: int, year: int | None) -> list[Holiday]:
    query = Holiday.filter(organisation_id=organisation_id)
    if year is not None:
        query = query.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
    return await query.order_by("day")


async def teams_of(organisation_id: int, include_archived: bool) -> list[Team]:
    query = Team.filter(organisation_id=organisation_id)
    if not include_archived:
        query = query.filter(archived_at=None)
    return await query.order_by("id")


async def name_taken(organisation_id: int, name: str, other_than: int | None = None) -> bool:
    """Whether a team in use already has this name (case and spaces aside)."""
    wanted = " ".join(name.split()).casefold()
    teams = await teams_of(organisation_id, include_archived=False)
    return any(
        " ".join(team.name.split()).casefold() == wanted and team.id != other_than for team in teams
    )


async def holidays_between(organisation_id: int, first: date, last: date) -> list[date]:
    return list(
        await Holiday.filter(organisation_id=organisation_id, day__gte=first, day__lte=last)
        .order_by("day")
        .values_list("day", flat=True)
    )


async def add_holiday(organisation_id: int, day: date, name: str) -> Holiday:
    holiday, _ = await Holiday.update_or_create(
        organisation_id=organisation_id, day=day, defaults={"name": name}
    )
    return holiday


async def working_calendar(organisation: Organisation, first: date, last: date) -> WorkingCalendar:
    """The organisation's working weekdays, with its holidays between `first` and `last`."""
    return WorkingCalendar(
        frozenset(int(d) for d in organisation.working_days),
        frozenset(await holidays_between(organisation.id, first, last)),
    )


async def team_managers(organisation_id: int) -> dict[int, int | None]:
    return dict(await Team.filter(organisation_id=organisation_id).values_list("id", "manager_id"))
