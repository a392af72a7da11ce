"""Deals and leads as ingestion writes them: plain rows, much cheaper to build by the
thousand than ORM objects, with the same attribute names as the models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.records import DealStage, LeadStatus


@dataclass(slots=True)
class DealRow:
    organisation_id: int
    external_id: str
    owner_id: int
    account_id: int | None
    product_id: int | None
    amount: Decimal
    cost: Decimal | None
    quantity: int
    stage: DealStage
    created_at: datetime
    closed_at: datetime | None
    region: str | None
    segment: str | None


@dataclass(slots=True)
class LeadRow:
    organisation_id: int
    external_id: str
    owner_id: int
    account_id: int | None
    status: LeadStatus
    created_at: datetime
    qualified_at: datetime | None
    converted_deal_external_id: str | None
    region: str | None
    segment: str | None
