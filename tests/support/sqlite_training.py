"""Measure training figures in a SQLite database and print them as JSON.

Run in its own process by the embedded tests (tortoise binds the models to one database per
process): the training SQL must give the same figures in both dialects."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date

from tortoise import Tortoise, connections

from core.db import tortoise_config
from core.goals.service import totals_over
from core.metrics.store import Scope
from core.orgs.models import Organisation, User
from core.training.models import Course
from domain.metrics import Metric, value_of
from domain.periods import Period

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


async def main(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))
    try:
        assert connections.get("default").capabilities.dialect == "sqlite"
        organisation = await Organisation.get()
        admin = await User.get(email="admin@northwind.example")
        negotiation = await Course.get(code="NEG-101")
        wanted = {
            f"{metric.value} {name} {label}": (metric, scope, period)
            for metric in (Metric.TRAINING_COMPLETED, Metric.CERTIFIED)
            for name, scope in (
                ("any", Scope(rep_ids=(admin.id,))),
                ("NEG-101", Scope(rep_ids=(admin.id,), course_ids=(negotiation.id,))),
                ("organisation", Scope(rep_ids=None)),
            )
            for label, period in (("october", OCTOBER), ("november", NOVEMBER))
        }
        found = {}
        for key, (metric, scope, period) in wanted.items():
            totals = await totals_over(organisation, metric, [(key, scope, period)])
            found[key] = str(value_of(metric, totals[key]))
        print(json.dumps(found))
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
