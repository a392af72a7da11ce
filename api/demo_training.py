"""The demo's training: a catalogue, the skills behind metrics, a year of assignments and
completions (self-paced, coached, from an LMS), certifications some of which have lapsed,
training goals, a certification badge, points per course and overdue assignments.

Who passed the negotiation course, and when, is decided before the demo's deals are
written, and those reps win more often afterwards: `trainingImpact` has something to find.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals import service as goals
from core.goals.models import Goal, OwnerType
from core.orgs.models import Organisation, Team, User
from core.training import service as training
from core.training import store
from core.training.models import Completion, Course
from domain.metrics import Metric
from domain.periods import PeriodKind
from domain.smart import PeriodRequest
from domain.targets import TargetKind, TargetSpec
from domain.training import CourseDraft, Method
from gamification import store as rules
from gamification.models import PointsEvent
from gamification.rules import BadgeKind

NEGOTIATION = "NEG-101"
# code, name, skills, minutes, pass score, certification months
COURSES = (
    (NEGOTIATION, "Negotiation fundamentals", ("negotiation", "closing"), 90, 80, 12),
    ("DISC-101", "Discovery calls that qualify", ("discovery", "qualification"), 60, None, None),
    ("CORE-CERT", "Core platform certification", ("product-core",), 120, 75, 12),
    ("PIPE-1", "Pipeline hygiene", ("pipeline", "forecasting"), 45, None, None),
    ("RENEW-1", "Renewals and retention", ("retention", "account-management"), 60, None, None),
)
SKILLS = {
    "negotiation": (Metric.WIN_RATE, Metric.AVERAGE_DEAL_SIZE),
    "closing": (Metric.WIN_RATE,),
    "discovery": (Metric.CONVERSION_RATE, Metric.QUALIFIED_LEADS),
    "qualification": (Metric.QUALIFIED_LEADS,),
    "product-core": (Metric.UNITS_SOLD, Metric.REVENUE),
    "pipeline": (Metric.LEADS,),
    "retention": (Metric.RETENTION_RATE,),
    "account-management": (Metric.RETENTION_RATE,),
}
# After passing the negotiation course a rep loses this share of the deals they lost before.
LOSSES_KEPT = 0.5


@dataclass(frozen=True)
class TrainingPlan:
    """Each rep who passes the negotiation course → the day they pass it."""

    negotiation: dict[str, date]

    def win_chance(self, rep: str, day: date, chance: float) -> float:
        passed = self.negotiation.get(rep)
        if passed is None or day <= passed:
            return chance
        return 1 - (1 - chance) * LOSSES_KEPT


def plan(reps: Sequence[str], today: date, seed: int) -> TrainingPlan:
    """About half the reps pass the negotiation course, between a year and three months
    ago (a random stream of its own: the rest of the demo draws the same numbers)."""
    rng = random.Random(seed)
    passed = {}
    for rep in reps:
        if rng.random() < 0.5:
            passed[rep] = today - timedelta(days=rng.randrange(90, 365))
    return TrainingPlan(passed)


async def seed_training(
    organisation: Organisation,
    now: datetime,
    plan: TrainingPlan,
    teams: dict[str, Team],
    reps: dict[str, list[User]],
    seed: int,
) -> None:
    rng = random.Random(seed + 1)
    tz = ZoneInfo(organisation.timezone)
    courses = {}
    for code, name, skills, minutes, pass_score, months in COURSES:
        draft = CourseDraft(
            code,
            name,
            skills,
            minutes,
            Decimal(pass_score) if pass_score else None,
            months,
        )
        made = await training.create_course(organisation, draft, "", now - timedelta(days=400))
        assert isinstance(made, Course), made
        courses[code] = made
    for skill, metrics in SKILLS.items():
        await store.set_skill_metrics(organisation.id, skill, metrics)
    await _rules(organisation.id)

    def at(day: date) -> datetime:
        return datetime.combine(day, time(rng.randrange(9, 17), rng.randrange(60)), tz)

    today = now.astimezone(tz).date()
    lms = 0
    for team_name, team in teams.items():
        assert team.manager_id is not None
        for turn, rep in enumerate(reps[team_name]):
            passed = plan.negotiation.get(rep.email)
            if passed is not None:
                # Assigned three weeks before, due a week after; a few failed once first.
                await _assigned(organisation, courses[NEGOTIATION], rep, team, passed)
                if turn % 3 == 0:
                    await _completed(
                        organisation,
                        rep,
                        courses[NEGOTIATION],
                        at(passed - timedelta(days=6)),
                        Method.SELF,
                        Decimal(rng.randrange(55, 79)),
                        rep.id,
                    )
                method = (Method.LMS, Method.MANAGER, Method.SELF)[turn % 3]
                lms += 1
                await _completed(
                    organisation,
                    rep,
                    courses[NEGOTIATION],
                    at(passed),
                    method,
                    Decimal(rng.randrange(80, 99)),
                    team.manager_id if method is Method.MANAGER else rep.id,
                    external_id=f"LMS-{lms:04d}" if method is Method.LMS else None,
                    notes="Role-played the price objection; good anchoring."
                    if method is Method.MANAGER
                    else None,
                )
            if rng.random() < 0.6:
                day = today - timedelta(days=rng.randrange(5, 200))
                await _completed(
                    organisation, rep, courses["DISC-101"], at(day), Method.SELF, None, rep.id
                )
            if rng.random() < 0.4:
                # Some of these certifications have run out: passed more than a year ago.
                day = today - timedelta(days=rng.randrange(200, 500))
                await _completed(
                    organisation,
                    rep,
                    courses["CORE-CERT"],
                    at(day),
                    Method.LMS,
                    Decimal(rng.randrange(75, 100)),
                    None,
                    external_id=f"LMS-CORE-{rep.id}",
                )
    # West is to certify on the core platform: due ten days ago, so some are overdue now.
    west = teams["West"]
    assign_day = now - timedelta(days=40)
    await training.assign(
        organisation,
        courses["CORE-CERT"],
        [rep.id for rep in reps["West"]],
        today - timedelta(days=10),
        12,
        west.manager_id,
        assign_day,
    )
    # East takes pipeline hygiene in the coming fortnight.
    await training.assign(
        organisation,
        courses["PIPE-1"],
        [rep.id for rep in reps["East"]],
        today + timedelta(days=14),
        None,
        teams["East"].manager_id,
        now,
    )
    await _goals(organisation, now, today, teams)


async def _rules(organisation_id: int) -> None:
    await rules.create_badge(
        organisation_id,
        code="CERTIFIED_NEGOTIATOR",
        name="Certified negotiator",
        description="Passed the negotiation certification.",
        kind=BadgeKind.CERTIFICATION,
        threshold=Decimal(1),
        points=60,
        metric=None,
        daily_minimum=None,
        course_code=NEGOTIATION,
    )
    await rules.create_points_rule(
        organisation_id, code="PER_COURSE", event=PointsEvent.TRAINING_COMPLETED, points=5
    )


async def _assigned(
    organisation: Organisation,
    course: Course,
    rep: User,
    team: Team,
    passed: date,
) -> None:
    assigned = datetime.combine(
        passed - timedelta(days=21), time(9), ZoneInfo(organisation.timezone)
    )
    made = await training.assign(
        organisation,
        course,
        [rep.id],
        passed + timedelta(days=7),
        12,
        team.manager_id,
        assigned,
    )
    assert isinstance(made, training.Assigned), made


async def _completed(
    organisation: Organisation,
    rep: User,
    course: Course,
    when: datetime,
    method: Method,
    score: Decimal | None,
    recorded_by: int | None,
    external_id: str | None = None,
    notes: str | None = None,
) -> None:
    new = training.NewCompletion(
        rep.id, course, method, when, score, notes, recorded_by, external_id
    )
    made = await training.record_completion(organisation, new, when)
    assert isinstance(made, Completion), made


async def _goals(
    organisation: Organisation, now: datetime, today: date, teams: dict[str, Team]
) -> None:
    """Each team completes a course a rep this quarter; the organisation certifies fifteen
    negotiators this fiscal year."""
    quarter = PeriodRequest(named=(PeriodKind.FISCAL_QUARTER, today))
    year = PeriodRequest(named=(PeriodKind.FISCAL_YEAR, today))
    wanted = [
        (Metric.TRAINING_COMPLETED, OwnerType.TEAM, team.id, Decimal(7), quarter, ())
        for team in teams.values()
    ]
    wanted.append(
        (Metric.CERTIFIED, OwnerType.ORGANISATION, None, Decimal(15), year, (NEGOTIATION,))
    )
    for metric, owner_type, owner_id, target, period, courses in wanted:
        made = await goals.create_goal(
            organisation,
            goals.NewGoal(
                metric=metric,
                owner_type=owner_type,
                owner_id=owner_id,
                target=TargetSpec(TargetKind.ABSOLUTE, target),
                period=period,
                scope=goals.ScopeFilter(course_codes=courses),
                rationale="Enablement plan for the year.",
                acknowledge_stretch=True,
            ),
            now,
        )
        assert isinstance(made[0], Goal), made
