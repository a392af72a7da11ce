import pytest
from pydantic import ValidationError

from core.config import DEVELOPMENT_JWT_SECRET, EMBEDDED_DATABASE_URL, Settings, describe

SECRET = "s" * 32


def test_defaults_are_the_embedded_mode() -> None:
    settings = Settings()
    assert settings.database_url == EMBEDDED_DATABASE_URL
    assert settings.redis_url is None
    assert settings.jwt_secret == DEVELOPMENT_JWT_SECRET


def test_postgresql_scheme_is_normalised_for_asyncpg() -> None:
    settings = Settings(database_url="postgresql://u@h:5432/d", jwt_secret=SECRET)
    assert settings.database_url == "postgres://u@h:5432/d"


def test_empty_redis_url_means_in_process() -> None:
    assert Settings(redis_url="").redis_url is None


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"database_url": "mysql://h/d"}, "DATABASE_URL: must start with postgres:// or sqlite://"),
        ({"redis_url": "http://h"}, "REDIS_URL: must start with redis:// or rediss://"),
        (
            {"database_url": "postgres://h/d"},
            "JWT_SECRET must be set when DATABASE_URL points at PostgreSQL",
        ),
        ({"jwt_secret": "short"}, "JWT_SECRET must be at least 32 characters long"),
    ],
)
def test_bad_settings_are_named_in_one_line(kwargs: dict[str, str], expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**kwargs)
    assert describe(caught.value) == expected


def test_graphiql_is_for_development_unless_asked_for() -> None:
    assert Settings().graphiql_enabled is True
    production = {"database_url": "postgres://h/d", "jwt_secret": SECRET}
    assert Settings(**production).graphiql_enabled is False
    assert Settings(**production, graphiql=True).graphiql_enabled is True
