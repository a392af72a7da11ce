"""Who may do what. Queries, mutations and subscriptions all ask here."""

from __future__ import annotations

from api.auth import Viewer
from api.errors import Forbidden
from core.goals.models import Goal
from core.orgs.models import Role

STRUCTURE_ROLES = (Role.ADMIN, Role.MANAGER)
GOAL_SETTING_ROLES = (Role.ADMIN, Role.MANAGER)
INGEST_ROLES = (Role.ADMIN,)


def require_role(viewer: Viewer, roles: tuple[Role, ...]) -> None:
    if viewer.role not in roles:
        raise Forbidden()


def can_read_goal(viewer: Viewer, goal: Goal) -> bool:
    if goal.organisation_id != viewer.organisation_id:
        return False
    if viewer.role is Role.REP:
        return goal.owner_rep_id == viewer.user_id
    return True
