"""Training end to end, through the API a client uses: a catalogue, assignments to a team,
completions the three ways (the rep, a manager's coached session, an LMS webhook), the
goals they move, the badge and points a real worker awards, a reminder for what is overdue,
the check-in agenda's suggestions and a difference in differences worked out by hand.

The organisation runs in Los Angeles; it is 2026-11-18 12:00 there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx

from core.auth.service import create_api_key
from core.checkins.models import ReminderKind
from core.checkins.service import remind_overdue
from core.config import Settings
from core.orgs import service as orgs
from core.orgs.models import Role, User
from core.sales import service as sales
from core.training.models import Assignment, Completion, Course
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.instants import in_los_angeles
from tests.support.workers import burst_worker

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))

COURSE = """mutation($input: CourseInput!) { createCourse(input: $input) {
  __typename ... on Course { id code skills passScore certificationMonths }
  ... on InputErrors { errors { field code } } } }"""
ASSIGN = """mutation($input: AssignTrainingInput!) { assignTraining(input: $input) {
  __typename ... on TrainingAssigned { assignments { id dueOn state rep { name } }
    alreadyAssigned { name } }
  ... on InputErrors { errors { field code } } } }"""
SELF = """mutation($course: ID!, $score: Decimal) {
  completeTraining(courseId: $course, score: $score) {
  __typename ... on TrainingCompletion { id method passed score certifiedUntil
    assignment { id state } }
  ... on InputErrors { errors { field code } } } }"""
COACHED = """mutation($input: CoachedSessionInput!) { recordCoachedSession(input: $input) {
  __typename ... on TrainingCompletion { method passed notes recordedBy { name } rep { name } }
  ... on InputErrors { errors { field code } } } }"""
GOAL = """mutation($input: CreateGoalInput!) { createGoal(input: $input) {
  __typename ... on SmartViolations { violations { field code } } } }"""
PROGRESS = """query($id: ID!) { goal(id: $id) { progress { currentValue count } } }"""


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in result["errors"]]


async def person(org: Org, email: str, name: str, role: Role = Role.REP) -> User:
    made = await orgs.create_user(
        org.organisation.id, email=email, name=name, role=role, team_id=org.team.id
    )
    assert isinstance(made, User)
    return made


async def managing(org: Org) -> User:
    """Mia, who manages the West team (and sits in it)."""
    manager = await person(org, "mia@acme.test", "Mia Manager", Role.MANAGER)
    org.team.manager_id = manager.id
    await org.team.save(update_fields=["manager_id"])
    return manager


async def course(
    client: httpx.AsyncClient, org: Org, code: str, skills: list[str], **extra: Any
) -> str:
    body = await graphql(
        client,
        COURSE,
        org.token(),
        input={"code": code, "name": code, "durationMinutes": 60, "skills": skills, **extra},
    )
    made = body["data"]["createCourse"]
    assert made["__typename"] == "Course", made
    return str(made["id"])


async def test_assignment_completion_goal_badge_reminder_and_agenda(
    client: httpx.AsyncClient, org: Org, settings: Settings, now: datetime
) -> None:
    manager = await managing(org)
    sam = await person(org, "sam@acme.test", "Sam Seller")
    rita = org.rep
    admin = org.token()

    negotiation = await course(
        client,
        org,
        "NEG-101",
        [" Negotiation", "closing", "negotiation"],
        passScore="80",
        certificationMonths=12,
    )
    discovery = await course(client, org, "DISC-1", ["discovery"])
    advanced = await course(client, org, "NEG-201", ["negotiation"])
    # A second course under a code in use, and nonsense, are refused with every reason.
    again = await graphql(
        client,
        COURSE,
        admin,
        input={"code": "NEG-101", "name": "Again", "durationMinutes": 60},
    )
    assert errors(again["data"]["createCourse"]) == [("code", "CONFLICT")]
    bad = await graphql(
        client,
        COURSE,
        admin,
        input={"code": " ", "name": "x", "durationMinutes": 0, "passScore": "120"},
    )
    assert sorted(errors(bad["data"]["createCourse"])) == [
        ("code", "REQUIRED"),
        ("durationMinutes", "OUT_OF_RANGE"),
        ("passScore", "OUT_OF_RANGE"),
    ]
    catalogue = await graphql(client, '{ courses(skill: "Negotiation") { code skills } }', admin)
    assert catalogue["data"]["courses"] == [
        {"code": "NEG-101", "skills": ["negotiation", "closing"]},
        {"code": "NEG-201", "skills": ["negotiation"]},
    ]
    mapped = await graphql(
        client,
        'mutation { mapSkill(skill: "Negotiation", metrics: [WIN_RATE]) '
        "{ ... on SkillMapping { skill metrics } } }",
        admin,
    )
    assert mapped["data"]["mapSkill"] == {"skill": "negotiation", "metrics": ["WIN_RATE"]}
    rules = [
        'createBadgeRule(input: {code: "CERT_NEG", name: "Certified negotiator", '
        'kind: CERTIFICATION, threshold: "1", points: 50, courseCode: "NEG-101"})',
        'createPointsRule(code: "LEARN", event: TRAINING_COMPLETED, points: 10)',
    ]
    for rule in rules:
        made = await graphql(client, f"mutation {{ {rule} {{ __typename }} }}", admin)
        assert "errors" not in made, made

    # The manager assigns the negotiation course to the team: both reps, not the manager.
    as_manager = org.token(manager)
    assigned = await graphql(
        client,
        ASSIGN,
        as_manager,
        input={
            "courseId": negotiation,
            "teamId": str(org.team.id),
            "dueOn": "2026-11-20",
            "recurEveryMonths": 12,
        },
    )
    made = assigned["data"]["assignTraining"]
    assert sorted((a["rep"]["name"], a["state"]) for a in made["assignments"]) == [
        ("Rita Rep", "UPCOMING"),
        ("Sam Seller", "UPCOMING"),
    ]
    again = await graphql(
        client,
        ASSIGN,
        as_manager,
        input={"courseId": negotiation, "repIds": [str(sam.id)], "dueOn": "2026-11-25"},
    )
    assert again["data"]["assignTraining"] == {
        "__typename": "TrainingAssigned",
        "assignments": [],
        "alreadyAssigned": [{"name": "Sam Seller"}],
    }
    past = await graphql(
        client,
        ASSIGN,
        as_manager,
        input={"courseId": discovery, "repIds": [str(sam.id)], "dueOn": "2026-11-17"},
    )
    assert errors(past["data"]["assignTraining"]) == [("dueOn", "IN_THE_PAST")]
    by_rep = await graphql(
        client,
        ASSIGN,
        org.token(rita),
        input={"courseId": discovery, "repIds": [str(sam.id)], "dueOn": "2026-11-25"},
    )
    assert errors(by_rep["data"]["assignTraining"]) == [("repIds.0", "FORBIDDEN")]
    # Assigned two weeks ago and due last Thursday: overdue now.
    overdue = await Assignment.create(
        organisation_id=org.organisation.id,
        course_id=int(discovery),
        rep_id=sam.id,
        assigned_by_id=manager.id,
        due_on=date(2026, 11, 12),
        created_at=in_los_angeles(2026, 11, 4, 9, 0),
    )

    # Goals on training: Rita's completions in November, the team's certified negotiators.
    goals = [
        {"metric": "TRAINING_COMPLETED", "ownerId": str(rita.id), "ownerType": "REP"},
        {
            "metric": "CERTIFIED",
            "ownerId": str(org.team.id),
            "ownerType": "TEAM",
            "scope": {"courseIds": ["NEG-101"]},
        },
    ]
    for goal in goals:
        made = await graphql(
            client,
            GOAL,
            admin,
            input={
                **goal,
                "target": "2",
                "periodStart": "2026-11-01",
                "periodEnd": "2026-11-30",
                "rationale": "Enablement plan",
            },
        )
        assert made["data"]["createGoal"]["__typename"] == "Goal", made
    # SMART: a course scope applies to training, a certification needs a certifying course.
    refused = [
        ("CERTIFIED", {"courseIds": ["DISC-1"]}, ("scope.courseIds", "SCOPE_NOT_APPLICABLE")),
        ("TRAINING_COMPLETED", {"regions": ["EMEA"]}, ("scope", "SCOPE_NOT_APPLICABLE")),
        ("REVENUE", {"courseIds": ["NEG-101"]}, ("scope.courseIds", "SCOPE_NOT_APPLICABLE")),
        ("TRAINING_COMPLETED", {"courseIds": ["NOPE"]}, ("scope.courseIds", "SCOPE_UNKNOWN")),
    ]
    for metric, scope, expected in refused:
        made = await graphql(
            client,
            GOAL,
            admin,
            input={
                "metric": metric,
                "ownerId": str(rita.id),
                "ownerType": "REP",
                "target": "2",
                "periodStart": "2026-11-01",
                "periodEnd": "2026-11-30",
                "rationale": "x",
                "scope": scope,
            },
        )
        assert expected in errors_of(made), (metric, scope, made)
    rita_goal = await goal_id(org, Metric.TRAINING_COMPLETED)
    team_goal = await goal_id(org, Metric.CERTIFIED)

    # 1. Self-paced: an assessed course needs the score; 85 passes (80 needed).
    as_rita = org.token(rita)
    missing = await graphql(client, SELF, as_rita, course=negotiation)
    assert errors(missing["data"]["completeTraining"]) == [("score", "REQUIRED")]
    done = (await graphql(client, SELF, as_rita, course=negotiation, score="85"))["data"]
    done = done["completeTraining"]
    # Passed today (18 November, Los Angeles): certified for 12 months, to 17 November 2027.
    assert (done["method"], done["passed"]) == ("SELF", True)
    assert done["certifiedUntil"] == "2027-11-17"
    assert done["assignment"]["state"] == "COMPLETED"
    # The recurring assignment comes back for when the certification runs out.
    renewal = await Assignment.get(rep_id=rita.id, course_id=int(negotiation), completed_at=None)
    assert renewal.due_on == date(2027, 11, 18)
    # Sam fails the assessment on his own (70 < 80): his assignment stays open.
    failed = (await graphql(client, SELF, org.token(sam), course=negotiation, score="70"))["data"]
    assert (failed["completeTraining"]["passed"], failed["completeTraining"]["assignment"]) == (
        False,
        None,
    )

    # 2. A coached session: the manager records it; a rep may not for someone else.
    session = {
        "repId": str(sam.id),
        "courseId": negotiation,
        "score": "90",
        "notes": "Role-played price objections.",
    }
    refused_session = await graphql(client, COACHED, as_rita, input=session)
    assert errors(refused_session["data"]["recordCoachedSession"]) == [("repId", "FORBIDDEN")]
    coached = (await graphql(client, COACHED, as_manager, input=session))["data"]
    assert coached["recordCoachedSession"] == {
        "__typename": "TrainingCompletion",
        "method": "MANAGER",
        "passed": True,
        "notes": "Role-played price objections.",
        "recordedBy": {"name": "Mia Manager"},
        "rep": {"name": "Sam Seller"},
    }

    # 3. The LMS: 23:30 on 31 October in Los Angeles is already 1 November in UTC, but it is
    # October's; 00:30 on 1 November is November's. One record names no course we know.
    _, key = await create_api_key(org.organisation.id, "LMS", ["ingest"])
    lms = [
        {
            "externalId": "lms-1",
            "ownerEmail": "RITA@acme.test",
            "courseCode": "DISC-1",
            "completedAt": "2026-11-01T06:30:00Z",
        },
        {
            "externalId": "lms-2",
            "ownerEmail": "rita@acme.test",
            "courseCode": "DISC-1",
            "completedAt": "2026-11-01T07:30:00Z",
        },
        {
            "externalId": "lms-3",
            "ownerEmail": "rita@acme.test",
            "courseCode": "GONE",
            "completedAt": "2026-11-02T07:30:00Z",
        },
        {"externalId": "lms-4", "ownerEmail": "rita@acme.test", "courseCode": "DISC-1"},
    ]
    headers = {"Authorization": f"Bearer {key}"}
    sent = await client.post("/webhooks/trainings", json={"trainings": lms}, headers=headers)
    assert sent.status_code == 200, sent.text
    assert sent.json()["accepted"] == 2
    rejected = sent.json()["rejected"]
    assert [(r["index"], r["externalId"], r["errors"][0]["field"]) for r in rejected] == [
        (2, "lms-3", "courseCode"),
        (3, "lms-4", "completedAt"),
    ]
    # Sent again as it is, nothing changes (idempotent by the LMS's id).
    resent = await client.post("/webhooks/trainings", json=lms[:2], headers=headers)
    assert resent.json()["accepted"] == 2
    assert await Completion.filter(external_id__isnull=False).count() == 2

    # Rita: NEG-101 on 18 November and DISC-1 at 00:30 on 1 November; not 31 October's.
    progress = await graphql(client, PROGRESS, admin, id=rita_goal)
    assert progress["data"]["goal"]["progress"] == {"currentValue": "2.00", "count": 2}
    # The team: Rita and Sam certified in NEG-101 (Sam's failed attempt is not a pass).
    progress = await graphql(client, PROGRESS, admin, id=team_goal)
    assert progress["data"]["goal"]["progress"] == {"currentValue": "2.00", "count": 2}

    # A real worker evaluates what the completions queued: the certification badge, the
    # target badge on Rita's training goal, ten points a pass.
    worker = burst_worker(settings)
    try:
        await worker.main()
    finally:
        await worker.close()
    query = "{ myAchievements { points badges { badge { code } explanation } } }"
    rita_has = (await graphql(client, query, as_rita))["data"]["myAchievements"]
    assert sorted(a["badge"]["code"] for a in rita_has["badges"]) == ["CERT_NEG", "TARGET_HIT"]
    certified = next(a for a in rita_has["badges"] if a["badge"]["code"] == "CERT_NEG")
    assert certified["explanation"]["figures"] == {
        "course": "NEG-101",
        "certifiedOn": "2026-11-18",
        "expiresOn": "2027-11-18",
        "score": "85.00",
    }
    # Badges 100 + 50, and three passes (NEG-101, DISC-1 twice) at 10.
    assert rita_has["points"] == 100 + 50 + 3 * 10
    sam_has = (await graphql(client, query, org.token(sam)))["data"]["myAchievements"]
    # The certification, and one pass: the failed attempt earns nothing.
    assert [a["badge"]["code"] for a in sam_has["badges"]] == ["CERT_NEG"]
    assert sam_has["points"] == 50 + 10

    # The reminder for Sam's overdue discovery course: made once, to Sam.
    organisation = org.organisation
    first = await remind_overdue(organisation, now)
    second = await remind_overdue(organisation, now)
    training = [r for r in first if r.kind is ReminderKind.TRAINING_OVERDUE]
    assert [(r.rep_id, r.recipient_id, r.assignment_id) for r in training] == [
        (sam.id, sam.id, overdue.id)
    ]
    assert [r for r in second if r.kind is ReminderKind.TRAINING_OVERDUE] == []

    # Sam's win rate is off track (one won of four decided, 25% against 50%): the agenda
    # brings up the overdue course and suggests the negotiation course he has not passed.
    await make_goal(
        organisation.id,
        rep_id=sam.id,
        metric=Metric.WIN_RATE,
        target=50,
        start=NOVEMBER[0],
        end=NOVEMBER[1],
    )
    decided = [DealStage.WON, DealStage.LOST, DealStage.LOST, DealStage.LOST]
    await sales.ingest_deals(
        organisation,
        [
            DealRecord(
                f"sam-{index}",
                "sam@acme.test",
                Decimal(100),
                stage,
                in_los_angeles(2026, 11, 3, 9),
                in_los_angeles(2026, 11, 10, 9),
            )
            for index, stage in enumerate(decided)
        ],
    )
    agenda = await graphql(
        client,
        """query($rep: ID!) { checkInAgenda(repId: $rep) {
          goals { goal { metric } }
          overdueTraining { course { code } dueOn state }
          suggestedCourses { course { code } metric skills goal { metric } } } }""",
        as_manager,
        rep=str(sam.id),
    )
    assert agenda["data"]["checkInAgenda"] == {
        "goals": [{"goal": {"metric": "WIN_RATE"}}],
        "overdueTraining": [
            {"course": {"code": "DISC-1"}, "dueOn": "2026-11-12", "state": "OVERDUE"}
        ],
        "suggestedCourses": [
            {
                "course": {"code": "NEG-201"},
                "metric": "WIN_RATE",
                "skills": ["negotiation"],
                "goal": {"metric": "WIN_RATE"},
            }
        ],
    }
    assert advanced != negotiation

    # The rep's home: open assignments (the overdue one first), what is done, what holds.
    mine = await graphql(
        client,
        """{ myTraining { overdue assignments { course { code } dueOn }
          completions { course { code } passed method }
          certifications { course { code } validUntil daysLeft } } }""",
        org.token(sam),
    )
    assert mine["data"]["myTraining"] == {
        "overdue": 1,
        # The overdue course, and the negotiation course again for re-certification (his
        # coached pass completed the recurring assignment).
        "assignments": [
            {"course": {"code": "DISC-1"}, "dueOn": "2026-11-12"},
            {"course": {"code": "NEG-101"}, "dueOn": "2027-11-18"},
        ],
        "completions": [
            {"course": {"code": "NEG-101"}, "passed": True, "method": "MANAGER"},
            {"course": {"code": "NEG-101"}, "passed": False, "method": "SELF"},
        ],
        # 18 November 2026 to 17 November 2027, both days included: 365 days.
        "certifications": [
            {"course": {"code": "NEG-101"}, "validUntil": "2027-11-17", "daysLeft": 365}
        ],
    }


def errors_of(made: dict[str, Any]) -> list[tuple[str, str]]:
    result = made["data"]["createGoal"]
    return [(v["field"], v["code"]) for v in result.get("violations", [])]


async def goal_id(org: Org, metric: Metric) -> str:
    from core.goals.models import Goal

    goal = await Goal.get(organisation_id=org.organisation.id, metric=metric)
    return str(goal.id)


async def test_each_viewer_sees_only_the_training_they_may(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    other_team = await orgs.create_team(org.organisation.id, "East", None)
    assert not isinstance(other_team, list)
    manager = await managing(org)
    east = await orgs.create_user(
        org.organisation.id,
        email="eve@acme.test",
        name="Eve East",
        role=Role.REP,
        team_id=other_team.id,
    )
    assert isinstance(east, User)
    code = await course(client, org, "DISC-1", ["discovery"])
    for rep in (org.rep, east):
        done = await graphql(client, SELF, org.token(rep), course=code)
        assert done["data"]["completeTraining"]["passed"] is True
    query = "{ trainingCompletions { edges { node { rep { name } } } } }"

    def names(body: dict[str, Any]) -> list[str]:
        edges = body["data"]["trainingCompletions"]["edges"]
        return sorted(edge["node"]["rep"]["name"] for edge in edges)

    assert names(await graphql(client, query, org.token())) == ["Eve East", "Rita Rep"]
    assert names(await graphql(client, query, org.token(manager))) == ["Rita Rep"]
    assert names(await graphql(client, query, org.token(east))) == ["Eve East"]
    # Asking for someone else's by id gives nothing of theirs.
    body = await graphql(
        client,
        "query($rep: ID) { trainingCompletions(repId: $rep) { edges { node { id } } } }",
        org.token(org.rep),
        rep=str(east.id),
    )
    assert body["data"]["trainingCompletions"]["edges"] == []


async def test_training_impact_is_a_difference_in_differences(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    """Course passed by A on 10 October and by B on 20 October; C (Rita) never; D on 15
    November, too recently for its ten days after to be over. Windows of ten days:
    A: before 30 Sep–9 Oct, after 11–20 Oct; B: before 10–19 Oct, after 21–30 Oct.

    Won revenue (local days): A 100 on 5 Oct, 300 on 15 Oct; B 200 on 12 Oct, 50 on
    20 Oct (the day of passing: neither window), 500 on 25 Oct; C 100 on 1, 14 and 28 Oct;
    D 60 at 23:30 on 9 Oct (in UTC already the 10th: A's before, not B's), 400 on 18 Oct.

    Trained: A 100 → 300, B 200 → 500: means 150 → 400, change +250.
    Untrained, over each trained rep's windows (D had not passed by then): with A's,
    C 100 → 100 and D 60 → 400; with B's, C 100 → 100 and D 400 → 0.
    Means (100 + 60 + 100 + 400) / 4 = 165 → (100 + 400 + 100 + 0) / 4 = 150: change −15.
    Difference: 250 − (−15) = 265."""
    a = await person(org, "a@acme.test", "Ann")
    b = await person(org, "b@acme.test", "Ben")
    d = await person(org, "d@acme.test", "Dee")
    c = org.rep
    negotiation = await Course.create(
        organisation_id=org.organisation.id,
        code="NEG-101",
        name="Negotiation",
        skills=["negotiation"],
        duration_minutes=60,
        created_at=now,
    )
    for who, day in ((a, date(2026, 10, 10)), (b, date(2026, 10, 20)), (d, date(2026, 11, 15))):
        await Completion.create(
            organisation_id=org.organisation.id,
            course_id=negotiation.id,
            rep_id=who.id,
            method="LMS",
            completed_at=in_los_angeles(day.year, day.month, day.day, 10),
            day=day.toordinal(),
            passed=True,
            recorded_at=now,
        )
    won = [
        (a, 100, in_los_angeles(2026, 10, 5, 12)),
        (a, 300, in_los_angeles(2026, 10, 15, 12)),
        (b, 200, in_los_angeles(2026, 10, 12, 12)),
        (b, 50, in_los_angeles(2026, 10, 20, 12)),
        (b, 500, in_los_angeles(2026, 10, 25, 12)),
        (c, 100, in_los_angeles(2026, 10, 1, 12)),
        (c, 100, in_los_angeles(2026, 10, 14, 12)),
        (c, 100, in_los_angeles(2026, 10, 28, 12)),
        (d, 60, in_los_angeles(2026, 10, 9, 23, 30)),
        (d, 400, in_los_angeles(2026, 10, 18, 12)),
    ]
    assert won[8][2].astimezone(UTC).date() == date(2026, 10, 10)
    result = await sales.ingest_deals(
        org.organisation,
        [
            DealRecord(f"d-{i}", who.email, Decimal(amount), DealStage.WON, at, at)
            for i, (who, amount, at) in enumerate(won)
        ],
    )
    assert result.accepted == len(won)
    body = await graphql(
        client,
        """query($course: ID!) { trainingImpact(courseId: $course, metric: REVENUE, days: 10) {
          course { code } days pending difference
          trained { reps before after change } untrained { reps before after change } } }""",
        org.token(),
        course=str(negotiation.id),
    )
    assert body["data"]["trainingImpact"] == {
        "course": {"code": "NEG-101"},
        "days": 10,
        "pending": 1,
        "difference": "265.00",
        "trained": {"reps": 2, "before": "150.00", "after": "400.00", "change": "250.00"},
        "untrained": {"reps": 2, "before": "165.00", "after": "150.00", "change": "-15.00"},
    }
