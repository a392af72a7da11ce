"""What a viewer may see of each kind of object, in one table. Every object of these types
passes here on its way to a client, whichever resolver, relation or list produced it
(`api/guard.py` applies the table to every field); stores and loaders narrow their queries
by the same `Access` so that pages stay full, but correctness does not depend on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.checkins.types import ActionItem, CheckIn, CheckInAgenda, DueCheckInEntry, Reminder
from api.gamification.types import Award, PayoutEntry
from api.goals.types import Goal
from api.orgs.types import Team
from api.policy import Access
from api.sales.types import Deal, Lead
from api.training.types import Assignment, Certification, TrainingCompletion

Rule = Callable[[Access, Any], bool]


def _viewer_is(access: Access, user_id: int | None) -> bool:
    return user_id is not None and user_id == access.viewer.user_id


# Objects: shown when the rule holds; a nullable field answers null and a list leaves them
# out otherwise. People (User) are not here: anyone in the organisation may be named (a
# leaderboard names everyone); what a person's record holds is guarded field by field.
OBJECTS: dict[type, Rule] = {
    Team: lambda access, team: access.can_see_team(team.model.id),
    Goal: lambda access, goal: access.can_read_goal(goal.model),
    Award: lambda access, award: access.can_read_rep(award.rep_id),
    PayoutEntry: lambda access, entry: access.can_read_rep(entry.rep_id),
    Deal: lambda access, deal: access.can_read_rep(deal.model.owner_id),
    Lead: lambda access, lead: access.can_read_rep(lead.model.owner_id),
    CheckIn: lambda access, check_in: access.can_read_rep(check_in.model.rep_id),
    ActionItem: lambda access, item: (
        access.can_read_rep(item.model.rep_id) or _viewer_is(access, item.model.owner_id)
    ),
    Reminder: lambda access, reminder: (
        access.can_read_rep(reminder.model.rep_id)
        or _viewer_is(access, reminder.model.recipient_id)
    ),
    DueCheckInEntry: lambda access, due: access.can_read_rep(due.item.rep_id),
    CheckInAgenda: lambda access, agenda: access.can_read_rep(agenda.item.rep_id),
    Assignment: lambda access, assignment: access.can_read_rep(assignment.model.rep_id),
    TrainingCompletion: lambda access, done: access.can_read_rep(done.model.rep_id),
    Certification: lambda access, held: access.can_read_rep(held.model.rep_id),
}

# Fields (GraphQL type and field names): null when the rule does not hold for the object.
FIELDS: dict[tuple[str, str], Rule] = {
    ("User", "email"): lambda access, user: access.can_read_rep(user.model.id),
    ("CheckIn", "privateNote"): lambda access, check_in: access.can_read_private_note(
        check_in.model.rep_id
    ),
}
