"""The reference dashboard in a real browser, on PostgreSQL, Redis and a worker: the demo's
manager signs in and sees their team; a deal comes in through the CRM webhook and the rep's bar
and the leaderboard move on the open page within a second; the rep's own screen shows the rank
it earned. Each screen is kept as a screenshot."""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from api import demo
from core.auth.service import create_api_key
from core.goals.models import Goal
from core.orgs.models import Role, Team, User
from core.outbox.models import OutboxEntry
from core.sales.models import Deal
from domain.metrics import Metric
from domain.records import DealStage
from tests.support.browser import DESKTOP, PHONE, local_only, screenshot
from tests.support.jws import verify_with_set
from tests.support.servers import api_server, running
from tests.support.waiting import listening, until

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
# The demo is seeded as it stands at NOW; the servers' clocks and the browser's read NOW too.
pytestmark = pytest.mark.at(NOW)
NEW_YORK = ZoneInfo(demo.TIMEZONE)
NOVEMBER = (datetime(2026, 11, 1, tzinfo=NEW_YORK), datetime(2026, 12, 1, tzinfo=NEW_YORK))
# The manager's page follows four things: progress, the board, awards and check-ins.
MANAGER_SUBSCRIPTIONS = 4


def dollars(amount: Decimal) -> str:
    return f"${amount:,.0f}"


async def november_revenue(team: Team) -> dict[User, Decimal]:
    """Each rep of the team: the won deals closed in November (New York time), summed here."""
    reps = await User.filter(team_id=team.id, role=Role.REP)
    totals = {rep: Decimal(0) for rep in reps}
    by_id = {rep.id: rep for rep in reps}
    won = await Deal.filter(
        owner_id__in=list(by_id),
        stage=DealStage.WON,
        closed_at__gte=NOVEMBER[0],
        closed_at__lt=NOVEMBER[1],
    )
    for deal in won:
        totals[by_id[deal.owner_id]] += deal.amount
    return totals


async def _empty(organisation_id: int) -> bool:
    return not await OutboxEntry.filter(organisation_id=organisation_id).exists()


async def sign_in(page: Page, base_url: str, email: str) -> None:
    await page.goto(f"{base_url}/app")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", demo.DEMO_PASSWORD)
    await page.click("#sign-in button[type=submit]")


async def test_a_deal_moves_the_managers_open_page_within_a_second(
    browser: Browser, production_env: dict[str, str], db: None
) -> None:
    made = await demo.ready_demo(NOW)
    east = await Team.get(organisation_id=made.organisation.id, name="East")
    manager = await User.get(id=east.manager_id)
    revenue = await november_revenue(east)
    ranked = sorted(revenue, key=lambda rep: (-revenue[rep], rep.name))
    leader, trailing = ranked[0], ranked[-1]
    # Enough for the last of the board to pass the first.
    # A first deal for the leader warms the pipeline (a worker's first job pays for its start);
    # the measured one is the next.
    warm_up = Decimal(100)
    amount = revenue[leader] + warm_up - revenue[trailing] + Decimal(1000)
    after = revenue[trailing] + amount
    goal = await Goal.get(
        owner_rep_id=trailing.id,
        metric=Metric.REVENUE,
        period_start__lte=NOW.date(),
        period_end__gte=NOW.date(),
    )
    _, secret = await create_api_key(made.organisation.id, "CRM", ["ingest"])

    def deal(key: str, owner: User, value: Decimal) -> dict[str, str]:
        return {
            "externalId": key,
            "ownerEmail": owner.email or "",
            "amount": str(value),
            "stage": "WON",
            "createdAt": (NOW - timedelta(days=3)).isoformat(),
            "closedAt": (NOW - timedelta(hours=1)).isoformat(),
        }

    webhook = {"Authorization": f"Bearer {secret}"}

    with running(production_env, "worker"), api_server(production_env) as base:
        context = await browser.new_context(viewport=DESKTOP)
        await context.clock.set_fixed_time(NOW)
        page = await context.new_page()
        elsewhere = await local_only(page, base)
        await sign_in(page, base, manager.email)
        team = page.locator("#team")
        await expect(team.locator(".rep")).to_have_count(len(revenue), timeout=15_000)
        card = team.locator(f'.rep[data-rep-id="{trailing.id}"] .goal[data-goal-id="{goal.id}"]')
        board = page.locator("#board li")
        seen_before = {
            "team": await team.locator("h2").inner_text(),
            "reps": sorted(await team.locator(".rep h3").all_inner_texts()),
            "value": await card.locator(".value").inner_text(),
            "board": await board.locator(".name").all_inner_texts(),
        }
        await expect(page.locator("#history-chart canvas")).to_have_count(1)
        await expect(page.locator("#trend-chart canvas")).to_have_count(1)
        await listening(base, MANAGER_SUBSCRIPTIONS)
        await screenshot(page, "manager")

        # The seeding left every rep's first evaluation in the outbox, one transaction of
        # them all that holds the team's goal figures for seconds: the page's live path is
        # measured once it is committed (deals during such a run are
        # tests/workers/test_ingest_during_evaluation).
        await until(lambda: _empty(made.organisation.id), "the seeding's outbox to be evaluated")
        async with httpx.AsyncClient(base_url=base) as http:
            await http.post(
                "/webhooks/deals", json=[deal("warm", leader, warm_up)], headers=webhook
            )
            leader_card = team.locator(
                f'.rep[data-rep-id="{leader.id}"] .goal[data-metric="REVENUE"]'
            )
            await expect(leader_card.locator(".value")).to_have_text(
                dollars(revenue[leader] + warm_up), timeout=30_000
            )
            answer = await http.post(
                "/webhooks/deals", json=[deal("browser-1", trailing, amount)], headers=webhook
            )
        stored = time.monotonic()
        await expect(card.locator(".value")).to_have_text(dollars(after), timeout=1000)
        await expect(board.first.locator(".name")).to_have_text(trailing.name, timeout=1000)
        moved_within = time.monotonic() - stored
        seen_after = {
            "bar": await card.locator(".bar").get_attribute("aria-valuenow"),
            "board": await board.locator(".name").all_inner_texts(),
            "first": await board.first.locator(".value").inner_text(),
        }
        # Passing the target awards the rep a badge, announced on the same page.
        await expect(page.locator("#awards li").first.locator(".name")).to_have_text(
            trailing.name, timeout=10_000
        )
        await screenshot(page, "manager-after-deal")
        await page.set_viewport_size(PHONE)
        phone_overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        await screenshot(page, "manager-phone")

        rep_context = await browser.new_context(viewport=DESKTOP)
        await rep_context.clock.set_fixed_time(NOW)
        rep_page = await rep_context.new_page()
        await sign_in(rep_page, base, trailing.email)
        await expect(rep_page.locator("#my-rank")).to_have_text(
            f"#1 of {len(revenue)} · {dollars(after)}", timeout=15_000
        )
        rep_goal = rep_page.locator(f'#mine .goal[data-goal-id="{goal.id}"] .value')
        rep_value = await rep_goal.inner_text()
        points = await rep_page.locator("#achievements .big").inner_text()
        await screenshot(rep_page, "rep")
        # The rep carries a badge away as an Open Badges credential file.
        carry = rep_page.locator("#achievements .carry").first
        badge_name = await carry.get_attribute("data-badge")
        async with rep_page.expect_download() as downloading:
            await carry.click()
        download = await downloading.value
        token = await asyncio.to_thread(Path(await download.path()).read_text)
        async with httpx.AsyncClient(base_url=base) as http:
            key_set = (await http.get(f"/issuers/{made.organisation.id}/jwks.json")).json()
        await rep_context.close()
        await context.close()

    assert answer.json() == {"accepted": 1, "rejected": []}
    assert seen_before == {
        "team": "Team East",
        "reps": sorted(rep.name for rep in revenue),
        "value": dollars(revenue[trailing]),
        "board": [rep.name for rep in ranked],
    }
    assert moved_within <= 1.0
    attainment = after / goal.target * 100
    assert abs(Decimal(seen_after["bar"] or "0") - attainment) <= Decimal("0.51")
    assert seen_after["board"] == [trailing.name, *(rep.name for rep in ranked[:-1])]
    assert seen_after["first"] == dollars(after)
    assert phone_overflow == 0
    assert rep_value == dollars(after)
    assert " points · level " in points
    verified = verify_with_set(token, key_set)["claims"]["vc"]
    identity = verified["credentialSubject"]["identifier"][0]
    hashed = hashlib.sha256((trailing.email + identity["salt"]).encode()).hexdigest()
    assert verified["name"] == badge_name
    assert identity["identityHash"] == f"sha256${hashed}"
    assert elsewhere == []
