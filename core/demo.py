"""A small, deterministic demo organisation: two teams, reps, accounts, deals and goals."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.auth.service import hash_password
from core.goals import service as goals
from core.goals.models import Goal, OwnerType
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, User
from core.sales import service as sales
from domain.errors import FieldError
from domain.metrics import Metric
from domain.periods import PeriodKind, local_today
from domain.records import DealRecord, DealStage
from domain.smart import PeriodRequest
from domain.targets import TargetKind, TargetSpec

DEMO_NAME = "Northwind Demo"
TIMEZONE = "America/New_York"
TEAMS = {
    "East": ["ava@northwind.example", "ben@northwind.example", "chloe@northwind.example"],
    "West": ["dan@northwind.example", "eve@northwind.example", "farid@northwind.example"],
}
MONTHLY_TARGET = Decimal(60000)
# Everyone in the demo signs in with this password (`login` mutation).
DEMO_PASSWORD = "pacesetter-demo"


@dataclass(frozen=True)
class Demo:
    organisation: Organisation
    admin: User
    first_goal_id: int


async def find_demo() -> Demo | None:
    organisation = await Organisation.get_or_none(name=DEMO_NAME)
    if organisation is None:
        return None
    admin = await User.get(organisation_id=organisation.id, role=Role.ADMIN)
    first_goal = await organisation.goals.all().order_by("id").first()
    assert first_goal is not None
    return Demo(organisation, admin, first_goal.id)


async def seed_demo(now: datetime, seed: int = 7) -> Demo:
    """Create the demo organisation with this month's revenue goals and deals so far.

    Reps get different paces (seeded), so some are ahead of target and some behind.
    """
    rng = random.Random(seed)
    created = await orgs.provision_organisation(
        DEMO_NAME,
        admin_email="admin@northwind.example",
        admin_name="Alex Admin",
        admin_password_hash=hash_password(DEMO_PASSWORD),
        currency="USD",
        timezone=TIMEZONE,
        fiscal_year_start_month=4,
    )
    assert not isinstance(created, FieldError), created
    organisation, admin = created
    tz = ZoneInfo(TIMEZONE)
    today = local_today(now, tz)
    month_start = today.replace(day=1)

    records: list[DealRecord] = []
    goal_ids = []
    for team_name, emails in TEAMS.items():
        team = await orgs.create_team(organisation.id, team_name, None)
        assert not isinstance(team, FieldError)
        for email in emails:
            name = email.split("@")[0].capitalize() + " " + team_name
            rep = await orgs.create_user(
                organisation.id,
                email=email,
                name=name,
                role=Role.REP,
                team_id=team.id,
                password_hash=hash_password(DEMO_PASSWORD),
            )
            assert isinstance(rep, User)
            created = await goals.create_goal(
                organisation,
                goals.NewGoal(
                    metric=Metric.REVENUE,
                    owner_type=OwnerType.REP,
                    owner_id=rep.id,
                    target=TargetSpec(TargetKind.ABSOLUTE, MONTHLY_TARGET),
                    period=PeriodRequest(named=(PeriodKind.MONTH, today)),
                    rationale="Monthly revenue quota.",
                ),
                now,
            )
            goal = created[0]
            assert isinstance(goal, Goal), created
            goal_ids.append(goal.id)
            pace = Decimal(rng.choice(["0.6", "0.9", "1.05", "1.4"]))
            records.extend(_deals_so_far(rng, email, month_start, today, tz, now, pace))

    result = await sales.ingest_deals(organisation, records)
    assert not result.rejected, result.rejected
    return Demo(organisation, admin, goal_ids[0])


def _deals_so_far(
    rng: random.Random,
    email: str,
    month_start: date,
    today: date,
    tz: ZoneInfo,
    now: datetime,
    pace: Decimal,
) -> list[DealRecord]:
    """Won deals from the month's start to now adding up to about `pace` × the pro-rata target,
    plus a few lost and open ones."""
    days = (today - month_start).days + 1
    wanted = MONTHLY_TARGET * pace * days / 30
    records = []
    won = Decimal(0)
    index = 0
    while won < wanted:
        index += 1
        amount = Decimal(rng.randrange(2000, 12000, 250))
        day = month_start + timedelta(days=rng.randrange(days))
        closed = min(datetime.combine(day, time(rng.randrange(9, 18)), tzinfo=tz), now)
        stage = DealStage.WON if rng.random() < 0.75 else DealStage.LOST
        if stage is DealStage.WON:
            won += amount
        records.append(
            DealRecord(
                external_id=f"{email.split('@')[0]}-{index}",
                owner_email=email,
                amount=amount,
                stage=stage,
                created_at=closed - timedelta(days=rng.randrange(5, 40)),
                closed_at=closed,
            )
        )
    records.append(
        DealRecord(
            external_id=f"{email.split('@')[0]}-open",
            owner_email=email,
            amount=Decimal(15000),
            stage=DealStage.OPEN,
            created_at=now - timedelta(days=3),
        )
    )
    return records
