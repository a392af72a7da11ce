"""The `pacesetter` command: serve, worker, migrate, demo, create-organisation, token,
import, export, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from tortoise.exceptions import BaseORMException

from api.pages import Prefill
from core import clock, collector
from core.config import ConfigurationError, Settings, get_settings
from core.logs import configure as configure_logging

DEFAULT_SCHEMA_PATH = Path("schema.graphql")
# Tokens minted at the command line are for development and scripts: a working day long.
DEVELOPMENT_TOKEN_TTL = timedelta(hours=12)


def _check_port(host: str, port: int) -> None:
    """Fail with one line, before anything is printed, when the port is taken."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise SystemExit(
                f"pacesetter: cannot listen on {host}:{port}: {error.strerror} "
                "(choose another with --port)"
            ) from None


def _serve(settings: Settings, host: str, port: int, prefill: Prefill | None = None) -> None:
    import uvicorn

    _check_port(host, port)

    from api.app import create_app

    collector.tune()
    app = create_app(settings, prefill)
    collector.settle()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        log_config=None,  # keep our JSON logging
        ws_max_size=settings.max_body_bytes,
    )


# How long a worker waits before starting again once Redis went away.
WORKER_RESTART_SECONDS = 1.0


def _worker(settings: Settings) -> None:
    """Run a worker until it is stopped. Redis going away (a restart, a failover) ends an
    arq worker's loop; this one waits and starts again, its jobs still queued in Redis."""
    from redis.exceptions import ConnectionError as RedisDown
    from redis.exceptions import TimeoutError as RedisTimeout

    from workers.settings import create_worker

    collector.tune()
    while True:
        try:
            create_worker(settings).run()
            return  # stopped by a signal
        except (RedisDown, RedisTimeout, ConnectionError) as error:
            print(f"pacesetter worker: Redis unreachable ({error}); retrying", file=sys.stderr)
            time.sleep(WORKER_RESTART_SECONDS)


def _migrate(settings: Settings) -> None:
    from core.db import migrate

    asyncio.run(migrate(settings.database_url))


async def _prepare_demo(settings: Settings) -> tuple[str, Prefill]:
    """Seed the demo organisation once; how to reach it, and GraphiQL's editors filled in."""
    from api import demo
    from core.auth.tokens import mint_token
    from core.db import close_database, open_database

    await open_database(settings.database_url)
    try:
        found = await demo.ready_demo(clock.now())
        token = mint_token(found.admin, settings.jwt_secret, DEVELOPMENT_TOKEN_TTL)
        query = (
            f'{{ goal(id: "{found.first_goal_id}") {{ owner {{ ... on User {{ name }} }} '
            "target periodLabel progress { currentValue attainment expectedAttainment status } } }"
        )
        how = (
            f"Everyone signs in with the password {demo.DEMO_PASSWORD!r}.\n"
            f"Admin token ({found.admin.email}):\n  {token}\n"
            f"First query:\n  {query}"
        )
        return how, Prefill(query=query, token=token)
    finally:
        await close_database()


def _demo(settings: Settings, host: str, port: int) -> None:
    _check_port(host, port)
    _migrate(settings)
    how, prefill = asyncio.run(_prepare_demo(settings))
    print(
        f"\nPacesetter demo on http://{host}:{port}/graphql (GraphiQL in a browser, its "
        "headers and first query filled in)\n"
        f"Dashboard: http://{host}:{port}/app (sign in as a manager: uma@northwind.example)\n"
        f'In GraphiQL\'s Headers tab: {{"Authorization": "Bearer <token below>"}}\n{how}\n',
        flush=True,
    )
    _serve(settings, host, port, prefill)


def _token(settings: Settings, email: str) -> None:
    from core.auth.tokens import mint_token
    from core.db import close_database, open_database
    from core.orgs.models import User

    async def mint() -> str | None:
        await open_database(settings.database_url)
        try:
            user = await User.get_or_none(email=email.strip().lower())
            return mint_token(user, settings.jwt_secret, DEVELOPMENT_TOKEN_TTL) if user else None
        finally:
            await close_database()

    token = asyncio.run(mint())
    if token is None:
        raise SystemExit(f"pacesetter: no user with email {email}")
    print(token)


def _create_organisation(settings: Settings, args: argparse.Namespace) -> None:
    """Bootstrap a tenant and its first admin; print their ids and an admin token as JSON."""
    from core.auth.service import hash_password
    from core.auth.tokens import mint_token
    from core.db import close_database, open_database
    from core.orgs.service import provision_organisation
    from domain.errors import FieldError

    async def create() -> dict[str, object]:
        await open_database(settings.database_url)
        try:
            password = os.environ.get("PACESETTER_ADMIN_PASSWORD")
            created = await provision_organisation(
                args.name,
                admin_email=args.admin_email,
                admin_name=args.admin_name,
                admin_password_hash=hash_password(password) if password else None,
                currency=args.currency,
                timezone=args.timezone,
                fiscal_year_start_month=args.fiscal_year_start,
            )
        finally:
            await close_database()
        if isinstance(created, FieldError):
            raise SystemExit(f"pacesetter: {created.field}: {created.message}")
        organisation, admin = created
        return {
            "organisationId": organisation.id,
            "adminId": admin.id,
            "token": mint_token(admin, settings.jwt_secret, DEVELOPMENT_TOKEN_TTL),
        }

    print(json.dumps(asyncio.run(create())))


def _import(settings: Settings, args: argparse.Namespace) -> int:
    """Import a CSV file; then have the figures it moved re-measured (by the workers when
    there is a queue, here otherwise). Returns the exit status."""
    import csv

    from tortoise.exceptions import BaseORMException

    from core.db import close_database, open_database
    from core.imports.command import EXIT_USAGE, ImportRequest, describe, run_import
    from domain.imports import Kind, MappingError

    request = ImportRequest(
        kind=Kind(args.kind),
        file=args.file,
        mapping=args.mapping,
        rejects=args.rejects,
        strict=args.strict,
        organisation_id=args.organisation,
    )

    async def run() -> tuple[str, int]:
        await open_database(settings.database_url)
        try:
            summary = await run_import(request)
            await _relay(settings)
        finally:
            await close_database()
        return describe(summary)

    try:
        words, status = asyncio.run(run())
    except MappingError as error:
        print(f"pacesetter import: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UnicodeDecodeError as error:
        print(
            f"pacesetter import: {args.file} is not text in the mapping's encoding "
            f"({error.encoding}: {error.reason}); set [csv] encoding",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except (OSError, csv.Error, BaseORMException) as error:
        # The rows of the batches stored before this are kept (all or none with --strict).
        print(f"pacesetter import: stopped: {error}", file=sys.stderr)
        return 1
    print(words)
    return status


def _export(settings: Settings, args: argparse.Namespace) -> int:
    """Write an organisation's records to a new CSV file. Returns the exit status."""
    from core.db import close_database, open_database
    from core.imports.command import EXIT_USAGE, choose_organisation
    from core.imports.export import export
    from domain.imports import Kind, MappingError

    async def run() -> int:
        await open_database(settings.database_url)
        try:
            organisation = await choose_organisation(args.organisation)
            return await export(organisation.id, Kind(args.kind), args.file)
        finally:
            await close_database()

    try:
        written = asyncio.run(run())
    except MappingError as error:
        print(f"pacesetter export: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FileExistsError:
        print(f"pacesetter export: {args.file} exists: name a new file", file=sys.stderr)
        return EXIT_USAGE
    print(f"{args.kind}: {written} rows written to {args.file}.")
    return 0


async def _relay(settings: Settings) -> None:
    """Relay what the import put in the outbox: to the workers, or without Redis evaluated
    here before the command ends."""
    from core.events import InProcessBus
    from workers.jobs import JOBS
    from workers.queue import ArqQueue, InProcessQueue, JobQueue
    from workers.relay import after_commit

    queue: JobQueue = (
        await ArqQueue.connect(settings.redis_url, settings.queue_name)
        if settings.redis_url
        else InProcessQueue(JOBS, {"bus": InProcessBus()})
    )
    try:
        await after_commit(queue)
    finally:
        await queue.close()


def _export_schema(output: Path) -> None:
    from api.schema import schema

    output.write_text(schema.as_str() + "\n", encoding="utf-8")
    print(f"wrote {output}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pacesetter", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    for name, help_text in (("serve", "serve the API"), ("demo", "seed a demo org and serve")):
        verb = verbs.add_parser(name, help=help_text)
        verb.add_argument("--host", default="127.0.0.1")
        verb.add_argument("--port", type=int, default=8000)
    verbs.add_parser("worker", help="run an arq worker (needs REDIS_URL)")
    verbs.add_parser("migrate", help="apply database migrations")
    create = verbs.add_parser(
        "create-organisation",
        help="create a tenant and its first admin (password from PACESETTER_ADMIN_PASSWORD)",
    )
    create.add_argument("name")
    create.add_argument("--admin-email", required=True)
    create.add_argument("--admin-name", default="Administrator")
    create.add_argument("--timezone", default="UTC")
    create.add_argument("--currency", default="USD")
    create.add_argument("--fiscal-year-start", type=int, default=1, help="month, 1-12")
    token = verbs.add_parser("token", help="mint a development access token")
    token.add_argument("--email", required=True)
    load = verbs.add_parser(
        "import",
        help="import a CRM export (CSV) through a mapping",
        description="Exit status: 0 all rows imported, 3 some rejected (the rest stored), "
        "4 --strict and some rows bad (nothing stored), 2 a usage error, 1 a broken CSV or "
        "an unreachable database.",
    )
    load.add_argument(
        "kind", choices=["deals", "leads", "accounts", "products", "reps", "trainings", "markets"]
    )
    load.add_argument("file", type=Path)
    load.add_argument(
        "--mapping",
        type=Path,
        help="a TOML mapping file; without one, the file is in the format `export` writes",
    )
    load.add_argument("--organisation", type=int, help="its id; default: the only one")
    load.add_argument("--rejects", type=Path, help="default: FILE.rejects.csv")
    load.add_argument("--strict", action="store_true", help="import nothing if any row is bad")
    dump = verbs.add_parser(
        "export",
        help="write what is stored as CSV in the format `import` reads without a mapping",
    )
    dump.add_argument("kind", choices=["deals", "leads", "accounts", "products", "reps"])
    dump.add_argument("file", type=Path, help="a new file (never overwritten)")
    dump.add_argument("--organisation", type=int, help="its id; default: the only one")
    export = verbs.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", type=Path, default=DEFAULT_SCHEMA_PATH)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.verb == "export-schema":
        _export_schema(args.output)
        return
    try:
        settings = get_settings()
    except ConfigurationError as error:
        print(f"pacesetter: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging(settings.log_level)
    clock.set_shift(timedelta(seconds=settings.clock_shift_seconds))
    try:
        _run(args, settings)
    except (BaseORMException, OSError) as error:
        print(f"pacesetter: {_database_problem(error, settings)}", file=sys.stderr)
        raise SystemExit(1) from None


def _database_problem(error: Exception, settings: Settings) -> str:
    """One line for a database that is not there, not reachable, or not migrated."""
    text = str(error)
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return "the database has no tables yet: run `pacesetter migrate` first"
    where = urlsplit(settings.database_url)
    place = f"{where.hostname}:{where.port or 5432}{where.path}" if where.hostname else where.path
    return f"cannot use the database {place}: {text}"


def _run(args: argparse.Namespace, settings: Settings) -> None:
    if args.verb == "serve":
        _serve(settings, args.host, args.port)
    elif args.verb == "demo":
        _demo(settings, args.host, args.port)
    elif args.verb == "worker":
        _worker(settings)
    elif args.verb == "migrate":
        _migrate(settings)
    elif args.verb == "create-organisation":
        _create_organisation(settings, args)
    elif args.verb == "token":
        _token(settings, args.email)
    elif args.verb == "import":
        raise SystemExit(_import(settings, args))
    elif args.verb == "export":
        raise SystemExit(_export(settings, args))


if __name__ == "__main__":
    main()
