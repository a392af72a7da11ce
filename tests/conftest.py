"""Fixtures: a fresh PostgreSQL database per run, a Redis database, the app in-process."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from tortoise import Tortoise

from api.app import create_app
from core.auth.tokens import mint_token
from core.config import Settings
from core.db import migrate
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from domain.errors import FieldError
from tests.support.tenants import Tenants, build_tenants

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
JWT_SECRET = "test-secret-" + "x" * 32
RUN = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """A database created for this run, migrated with the project's migrations, then dropped."""
    name = f"pacesetter_test_{RUN}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    await migrate(url)
    try:
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
def settings(postgres_url: str) -> Settings:
    return Settings(
        database_url=postgres_url,
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        queue_name=f"pacesetter-test:{RUN}:queue",
        events_prefix=f"pacesetter-test:{RUN}",
    )


@pytest.fixture(scope="session")
def production_env(settings: Settings) -> dict[str, str]:
    """The environment for real `pacesetter` processes on the same database and Redis."""
    assert settings.redis_url is not None
    return {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "JWT_SECRET": settings.jwt_secret,
        "QUEUE_NAME": settings.queue_name,
        "EVENTS_PREFIX": settings.events_prefix,
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    """The ASGI app with its lifespan entered: the ORM is open for the whole run."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def db(app: Starlette, redis: Redis) -> AsyncIterator[None]:
    """A clean database and Redis database for one test."""
    yield
    await empty_database()
    await redis.flushdb()


async def empty_database() -> None:
    tables = ", ".join(model._meta.db_table for model in Tortoise.apps["models"].values())
    await Tortoise.get_connection("default").execute_script(
        f"TRUNCATE {tables} RESTART IDENTITY CASCADE"
    )


@pytest.fixture
async def client(app: Starlette, db: None) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@dataclass(frozen=True)
class Org:
    organisation: Organisation
    admin: User
    team: Team
    rep: User

    def token(self, user: User | None = None) -> str:
        return mint_token(user or self.admin, JWT_SECRET)


@pytest.fixture
async def org(db: None) -> Org:
    """An organisation in Los Angeles time with an admin, one team and one rep."""
    created = await orgs.provision_organisation(
        "Acme",
        admin_email="admin@acme.test",
        admin_name="Ada Admin",
        timezone="America/Los_Angeles",
    )
    assert not isinstance(created, FieldError)
    organisation, admin = created
    team = await orgs.create_team(organisation.id, "West", None)
    assert isinstance(team, Team)
    rep = await orgs.create_user(
        organisation.id, email="rita@acme.test", name="Rita Rep", role=Role.REP, team_id=team.id
    )
    assert isinstance(rep, User)
    return Org(organisation, admin, team, rep)


@pytest.fixture
async def tenants(db: None) -> Tenants:
    """Two organisations with every kind of principal (see tests/support/tenants.py)."""
    return await build_tenants(datetime.now(UTC).date())
