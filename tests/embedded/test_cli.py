"""The command line on the embedded default: configuration errors, migrations, schema export."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from api.schema import schema
from tests.support.servers import cli, run_cli


def test_invalid_configuration_fails_with_one_clear_line() -> None:
    done = run_cli({"DATABASE_URL": "mysql://db/sales"}, "serve")

    assert done.returncode == 2
    assert done.stderr == (
        "pacesetter: invalid configuration: DATABASE_URL: must start with postgres:// or sqlite://\n"
    )


def test_production_database_needs_a_real_secret() -> None:
    done = run_cli({"DATABASE_URL": "postgres://db/sales", "JWT_SECRET": ""}, "migrate")

    assert done.returncode == 2
    assert "JWT_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


def test_migrate_creates_every_table_on_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "p.sqlite3"
    cli({"DATABASE_URL": f"sqlite://{database}"}, "migrate")

    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {
        "organisation",
        "team",
        "app_user",
        "account",
        "product",
        "deal",
        "goal",
        "progress_snapshot",
        "badge_definition",
        "award",
    } <= tables


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    cli({}, "export-schema", "--output", str(target))

    assert target.read_text(encoding="utf-8") == schema.as_str() + "\n"
