"""The organisation's people and teams as an import sees them: found by email or name, and
created (reps, their managers and teams) when the import is allowed to."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from core.goals import figures
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from domain.errors import ErrorCode, FieldError
from domain.imports import OwnerRef, RepRow

# Where reps created without a team of their own go: every rep belongs to a team.
DEFAULT_TEAM = "Imported"


@dataclass
class Directory:
    organisation_id: int
    by_email: dict[str, User]
    by_name: dict[str, list[User]]
    teams: dict[str, Team]
    created_users: int = 0
    created_teams: int = 0
    # The users this import made or moved: their figures are re-measured afterwards.
    touched: set[int] = field(default_factory=set)

    @classmethod
    async def load(cls, organisation_id: int) -> Directory:
        users = await User.filter(organisation_id=organisation_id)
        by_name: dict[str, list[User]] = {}
        for user in users:
            by_name.setdefault(user.name.strip().lower(), []).append(user)
        teams = await Team.filter(organisation_id=organisation_id).order_by("id")
        return cls(
            organisation_id,
            {user.email: user for user in users},
            by_name,
            {team.name.strip().lower(): team for team in reversed(teams)},
        )

    def find(self, value: str, match: str) -> User | FieldError:
        """The user a row names, by email or by name (which must name exactly one)."""
        if match == "email":
            user = self.by_email.get(value.strip().lower())
            if user is None:
                return FieldError("owner", ErrorCode.NOT_FOUND, f"no user with email {value!r}")
            return user
        named = self.by_name.get(value.strip().lower(), [])
        if len(named) > 1:
            return FieldError(
                "owner", ErrorCode.CONFLICT, f"{len(named)} people are named {value!r}"
            )
        if not named:
            return FieldError("owner", ErrorCode.NOT_FOUND, f"no user named {value!r}")
        return named[0]

    async def owner(self, ref: OwnerRef, match: str, create: bool) -> User | FieldError:
        """The row's owner; a new rep when allowed and the row says enough to make one."""
        found = self.find(ref.value, match)
        if isinstance(found, User) or not create or found.code is not ErrorCode.NOT_FOUND:
            return found
        email = ref.value if match == "email" else ref.email
        if not email:
            return FieldError(
                "owner_email",
                ErrorCode.REQUIRED,
                f"no user named {ref.value!r}, and no owner_email column to create them with",
            )
        name = ref.name or (ref.value if match == "name" else email.split("@")[0])
        return await self.put_rep(RepRow(email.lower(), name, ref.team, ref.manager, None))

    async def put_rep(self, row: RepRow) -> User | FieldError:
        """Create the rep, or update their name (and their team, when the row names one):
        an import's reps are upserted by email."""
        user = self.by_email.get(row.email)
        placed = row.team or row.manager or user is None
        team = await self._team(row.team, row.manager) if placed else None
        if isinstance(team, FieldError):
            return team
        if user is None:
            assert team is not None
            made = await orgs.create_user(
                self.organisation_id,
                email=row.email,
                name=row.name,
                role=Role.REP,
                team_id=team.id,
                external_id=row.external_id,
            )
            if isinstance(made, FieldError):
                return made
            self._remember(made)
            self.created_users += 1
            self.touched.add(made.id)
            return made
        team_id = team.id if team is not None else user.team_id
        external_id = row.external_id or user.external_id
        if (user.name, user.team_id, user.external_id) != (row.name, team_id, external_id):
            moved = user.team_id != team_id
            user.name, user.team_id, user.external_id = row.name, team_id, external_id
            async with in_transaction():
                await user.save(update_fields=["name", "team_id", "external_id"])
                if moved:
                    await figures.restructured(self.organisation_id)
            self.touched.add(user.id)
        return user

    async def _team(self, name: str | None, manager: str | None) -> Team | FieldError:
        """The team a row names (made when new); a manager column names its manager, and
        alone names the manager's team."""
        lead: User | None = None
        if manager:
            found = self.find(manager, "email" if "@" in manager else "name")
            if isinstance(found, FieldError) and "@" in manager:
                made = await orgs.create_user(
                    self.organisation_id,
                    email=manager,
                    name=manager.split("@")[0],
                    role=Role.MANAGER,
                    team_id=None,
                )
                if isinstance(made, FieldError):
                    return made
                self._remember(made)
                self.created_users += 1
                found = made
            if isinstance(found, FieldError):
                return FieldError(
                    "manager",
                    found.code,
                    f"{found.message}; give their email to create them",
                )
            lead = found
        team_name = name or (f"{lead.name}'s team" if lead else DEFAULT_TEAM)
        team = self.teams.get(team_name.strip().lower())
        if team is None:
            made_team = await orgs.create_team(self.organisation_id, team_name.strip(), None)
            if isinstance(made_team, FieldError):
                return made_team
            team = made_team
            self.teams[team_name.strip().lower()] = team
            self.created_teams += 1
        if lead is not None and team.manager_id != lead.id:
            if lead.role is Role.REP:
                lead.role = Role.MANAGER
                await lead.save(update_fields=["role"])
            team.manager_id = lead.id
            await team.save(update_fields=["manager_id"])
        return team

    def _remember(self, user: User) -> None:
        self.by_email[user.email] = user
        self.by_name.setdefault(user.name.strip().lower(), []).append(user)
