"""The organisation's people and teams as an import sees them: found by CRM id, email or
name, and created (reps, their managers, their teams and the offices above them) when the
import is allowed to. What a file says of a team once, it may not contradict later."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from core.goals import figures
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from domain.errors import ErrorCode, FieldError
from domain.imports import OwnerRef, RepRow

# Where reps created without a team of their own go: every rep belongs to a team.
DEFAULT_TEAM = "Imported"
# People exported without an email are given an address under this reserved domain
# (RFC 2606: it can never be delivered to), unique in the organisation; a later file that
# gives their real email replaces it.
NO_EMAIL_DOMAIN = "no-email.invalid"


def has_no_email(user: User) -> bool:
    return user.email.endswith("." + NO_EMAIL_DOMAIN)


@dataclass
class Directory:
    organisation_id: int
    by_email: dict[str, User]
    by_name: dict[str, list[User]]
    by_external_id: dict[str, User]
    teams: dict[str, Team]
    created_users: int = 0
    created_teams: int = 0
    # The users this import made or moved: their figures are re-measured afterwards.
    touched: set[int] = field(default_factory=set)
    # Writes made so far: a row that adds none is counted unchanged.
    writes: int = 0
    # What the file said of each team (its manager, its parent), with the line it said it.
    said: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    @classmethod
    async def load(cls, organisation_id: int) -> Directory:
        users = await User.filter(organisation_id=organisation_id)
        teams = await Team.filter(organisation_id=organisation_id).order_by("id")
        directory = cls(
            organisation_id, {}, {}, {}, {t.name.strip().lower(): t for t in reversed(teams)}
        )
        for user in users:
            directory._remember(user)
        return directory

    def find(self, value: str, match: str) -> User | FieldError:
        """The user a row names by email, CRM id or name (which must name exactly one)."""
        if match != "name":
            key = value.strip().lower() if match == "email" else value.strip()
            user = (self.by_email if match == "email" else self.by_external_id).get(key)
            return user or FieldError("owner", ErrorCode.NOT_FOUND, "no such person")
        named = self.by_name.get(value.strip().lower(), [])
        if len(named) > 1:
            return FieldError("owner", ErrorCode.CONFLICT, f"{len(named)} people have this name")
        if not named:
            return FieldError("owner", ErrorCode.NOT_FOUND, "no such person")
        return named[0]

    def keys(self, match: str) -> dict[str, int]:
        """Each text `find` takes for exactly one person by `match` → their id (emails and
        names lowercased, as `find` reads them)."""
        if match == "email":
            return {email: user.id for email, user in self.by_email.items()}
        if match == "external_id":
            return {key: user.id for key, user in self.by_external_id.items()}
        return {name: users[0].id for name, users in self.by_name.items() if len(users) == 1}

    def person(self, row: RepRow) -> User | FieldError | None:
        """The stored person a row is: by CRM id, else email, else name; None if new."""
        for match, value in (("external_id", row.external_id), ("email", row.email)):
            if value:
                found = self.find(value, match)
                if isinstance(found, User):
                    return found
        if row.external_id or row.email:
            return None
        found = self.find(row.name, "name")
        if isinstance(found, FieldError) and found.code is ErrorCode.NOT_FOUND:
            return None
        return found

    async def owner(self, ref: OwnerRef, match: str, create: bool, line: int) -> User | FieldError:
        """The row's owner; a new rep when allowed to make one."""
        found = self.find(ref.value, match)
        if isinstance(found, User) or not create or found.code is not ErrorCode.NOT_FOUND:
            return found
        email = ref.value if match == "email" else ref.email
        name = ref.name or (ref.value if match == "name" else None)
        if name is None:
            name = email.split("@")[0] if email else ref.value
        external_id = ref.value if match == "external_id" else None
        row = RepRow(name, email.lower() if email else None, ref.team, ref.manager, external_id)
        return await self.put_rep(row, line)

    async def put_rep(self, row: RepRow, line: int) -> User | FieldError:
        """Create the person, or update their name, email, CRM id and team (when the row
        names one): an import's people are upserted by who they are."""
        user = self.person(row)
        if isinstance(user, FieldError):
            return FieldError("name", user.code, user.message)
        placed = row.team or row.manager or user is None
        team = await self._team(row, line) if placed else None
        if isinstance(team, FieldError):
            return team
        if user is None:
            assert team is not None
            made = await self._create(row.name, row.email, Role.REP, team.id, row.external_id)
            if not isinstance(made, FieldError):
                self.touched.add(made.id)
            return made
        team_id = team.id if team is not None else user.team_id
        external_id = row.external_id or user.external_id
        email = user.email if row.email is None else row.email
        if email != user.email and email in self.by_email:
            return FieldError("email", ErrorCode.CONFLICT, "another person has this email")
        if (user.name, user.email, user.team_id, user.external_id) != (
            row.name,
            email,
            team_id,
            external_id,
        ):
            moved = user.team_id != team_id
            self._forget(user)
            user.name, user.email, user.team_id, user.external_id = (
                row.name,
                email,
                team_id,
                external_id,
            )
            self._remember(user)
            async with in_transaction():
                await user.save(update_fields=["name", "email", "team_id", "external_id"])
                self.writes += 1
                if moved:
                    await figures.restructured(self.organisation_id)
            self.touched.add(user.id)
        return user

    async def _create(
        self, name: str, email: str | None, role: Role, team_id: int | None, external_id: str | None
    ) -> User | FieldError:
        made = await orgs.create_user(
            self.organisation_id,
            email=email or self._no_email(external_id or name),
            name=name,
            role=role,
            team_id=team_id,
            external_id=external_id,
        )
        if not isinstance(made, FieldError):
            self._remember(made)
            self.created_users += 1
            self.writes += 1
        return made

    def _no_email(self, name: str) -> str:
        """A reserved address for a person the file gives no email, unique everywhere."""
        local = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "person"
        domain = f"org{self.organisation_id}.{NO_EMAIL_DOMAIN}"
        candidate, n = f"{local}@{domain}", 1
        while candidate in self.by_email:
            n += 1
            candidate = f"{local}.{n}@{domain}"
        return candidate

    def _contradicts(self, team: str, what: str, value: str | None, line: int) -> FieldError | None:
        """An error if an earlier line of the file gave this team another `what`."""
        if not value:
            return None
        earlier = self.said.setdefault((team.lower(), what), (value.strip().lower(), line))
        if earlier[0] == value.strip().lower():
            return None
        return FieldError(
            what,
            ErrorCode.CONFLICT,
            f"line {earlier[1]} gave team {team!r} another {what.replace('_', ' ')}",
        )

    async def _team(self, row: RepRow, line: int) -> Team | FieldError:
        """The team a row names (made when new), under the parent team it names; a manager
        column names its manager (made when new), and alone names the manager's team."""
        if row.team:
            for what, value in (("manager", row.manager), ("parent_team", row.parent_team)):
                contradiction = self._contradicts(row.team.strip(), what, value, line)
                if contradiction is not None:
                    return contradiction
        lead = await self._manager(row.manager) if row.manager else None
        if isinstance(lead, FieldError):
            return lead
        parent = await self._named_team(row.parent_team, None) if row.parent_team else None
        if isinstance(parent, FieldError):
            return parent
        team_name = row.team or (f"{lead.name}'s team" if lead else DEFAULT_TEAM)
        team = await self._named_team(team_name, parent)
        if isinstance(team, FieldError):
            return team
        if lead is not None and team.manager_id != lead.id:
            if lead.role is Role.REP:
                lead.role = Role.MANAGER
                await lead.save(update_fields=["role"])
            team.manager_id = lead.id
            await team.save(update_fields=["manager_id"])
            self.writes += 1
        return team

    async def _manager(self, named: str) -> User | FieldError:
        """A team's manager by email or name; made (with no team of their own) when new."""
        by_email = "@" in named
        found = self.find(named, "email" if by_email else "name")
        if isinstance(found, FieldError) and found.code is ErrorCode.NOT_FOUND:
            email, name = (named.lower(), named.split("@")[0]) if by_email else (None, named)
            found = await self._create(name, email, Role.MANAGER, None, None)
        if isinstance(found, FieldError):
            return FieldError("manager", found.code, found.message)
        return found

    async def _named_team(self, name: str, parent: Team | None) -> Team | FieldError:
        """The team of this name, made when new; placed under `parent` when given."""
        team = self.teams.get(name.strip().lower())
        if team is None:
            made = await orgs.create_team(
                self.organisation_id, name.strip(), parent.id if parent else None
            )
            if isinstance(made, FieldError):
                return made
            self.teams[name.strip().lower()] = team = made
            self.created_teams += 1
            self.writes += 1
        elif parent is not None and team.parent_id != parent.id:
            if self._above(team, parent):
                return FieldError(
                    "parent_team", ErrorCode.INVALID, f"{team.name!r} is above {parent.name!r}"
                )
            team.parent_id = parent.id
            async with in_transaction():
                await team.save(update_fields=["parent_id"])
                self.writes += 1
                await figures.restructured(self.organisation_id)
        return team

    def _above(self, team: Team, other: Team) -> bool:
        """Whether `team` is `other` or one of the teams above it."""
        by_id = {t.id: t for t in self.teams.values()}
        seen: set[int] = set()
        current: Team | None = other
        while current is not None and current.id not in seen:
            if current.id == team.id:
                return True
            seen.add(current.id)
            current = by_id.get(current.parent_id) if current.parent_id else None
        return False

    def _remember(self, user: User) -> None:
        self.by_email[user.email] = user
        self.by_name.setdefault(user.name.strip().lower(), []).append(user)
        if user.external_id:
            self.by_external_id[user.external_id] = user

    def _forget(self, user: User) -> None:
        self.by_email.pop(user.email, None)
        self.by_name.get(user.name.strip().lower(), []).remove(user)
        if user.external_id:
            self.by_external_id.pop(user.external_id, None)
