"""Deals as the CRM sends them, and the rules a deal record must keep to be stored."""

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
    errors = []
    if not deal.external_id.strip():
        errors.append(FieldError("externalId", ErrorCode.REQUIRED, "externalId must not be empty."))
    elif len(deal.external_id) > MAX_EXTERNAL_ID_LENGTH:
        errors.append(
            FieldError(
                "externalId",
                ErrorCode.TOO_LONG,
                f"externalId must be at most {MAX_EXTERNAL_ID_LENGTH} characters.",
            )
        )
    if not deal.amount.is_finite() or deal.amount < 0:
        errors.append(FieldError("amount", ErrorCode.NEGATIVE, "amount must be zero or more."))
    if deal.cost is not None and (not deal.cost.is_finite() or deal.cost < 0):
        errors.append(FieldError("cost", ErrorCode.NEGATIVE, "cost must be zero or more."))
    if deal.quantity < 1:
        errors.append(
            FieldError("quantity", ErrorCode.NOT_POSITIVE, "quantity must be at least 1.")
        )
    for name, value in (("createdAt", deal.created_at), ("closedAt", deal.closed_at)):
        if value is not None and value.utcoffset() is None:
            errors.append(
                FieldError(name, ErrorCode.NO_TIMEZONE, f"{name} must carry a timezone offset.")
            )
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


def first_occurrences(external_ids: Sequence[str]) -> set[int]:
    """Indexes of the first record of each external id; later ones are duplicates."""
    seen: set[str] = set()
    firsts = set()
    for index, external_id in enumerate(external_ids):
        if external_id not in seen:
            seen.add(external_id)
            firsts.add(index)
    return firsts
