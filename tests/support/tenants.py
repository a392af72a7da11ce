"""Two organisations with every kind of principal, for access tests.

Organisation 1: admin; teams A (managed by the manager) and B; rep A in A, rep B in B;
goals of rep A, rep B, team A and the organisation. Organisation 2: its own admin, rep and
goal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.auth.tokens import mint_token
from core.goals.models import Goal
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from domain.errors import FieldError
from domain.metrics import Metric
from tests.support.factories import make_goal

PRINCIPALS = ("admin", "manager_a", "rep_a", "rep_b", "other_admin")


@dataclass
class Tenants:
    users: dict[str, User]
    team_a: Team
    team_b: Team
    goals: dict[str, Goal]
    other_rep: User

    def token(self, principal: str, secret: str) -> str:
        return mint_token(self.users[principal], secret, ttl=timedelta(hours=1))


async def build_tenants(today: date) -> Tenants:
    users: dict[str, User] = {}
    created = await orgs.provision_organisation(
        "One", admin_email="admin@one.test", admin_name="Admin", timezone="UTC"
    )
    assert not isinstance(created, FieldError)
    one, users["admin"] = created
    team_a = await orgs.create_team(one.id, "A", None)
    team_b = await orgs.create_team(one.id, "B", None)
    assert isinstance(team_a, Team)
    assert isinstance(team_b, Team)
    for key, role, team in (
        ("manager_a", Role.MANAGER, None),
        ("rep_a", Role.REP, team_a),
        ("rep_b", Role.REP, team_b),
    ):
        user = await orgs.create_user(
            one.id, email=f"{key}@one.test", name=key, role=role, team_id=team.id if team else None
        )
        assert isinstance(user, User)
        users[key] = user
    team_a.manager_id = users["manager_a"].id
    await team_a.save(update_fields=["manager_id"])

    other = await orgs.provision_organisation(
        "Two", admin_email="admin@two.test", admin_name="Other", timezone="UTC"
    )
    assert not isinstance(other, FieldError)
    two, users["other_admin"] = other
    other_team = await orgs.create_team(two.id, "X", None)
    assert isinstance(other_team, Team)
    other_rep = await orgs.create_user(
        two.id, email="rep@two.test", name="rx", role=Role.REP, team_id=other_team.id
    )
    assert isinstance(other_rep, User)

    start, end = today.replace(day=1), today + timedelta(days=40)

    async def goal(organisation_id: int, **owner: int) -> Goal:
        return await make_goal(
            organisation_id,
            metric=Metric.REVENUE,
            target=Decimal(1000),
            start=start,
            end=end,
            **owner,
        )

    goals = {
        "rep_a": await goal(one.id, rep_id=users["rep_a"].id),
        "rep_b": await goal(one.id, rep_id=users["rep_b"].id),
        "team_a": await goal(one.id, team_id=team_a.id),
        "organisation": await goal(one.id),
        "other": await goal(two.id, rep_id=other_rep.id),
    }
    return Tenants(users, team_a, team_b, goals, other_rep)
