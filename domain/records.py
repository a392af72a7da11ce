"""CRM records as they arrive (deals, leads, accounts, products) and the rules each must
keep, on its own, to be stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import ErrorCode, FieldError

MAX_EXTERNAL_ID_LENGTH = 200


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


def check_deal(deal: DealRecord) -> list[FieldError]:
    """Every rule the record breaks on its own, without looking anything up."""
    errors = check_external_id(deal.external_id)
    if not deal.amount.is_finite() or deal.amount < 0:
        errors.append(FieldError("amount", ErrorCode.NEGATIVE, "amount must be zero or more."))
    if deal.cost is not None and (not deal.cost.is_finite() or deal.cost < 0):
        errors.append(FieldError("cost", ErrorCode.NEGATIVE, "cost must be zero or more."))
    if deal.quantity < 1:
        errors.append(
            FieldError("quantity", ErrorCode.NOT_POSITIVE, "quantity must be at least 1.")
        )
    errors += check_aware(createdAt=deal.created_at, closedAt=deal.closed_at)
    if deal.stage is not DealStage.OPEN and deal.closed_at is None:
        errors.append(
            FieldError(
                "closedAt", ErrorCode.REQUIRED, f"closedAt is required for a {deal.stage} deal."
            )
        )
    if (
        deal.closed_at is not None
        and deal.closed_at.utcoffset() is not None
        and deal.created_at.utcoffset() is not None
        and deal.closed_at < deal.created_at
    ):
        errors.append(
            FieldError(
                "closedAt", ErrorCode.BEFORE_CREATED, "closedAt must not be before createdAt."
            )
        )
    return errors


def check_external_id(external_id: str, name: str = "externalId") -> list[FieldError]:
    if not external_id.strip():
        return [FieldError(name, ErrorCode.REQUIRED, f"{name} must not be empty.")]
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        return [
            FieldError(
                name,
                ErrorCode.TOO_LONG,
                f"{name} must be at most {MAX_EXTERNAL_ID_LENGTH} characters.",
            )
        ]
    return []


def check_aware(**times: datetime | None) -> list[FieldError]:
    """Times must carry an offset: a bare local time means different instants to different
    readers."""
    return [
        FieldError(name, ErrorCode.NO_TIMEZONE, f"{name} must carry a timezone offset.")
        for name, value in times.items()
        if value is not None and value.utcoffset() is None
    ]


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


def check_lead(lead: LeadRecord) -> list[FieldError]:
    errors = check_external_id(lead.external_id)
    errors += check_aware(createdAt=lead.created_at, qualifiedAt=lead.qualified_at)
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
    if (
        lead.qualified_at is not None
        and lead.qualified_at.utcoffset() is not None
        and lead.created_at.utcoffset() is not None
        and lead.qualified_at < lead.created_at
    ):
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
    errors = check_external_id(account.external_id)
    if not account.name.strip():
        errors.append(FieldError("name", ErrorCode.REQUIRED, "name must not be empty."))
    return errors


@dataclass(frozen=True)
class ProductRecord:
    external_id: str
    name: str
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None


def check_product(product: ProductRecord) -> list[FieldError]:
    errors = check_external_id(product.external_id)
    if not product.name.strip():
        errors.append(FieldError("name", ErrorCode.REQUIRED, "name must not be empty."))
    for name, value in (("unitPrice", product.unit_price), ("unitCost", product.unit_cost)):
        if value is not None and (not value.is_finite() or value < 0):
            errors.append(FieldError(name, ErrorCode.NEGATIVE, f"{name} must be zero or more."))
    return errors


def first_occurrences(external_ids: Sequence[str]) -> set[int]:
    """Indexes of the first record of each external id; later ones are duplicates."""
    seen: set[str] = set()
    firsts = set()
    for index, external_id in enumerate(external_ids):
        if external_id not in seen:
            seen.add(external_id)
            firsts.add(index)
    return firsts
