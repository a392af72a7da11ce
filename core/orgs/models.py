"""Tenants, their team tree and their users."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core import clock
from domain.checkins import Cadence


class Role(StrEnum):
    REP = "REP"
    MANAGER = "MANAGER"
    ADMIN = "ADMIN"


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    currency = fields.CharField(max_length=3, default="USD")
    timezone = fields.CharField(max_length=64, default="UTC")
    fiscal_year_start_month = fields.SmallIntField(default=1)
    # Pace thresholds for goal status: ON_TRACK at or above the first, AT_RISK at or above
    # the second, OFF_TRACK below.
    on_track_pace = fields.DecimalField(max_digits=6, decimal_places=3, default=Decimal("1.000"))
    at_risk_pace = fields.DecimalField(max_digits=6, decimal_places=3, default=Decimal("0.850"))
    # How far above the best comparable period a target may go (in percent) before the
    # goal must acknowledge the stretch.
    stretch_limit = fields.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("50.00"), db_default=Decimal("50.00")
    )
    # Above this (in percent over the best comparable period) a target is refused as not
    # achievable, acknowledged or not: five times the best period by default.
    stretch_hard_limit = fields.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("400.00"), db_default=Decimal("400.00")
    )
    # A rate or an average on a leaderboard is ranked only on at least this many cases
    # (decisions for a win rate, leads for a conversion rate, …).
    leaderboard_minimum_sample = fields.SmallIntField(default=5, db_default=5)
    # ISO weekdays worked (Monday is 1), as digits: "12345". Daily streaks skip the others
    # and the organisation's holidays.
    working_days = fields.CharField(max_length=7, default="12345", db_default="12345")
    # Open Badges credentials: whether reps may have their awards issued, and whether the
    # evidence in them may state amounts of money.
    credentials_enabled = fields.BooleanField(default=True, db_default=True)
    credentials_show_amounts = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(default=clock.now)

    class Meta:
        table = "organisation"


class Team(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="teams", on_delete=fields.CASCADE
    )
    parent: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=200)
    external_id = fields.CharField(max_length=200, null=True)
    # A MANAGER manages the teams naming them here, and every team below those.
    manager: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="managed_teams", null=True, on_delete=fields.SET_NULL
    )
    # How often the team's reps have a check-in with their manager.
    check_in_cadence = fields.CharEnumField(
        Cadence, max_length=16, default=Cadence.WEEKLY, db_default="WEEKLY"
    )
    # An archived team has no one in it and no team below it; it stays for its history.
    archived_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(default=clock.now)

    organisation_id: int
    parent_id: int | None
    manager_id: int | None

    class Meta:
        table = "team"
        unique_together = (("organisation", "external_id"),)


class User(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="users", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    email = fields.CharField(max_length=320, unique=True)
    name = fields.CharField(max_length=200)
    role = fields.CharEnumField(Role, max_length=16, default=Role.REP)
    external_id = fields.CharField(max_length=200, null=True)
    password_hash = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(default=clock.now)
    # A deactivated person is signed out at once and cannot sign in.
    active = fields.BooleanField(default=True, db_default=True)
    # Access tokens carry the version they were minted under: raising it (a password
    # change, a reset, a deactivation) ends every session of the person at once.
    session_version = fields.IntField(default=0, db_default=0)

    organisation_id: int
    team_id: int | None

    class Meta:
        table = "app_user"
        unique_together = (("organisation", "external_id"),)


class Holiday(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="holidays", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    name = fields.CharField(max_length=200)

    organisation_id: int

    class Meta:
        table = "holiday"
        unique_together = (("organisation", "day"),)
