"""Fixtures: a fresh PostgreSQL database per run, Redis keys of the run's own, the app
in-process, and the clock pinned for every test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from tortoise import Tortoise

from api.app import create_app
from core import clock
from core.auth.tokens import mint_token
from core.config import Settings
from core.db import migrate
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from domain.errors import FieldError
from tests.support.instants import EDGES, ORDINARY
from tests.support.tenants import Tenants, build_tenants

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
JWT_SECRET = "test-secret-" + "x" * 32
RUN = uuid.uuid4().hex[:8]
# Every Redis key, queue and channel of this run starts with this; only those are deleted.
REDIS_PREFIX = f"pacesetter-test:{RUN}"
METRICS_TOKEN = f"metrics-token-{RUN}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "dated: also run the test at each instant of tests.support.instants.EDGES"
    )
    config.addinivalue_line("markers", "at(instant): start the test at this instant")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("dated"):
        metafunc.parametrize("now", list(EDGES.values()), ids=list(EDGES), indirect=True)


@pytest.fixture(autouse=True)
def now(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """The instant the test starts at: the clock reads it, and runs on from it, in this
    process and in every process the test starts (through CLOCK_SHIFT_SECONDS)."""
    marker = request.node.get_closest_marker("at")
    at: datetime = getattr(request, "param", marker.args[0] if marker else ORDINARY)
    with clock.pinned(at):
        monkeypatch.setenv("CLOCK_SHIFT_SECONDS", repr(clock.shift().total_seconds()))
        yield at


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
        queue_name=f"{REDIS_PREFIX}:queue",
        events_prefix=REDIS_PREFIX,
        metrics_token=METRICS_TOKEN,
    )


@pytest.fixture(scope="session")
def production_env(settings: Settings) -> dict[str, str]:
    """The environment for real `pacesetter` processes on the same database and Redis (their
    clock is the test's: `now` exports it)."""
    assert settings.redis_url is not None
    return {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "JWT_SECRET": settings.jwt_secret,
        "QUEUE_NAME": settings.queue_name,
        "EVENTS_PREFIX": settings.events_prefix,
        "METRICS_TOKEN": METRICS_TOKEN,
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
    """A clean database, and none of this run's Redis keys, after one test."""
    yield
    await empty_database()
    await delete_run_keys(redis)


async def delete_run_keys(redis: Redis) -> None:
    """This run's queue, jobs and results; another run's on the same Redis are left alone
    (arq's job keys carry the queue name in the job id)."""
    keys = [key async for key in redis.scan_iter(match=f"*{REDIS_PREFIX}:*", count=1000)]
    if keys:
        await redis.delete(*keys)


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
async def tenants(db: None, now: datetime) -> Tenants:
    """Two organisations with every kind of principal (see tests/support/tenants.py)."""
    return await build_tenants(now.astimezone(UTC).date())
