"""Edits of people and teams after they were made: each checked, kept in the audit trail
(who, when, before → after) and followed by a re-measure of the figures it changes."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from core.audit import store as audit
from core.audit.models import ObjectType
from core.auth.service import set_active
from core.goals import figures
from core.orgs import store
from core.orgs.models import Role, Team, User
from core.outbox import store as outbox
from domain.errors import ErrorCode, FieldError
from domain.teams import ancestors, members


async def _team_or_error(organisation_id: int, team_id: int, field: str) -> Team | FieldError:
    team = await store.find_team(organisation_id, team_id)
    if team is None:
        return FieldError(field, ErrorCode.NOT_FOUND, "No such team in this organisation.")
    if team.archived_at is not None:
        return FieldError(field, ErrorCode.CONFLICT, f"Team '{team.name}' is archived.")
    return team


async def move_person(
    user: User, team_id: int | None, actor_id: int | None, now: datetime, reason: str | None
) -> User | FieldError:
    """Put someone in another team (a rep must have one): their figures then count for
    the new team's goals and no longer for the old one's."""
    if team_id is None and user.role is Role.REP:
        return FieldError("teamId", ErrorCode.REQUIRED, "A rep belongs to a team.")
    if team_id is not None:
        team = await _team_or_error(user.organisation_id, team_id, "teamId")
        if isinstance(team, FieldError):
            return team
    if team_id == user.team_id:
        return user
    before = user.team_id
    tree = await store.team_tree(user.organisation_id)
    old_mates = (
        members(before, tree, await store.rep_teams(user.organisation_id))
        if before is not None
        else ()
    )
    async with in_transaction():
        user.team_id = team_id
        await user.save(update_fields=["team_id"])
        await figures.restructured(user.organisation_id)
        await audit.record(
            user.organisation_id,
            actor_id,
            now,
            "PERSON_MOVED",
            ObjectType.PERSON,
            user.id,
            {"teamId": before},
            {"teamId": team_id},
            reason,
        )
        # The person and whoever stays behind: both sides' goals are measured again.
        await outbox.record(user.organisation_id, {user.id, *old_mates})
    return user


async def change_role(
    user: User, role: Role, actor_id: int | None, now: datetime, reason: str | None
) -> User | FieldError:
    if user.id == actor_id:
        return FieldError("userId", ErrorCode.INVALID, "You may not change your own role.")
    if role is Role.REP and user.team_id is None:
        return FieldError("role", ErrorCode.INVALID, "A rep belongs to a team: move them first.")
    if user.role is role:
        return user
    before = user.role
    async with in_transaction():
        user.role = role
        await user.save(update_fields=["role"])
        if role is not Role.MANAGER:
            # Teams they managed keep no manager who is not one.
            await Team.filter(organisation_id=user.organisation_id, manager_id=user.id).update(
                manager_id=None
            )
        await audit.record(
            user.organisation_id,
            actor_id,
            now,
            "ROLE_CHANGED",
            ObjectType.PERSON,
            user.id,
            {"role": before.value},
            {"role": role.value},
            reason,
        )
        # Leaderboards list reps, and people of other roles once they sell.
        await outbox.record(user.organisation_id, {user.id})
    return user


async def set_person_active(
    user: User, active: bool, actor_id: int | None, now: datetime, reason: str | None
) -> User | FieldError:
    if user.id == actor_id:
        return FieldError("userId", ErrorCode.INVALID, "You may not deactivate yourself.")
    before = user.active
    async with in_transaction():
        await set_active(user, active, now)
        if before != active:
            await audit.record(
                user.organisation_id,
                actor_id,
                now,
                "PERSON_ACTIVATED" if active else "PERSON_DEACTIVATED",
                ObjectType.PERSON,
                user.id,
                {"active": before},
                {"active": active},
                reason,
            )
    return user


async def edit_team(
    team: Team,
    name: str | None,
    parent_id: int | None,
    to_top: bool,
    actor_id: int | None,
    now: datetime,
    reason: str | None,
) -> Team | FieldError:
    """Rename a team, or move it under another (`to_top`: to the top of the tree)."""
    if team.archived_at is not None:
        return FieldError("teamId", ErrorCode.CONFLICT, f"Team '{team.name}' is archived.")
    org = team.organisation_id
    before = {"name": team.name, "parentId": team.parent_id}
    after = dict(before)
    if name is not None:
        cleaned = " ".join(name.split())
        if not cleaned:
            return FieldError("name", ErrorCode.REQUIRED, "A team needs a name.")
        if await store.name_taken(org, cleaned, other_than=team.id):
            return FieldError("name", ErrorCode.CONFLICT, f"A team is already named '{cleaned}'.")
        after["name"] = cleaned
    if parent_id is not None or to_top:
        if parent_id is not None:
            parent = await _team_or_error(org, parent_id, "parentId")
            if isinstance(parent, FieldError):
                return parent
            if team.id in ancestors(parent_id, await store.team_tree(org)):
                return FieldError("parentId", ErrorCode.INVALID, "A team cannot move below itself.")
        after["parentId"] = parent_id
    if after == before:
        return team
    moved = after["parentId"] != before["parentId"]
    async with in_transaction():
        team.name, team.parent_id = str(after["name"]), after["parentId"]  # type: ignore[assignment]
        await team.save(update_fields=["name", "parent_id"])
        if moved:
            await figures.restructured(org)
            people = members(team.id, await store.team_tree(org), await store.rep_teams(org))
            await outbox.record(org, people)
        await audit.record(
            org, actor_id, now, "TEAM_EDITED", ObjectType.TEAM, team.id, before, after, reason
        )
    return team


async def archive_team(
    team: Team, actor_id: int | None, now: datetime, reason: str | None
) -> Team | FieldError:
    """Archive a team nobody is in any more and no team in use sits under."""
    if team.archived_at is not None:
        return team
    org = team.organisation_id
    if await User.filter(organisation_id=org, team_id=team.id).exists():
        return FieldError(
            "teamId", ErrorCode.CONFLICT, "People are still in this team: move them first."
        )
    if await Team.filter(organisation_id=org, parent_id=team.id, archived_at=None).exists():
        return FieldError(
            "teamId", ErrorCode.CONFLICT, "Teams in use sit under this one: move or archive them."
        )
    async with in_transaction():
        team.archived_at = now
        await team.save(update_fields=["archived_at"])
        await audit.record(
            org,
            actor_id,
            now,
            "TEAM_ARCHIVED",
            ObjectType.TEAM,
            team.id,
            {"archivedAt": None},
            {"archivedAt": now.isoformat()},
            reason,
        )
    return team
