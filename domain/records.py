"""CRM records as they arrive (deals, leads, accounts, products) and the rules each must
keep, on its own, to be stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.errors import ErrorCode, FieldError
from domain.inputs import check_amount, check_count, check_instant, check_text

# The lengths of the columns these texts are stored in.
MAX_EXTERNAL_ID_LENGTH = 200
MAX_EMAIL_LENGTH = 320
MAX_NAME_LENGTH = 300
MAX_LABEL_LENGTH = 100
# A CRM's clock and ours may differ by a little: a record stamped that far ahead is not
# taken for one from the future.
CLOCK_SKEW = timedelta(minutes=5)


class DealStage(StrEnum):
    OPEN = "OPEN"
    WON = "WON"
    LOST = "LOST"


class LeadStatus(StrEnum):
    NEW = "NEW"
    QUALIFIED = "QUALIFIED"
    DISQUALIFIED = "DISQUALIFIED"
    CONVERTED = "CONVERTED"


@dataclass(frozen=True)
class DealRecord:
    external_id: str
    owner_email: str
    amount: Decimal
    stage: DealStage
    created_at: datetime
    closed_at: datetime | None = None
    cost: Decimal | None = None
    quantity: int = 1
    account_external_id: str | None = None
    product_external_id: str | None = None
    region: str | None = None
    segment: str | None = None


def not_yet(name: str, value: datetime | None, now: datetime) -> list[FieldError]:
    if value is None or value <= now + CLOCK_SKEW:
        return []
    return [
        FieldError(
            name,
            ErrorCode.IN_THE_FUTURE,
            f"{name} is {value.isoformat()}, after now ({now.isoformat(timespec='seconds')}): "
            "it cannot have happened yet.",
        )
    ]


def check_deal(deal: DealRecord, now: datetime) -> list[FieldError]:
    """Every rule the record breaks on its own, without looking anything up. An open deal
    may carry the day it is expected to close; a decided one closed at or before `now`."""
    errors = check_external_id(deal.external_id)
    errors += _references(deal.owner_email, deal.account_external_id, deal.region, deal.segment)
    errors += check_external_id(deal.product_external_id, "productExternalId", optional=True)
    errors += check_amount("amount", deal.amount) + check_amount("cost", deal.cost)
    errors += check_count("quantity", deal.quantity)
    errors += check_instant("createdAt", deal.created_at)
    errors += check_instant("closedAt", deal.closed_at)
    if deal.stage is not DealStage.OPEN and deal.closed_at is None:
        errors.append(
            FieldError(
                "closedAt", ErrorCode.REQUIRED, f"closedAt is required for a {deal.stage} deal."
            )
        )
    if deal.stage is not DealStage.OPEN and not errors:
        errors += not_yet("closedAt", deal.closed_at, now)
    if deal.closed_at is not None and not errors and deal.closed_at < deal.created_at:
        errors.append(
            FieldError(
                "closedAt", ErrorCode.BEFORE_CREATED, "closedAt must not be before createdAt."
            )
        )
    return errors


def _references(
    owner_email: str, account: str | None, region: str | None, segment: str | None
) -> list[FieldError]:
    """The texts a deal or a lead names other things by."""
    return (
        check_text("ownerEmail", owner_email, MAX_EMAIL_LENGTH)
        + check_external_id(account, "accountExternalId", optional=True)
        + check_text("region", region, MAX_LABEL_LENGTH)
        + check_text("segment", segment, MAX_LABEL_LENGTH)
    )


def check_external_id(
    external_id: str | None, name: str = "externalId", optional: bool = False
) -> list[FieldError]:
    if external_id is None and optional:
        return []
    if external_id is None or not external_id.strip():
        return [FieldError(name, ErrorCode.REQUIRED, f"{name} must not be empty.")]
    return check_text(name, external_id, MAX_EXTERNAL_ID_LENGTH)


@dataclass(frozen=True)
class LeadRecord:
    external_id: str
    owner_email: str
    created_at: datetime
    status: LeadStatus = LeadStatus.NEW
    qualified_at: datetime | None = None
    converted_deal_external_id: str | None = None
    account_external_id: str | None = None
    region: str | None = None
    segment: str | None = None


def is_qualified(status: LeadStatus, qualified_at: datetime | None) -> bool:
    """A lead counts as qualified once it has been: a qualification date, or a status that
    comes only after qualifying."""
    return qualified_at is not None or status in (LeadStatus.QUALIFIED, LeadStatus.CONVERTED)


def check_lead(lead: LeadRecord, now: datetime) -> list[FieldError]:
    errors = check_external_id(lead.external_id)
    errors += _references(lead.owner_email, lead.account_external_id, lead.region, lead.segment)
    errors += check_instant("createdAt", lead.created_at)
    errors += check_instant("qualifiedAt", lead.qualified_at)
    if not errors:
        errors += not_yet("createdAt", lead.created_at, now)
        errors += not_yet("qualifiedAt", lead.qualified_at, now)
    if lead.status is LeadStatus.CONVERTED and not lead.converted_deal_external_id:
        errors.append(
            FieldError(
                "convertedDealExternalId",
                ErrorCode.REQUIRED,
                "A CONVERTED lead must name the deal it became.",
            )
        )
    if lead.converted_deal_external_id is not None:
        errors += check_external_id(lead.converted_deal_external_id, "convertedDealExternalId")
    if lead.qualified_at is not None and not errors and lead.qualified_at < lead.created_at:
        errors.append(
            FieldError(
                "qualifiedAt", ErrorCode.BEFORE_CREATED, "qualifiedAt must not be before createdAt."
            )
        )
    return errors


@dataclass(frozen=True)
class AccountRecord:
    external_id: str
    name: str
    segment: str | None = None
    region: str | None = None


def check_account(account: AccountRecord) -> list[FieldError]:
    errors = check_external_id(account.external_id) + _name(account.name)
    errors += check_text("region", account.region, MAX_LABEL_LENGTH)
    return errors + check_text("segment", account.segment, MAX_LABEL_LENGTH)


def _name(name: str) -> list[FieldError]:
    if not name.strip():
        return [FieldError("name", ErrorCode.REQUIRED, "name must not be empty.")]
    return check_text("name", name, MAX_NAME_LENGTH)


@dataclass(frozen=True)
class ProductRecord:
    external_id: str
    name: str
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None


def check_product(product: ProductRecord) -> list[FieldError]:
    errors = check_external_id(product.external_id) + _name(product.name)
    errors += check_amount("unitPrice", product.unit_price)
    return errors + check_amount("unitCost", product.unit_cost)


def first_occurrences(external_ids: Sequence[str]) -> set[int]:
    """Indexes of the first record of each external id; later ones are duplicates."""
    seen: set[str] = set()
    firsts = set()
    for index, external_id in enumerate(external_ids):
        if external_id not in seen:
            seen.add(external_id)
            firsts.add(index)
    return firsts
