"""The metrics a goal can measure."""

from __future__ import annotations

from enum import StrEnum


class Metric(StrEnum):
    REVENUE = "REVENUE"
