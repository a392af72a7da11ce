"""Who may read and do what. Queries, mutations and subscriptions all ask here.

ADMIN: the whole organisation. MANAGER: the teams they manage, the teams below those and
their members (and themselves). REP: themselves. An API key: only what its scopes allow
(`ingest` to feed CRM data, `read` to read everything). No one sees another organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from tortoise.expressions import Q
from tortoise.models import Model

from api.errors import Forbidden
from core.auth.tokens import Viewer
from core.goals.models import Goal, OwnerType
from core.goals.service import Structure
from core.orgs.models import Role
from core.orgs.store import exists_anywhere
from domain.teams import members, subtree

INGEST_SCOPE = "ingest"
READ_SCOPE = "read"
R = TypeVar("R")


@dataclass(frozen=True)
class Access:
    viewer: Viewer
    # Readable reps and teams; None for all of the organisation's.
    rep_ids: frozenset[int] | None
    team_ids: frozenset[int] | None
    # Everyone and every team of the viewer's organisation: ids from elsewhere are refused.
    organisation_users: frozenset[int]
    organisation_teams: frozenset[int]
    # The team the viewer sits in: a rep sees its name and cadence, not its other people.
    own_team: int | None = None

    @classmethod
    def of(cls, viewer: Viewer, structure: Structure, managed: list[int]) -> Access:
        """`managed` are the teams naming the viewer as their manager."""
        users, teams = frozenset(structure.teams_of), frozenset(structure.parents)
        own = structure.teams_of.get(viewer.user_id) if viewer.user_id is not None else None
        if viewer.role is Role.ADMIN:
            return cls(viewer, None, None, users, teams, own)
        if viewer.role is Role.MANAGER and viewer.user_id is not None:
            below = frozenset(t for team in managed for t in subtree(team, structure.parents))
            reps = {
                rep
                for team in managed
                for rep in members(team, structure.parents, structure.teams_of)
            }
            return cls(viewer, frozenset(reps | {viewer.user_id}), below, users, teams, own)
        if viewer.user_id is not None:
            return cls(viewer, frozenset({viewer.user_id}), frozenset(), users, teams, own)
        if READ_SCOPE in viewer.scopes:
            return cls(viewer, None, None, users, teams)
        return cls(viewer, frozenset(), frozenset(), users, teams)

    @property
    def may_read(self) -> bool:
        """People may read; an API key only with the `read` scope (`ingest` feeds data)."""
        return self.viewer.user_id is not None or READ_SCOPE in self.viewer.scopes

    @property
    def is_admin(self) -> bool:
        return self.viewer.role is Role.ADMIN

    def can_read_rep(self, rep_id: int) -> bool:
        readable = self.organisation_users if self.rep_ids is None else self.rep_ids
        return rep_id in readable

    def can_read_team(self, team_id: int) -> bool:
        readable = self.organisation_teams if self.team_ids is None else self.team_ids
        return team_id in readable

    def can_see_team(self, team_id: int) -> bool:
        """Its name and cadence: a team one may read, or one's own."""
        return team_id == self.own_team or self.can_read_team(team_id)

    def can_read_private_note(self, rep_id: int) -> bool:
        """A manager's note on a check-in: managers and admins, never the rep it is about."""
        return (
            self.viewer.role in (Role.MANAGER, Role.ADMIN)
            and self.viewer.user_id != rep_id
            and self.can_read_rep(rep_id)
        )

    def holds_credentials_of(self, rep_id: int) -> bool:
        """An award's Open Badges credential is its rep's alone: it names them and is
        theirs to carry, so no manager or admin reads it."""
        return self.viewer.user_id == rep_id

    def can_read_goal(self, goal: Goal) -> bool:
        if goal.organisation_id != self.viewer.organisation_id:
            return False
        return self.can_read_goal_of(goal.owner_type, goal.owner_rep_id, goal.owner_team_id)

    def can_read_goal_of(
        self, owner_type: OwnerType, rep_id: int | None, team_id: int | None
    ) -> bool:
        """Whether a goal of this owner is readable (for events, which carry no model)."""
        if owner_type is OwnerType.REP:
            return rep_id is not None and self.can_read_rep(rep_id)
        if owner_type is OwnerType.TEAM:
            return team_id is not None and self.can_read_team(team_id)
        # The organisation's goals are the context every manager works in.
        return self.rep_ids is None or self.viewer.role is Role.MANAGER

    def goal_filter(self) -> Q | None:
        """`can_read_goal` as a database filter; None when every goal is readable."""
        if self.rep_ids is None:
            return None
        readable = Q(owner_rep_id__in=sorted(self.rep_ids)) | Q(
            owner_team_id__in=sorted(self.team_ids or ())
        )
        if self.viewer.role is Role.MANAGER:
            readable |= Q(owner_type=OwnerType.ORGANISATION)
        return readable

    def can_set_goal_for(self, owner_type: OwnerType, owner_id: int | None) -> bool:
        if owner_type is OwnerType.ORGANISATION:
            return self.is_admin
        if owner_id is None or self.viewer.role not in (Role.ADMIN, Role.MANAGER):
            return False
        if owner_type is OwnerType.REP:
            # A manager sets goals for their people, not for themselves.
            return owner_id != self.viewer.user_id and self.can_read_rep(owner_id)
        return self.can_read_team(owner_id)

    def can_coach(self, rep_id: int) -> bool:
        """Assign a rep training and record a coached session: whoever sets their goals."""
        return self.can_set_goal_for(OwnerType.REP, rep_id)

    def can_manage_team(self, team_id: int | None) -> bool:
        """Create teams under it and people in it; None is the top of the organisation."""
        if team_id is None:
            return self.is_admin
        return self.viewer.role in (Role.ADMIN, Role.MANAGER) and self.can_read_team(team_id)

    def can_aim(self) -> bool:
        """Read where markets are left to win (whitespace): admins, managers, read keys."""
        return self.rep_ids is None or self.viewer.role is Role.MANAGER

    def can_ingest(self) -> bool:
        return self.is_admin or INGEST_SCOPE in self.viewer.scopes

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise Forbidden()


async def visible(
    access: Access, model: type[Model], row_id: int | None, row: R | None, readable: bool
) -> R | None:
    """A row fetched by id, as a query answers it: the row when the viewer may read it,
    FORBIDDEN when it exists but is not theirs (another organisation's included), null when
    there is no such row anywhere."""
    if row is not None:
        access.require(readable)
        return row
    if row_id is not None and await exists_anywhere(model, row_id):
        raise Forbidden()
    return None
