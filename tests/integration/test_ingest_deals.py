"""Deal ingestion on PostgreSQL: upserts by external id, partial batches, affected reps."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.metrics.models import DealDay
from core.orgs import service as orgs
from core.orgs.models import Role, User
from core.sales import service
from core.sales.models import Account, Deal
from domain.errors import ErrorCode
from domain.records import DealRecord, DealStage
from tests.conftest import Org

CLOSED = datetime(2026, 11, 12, 17, tzinfo=UTC)


def won(external_id: str, amount: str, owner: str = "rita@acme.test") -> DealRecord:
    return DealRecord(
        external_id=external_id,
        owner_email=owner,
        amount=Decimal(amount),
        stage=DealStage.WON,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        closed_at=CLOSED,
    )


async def test_ingesting_again_updates_instead_of_duplicating(org: Org) -> None:
    first = await service.ingest_deals(org.organisation, [won("d-1", "1000")])
    second = await service.ingest_deals(org.organisation, [won("d-1", "1500")])

    assert (first.accepted, second.accepted) == (1, 1)
    deals = await Deal.filter(organisation_id=org.organisation.id)
    assert [(d.external_id, d.amount) for d in deals] == [("d-1", Decimal("1500.00"))]


async def test_a_deal_changing_owner_affects_both_reps(org: Org) -> None:
    other = await orgs.create_user(
        org.organisation.id, email="sam@acme.test", name="Sam", role=Role.REP, team_id=org.team.id
    )
    assert isinstance(other, User)
    await service.ingest_deals(org.organisation, [won("d-1", "1000")])

    moved = await service.ingest_deals(
        org.organisation, [won("d-1", "1000", owner="SAM@acme.test")]
    )

    assert moved.affected_rep_ids == {org.rep.id, other.id}
    deal = await Deal.get(external_id="d-1")
    assert deal.owner_id == other.id


async def test_bad_records_are_reported_and_good_ones_kept(org: Org) -> None:
    batch = [
        won("ok-1", "100"),
        won("neg", "-1"),
        won("ghost", "100", owner="ghost@acme.test"),
        won("ok-1", "999"),
        replace(won("acct", "100"), account_external_id="missing"),
        replace(won("lost", "50"), stage=DealStage.LOST, closed_at=None),
        won("ok-2", "200"),
    ]

    result = await service.ingest_deals(org.organisation, batch)

    assert result.accepted == 2
    assert [
        (r.index, r.external_id, [(e.field, e.code) for e in r.errors]) for r in result.rejected
    ] == [
        (1, "neg", [("amount", ErrorCode.NEGATIVE)]),
        (2, "ghost", [("ownerEmail", ErrorCode.NOT_FOUND)]),
        (3, "ok-1", [("externalId", ErrorCode.DUPLICATE_IN_BATCH)]),
        (4, "acct", [("accountExternalId", ErrorCode.NOT_FOUND)]),
        (5, "lost", [("closedAt", ErrorCode.REQUIRED)]),
    ]
    stored = await Deal.filter(organisation_id=org.organisation.id).order_by("external_id")
    assert [(d.external_id, d.amount) for d in stored] == [
        ("ok-1", Decimal("100.00")),
        ("ok-2", Decimal("200.00")),
    ]


async def test_region_and_segment_default_to_the_accounts(org: Org) -> None:
    await Account.create(
        organisation_id=org.organisation.id,
        external_id="a-1",
        name="Globex",
        region="EMEA",
        segment="Enterprise",
    )
    await service.ingest_deals(
        org.organisation,
        [
            replace(won("d-1", "10"), account_external_id="a-1"),
            replace(won("d-2", "10"), account_external_id="a-1", region="APAC"),
        ],
    )

    deals = await Deal.filter(organisation_id=org.organisation.id).order_by("external_id")
    assert [(d.region, d.segment) for d in deals] == [
        ("EMEA", "Enterprise"),
        ("APAC", "Enterprise"),
    ]


async def test_a_large_batch_upserts_through_copy_and_keeps_unchanged_rows(org: Org) -> None:
    """300 deals, then the same 300 with two in three changed: both batches are over
    COPY_FROM, so they go through the staging table; 200 rows are rewritten, 100 untouched."""
    first = [won(f"big-{n}", str(100 + n)) for n in range(300)]
    await service.ingest_deals(org.organisation, first)
    stamps = {d.external_id: d.updated_at for d in await Deal.all()}
    again = [
        replace(record, amount=record.amount + 1, stage=DealStage.LOST) if n % 3 else record
        for n, record in enumerate(first)
    ]

    result = await service.ingest_deals(org.organisation, again)

    deals = {d.external_id: d for d in await Deal.all()}
    assert (result.accepted, len(deals)) == (300, 300)
    changed = {key for key, deal in deals.items() if deal.updated_at != stamps[key]}
    assert changed == {f"big-{n}" for n in range(300) if n % 3}
    assert (deals["big-4"].amount, deals["big-4"].stage) == (Decimal(105), DealStage.LOST)
    assert (deals["big-3"].amount, deals["big-3"].stage) == (Decimal(103), DealStage.WON)
    # The rollups follow: 100 won deals left, worth Σ(100 + n) over n divisible by 3.
    day = await DealDay.get(organisation_id=org.organisation.id)
    expected = sum(100 + n for n in range(0, 300, 3))
    assert (day.won, day.lost, day.revenue_ticks) == (100, 200, expected * 10_000)


async def test_a_deal_closed_tomorrow_is_refused_and_one_expected_tomorrow_kept(
    org: Org, now: datetime
) -> None:
    tomorrow = now + timedelta(days=1)
    records = [
        replace(won("future", "100"), closed_at=tomorrow),
        replace(won("expected", "100"), stage=DealStage.OPEN, closed_at=tomorrow),
        won("past", "100"),
    ]

    result = await service.ingest_deals(org.organisation, records)

    assert result.accepted == 2
    assert [(r.external_id, [(e.field, e.code) for e in r.errors]) for r in result.rejected] == [
        ("future", [("closedAt", ErrorCode.IN_THE_FUTURE)])
    ]
    assert sorted(d.external_id for d in await Deal.all()) == ["expected", "past"]
