"""Runtime configuration, read once from the environment."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

EMBEDDED_DATABASE_URL = "sqlite://pacesetter.sqlite3"
# Only acceptable where nothing leaves the machine: the embedded mode refuses nothing,
# production (PostgreSQL) refuses to start with it.
DEVELOPMENT_JWT_SECRET = "pacesetter-development-secret-do-not-use-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str = EMBEDDED_DATABASE_URL
    redis_url: str | None = None
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    queue_name: str = Field(default="pacesetter:queue", min_length=1)
    events_prefix: str = Field(default="pacesetter", min_length=1)
    # GraphiQL is for development: on by default in the embedded mode, off with PostgreSQL.
    graphiql: bool | None = None
    # Introspection: true for anyone, false for no one; unset, for anyone in the embedded
    # mode and for signed-in callers (people or API keys) with PostgreSQL.
    introspection: bool | None = None
    # With it, /metrics wants `Authorization: Bearer <token>`; without it, /metrics is open
    # in the embedded mode and refused with PostgreSQL.
    metrics_token: str | None = Field(default=None, min_length=16)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=100)
    # An operation's text, in characters: a long string literal is one token.
    max_query_chars: int = Field(default=100_000, ge=1000)
    # An HTTP request's body, refused (413) before it is parsed; also a websocket message.
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    cors_origins: list[str] = Field(default_factory=list)
    # The address Open Badges credentials name their issuer, keys and status list by (they
    # must stay the same for as long as credentials are kept); unset, each request's own.
    public_url: str | None = None
    # Reads another instant and runs on from it (tests, rehearsing a period close); every
    # process of one deployment must be given the same value. 0 in production.
    clock_shift_seconds: float = 0.0

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme in ("postgresql", "postgresql+asyncpg", "asyncpg"):
            return "postgres" + value[len(scheme) :]
        if scheme not in ("postgres", "sqlite"):
            raise ValueError("must start with postgres:// or sqlite://")
        return value

    @field_validator("database_url")
    @classmethod
    def _sqlite_folder(cls, value: str) -> str:
        path = value.removeprefix("sqlite://")
        if value.startswith("sqlite://") and path != ":memory:":
            folder = Path(path).expanduser().parent
            if not folder.is_dir():
                raise ValueError(f"the folder {folder} does not exist")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if urlsplit(value).scheme not in ("redis", "rediss"):
            raise ValueError("must start with redis:// or rediss://")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _production_secret(self) -> Settings:
        if self.uses_postgres and self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise ValueError("JWT_SECRET must be set when DATABASE_URL points at PostgreSQL")
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters long")
        return self

    @property
    def uses_postgres(self) -> bool:
        return self.database_url.startswith("postgres")

    @property
    def introspection_for_anyone(self) -> bool:
        return not self.uses_postgres if self.introspection is None else self.introspection

    @property
    def graphiql_enabled(self) -> bool:
        return not self.uses_postgres if self.graphiql is None else self.graphiql


class ConfigurationError(Exception):
    """The environment does not describe a runnable configuration."""


def describe(error: ValidationError) -> str:
    """One line naming each bad setting by its environment variable."""
    parts = []
    for item in error.errors():
        name = "_".join(str(part) for part in item["loc"]).upper()
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{name}: {message}" if name else message)
    return "; ".join(parts)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise ConfigurationError(f"invalid configuration: {describe(error)}") from None
    except SettingsError as error:
        # A list or other JSON setting that is not JSON: pydantic-settings names the field.
        found = re.search(r'field "(\w+)"', str(error))
        name = found.group(1).upper() if found else "a setting"
        raise ConfigurationError(
            f'invalid configuration: {name}: not valid JSON (e.g. ["https://app.example"])'
        ) from None
