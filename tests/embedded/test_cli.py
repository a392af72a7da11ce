"""The command line on the embedded default: configuration errors, migrations, schema export."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from api.schema import schema
from tests.support.servers import cli, free_port, run_cli


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


def test_what_users_get_wrong_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    sqlite = f"sqlite://{tmp_path / 'fresh.sqlite3'}"
    secret = {"JWT_SECRET": "s" * 40}
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/sales"
    answers = {
        "before migrate": run_cli({"DATABASE_URL": sqlite}, "token", "--email", "a@b.test"),
        "unreachable": run_cli({"DATABASE_URL": dead, **secret}, "migrate"),
        "cors": run_cli({"DATABASE_URL": sqlite, "CORS_ORIGINS": "https://a.test"}, "migrate"),
        "folder": run_cli({"DATABASE_URL": f"sqlite://{tmp_path / 'no' / 'p.sqlite3'}"}, "migrate"),
    }

    lines = {name: done.stderr.strip().splitlines() for name, done in answers.items()}
    assert lines == {
        "before migrate": [
            "pacesetter: the database has no tables yet: run `pacesetter migrate` first"
        ],
        "unreachable": [lines["unreachable"][0]],
        "cors": [
            "pacesetter: invalid configuration: CORS_ORIGINS: not valid JSON "
            '(e.g. ["https://app.example"])'
        ],
        "folder": [
            f"pacesetter: invalid configuration: DATABASE_URL: the folder {tmp_path / 'no'} "
            "does not exist"
        ],
    }
    assert lines["unreachable"][0].startswith("pacesetter: cannot use the database 127.0.0.1:")
    assert [done.returncode for done in answers.values()] == [1, 1, 2, 2]
    assert not (tmp_path / "no").exists()


def test_serving_on_a_taken_port_says_so_before_any_banner(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli(
            {"DATABASE_URL": f"sqlite://{tmp_path / 'd.sqlite3'}"}, "demo", "--port", str(port)
        )

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"pacesetter: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(choose another with --port)"
    )
