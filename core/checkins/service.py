"""Recording check-ins, closing their loops, knowing which are due and what to talk about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from core.checkins import store
from core.checkins.models import ActionItem, CheckIn, Reminder, ReminderKind, Side
from core.goals import store as goal_store
from core.goals.models import Goal
from core.goals.service import Structure, measure_goals, rep_figures
from core.orgs import store as people
from core.orgs.models import Organisation, Role
from core.outbox import store as outbox
from core.training import store as training
from core.training.models import Assignment
from domain import checkins
from domain.checkins import ActionItemDraft, Cadence, DueState, MetricChange, Rating
from domain.errors import ErrorCode, FieldError
from domain.metrics import CUMULATIVE, Metric
from domain.periods import Period, local_today
from domain.progress import Progress, pace_of
from domain.teams import managers_above
from domain.training import CourseSkills, Suggestion, suggest

# How many metric changes an agenda lists.
AGENDA_CHANGES = 5


@dataclass(frozen=True)
class People:
    """Who sits where and who manages which team: enough to find anyone's managers."""

    structure: Structure
    managers: dict[int, int | None]

    @classmethod
    async def load(cls, organisation_id: int) -> People:
        return cls(
            await Structure.load(organisation_id), await people.team_managers(organisation_id)
        )

    def managers_of(self, person: int) -> list[int]:
        return managers_above(
            person, self.structure.teams_of.get(person), self.structure.parents, self.managers
        )


@dataclass(frozen=True)
class NewCheckIn:
    rep_id: int
    goal: Goal | None
    rating: Rating
    comment: str
    private_note: str | None
    action_items: tuple[ActionItemDraft, ...]


def _snapshot(goals: Sequence[Goal], progress: dict[int, Progress]) -> list[dict[str, Any]]:
    def text(value: Decimal | None) -> str | None:
        return str(value) if value is not None else None

    return [
        {
            "goalId": goal.id,
            "metric": goal.metric.value,
            "periodStart": goal.period_start.isoformat(),
            "periodEnd": goal.period_end.isoformat(),
            "currentValue": text(progress[goal.id].current_value),
            "target": str(progress[goal.id].target),
            "attainment": text(progress[goal.id].attainment),
            "expectedAttainment": str(progress[goal.id].expected_attainment),
            "projectedValue": text(progress[goal.id].projected_value),
            "status": progress[goal.id].status.value,
        }
        for goal in goals
        if goal.id in progress
    ]


async def running_goals(organisation: Organisation, rep_id: int, today: date) -> list[Goal]:
    goals = await goal_store.goals_of_reps(organisation.id, [rep_id])
    return [g for g in goals if g.period_start <= today <= g.period_end]


async def record_check_in(
    organisation: Organisation, author_id: int, new: NewCheckIn, now: datetime
) -> CheckIn | list[FieldError]:
    """A check-in by the rep or by one of their managers (the caller has checked that the
    author may see the rep and the goal), with the progress as it stands now."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    side = Side.REP if author_id == new.rep_id else Side.MANAGER
    team = await People.load(organisation.id)
    owners = {new.rep_id, author_id, *team.managers_of(new.rep_id)}
    errors = checkins.check_action_items(new.action_items, today, owners)
    if not new.comment.strip():
        errors.insert(0, FieldError("comment", ErrorCode.REQUIRED, "Say how it is going."))
    if new.private_note and side is Side.REP:
        errors.append(
            FieldError("privateNote", ErrorCode.INVALID, "Private notes are for managers to write.")
        )
    if errors:
        return errors
    goals = [new.goal] if new.goal else await running_goals(organisation, new.rep_id, today)
    progress = await measure_goals(organisation, goals, now, team.structure)
    check_in = CheckIn(
        organisation_id=organisation.id,
        rep_id=new.rep_id,
        goal_id=new.goal.id if new.goal else None,
        author_id=author_id,
        side=side,
        rating=new.rating,
        comment=new.comment.strip(),
        private_note=new.private_note or None,
        snapshot=_snapshot(goals, progress),
        created_at=now,
    )
    items = [
        ActionItem(
            organisation_id=organisation.id,
            rep_id=new.rep_id,
            owner_id=item.owner_id,
            description=item.description.strip(),
            due_on=item.due_on,
            created_at=now,
        )
        for item in new.action_items
    ]
    return await store.create_check_in(check_in, items)


async def acknowledge(
    organisation: Organisation, check_in: CheckIn, user_id: int, now: datetime
) -> CheckIn | FieldError:
    """The other side's acknowledgement: the rep for a manager's check-in, a manager for the
    rep's own (the caller has checked that the user may see it). It earns the rep the
    organisation's points for a check-in done."""
    other_side = (
        user_id != check_in.rep_id if check_in.side is Side.REP else user_id == check_in.rep_id
    )
    if user_id == check_in.author_id or not other_side:
        return FieldError(
            "checkInId",
            ErrorCode.NOT_OTHER_SIDE,
            "A check-in is acknowledged by the other side: the rep for a manager's, a manager "
            "for the rep's own.",
        )
    async with in_transaction():
        if not await store.acknowledge(check_in.id, user_id, now):
            return FieldError(
                "checkInId", ErrorCode.CONFLICT, "This check-in is acknowledged already."
            )
        # The points for a check-in done are the pipeline's, like every other points.
        await outbox.record(organisation.id, [check_in.rep_id])
    await check_in.refresh_from_db()
    return check_in


async def complete_action_item(
    item: ActionItem, user_id: int, now: datetime
) -> ActionItem | FieldError:
    if not await store.complete(item.id, user_id, now):
        return FieldError("actionItemId", ErrorCode.CONFLICT, "This action item is done already.")
    await item.refresh_from_db()
    return item


@dataclass(frozen=True)
class DueCheckIn:
    rep_id: int
    manager_id: int
    cadence: Cadence
    last_check_in_at: datetime | None
    due_on: date
    state: DueState
    days_overdue: int


async def due_check_ins(
    organisation: Organisation, rep_ids: Sequence[int] | None, now: datetime
) -> list[DueCheckIn]:
    """When each rep's next check-in is due under their team's cadence, counted in the
    organisation's local days from the last one (or from when they joined). Everyone with a
    manager above them has check-ins; `rep_ids` None means everyone."""
    tz = ZoneInfo(organisation.timezone)
    today = local_today(now, tz)
    team = await People.load(organisation.id)
    users = await people.users_by_ids(
        organisation.id, list(team.structure.teams_of) if rep_ids is None else list(rep_ids)
    )
    subjects = {
        user.id: team.managers_of(user.id)
        for user in users.values()
        if user.team_id is not None and user.role is not Role.ADMIN
    }
    subjects = {rep: managers for rep, managers in subjects.items() if managers}
    cadences = {
        t.id: t.check_in_cadence
        for t in (await people.teams_by_ids(organisation.id, list(team.structure.parents))).values()
    }
    last = await store.last_check_ins(organisation.id, sorted(subjects))
    due = []
    for rep, managers in sorted(subjects.items()):
        user = users[rep]
        assert user.team_id is not None
        cadence = cadences[user.team_id]
        previous = last.get(rep)
        due_on = checkins.next_due(
            cadence,
            local_today(previous, tz) if previous else None,
            local_today(user.created_at, tz),
        )
        due.append(
            DueCheckIn(
                rep_id=rep,
                manager_id=managers[0],
                cadence=cadence,
                last_check_in_at=previous,
                due_on=due_on,
                state=checkins.due_state(due_on, today),
                days_overdue=checkins.days_overdue(due_on, today),
            )
        )
    return due


async def remind_overdue(organisation: Organisation, now: datetime) -> list[Reminder]:
    """One reminder per overdue check-in (to the rep's manager), per overdue action item
    (to its owner) and per overdue training assignment (to the rep), made the first time it
    is found overdue and never again."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    reminders = [
        Reminder(
            organisation_id=organisation.id,
            key=f"check-in:{due.rep_id}:{due.due_on.isoformat()}",
            kind=ReminderKind.CHECK_IN_OVERDUE,
            rep_id=due.rep_id,
            recipient_id=due.manager_id,
            due_on=due.due_on,
            created_at=now,
        )
        for due in await due_check_ins(organisation, None, now)
        if due.state is DueState.OVERDUE
    ]
    reminders += [
        Reminder(
            organisation_id=organisation.id,
            key=f"action-item:{item.id}",
            kind=ReminderKind.ACTION_ITEM_OVERDUE,
            rep_id=item.rep_id,
            recipient_id=item.owner_id,
            action_item_id=item.id,
            due_on=item.due_on,
            created_at=now,
        )
        for item in await store.action_items_due_before(organisation.id, today)
    ]
    reminders += [
        Reminder(
            organisation_id=organisation.id,
            key=f"training:{assignment.id}",
            kind=ReminderKind.TRAINING_OVERDUE,
            rep_id=assignment.rep_id,
            recipient_id=assignment.rep_id,
            assignment_id=assignment.id,
            due_on=assignment.due_on,
            created_at=now,
        )
        for assignment in await training.overdue_assignments(organisation.id, today)
    ]
    return await store.add_reminders(organisation.id, reminders)


@dataclass(frozen=True)
class GoalToDiscuss:
    goal: Goal
    progress: Progress
    pace: Decimal | None
    daily_rate_needed: Decimal | None


@dataclass(frozen=True)
class Agenda:
    rep_id: int
    last_check_in_at: datetime | None
    # The window the agenda looks back over: since the last check-in, or one cadence.
    since: date
    goals: list[GoalToDiscuss]
    open_action_items: list[ActionItem]
    # Awards since this instant belong on the agenda (gamification has them).
    awards_since: datetime
    changes: list[MetricChange]
    today: date
    overdue_training: list[Assignment]
    # Courses teaching the skills behind the goals to discuss, not completed yet.
    suggestions: list[Suggestion]


async def agenda(organisation: Organisation, rep_id: int, now: datetime) -> Agenda:
    """What a manager should bring up with the rep: goals at risk or off track with the
    daily rate that still reaches the target and the courses that teach the skills behind
    them, open action items, overdue training, awards since the last check-in and the
    metrics that moved most since then (against the days before)."""
    tz = ZoneInfo(organisation.timezone)
    today = local_today(now, tz)
    last = (await store.last_check_ins(organisation.id, [rep_id])).get(rep_id)
    if last is not None:
        since = local_today(last, tz)
    else:
        rep = await people.find_user(organisation.id, rep_id)
        team = await people.find_team(organisation.id, rep.team_id) if rep and rep.team_id else None
        cadence = team.check_in_cadence if team else Cadence.WEEKLY
        since = today - checkins.cadence_length(cadence, today)
    goals = await running_goals(organisation, rep_id, today)
    progress = await measure_goals(organisation, goals, now)
    latest_end = max((g.period_end for g in goals), default=today)
    working = await people.working_calendar(organisation, today, latest_end)
    to_discuss = [
        GoalToDiscuss(
            goal,
            progress[goal.id],
            pace_of(progress[goal.id]),
            checkins.required_daily_rate(
                goal.target, progress[goal.id].current_value, today, goal.period_end, working
            )
            if goal.metric in CUMULATIVE
            else None,
        )
        for goal in goals
        if goal.id in progress and progress[goal.id].status in checkins.NEEDS_TALK
    ]
    # The days since, today included, against as many days just before them.
    window = Period(since, today)
    length = (today - since).days + 1
    before = Period(since - timedelta(days=length), since - timedelta(days=1))
    figures = await rep_figures(organisation, rep_id, list(Metric), [before, window])
    slipping = [(item.goal.id, item.goal.metric) for item in to_discuss]
    suggestions = (
        suggest(
            slipping,
            await training.skill_metrics(organisation.id),
            [
                CourseSkills(c.id, tuple(c.skills))
                for c in await training.catalogue(organisation.id)
            ],
            await training.passed_course_ids(organisation.id, rep_id),
        )
        if slipping
        else []
    )
    return Agenda(
        rep_id=rep_id,
        last_check_in_at=last,
        since=since,
        goals=to_discuss,
        open_action_items=await store.open_action_items(organisation.id, rep_id),
        awards_since=last or window.bounds(tz)[0],
        changes=checkins.largest_changes(figures[0], figures[1], AGENDA_CHANGES),
        today=today,
        overdue_training=await training.overdue_assignments(organisation.id, today, rep_id),
        suggestions=suggestions,
    )
