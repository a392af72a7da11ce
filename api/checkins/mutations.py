"""Mutations of check-ins: write one, acknowledge it, complete what was agreed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from api.checkins.types import ActionItem, CheckIn, RatingEnum
from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.policy import Access
from core.checkins import events, service, store
from core.checkins.events import CheckInEventKind
from core.checkins.models import ActionItem as ActionItemModel
from core.checkins.models import CheckIn as CheckInModel
from core.goals import store as goal_store
from core.goals.models import Goal, OwnerType
from core.orgs.models import Role
from core.orgs.store import exists_anywhere, get_organisation
from domain.checkins import ActionItemDraft
from domain.errors import ErrorCode, FieldError
from workers.relay import after_commit

CheckInResult = Annotated[CheckIn | InputErrors, strawberry.union("CheckInResult")]
ActionItemResult = Annotated[ActionItem | InputErrors, strawberry.union("ActionItemResult")]


@strawberry.input
class ActionItemInput:
    description: str
    owner_id: strawberry.ID = strawberry.field(
        description="The rep, the author or one of the rep's managers."
    )
    due_on: date = strawberry.field(description="Today or later, in the organisation's days.")


@strawberry.input(description="A check-in on one goal (goalId) or on all of a rep's (repId).")
class RecordCheckInInput:
    rep_id: strawberry.ID | None = None
    goal_id: strawberry.ID | None = None
    rating: RatingEnum
    comment: str
    private_note: str | None = strawberry.field(
        default=None, description="Managers only; never shown to the rep."
    )
    action_items: list[ActionItemInput] = strawberry.field(default_factory=list)


async def _unreadable(
    field: str, model: type[CheckInModel | Goal | ActionItemModel], row_id: int
) -> InputErrors:
    """FORBIDDEN for a row that exists but is not the viewer's, NOT_FOUND otherwise."""
    if row_id and await exists_anywhere(model, row_id):
        return InputErrors.forbidden(field, "You may not see this.")
    return InputErrors.not_found(field)


async def _subject(
    access: Access, input: RecordCheckInInput
) -> tuple[int, Goal | None] | InputErrors:
    """The rep the check-in is about, and the goal when it is on one."""
    if (input.rep_id is None) == (input.goal_id is None):
        return InputErrors.of(
            FieldError("goalId", ErrorCode.REQUIRED, "Give either goalId or repId.")
        )
    if input.goal_id is None:
        rep = parse_id(input.rep_id) or 0
        if not access.can_read_rep(rep):
            return InputErrors.forbidden("repId", "You may not check in with this rep.")
        return rep, None
    goal_id = parse_id(input.goal_id) or 0
    goal = await goal_store.find_goal(access.viewer.organisation_id, goal_id) if goal_id else None
    if goal is None or not access.can_read_goal(goal):
        return await _unreadable("goalId", Goal, goal_id)
    if goal.owner_type is not OwnerType.REP or goal.owner_rep_id is None:
        return InputErrors.of(
            FieldError("goalId", ErrorCode.INVALID, "Check-ins are on a rep's goal, not a team's.")
        )
    return goal.owner_rep_id, goal


@strawberry.type
class CheckInMutations:
    @strawberry.mutation(
        description="Write a check-in with the rep (or, as the rep, your own): the progress "
        "as it stands is kept with it."
    )
    async def record_check_in(self, info: Info, input: RecordCheckInInput) -> CheckInResult:
        access = await info.context.access()
        author = access.viewer.user_id
        if author is None:
            return InputErrors.forbidden("", "Check-ins are written by people, not API keys.")
        subject = await _subject(access, input)
        if isinstance(subject, InputErrors):
            return subject
        rep, goal = subject
        new = service.NewCheckIn(
            rep_id=rep,
            goal=goal,
            rating=input.rating,
            comment=input.comment,
            private_note=input.private_note,
            action_items=tuple(
                ActionItemDraft(item.description, parse_id(item.owner_id) or 0, item.due_on)
                for item in input.action_items
            ),
        )
        organisation = await get_organisation(access.viewer.organisation_id)
        result = await service.record_check_in(organisation, author, new, info.context.now)
        if isinstance(result, list):
            return InputErrors.of(*result)
        await events.publish_check_in(info.context.bus, CheckInEventKind.CHECK_IN_RECORDED, result)
        return CheckIn.of(result)

    @strawberry.mutation(description="The other side has read the check-in.")
    async def acknowledge_check_in(self, info: Info, check_in_id: strawberry.ID) -> CheckInResult:
        access = await info.context.access()
        row_id = parse_id(check_in_id) or 0
        check_in = await store.find_check_in(access.viewer.organisation_id, row_id)
        if check_in is None or not access.can_read_rep(check_in.rep_id):
            return await _unreadable("checkInId", CheckInModel, row_id)
        if access.viewer.user_id is None:
            return InputErrors.forbidden("checkInId", "Check-ins are acknowledged by people.")
        organisation = await get_organisation(access.viewer.organisation_id)
        result = await service.acknowledge(
            organisation, check_in, access.viewer.user_id, info.context.now
        )
        if isinstance(result, FieldError):
            return InputErrors.of(result)
        await after_commit(info.context.queue)
        await events.publish_check_in(
            info.context.bus, CheckInEventKind.CHECK_IN_ACKNOWLEDGED, result
        )
        return CheckIn.of(result)

    @strawberry.mutation(description="Done: by its owner, or by one of the rep's managers.")
    async def complete_action_item(
        self, info: Info, action_item_id: strawberry.ID
    ) -> ActionItemResult:
        access = await info.context.access()
        row_id = parse_id(action_item_id) or 0
        item = await store.find_action_item(access.viewer.organisation_id, row_id)
        if item is None or not access.can_read_rep(item.rep_id):
            return await _unreadable("actionItemId", ActionItemModel, row_id)
        user = access.viewer.user_id
        managing = access.viewer.role in (Role.MANAGER, Role.ADMIN) and user != item.rep_id
        if user is None or (user != item.owner_id and not managing):
            return InputErrors.forbidden("actionItemId", "Only its owner or a manager can.")
        result = await service.complete_action_item(item, user, info.context.now)
        if isinstance(result, FieldError):
            return InputErrors.of(result)
        await events.publish_completed(info.context.bus, result)
        return ActionItem.of(result)
