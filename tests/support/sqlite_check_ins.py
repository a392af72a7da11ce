"""Check-ins on a SQLite database: the due list across a month end in Auckland and two
reminder runs, printed as JSON.

Run in its own process by the embedded tests (tortoise binds models to one database per
process, and the test process holds PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta

from tortoise import Tortoise, connections

from core.checkins import service
from core.checkins.models import CheckIn, Reminder
from core.db import tortoise_config
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from domain.checkins import Cadence, Rating
from domain.errors import FieldError


async def main(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))
    try:
        assert connections.get("default").capabilities.dialect == "sqlite"
        created = await orgs.provision_organisation(
            "Kiwi", admin_email="a@kiwi.test", admin_name="A", timezone="Pacific/Auckland"
        )
        assert not isinstance(created, FieldError)
        organisation, _ = created
        team = await orgs.create_team(organisation.id, "Monthly", None)
        assert isinstance(team, Team)
        boss = await orgs.create_user(
            organisation.id, email="b@kiwi.test", name="B", role=Role.MANAGER, team_id=None
        )
        mona = await orgs.create_user(
            organisation.id, email="m@kiwi.test", name="M", role=Role.REP, team_id=team.id
        )
        assert isinstance(boss, User)
        assert isinstance(mona, User)
        team.manager_id, team.check_in_cadence = boss.id, Cadence.MONTHLY
        await team.save()
        at = datetime(2027, 1, 31, 11, 30, tzinfo=UTC)
        new = service.NewCheckIn(mona.id, None, Rating.ON_TRACK, "Fine", None, ())
        assert isinstance(await service.record_check_in(organisation, boss.id, new, at), CheckIn)
        found = {}
        for label, now in (
            ("evening", datetime(2027, 2, 28, 10, 30, tzinfo=UTC)),
            ("a day later", datetime(2027, 3, 1, 11, 30, tzinfo=UTC)),
        ):
            due = (await service.due_check_ins(organisation, None, now))[0]
            found[label] = [str(due.due_on), due.state.value, due.days_overdue]
        later = datetime(2027, 3, 1, 11, 30, tzinfo=UTC)
        runs = [
            len(await service.remind_overdue(organisation, later + timedelta(minutes=n)))
            for n in range(2)
        ]
        found["runs"] = runs
        found["reminders"] = await Reminder.all().count()
        print(json.dumps(found))
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
