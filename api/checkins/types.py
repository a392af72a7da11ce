"""GraphQL types of check-ins, action items, reminders, due lists and agendas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from api.context import Info
from api.gamification.types import Award
from api.goals.types import Goal, GoalProgress, GoalStatusEnum, MetricEnum
from api.orgs.types import CadenceEnum, User, user_of
from api.training.types import Assignment, Course, course_of
from core.checkins import models
from core.checkins.events import CheckInEventKind
from core.checkins.service import Agenda, DueCheckIn, GoalToDiscuss
from core.messages import CheckInHappened
from domain.checkins import DueState, MetricChange, Rating
from domain.training import Suggestion
from gamification.store import awards_of_rep

RatingEnum = strawberry.enum(Rating, name="CheckInRating")
SideEnum = strawberry.enum(models.Side, name="CheckInSide")
DueStateEnum = strawberry.enum(DueState, name="CheckInDueState")
ReminderKindEnum = strawberry.enum(models.ReminderKind, name="ReminderKind")
EventKindEnum = strawberry.enum(CheckInEventKind, name="CheckInEventKind")


@strawberry.type
class ActionItem:
    model: strawberry.Private[models.ActionItem]
    id: strawberry.ID
    check_in_id: strawberry.ID
    description: str
    due_on: date
    completed_at: datetime | None

    @classmethod
    def of(cls, item: models.ActionItem) -> ActionItem:
        return cls(
            model=item,
            id=strawberry.ID(str(item.id)),
            check_in_id=strawberry.ID(str(item.check_in_id)),
            description=item.description,
            due_on=item.due_on,
            completed_at=item.completed_at,
        )

    @strawberry.field(description="The rep the check-in was about.")
    async def rep(self, info: Info) -> User | None:
        return await user_of(info, self.model.rep_id)

    @strawberry.field
    async def owner(self, info: Info) -> User | None:
        return await user_of(info, self.model.owner_id)

    @strawberry.field
    async def completed_by(self, info: Info) -> User | None:
        return await user_of(info, self.model.completed_by_id)

    @strawberry.field(description="Open and due before today, in the organisation's timezone.")
    async def overdue(self, info: Info) -> bool:
        return self.model.completed_at is None and self.model.due_on < await info.context.today()


@strawberry.type(description="A goal's progress as it stood when the check-in was written.")
class CheckInGoalSnapshot:
    goal_id: strawberry.ID
    metric: MetricEnum
    period_start: date
    period_end: date
    current_value: Decimal | None
    target: Decimal
    attainment: Decimal | None
    expected_attainment: Decimal
    projected_value: Decimal | None
    status: GoalStatusEnum

    @classmethod
    def of(cls, item: dict[str, Any]) -> CheckInGoalSnapshot:
        def number(name: str) -> Decimal | None:
            return Decimal(item[name]) if item[name] is not None else None

        return cls(
            goal_id=strawberry.ID(str(item["goalId"])),
            metric=item["metric"],
            period_start=date.fromisoformat(item["periodStart"]),
            period_end=date.fromisoformat(item["periodEnd"]),
            current_value=number("currentValue"),
            target=Decimal(item["target"]),
            attainment=number("attainment"),
            expected_attainment=Decimal(item["expectedAttainment"]),
            projected_value=number("projectedValue"),
            status=item["status"],
        )


@strawberry.type
class CheckIn:
    model: strawberry.Private[models.CheckIn]
    id: strawberry.ID
    side: SideEnum = strawberry.field(description="Who wrote it: the rep, or a manager.")
    rating: RatingEnum
    comment: str
    acknowledged_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, check_in: models.CheckIn) -> CheckIn:
        return cls(
            model=check_in,
            id=strawberry.ID(str(check_in.id)),
            side=check_in.side,
            rating=check_in.rating,
            comment=check_in.comment,
            acknowledged_at=check_in.acknowledged_at,
            created_at=check_in.created_at,
        )

    @strawberry.field
    async def rep(self, info: Info) -> User | None:
        return await user_of(info, self.model.rep_id)

    @strawberry.field
    async def author(self, info: Info) -> User | None:
        return await user_of(info, self.model.author_id)

    @strawberry.field
    async def acknowledged_by(self, info: Info) -> User | None:
        return await user_of(info, self.model.acknowledged_by_id)

    @strawberry.field(description="The goal it is about; null for a check-in on all of them.")
    async def goal(self, info: Info) -> Goal | None:
        if self.model.goal_id is None:
            return None
        goal = await info.context.loaders.goals.load(self.model.goal_id)
        return (await Goal.many(info, [goal]))[0] if goal else None

    @strawberry.field(
        description="The managers' note: null for the rep it is about and for other reps."
    )
    def private_note(self) -> str | None:
        return self.model.private_note

    @strawberry.field(description="Progress of the goals discussed, as it was then.")
    def snapshot(self) -> list[CheckInGoalSnapshot]:
        return [CheckInGoalSnapshot.of(item) for item in self.model.snapshot]

    @strawberry.field
    async def action_items(self, info: Info) -> list[ActionItem]:
        items = await info.context.loaders.check_in_items.load(self.model.id)
        return [ActionItem.of(item) for item in items]


@strawberry.type(description="A rep's next check-in under their team's cadence.")
class DueCheckInEntry:
    item: strawberry.Private[DueCheckIn]
    cadence: CadenceEnum
    last_check_in_at: datetime | None
    due_on: date
    state: DueStateEnum
    days_overdue: int

    @classmethod
    def of(cls, due: DueCheckIn) -> DueCheckInEntry:
        return cls(
            item=due,
            cadence=due.cadence,
            last_check_in_at=due.last_check_in_at,
            due_on=due.due_on,
            state=due.state,
            days_overdue=due.days_overdue,
        )

    @strawberry.field
    async def rep(self, info: Info) -> User | None:
        return await user_of(info, self.item.rep_id)

    @strawberry.field(description="The nearest manager above the rep: who holds it.")
    async def manager(self, info: Info) -> User | None:
        return await user_of(info, self.item.manager_id)


@strawberry.type
class Reminder:
    model: strawberry.Private[models.Reminder]
    id: strawberry.ID
    kind: ReminderKindEnum
    due_on: date
    created_at: datetime

    @classmethod
    def of(cls, reminder: models.Reminder) -> Reminder:
        return cls(
            model=reminder,
            id=strawberry.ID(str(reminder.id)),
            kind=reminder.kind,
            due_on=reminder.due_on,
            created_at=reminder.created_at,
        )

    @strawberry.field
    async def rep(self, info: Info) -> User | None:
        return await user_of(info, self.model.rep_id)

    @strawberry.field
    async def recipient(self, info: Info) -> User | None:
        return await user_of(info, self.model.recipient_id)

    @strawberry.field
    async def action_item(self, info: Info) -> ActionItem | None:
        if self.model.action_item_id is None:
            return None
        item = await info.context.loaders.action_items.load(self.model.action_item_id)
        return ActionItem.of(item) if item else None

    @strawberry.field(description="The overdue training assignment it is about, if any.")
    async def assignment(self, info: Info) -> Assignment | None:
        if self.model.assignment_id is None:
            return None
        found = await info.context.loaders.assignments.load(self.model.assignment_id)
        return Assignment.of(found) if found else None


@strawberry.type(description="A goal to talk about, and what it takes to bring it back.")
class AgendaGoal:
    item: strawberry.Private[GoalToDiscuss]
    pace: Decimal | None = strawberry.field(
        description="attainment / expectedAttainment: 1.00 is exactly on pace."
    )
    daily_rate_needed: Decimal | None = strawberry.field(
        description="What the rest of the target needs per working day, today included; "
        "null for rates and averages, or when no working day is left."
    )

    @strawberry.field
    async def goal(self, info: Info) -> Goal:
        return (await Goal.many(info, [self.item.goal]))[0]

    @strawberry.field
    def progress(self, info: Info) -> GoalProgress:
        return GoalProgress.of(self.item.goal, self.item.progress, info.context.now)


@strawberry.type(description="How a metric moved: the days since against as many days before.")
class MetricChangeEntry:
    metric: MetricEnum
    before: Decimal | None
    since: Decimal | None
    change: Decimal | None
    change_percent: Decimal | None = strawberry.field(
        description="The change over `before` × 100; null when `before` was zero."
    )

    @classmethod
    def of(cls, change: MetricChange) -> MetricChangeEntry:
        return cls(
            metric=change.metric,
            before=change.before,
            since=change.since,
            change=change.change,
            change_percent=change.change_percent,
        )


@strawberry.type(description="A course that teaches a skill behind a goal that is slipping.")
class CourseSuggestion:
    item: strawberry.Private[Suggestion]
    metric: MetricEnum
    skills: list[str] = strawberry.field(description="The course's skills that move the metric.")

    @strawberry.field
    async def course(self, info: Info) -> Course:
        return await course_of(info, self.item.course_id)

    @strawberry.field(description="The goal at risk or off track that calls for it.")
    async def goal(self, info: Info) -> Goal | None:
        found = await info.context.loaders.goals.load(self.item.goal_id)
        return (await Goal.many(info, [found]))[0] if found else None


@strawberry.type(description="What a manager should talk about with a rep.")
class CheckInAgenda:
    item: strawberry.Private[Agenda]
    last_check_in_at: datetime | None
    since: date = strawberry.field(
        description="The first day looked back to: the last check-in's, or one cadence ago."
    )
    goals: list[AgendaGoal] = strawberry.field(description="Goals AT_RISK or OFF_TRACK.")
    metric_changes: list[MetricChangeEntry] = strawberry.field(
        description="The metrics that moved most, largest relative change first."
    )

    @classmethod
    def of(cls, agenda: Agenda) -> CheckInAgenda:
        return cls(
            item=agenda,
            last_check_in_at=agenda.last_check_in_at,
            since=agenda.since,
            goals=[
                AgendaGoal(item=g, pace=g.pace, daily_rate_needed=g.daily_rate_needed)
                for g in agenda.goals
            ],
            metric_changes=[MetricChangeEntry.of(change) for change in agenda.changes],
        )

    @strawberry.field
    async def rep(self, info: Info) -> User | None:
        return await user_of(info, self.item.rep_id)

    @strawberry.field(description="Every action item not done yet, soonest due first.")
    def open_action_items(self) -> list[ActionItem]:
        return [ActionItem.of(item) for item in self.item.open_action_items]

    @strawberry.field(description="The open action items due before today.")
    def overdue_action_items(self) -> list[ActionItem]:
        return [
            ActionItem.of(item)
            for item in self.item.open_action_items
            if item.due_on < self.item.today
        ]

    @strawberry.field(description="Training assignments past their due day, soonest due first.")
    def overdue_training(self) -> list[Assignment]:
        return [Assignment.of(a) for a in self.item.overdue_training]

    @strawberry.field(
        description="Courses the rep has not passed that teach a skill mapped to the metric "
        "of a goal AT_RISK or OFF_TRACK."
    )
    def suggested_courses(self) -> list[CourseSuggestion]:
        return [
            CourseSuggestion(item=s, metric=s.metric, skills=list(s.skills))
            for s in self.item.suggestions
        ]

    @strawberry.field(description="Awards since the last check-in, newest first.")
    async def awards(self, info: Info) -> list[Award]:
        organisation_id = info.context.require_viewer().organisation_id
        awards = await awards_of_rep(organisation_id, self.item.rep_id, self.item.awards_since)
        return [Award.of(award) for award in awards]


@strawberry.type(
    description="Something happened to a check-in you may see: enough to update a screen. "
    "Fields that do not apply to the kind are null; private notes are never sent."
)
class CheckInEvent:
    kind: EventKindEnum
    rep_id: strawberry.ID
    rep_name: str | None
    at: datetime
    check_in_id: strawberry.ID | None
    goal_id: strawberry.ID | None
    side: SideEnum | None
    rating: RatingEnum | None
    comment: str | None
    author_id: strawberry.ID | None
    author_name: str | None
    acknowledged_by_id: strawberry.ID | None
    action_item_id: strawberry.ID | None
    description: str | None = strawberry.field(description="The action item's.")
    due_on: date | None = strawberry.field(description="The action item's, or the reminder's.")
    owner_id: strawberry.ID | None
    completed_by_id: strawberry.ID | None
    reminder_id: strawberry.ID | None
    reminder_kind: ReminderKindEnum | None
    recipient_id: strawberry.ID | None
    recipient_name: str | None = strawberry.field(description="Who a reminder went to.")
    assignment_id: strawberry.ID | None = strawberry.field(
        description="The overdue training assignment a TRAINING_OVERDUE reminder is about."
    )

    @classmethod
    def from_event(cls, event: CheckInHappened) -> CheckInEvent:
        def ident(value: int | None) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value is not None else None

        e = event
        return cls(
            kind=CheckInEventKind(e.kind),
            rep_id=strawberry.ID(str(e.rep_id)),
            rep_name=e.rep_name,
            at=e.at,
            check_in_id=ident(e.check_in_id),
            goal_id=ident(e.goal_id),
            side=models.Side(e.side) if e.side is not None else None,
            rating=Rating(e.rating) if e.rating is not None else None,
            comment=e.comment,
            author_id=ident(e.author_id),
            author_name=e.author_name,
            acknowledged_by_id=ident(e.acknowledged_by_id),
            action_item_id=ident(e.action_item_id),
            description=e.description,
            due_on=e.due_on,
            owner_id=ident(e.owner_id),
            completed_by_id=ident(e.completed_by_id),
            reminder_id=ident(e.reminder_id),
            reminder_kind=models.ReminderKind(e.reminder_kind) if e.reminder_kind else None,
            recipient_id=ident(e.recipient_id),
            recipient_name=e.recipient_name,
            assignment_id=ident(e.assignment_id),
        )
