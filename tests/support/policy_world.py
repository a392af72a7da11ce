"""An organisation with something of every kind for every principal to reach for, and what
each principal may see of it, written out by hand (not asked of the policy).

Organisation One: teams A (managed by manager_a), A1 under A, and B; rep_a in A, rep_a1 in
A1, rep_b in B; manager_a also sells (owns a goal). Goals cascade: the organisation's →
team A's → rep_a's and rep_a1's; the organisation's → team B's → rep_b's. Each rep has a
deal, a lead, an award and a payout entry; each has a check-in with a private note and an
action item, and a reminder. manager_a sits in team B (a manager who sells there), so a
rep who may name manager_a must still not see team B. Organisation Two: its admin and rep
rx with the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.auth.service import create_api_key
from core.auth.tokens import mint_token
from core.checkins import service as check_ins
from core.checkins.models import CheckIn, Reminder, ReminderKind
from core.goals.models import Goal
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales import service as sales
from core.training import service as training
from core.training.models import Assignment, Completion, Course
from domain.checkins import ActionItemDraft, Rating
from domain.errors import FieldError
from domain.metrics import Metric
from domain.records import DealRecord, DealStage, LeadRecord
from domain.training import Method
from gamification.models import Award, BadgeDefinition, EntryKind, PayoutEntry, PayoutStatus
from tests.support.factories import make_goal

ONE_PEOPLE = ("admin", "manager_a", "rep_a", "rep_a1", "rep_b")
REPS = ("rep_a", "rep_a1", "rep_b")
# principal → the people whose records they may read (email included).
READABLE_PEOPLE = {
    "admin": set(ONE_PEOPLE),
    "read_key": set(ONE_PEOPLE),
    "manager_a": {"manager_a", "rep_a", "rep_a1"},
    "rep_a": {"rep_a"},
    "rep_b": {"rep_b"},
    "other_admin": {"other_admin", "rx"},
}
# principal → the teams they may see: managers the teams they manage and those below, and
# everyone the team they sit in.
VISIBLE_TEAMS = {
    "admin": {"A", "A1", "B"},
    "read_key": {"A", "A1", "B"},
    "manager_a": {"A", "A1", "B"},
    "rep_a": {"A"},
    "rep_b": {"B"},
    "other_admin": {"X"},
}
# principal → goals, by owner: people, teams, and the organisation's for admins and managers.
VISIBLE_GOALS = {
    "admin": {"organisation", "A", "B", "rep_a", "rep_a1", "rep_b", "manager_a"},
    "read_key": {"organisation", "A", "B", "rep_a", "rep_a1", "rep_b", "manager_a"},
    "manager_a": {"organisation", "A", "rep_a", "rep_a1", "manager_a"},
    "rep_a": {"rep_a"},
    "rep_b": {"rep_b"},
    "other_admin": {"other"},
}
# principal → reps whose private notes they may read: managers of the rep and admins.
PRIVATE_NOTES = {
    "admin": {"rep_a", "rep_a1", "rep_b"},
    "read_key": set(),
    "manager_a": {"rep_a", "rep_a1"},
    "rep_a": set(),
    "rep_b": set(),
    "other_admin": {"rx"},
}
PRINCIPALS = tuple(READABLE_PEOPLE) + ("ingest_key",)


@dataclass
class PolicyWorld:
    people: dict[str, User]
    teams: dict[str, Team]
    goals: dict[str, Goal]
    credentials: dict[str, str] = field(default_factory=dict)
    # kind → id → the person (key of `people`) the row is about.
    rows: dict[str, dict[int, str]] = field(default_factory=dict)
    # The catalogue's courses (anyone of the organisation may see them).
    courses: list[int] = field(default_factory=list)

    def person(self, user_id: int) -> str:
        return next(key for key, user in self.people.items() if user.id == user_id)


async def _organisation(name: str, admin: str) -> tuple[Organisation, User]:
    created = await orgs.provision_organisation(
        name, admin_email=f"{admin}@{name.lower()}.test", admin_name=admin, timezone="UTC"
    )
    assert not isinstance(created, FieldError)
    return created


async def _team(organisation: Organisation, name: str, parent: Team | None) -> Team:
    team = await orgs.create_team(organisation.id, name, parent.id if parent else None)
    assert isinstance(team, Team)
    return team


async def _person(organisation: Organisation, key: str, role: Role, team: Team | None) -> User:
    user = await orgs.create_user(
        organisation.id,
        email=f"{key}@{organisation.name.lower()}.test",
        name=key,
        role=role,
        team_id=team.id if team else None,
    )
    assert isinstance(user, User)
    return user


async def build_policy_world(now: datetime, secret: str) -> PolicyWorld:
    today = now.date()  # both organisations run on UTC
    one, admin = await _organisation("One", "admin")
    two, other_admin = await _organisation("Two", "other_admin")
    teams = {"A": await _team(one, "A", None), "B": await _team(one, "B", None)}
    teams["A1"] = await _team(one, "A1", teams["A"])
    teams["X"] = await _team(two, "X", None)
    people = {"admin": admin, "other_admin": other_admin}
    people["manager_a"] = await _person(one, "manager_a", Role.MANAGER, teams["B"])
    people["rep_a"] = await _person(one, "rep_a", Role.REP, teams["A"])
    people["rep_a1"] = await _person(one, "rep_a1", Role.REP, teams["A1"])
    people["rep_b"] = await _person(one, "rep_b", Role.REP, teams["B"])
    people["rx"] = await _person(two, "rx", Role.REP, teams["X"])
    teams["A"].manager_id = people["manager_a"].id
    await teams["A"].save(update_fields=["manager_id"])
    world = PolicyWorld(people, teams, {})

    async def goal(key: str, organisation: Organisation, parent: str | None, **owner: int) -> None:
        world.goals[key] = await make_goal(
            organisation.id,
            metric=Metric.REVENUE,
            target=Decimal(1000),
            start=today.replace(day=1),
            end=today + timedelta(days=40),
            parent_id=world.goals[parent].id if parent else None,
            **owner,
        )

    await goal("organisation", one, None)
    await goal("A", one, "organisation", team_id=teams["A"].id)
    await goal("B", one, "organisation", team_id=teams["B"].id)
    for rep, parent in (("rep_a", "A"), ("rep_a1", "A"), ("rep_b", "B")):
        await goal(rep, one, parent, rep_id=people[rep].id)
    await goal("manager_a", one, None, rep_id=people["manager_a"].id)
    await goal("other", two, None, rep_id=people["rx"].id)

    # Each rep's check-in is written by, and reminded to, the rep's nearest manager.
    authors = {"rep_a": "manager_a", "rep_a1": "manager_a", "rep_b": "admin"}
    await _records(world, one, authors, now, today)
    await _records(world, two, {"rx": "other_admin"}, now, today)

    for key in READABLE_PEOPLE:
        if key in people:
            world.credentials[key] = mint_token(people[key], secret, ttl=timedelta(hours=1))
    _, world.credentials["read_key"] = await create_api_key(one.id, "BI", ["read"])
    _, world.credentials["ingest_key"] = await create_api_key(one.id, "CRM", ["ingest"])
    return world


async def _records(
    world: PolicyWorld,
    organisation: Organisation,
    authors: dict[str, str],
    now: datetime,
    today: date,
) -> None:
    """A deal, a lead, an award, a payout, a check-in with a private note and an action item,
    a reminder, and a training assignment and a certifying completion for each rep."""
    people = world.people
    rows = world.rows
    reps = tuple(authors)
    course = await Course.create(
        organisation_id=organisation.id,
        code=f"COURSE-{organisation.name}",
        name="Negotiation",
        skills=["negotiation"],
        duration_minutes=60,
        certification_months=12,
        created_at=now,
    )
    world.courses.append(course.id)
    await sales.ingest_deals(
        organisation,
        [
            DealRecord(f"deal-{rep}", people[rep].email, Decimal(100), DealStage.WON, now, now)
            for rep in reps
        ],
    )
    await sales.ingest_leads(
        organisation, [LeadRecord(f"lead-{rep}", people[rep].email, now) for rep in reps]
    )
    badge = await BadgeDefinition.filter(organisation_id=organisation.id).first()
    assert badge is not None
    for rep in reps:
        user, goal = people[rep], world.goals.get(rep) or world.goals["other"]
        award = await Award.create(
            organisation_id=organisation.id,
            badge_id=badge.id,
            rep_id=user.id,
            goal_id=goal.id,
            period_key=f"goal:{goal.id}",
            awarded_at=now,
            explanation={},
        )
        rows.setdefault("Award", {})[award.id] = rep
        entry = await PayoutEntry.create(
            organisation_id=organisation.id,
            rep_id=user.id,
            goal_id=goal.id,
            kind=EntryKind.ACCRUAL,
            status=PayoutStatus.PROVISIONAL,
            amount=Decimal(10),
            explanation={},
            created_at=now,
        )
        rows.setdefault("PayoutEntry", {})[entry.id] = rep
        check_in = await check_ins.record_check_in(
            organisation,
            people[authors[rep]].id,
            check_ins.NewCheckIn(
                user.id,
                None,
                Rating.NEEDS_HELP,
                f"About {rep}",
                f"Private about {rep}",
                (ActionItemDraft(f"Call for {rep}", user.id, today + timedelta(days=3)),),
            ),
            now,
        )
        assert isinstance(check_in, CheckIn), check_in
        rows.setdefault("CheckIn", {})[check_in.id] = rep
        reminder = await Reminder.create(
            organisation_id=organisation.id,
            key=f"check-in:{user.id}:{today}",
            kind=ReminderKind.CHECK_IN_OVERDUE,
            rep_id=user.id,
            recipient_id=people[authors[rep]].id,
            due_on=today,
            created_at=now,
        )
        rows.setdefault("Reminder", {})[reminder.id] = rep
        assignment = await Assignment.create(
            organisation_id=organisation.id,
            course_id=course.id,
            rep_id=user.id,
            assigned_by_id=people[authors[rep]].id,
            due_on=today + timedelta(days=7),
            created_at=now,
        )
        rows.setdefault("Assignment", {})[assignment.id] = rep
        completion = await training.record_completion(
            organisation,
            training.NewCompletion(user.id, course, Method.SELF, now, recorded_by=user.id),
            now,
        )
        assert isinstance(completion, Completion), completion
        rows.setdefault("TrainingCompletion", {})[completion.id] = rep
        rows.setdefault("Certification", {})[completion.id] = rep


# principal → teams whose people's live events they may follow (the teams they may read; a
# rep follows themselves, not their team).
FOLLOWABLE_TEAMS = {
    "admin": {"A", "A1", "B"},
    "read_key": {"A", "A1", "B"},
    "manager_a": {"A", "A1"},
    "rep_a": set(),
    "rep_b": set(),
    "other_admin": {"X"},
}
