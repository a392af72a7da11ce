"""Check-in cadence in a timezone far from UTC, and a manager's agenda on a hand-built month,
against PostgreSQL, with every figure worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.checkins import service
from core.checkins.models import CheckIn
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales import service as sales
from domain.checkins import ActionItemDraft, Cadence, DueState, Rating
from domain.errors import FieldError
from domain.metrics import Metric
from domain.progress import GoalStatus
from domain.records import DealRecord, DealStage, LeadRecord
from gamification.models import Award, BadgeDefinition
from gamification.store import awards_of_rep
from tests.conftest import Org
from tests.support.factories import make_goal

D = Decimal
AUCKLAND = ZoneInfo("Pacific/Auckland")
LA = ZoneInfo("America/Los_Angeles")


async def _person(organisation: Organisation, name: str, role: Role, team: Team | None) -> User:
    user = await orgs.create_user(
        organisation.id,
        email=f"{name.lower()}@{organisation.id}.test",
        name=name,
        role=role,
        team_id=team.id if team else None,
    )
    assert isinstance(user, User)
    return user


async def _check_in(
    organisation: Organisation,
    author: User,
    rep: User,
    at: datetime,
    items: tuple[ActionItemDraft, ...] = (),
) -> CheckIn:
    new = service.NewCheckIn(rep.id, None, Rating.ON_TRACK, "Weekly one-to-one", None, items)
    made = await service.record_check_in(organisation, author.id, new, at)
    assert isinstance(made, CheckIn), made
    return made


async def test_cadence_counts_local_days_across_a_month_end_in_auckland(db: None) -> None:
    created = await orgs.provision_organisation(
        "Kiwi", admin_email="admin@kiwi.test", admin_name="Admin", timezone="Pacific/Auckland"
    )
    assert not isinstance(created, FieldError)
    organisation, _ = created
    monthly = await orgs.create_team(organisation.id, "Monthly", None)
    weekly = await orgs.create_team(organisation.id, "Weekly", None)
    assert isinstance(monthly, Team)
    assert isinstance(weekly, Team)
    monthly.check_in_cadence = Cadence.MONTHLY
    await monthly.save()
    boss = await _person(organisation, "Boss", Role.MANAGER, None)
    for team in (monthly, weekly):
        team.manager_id = boss.id
        await team.save()
    mona = await _person(organisation, "Mona", Role.REP, monthly)
    wes = await _person(organisation, "Wes", Role.REP, weekly)
    nell = await _person(organisation, "Nell", Role.REP, weekly)
    # Nell joined on 20 February, local time; she has had no check-in yet.
    await User.filter(id=nell.id).update(created_at=datetime(2027, 2, 20, 9, tzinfo=AUCKLAND))

    # 11:30 UTC on 31 January is 00:30 on 1 February in Auckland (UTC+13): a monthly
    # check-in then is next due on 1 March, where UTC would say 28 February.
    await _check_in(organisation, boss, mona, datetime(2027, 1, 31, 11, 30, tzinfo=UTC))
    # 20:00 UTC on 27 January is 09:00 on the 28th in Auckland: due a week later, 4 February.
    await _check_in(organisation, boss, wes, datetime(2027, 1, 27, 20, tzinfo=UTC))

    # 10:30 UTC on 28 February is 23:30 on the 28th in Auckland.
    evening = datetime(2027, 2, 28, 10, 30, tzinfo=UTC)
    due = {d.rep_id: d for d in await service.due_check_ins(organisation, None, evening)}
    assert set(due) == {mona.id, wes.id, nell.id}
    assert (due[mona.id].due_on, due[mona.id].state, due[mona.id].days_overdue) == (
        date(2027, 3, 1),
        DueState.UPCOMING,
        0,
    )
    # 4 February to 28 February: 24 days overdue.
    assert (due[wes.id].due_on, due[wes.id].state, due[wes.id].days_overdue) == (
        date(2027, 2, 4),
        DueState.OVERDUE,
        24,
    )
    # 20 February + 7 days = 27 February: one day overdue.
    assert (due[nell.id].due_on, due[nell.id].state, due[nell.id].days_overdue) == (
        date(2027, 2, 27),
        DueState.OVERDUE,
        1,
    )
    assert {d.manager_id for d in due.values()} == {boss.id}

    # An hour later it is 1 March in Auckland: Mona's is due today; a day later, overdue.
    midnight = evening + timedelta(hours=1)
    mona_due = (await service.due_check_ins(organisation, [mona.id], midnight))[0]
    assert (mona_due.state, mona_due.days_overdue) == (DueState.DUE, 0)
    next_day = (await service.due_check_ins(organisation, [mona.id], midnight + timedelta(days=1)))[
        0
    ]
    assert (next_day.state, next_day.days_overdue) == (DueState.OVERDUE, 1)

    # A check-in on 1 March (local) moves Mona's next one to 1 April.
    await _check_in(organisation, boss, mona, midnight + timedelta(hours=2))
    again = (await service.due_check_ins(organisation, [mona.id], midnight + timedelta(days=1)))[0]
    assert (again.due_on, again.state) == (date(2027, 4, 1), DueState.UPCOMING)


def la(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2027, month, day, hour, tzinfo=LA)


@pytest.mark.at(datetime(2027, 2, 15, 18, tzinfo=LA))
async def test_the_agenda_of_a_hand_built_february(org: Org) -> None:
    """February 2027 in Los Angeles (no daylight saving change in it): 28 days. The agenda is
    asked for at midnight starting Monday 15 February, half-way through the month.

    Deals (closed)                     Leads (created)
     d1 WON  6,000  2 Feb (before)      l1  3 Feb (before)
     d2 WON  2,000  5 Feb (before)      l2  9 Feb (since)
     d3 LOST 1,000  6 Feb (before)      l3 10 Feb (since)
     d4 WON  1,000 10 Feb (since)
     d5 LOST 3,000 11 Feb (since)
     d6 LOST   500 12 Feb (since)

    The last check-in was on Monday 8 February at 10:00; "since" is 8–15 February (8 days)
    and "before" the 8 days 31 January – 7 February.
    """
    organisation, rita = org.organisation, org.rep
    max_ = await _person(organisation, "Max", Role.MANAGER, None)
    org.team.manager_id = max_.id
    await org.team.save()
    goals = {
        metric: await make_goal(
            organisation.id,
            rep_id=rita.id,
            metric=metric,
            target=target,
            start=date(2027, 2, 1),
            end=date(2027, 2, 28),
        )
        for metric, target in (
            (Metric.REVENUE, 20000),
            (Metric.DEALS_WON, 8),
            (Metric.WIN_RATE, 60),
            (Metric.LEADS, 2),
        )
    }

    async def deals(*rows: tuple[str, int, DealStage, datetime]) -> None:
        records = [
            DealRecord(key, rita.email, D(amount), stage, created_at=la(1, 15), closed_at=closed)
            for key, amount, stage, closed in rows
        ]
        assert (await sales.ingest_deals(organisation, records)).accepted == len(records)

    await deals(
        ("d1", 6000, DealStage.WON, la(2, 2)),
        ("d2", 2000, DealStage.WON, la(2, 5)),
        ("d3", 1000, DealStage.LOST, la(2, 6)),
    )
    await sales.ingest_leads(organisation, [LeadRecord("l1", rita.email, la(2, 3))])

    # The check-in of 8 February: its snapshot is February as it stood then.
    check_in = await _check_in(
        organisation,
        max_,
        rita,
        la(2, 8),
        (
            ActionItemDraft("Re-open the Initech deal", rita.id, date(2027, 2, 12)),
            ActionItemDraft("Shadow Max on two demos", rita.id, date(2027, 2, 19)),
            ActionItemDraft("Send the pricing deck", max_.id, date(2027, 2, 10)),
        ),
    )
    items = sorted(await check_in.action_items.all(), key=lambda item: item.id)
    done = await service.complete_action_item(items[2], max_.id, la(2, 9))
    assert not isinstance(done, FieldError)

    await deals(
        ("d4", 1000, DealStage.WON, la(2, 10)),
        ("d5", 3000, DealStage.LOST, la(2, 11)),
        ("d6", 500, DealStage.LOST, la(2, 12)),
    )
    await sales.ingest_leads(
        organisation,
        [LeadRecord("l2", rita.email, la(2, 9)), LeadRecord("l3", rita.email, la(2, 10))],
    )
    badge = await BadgeDefinition.filter(organisation_id=organisation.id).first()
    assert badge is not None
    for key, at in (("old", la(2, 5)), ("new", la(2, 12))):
        await Award.create(
            organisation_id=organisation.id,
            badge_id=badge.id,
            rep_id=rita.id,
            period_key=key,
            awarded_at=at,
            explanation={},
        )

    agenda = await service.agenda(organisation, rita.id, la(2, 15, hour=0))

    assert agenda.since == date(2027, 2, 8)
    assert agenda.last_check_in_at == la(2, 8)
    # Half the month is over: 50% attainment keeps pace.
    # Revenue 6,000 + 2,000 + 1,000 = 9,000 of 20,000: 45% → pace 0.90, AT_RISK; 11,000 to
    # go over the 10 working days 15–19 and 22–26 February → 1,100 a day.
    # Deals won 3 of 8: 37.5% → pace 0.75, OFF_TRACK; 5 to go → 0.50 a day.
    # Win rate 3 won of 6 closed = 50% of 60: 83.33% → pace 0.83, OFF_TRACK; a rate has no
    # daily rate. Leads 3 of 2: ACHIEVED, not on the agenda.
    assert [
        (g.goal.id, g.progress.attainment, g.progress.status, g.pace, g.daily_rate_needed)
        for g in agenda.goals
    ] == [
        (goals[Metric.REVENUE].id, D("45.00"), GoalStatus.AT_RISK, D("0.90"), D("1100.00")),
        (goals[Metric.DEALS_WON].id, D("37.50"), GoalStatus.OFF_TRACK, D("0.75"), D("0.50")),
        (goals[Metric.WIN_RATE].id, D("83.33"), GoalStatus.OFF_TRACK, D("0.83"), None),
    ]
    # Open: the two of Rita's; the one due 12 February is overdue on the 15th.
    assert [(i.description, i.due_on) for i in agenda.open_action_items] == [
        ("Re-open the Initech deal", date(2027, 2, 12)),
        ("Shadow Max on two demos", date(2027, 2, 19)),
    ]
    awards = await awards_of_rep(organisation.id, rita.id, agenda.awards_since)
    assert [a.period_key for a in awards] == ["new"]
    # Since: revenue 1,000, won 1, closed 3, leads 2. Before: revenue 8,000, won 2,
    # closed 3, leads 1. Leads +100%; revenue and gross profit (no costs) −87.5%; average
    # deal 1,000 against 4,000 −75%; win rate 33.33 against 66.67 −50.01%; deals won and
    # units −50% come next and fall outside the five.
    assert [(c.metric, c.before, c.since, c.change_percent) for c in agenda.changes] == [
        (Metric.LEADS, D("1.00"), D("2.00"), D("100.00")),
        (Metric.GROSS_PROFIT, D("8000.00"), D("1000.00"), D("-87.50")),
        (Metric.REVENUE, D("8000.00"), D("1000.00"), D("-87.50")),
        (Metric.AVERAGE_DEAL_SIZE, D("4000.00"), D("1000.00"), D("-75.00")),
        (Metric.WIN_RATE, D("66.67"), D("33.33"), D("-50.01")),
    ]

    # The check-in kept February as it was at 10:00 on the 8th: 8,000 of 20,000 = 40%,
    # with 7 days 10 hours of 28 days gone: 178 / 672 = 26.49% keeps pace.
    stored = await CheckIn.get(id=check_in.id)
    revenue = next(s for s in stored.snapshot if s["goalId"] == goals[Metric.REVENUE].id)
    assert (revenue["currentValue"], revenue["attainment"], revenue["expectedAttainment"]) == (
        "8000.00",
        "40.00",
        "26.49",
    )
    assert revenue["status"] == GoalStatus.ON_TRACK.value
