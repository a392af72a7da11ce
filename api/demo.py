"""A deterministic, realistic demo organisation: a sales director over three teams, twenty
reps, eighteen months of accounts, leads and deals (seasonal, with repeat customers and
churn), goals of every metric, gamification rules, a bonus plan, a contest, check-ins and
training (api/demo_training.py).

Everything goes through the same services as real data; one seed gives the same figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from api.demo_markets import seed_markets
from api.demo_training import TrainingPlan, seed_training
from api.demo_training import plan as plan_training
from core.auth.service import hash_password
from core.checkins import service as checkins
from core.events import InProcessBus
from core.goals import service as goals
from core.goals.models import Goal, OwnerType
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales import service as sales
from domain.checkins import ActionItemDraft, Rating, add_months
from domain.errors import FieldError
from domain.metrics import Metric
from domain.periods import PeriodKind, local_today, period_containing
from domain.records import (
    AccountRecord,
    DealRecord,
    DealStage,
    LeadRecord,
    LeadStatus,
    ProductRecord,
)
from domain.smart import PeriodRequest
from domain.targets import TargetKind, TargetSpec
from gamification import store as rules
from gamification.models import PointsEvent
from gamification.rules import BadgeKind
from workers.jobs import close_periods_of, recompute_progress

DEMO_NAME = "Northwind Demo"
TIMEZONE = "America/New_York"
DOMAIN = "northwind.example"
# Everyone in the demo signs in with this password (`login` mutation).
DEMO_PASSWORD = "pacesetter-demo"
MONTHS = 18
TEAMS = {
    "East": (
        "NA-East",
        [
            "Ava Stone",
            "Ben Ortiz",
            "Chloe Park",
            "Dev Patel",
            "Ella Moss",
            "Finn Hale",
            "Gia Russo",
        ],
    ),
    "West": (
        "NA-West",
        [
            "Hugo Lind",
            "Iris Chen",
            "Jon Reyes",
            "Kara Voss",
            "Liam Shaw",
            "Maya Ford",
            "Nico Bauer",
        ],
    ),
    "Central": (
        "NA-Central",
        ["Omar Haddad", "Pia Novak", "Quinn Ross", "Rosa Diaz", "Sam Ito", "Tess Wynn"],
    ),
}
MANAGERS = {"East": "Uma Grant", "West": "Victor Hale", "Central": "Wendy Cole"}
DIRECTOR = "Dana Director"
# Month of the year → how busy it is: quarter ends push, summer and January are slow.
SEASON = {
    1: 0.75,
    2: 0.85,
    3: 1.2,
    4: 0.9,
    5: 0.95,
    6: 1.15,
    7: 0.8,
    8: 0.75,
    9: 1.15,
    10: 1.0,
    11: 1.05,
    12: 1.3,
}
# (external id, name, unit price, unit cost)
PRODUCTS = [
    ("CORE", "Core platform", 4000, 1400),
    ("ANALYTICS", "Analytics add-on", 1500, 300),
    ("SEATS", "Extra seats (10)", 600, 90),
    ("SERVICES", "Onboarding services", 2500, 1600),
]
SEGMENTS = [("SMB", 0.6, (1, 3)), ("Mid-Market", 0.3, (3, 8)), ("Enterprise", 0.1, (8, 20))]
# How this month is going for each rep, in turn: some well ahead, some far behind.
FORM = [1.5, 0.6, 1.1, 0.85, 1.25, 0.7, 1.0]


@dataclass(frozen=True)
class Demo:
    organisation: Organisation
    admin: User
    first_goal_id: int


def _email(name: str) -> str:
    return f"{name.split()[0].lower()}@{DOMAIN}"


async def find_demo() -> Demo | None:
    organisation = await Organisation.get_or_none(name=DEMO_NAME)
    if organisation is None:
        return None
    admin = await User.get(organisation_id=organisation.id, role=Role.ADMIN)
    first_goal = await organisation.goals.filter(owner_type=OwnerType.REP).order_by("id").first()
    assert first_goal is not None
    return Demo(organisation, admin, first_goal.id)


async def ready_demo(now: datetime) -> Demo:
    """The demo organisation: seeded the first time, then measured and awarded as the daily
    cron and the workers would have (the months gone by closed); as it is after that."""
    found = await find_demo()
    if found is not None:
        return found
    made = await seed_demo(now)
    reps = [user.id for user in await made.organisation.users.all()]
    context = {"bus": InProcessBus()}
    await close_periods_of(context, organisation_id=made.organisation.id)
    await recompute_progress(context, organisation_id=made.organisation.id, rep_ids=reps)
    return made


@dataclass
class _Book:
    """What the generator keeps while it writes history."""

    rng: random.Random
    tz: ZoneInfo
    now: datetime
    accounts: list[AccountRecord] = field(default_factory=list)
    deals: list[DealRecord] = field(default_factory=list)
    leads: list[LeadRecord] = field(default_factory=list)
    # Each rep's live customers: (account external id, segment).
    customers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # Who is trained when: they win more often afterwards.
    training: TrainingPlan = field(default_factory=lambda: TrainingPlan({}))

    def moment(self, day: date) -> datetime:
        return datetime.combine(
            day, time(self.rng.randrange(8, 18), self.rng.randrange(60)), self.tz
        )

    def new_account(self, region: str) -> tuple[str, str]:
        segment = self.rng.choices([s for s, _, _ in SEGMENTS], [w for _, w, _ in SEGMENTS])[0]
        key = f"ACC-{len(self.accounts) + 1:04d}"
        self.accounts.append(
            AccountRecord(key, f"Customer {len(self.accounts) + 1}", segment, region)
        )
        return key, segment

    def deal(self, rep: str, account: tuple[str, str], created: datetime, won: float) -> DealRecord:
        """A deal on one product, sized for the account's segment."""
        product, _, price, _ = self.rng.choice(PRODUCTS)
        low, high = next(r for s, _, r in SEGMENTS if s == account[1])
        quantity = self.rng.randint(low, high)
        amount = Decimal(price * quantity) * Decimal(self.rng.choice(["1", "0.95", "0.9", "0.85"]))
        closed = created + timedelta(days=self.rng.randrange(2, 25), hours=self.rng.randrange(8))
        if closed > self.now:
            stage, closed_at = DealStage.OPEN, None
        else:
            chance = self.training.win_chance(rep, created.astimezone(self.tz).date(), won)
            stage = DealStage.WON if self.rng.random() < chance else DealStage.LOST
            closed_at = closed
        record = DealRecord(
            external_id=f"DEAL-{len(self.deals) + 1:05d}",
            owner_email=rep,
            amount=amount.quantize(Decimal("0.01")),
            stage=stage,
            created_at=created,
            closed_at=closed_at,
            quantity=quantity,
            account_external_id=account[0],
            product_external_id=product,
        )
        self.deals.append(record)
        return record


def _history(book: _Book, rep: str, region: str, skill: float, form: float, first: date) -> None:
    """Eighteen months of one rep's leads and deals: new business from leads, repeat
    business from live customers, and customers lost along the way."""
    rng, today = book.rng, local_today(book.now, book.tz)
    book.customers[rep] = [book.new_account(region) for _ in range(rng.randint(4, 8))]
    month = first
    while month <= today:
        days = ((month.replace(day=28) + timedelta(days=4)).replace(day=1) - month).days
        current = month.year == today.year and month.month == today.month
        busy = SEASON[month.month] * (form if current else 1.0)
        for _ in range(round(rng.gauss(11, 2) * busy)):
            day = month + timedelta(days=rng.randrange(days))
            if day > today:
                continue
            created = book.moment(day)
            if created > book.now:  # later today: it has not happened yet
                continue
            roll = rng.random()
            key = f"LEAD-{len(book.leads) + 1:05d}"
            if roll < 0.15 * skill * busy:
                account = book.new_account(region)
                deal = book.deal(rep, account, created + timedelta(days=2), min(0.9, 0.55 * skill))
                if deal.stage is DealStage.WON:
                    book.customers[rep].append(account)
                status, converted = LeadStatus.CONVERTED, deal.external_id
            elif roll < 0.45:
                status, converted = LeadStatus.QUALIFIED, None
            elif roll < 0.75:
                status, converted = LeadStatus.NEW, None
            else:
                status, converted = LeadStatus.DISQUALIFIED, None
            qualified = created + timedelta(days=1) if status is not LeadStatus.NEW else None
            if qualified is not None and qualified > book.now:
                qualified = None
            book.leads.append(LeadRecord(key, rep, created, status, qualified, converted))
        for account in list(book.customers[rep]):
            if rng.random() < 0.03:  # churned: buys nothing again
                book.customers[rep].remove(account)
            elif rng.random() < 0.3 * busy:
                day = month + timedelta(days=rng.randrange(days))
                if day <= today and (created := book.moment(day)) <= book.now:
                    book.deal(rep, account, created, 0.85)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


async def _person(organisation: Organisation, name: str, role: Role, team: Team | None) -> User:
    user = await orgs.create_user(
        organisation.id,
        email=_email(name),
        name=name,
        role=role,
        team_id=team.id if team else None,
        password_hash=hash_password(DEMO_PASSWORD),
    )
    assert isinstance(user, User), user
    return user


async def _team(organisation: Organisation, name: str, parent: Team | None, lead: User) -> Team:
    team = await orgs.create_team(organisation.id, name, parent.id if parent else None)
    assert isinstance(team, Team), team
    team.manager_id = lead.id
    await team.save(update_fields=["manager_id"])
    return team


async def _goal(organisation: Organisation, now: datetime, **spec: Any) -> Goal:
    """A goal through the SMART rules, which the demo's goals all keep."""
    made = await goals.create_goal(
        organisation, goals.NewGoal(acknowledge_stretch=True, **spec), now
    )
    assert isinstance(made[0], Goal), made
    return made[0]


def _monthly_revenue(book: _Book, today: date) -> dict[str, Decimal]:
    """Each rep's average won revenue over the last six whole months: what targets build on."""
    this_month = today.replace(day=1)
    since = add_months(this_month, -6)
    totals: dict[str, Decimal] = {}
    for deal in book.deals:
        if deal.stage is DealStage.WON and deal.closed_at is not None:
            day = deal.closed_at.astimezone(book.tz).date()
            if since <= day < this_month:
                totals[deal.owner_email] = totals.get(deal.owner_email, Decimal(0)) + deal.amount
    return {rep: (total / 6).quantize(Decimal("1")) for rep, total in totals.items()}


async def seed_demo(now: datetime, seed: int = 7) -> Demo:
    """Create the demo organisation as it stands at `now`."""
    rng = random.Random(seed)
    tz = ZoneInfo(TIMEZONE)
    today = local_today(now, tz)
    created = await orgs.provision_organisation(
        DEMO_NAME,
        admin_email=f"admin@{DOMAIN}",
        admin_name="Alex Admin",
        admin_password_hash=hash_password(DEMO_PASSWORD),
        currency="USD",
        timezone=TIMEZONE,
        fiscal_year_start_month=4,
    )
    assert not isinstance(created, FieldError), created
    organisation, admin = created

    director = await _person(organisation, DIRECTOR, Role.MANAGER, None)
    sales_team = await _team(organisation, "Sales", None, director)
    emails = [_email(name) for _, names in TEAMS.values() for name in names]
    trained = plan_training(emails, today, seed)
    book = _Book(rng, tz, now, training=trained)
    first = add_months(today.replace(day=1), 1 - MONTHS)
    reps: dict[str, list[User]] = {}
    teams: dict[str, Team] = {}
    turn = 0
    for team_name, (region, names) in TEAMS.items():
        manager = await _person(organisation, MANAGERS[team_name], Role.MANAGER, None)
        team = teams[team_name] = await _team(organisation, team_name, sales_team, manager)
        reps[team_name] = []
        for name in names:
            rep = await _person(organisation, name, Role.REP, team)
            reps[team_name].append(rep)
            skill = 0.7 + 0.6 * rng.random()
            _history(book, rep.email, region, skill, FORM[turn % len(FORM)], first)
            turn += 1

    products = [ProductRecord(k, n, Decimal(p), Decimal(c)) for k, n, p, c in PRODUCTS]
    for ingest, records in (
        (sales.ingest_products, products),
        (sales.ingest_accounts, book.accounts),
        (sales.ingest_deals, book.deals),
        (sales.ingest_leads, book.leads),
    ):
        for start in range(0, len(records), 1000):
            result = await ingest(organisation, records[start : start + 1000])
            assert not result.rejected, result.rejected[:3]

    baseline = _monthly_revenue(book, today)
    first_goal = await _goals(organisation, now, today, teams, reps, baseline)
    await _gamification(organisation, today)
    await _check_ins(organisation, now, teams, reps)
    await seed_training(organisation, now, trained, teams, reps, seed)
    await seed_markets(organisation, now, teams)
    return Demo(organisation, admin, first_goal.id)


async def _goals(
    organisation: Organisation,
    now: datetime,
    today: date,
    teams: dict[str, Team],
    reps: dict[str, list[User]],
    baseline: dict[str, Decimal],
) -> Goal:
    """The fiscal year's revenue goal cascaded to teams, each rep's recurring monthly revenue
    goal (10% over their recent months) under their team's, the last three months' goals as
    they were set then, and a goal of every other metric this month."""
    fiscal = organisation.fiscal_year_start_month
    year = period_containing(PeriodKind.FISCAL_YEAR, today, fiscal)
    this_month = PeriodRequest(named=(PeriodKind.MONTH, today))
    months_left = (year.end.year - today.year) * 12 + year.end.month - today.month + 1
    whole_year = PeriodRequest(named=(PeriodKind.FISCAL_YEAR, today))

    def quota(rep: User) -> Decimal:
        return (baseline.get(rep.email, Decimal(20000)) * Decimal("1.1")).quantize(Decimal("100"))

    def revenue(owner_type: OwnerType, owner_id: int | None, target: Decimal) -> dict[str, Any]:
        return {
            "metric": Metric.REVENUE,
            "owner_type": owner_type,
            "owner_id": owner_id,
            "target": TargetSpec(TargetKind.ABSOLUTE, target),
        }

    year_target = sum((quota(r) * 12 for members in reps.values() for r in members), Decimal(0))
    top = await _goal(
        organisation, now, **revenue(OwnerType.ORGANISATION, None, year_target), period=whole_year
    )
    first: Goal | None = None
    for index, (name, team) in enumerate(teams.items()):
        members = reps[name]
        team_goal = await _goal(
            organisation,
            now,
            **revenue(OwnerType.TEAM, team.id, sum((quota(r) * 12 for r in members), Decimal(0))),
            period=whole_year,
            parent_id=top.id,
        )
        for rep in members:
            monthly = await _goal(
                organisation,
                now,
                **revenue(OwnerType.REP, rep.id, quota(rep)),
                period=PeriodRequest(
                    named=(PeriodKind.MONTH, today),
                    recurrence=(PeriodKind.MONTH, min(3, months_left)),
                ),
                parent_id=team_goal.id,
            )
            first = first or monthly
            await _past_goals(organisation, rep, quota(rep), today)
            await _goal(
                organisation,
                now,
                metric=Metric.DEALS_WON,
                owner_type=OwnerType.REP,
                owner_id=rep.id,
                target=TargetSpec(TargetKind.ABSOLUTE, Decimal(4)),
                period=this_month,
                rationale="Volume keeps the pipeline honest.",
            )
        # The other metrics, a few goals each, so every kind has live progress.
        # Customers come back over months, not weeks: retention and conversion are judged
        # over the fiscal quarter.
        quarter = PeriodRequest(named=(PeriodKind.FISCAL_QUARTER, today))
        for metric, target, period in (
            (Metric.NEW_CUSTOMERS, Decimal(6), this_month),
            (Metric.RETENTION_RATE, Decimal(33), quarter),
            (Metric.CONVERSION_RATE, Decimal(7), quarter),
        ):
            await _goal(
                organisation,
                now,
                metric=metric,
                owner_type=OwnerType.TEAM,
                owner_id=team.id,
                target=TargetSpec(TargetKind.ABSOLUTE, target),
                period=period,
                rationale="Team health.",
            )
        for offset, (metric, target) in enumerate(
            (
                (Metric.WIN_RATE, Decimal(65)),
                (Metric.AVERAGE_DEAL_SIZE, Decimal(9000)),
                (Metric.GROSS_PROFIT, Decimal(35000)),
                (Metric.PROFIT_MARGIN, Decimal(60)),
                (Metric.UNITS_SOLD, Decimal(20)),
                (Metric.LEADS, Decimal(12)),
                (Metric.QUALIFIED_LEADS, Decimal(6)),
            )
        ):
            await _goal(
                organisation,
                now,
                metric=metric,
                owner_type=OwnerType.REP,
                owner_id=members[(index + offset) % len(members)].id,
                target=TargetSpec(TargetKind.ABSOLUTE, target),
                period=this_month,
                rationale="Agreed in the monthly review.",
            )
    assert first is not None
    return first


async def _past_goals(organisation: Organisation, rep: User, target: Decimal, today: date) -> None:
    """The rep's monthly revenue goals of the three months before this one, stored as they
    were set then (SMART refuses goals in the past, rightly, so they skip it)."""
    month = today.replace(day=1)
    for _ in range(3):
        month = (month - timedelta(days=1)).replace(day=1)
        period = period_containing(PeriodKind.MONTH, month, organisation.fiscal_year_start_month)
        await Goal.create(
            organisation_id=organisation.id,
            owner_type=OwnerType.REP,
            owner_rep_id=rep.id,
            metric=Metric.REVENUE,
            target=target,
            period_start=period.start,
            period_end=period.end,
            period_kind=PeriodKind.MONTH,
            rationale="Monthly revenue quota.",
        )


async def _gamification(organisation: Organisation, today: date) -> None:
    org = organisation.id
    for code, name, kind, threshold, points, metric in (
        ("HALFWAY", "Halfway there", BadgeKind.ATTAINMENT, 50, 10, None),
        ("OVERACHIEVER", "Overachiever", BadgeKind.ATTAINMENT, 150, 100, None),
        ("TEN_WINS", "Ten wins in a month", BadgeKind.DEALS_WON_IN_MONTH, 10, 50, None),
        ("HAT_TRICK", "Three targets in a row", BadgeKind.STREAK_GOALS, 3, 75, Metric.REVENUE),
        ("TOP_OF_MONTH", "Top of the month", BadgeKind.RANK_FIRST_IN_MONTH, 1, 80, Metric.REVENUE),
    ):
        await rules.create_badge(
            org,
            code=code,
            name=name,
            description="",
            kind=kind,
            threshold=Decimal(threshold),
            points=points,
            metric=metric,
            daily_minimum=None,
        )
    for code, event, points in (
        ("PER_WIN", PointsEvent.DEAL_WON, 10),
        ("PER_QUALIFIED_LEAD", PointsEvent.LEAD_QUALIFIED, 2),
        ("PER_CHECK_IN", PointsEvent.CHECK_IN_DONE, 15),
    ):
        await rules.create_points_rule(org, code=code, event=event, points=points)
    await rules.create_plan(
        org,
        code="REVENUE_ACCELERATOR",
        name="Revenue accelerator",
        metric=Metric.REVENUE,
        goal_id=None,
        tiers=[
            {"start": "0", "end": "100", "rate": "5"},
            {"start": "100", "end": "120", "rate": "8"},
            {"start": "120", "end": None, "rate": "10"},
        ],
        flats=[{"threshold": "110", "amount": "500"}],
        cap=Decimal(15000),
    )
    month = period_containing(PeriodKind.MONTH, today, organisation.fiscal_year_start_month)
    await rules.create_contest(
        org,
        name=f"{today:%B} sprint",
        metric=Metric.DEALS_WON,
        starts_on=month.start,
        ends_on=month.end,
        team_id=None,
        between_teams=False,
        prizes=[
            {"rank": 1, "badge": "SPRINT_GOLD", "points": 100, "bonus": "1000"},
            {"rank": 2, "badge": "SPRINT_SILVER", "points": 60, "bonus": "500"},
            {"rank": 3, "badge": "SPRINT_BRONZE", "points": 30, "bonus": "250"},
        ],
    )


async def _check_ins(
    organisation: Organisation, now: datetime, teams: dict[str, Team], reps: dict[str, list[User]]
) -> None:
    """Last week's one-to-ones: every rep had one nine days ago; those behind agreed on an
    action item that is now overdue; half of them were acknowledged."""
    held = now - timedelta(days=9)
    day = local_today(held, ZoneInfo(organisation.timezone))
    for name, team in teams.items():
        assert team.manager_id is not None
        for turn, rep in enumerate(reps[name]):
            behind = FORM[turn % len(FORM)] < 1
            items = (
                (
                    ActionItemDraft(
                        "Add three qualified meetings to the pipeline",
                        rep.id,
                        day + timedelta(days=6),
                    ),
                )
                if behind
                else ()
            )
            new = checkins.NewCheckIn(
                rep_id=rep.id,
                goal=None,
                rating=Rating.NEEDS_HELP if behind else Rating.ON_TRACK,
                comment="Behind on new business; let's rebuild the pipeline."
                if behind
                else "Good momentum; keep the renewals moving.",
                private_note="Consider pairing with a senior rep." if behind else None,
                action_items=items,
            )
            check_in = await checkins.record_check_in(organisation, team.manager_id, new, held)
            assert not isinstance(check_in, list), check_in
            if turn % 2 == 0:
                await checkins.acknowledge(organisation, check_in, rep.id, held + timedelta(days=1))
