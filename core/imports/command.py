"""`pacesetter import`: load the mapping, pick the organisation, show progress on a
terminal, run the import and say what happened (in words and in the exit status)."""

from __future__ import annotations

import csv
import itertools
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from core.imports import bulk
from core.imports.service import ImportSummary, import_file
from core.orgs.models import Organisation
from domain.imports import ImportMapping, Kind, MappingError, load_mapping, own_mapping

# Exit statuses: everything imported; some rows rejected (the rest stored); strict and some
# rows bad (nothing stored). 2 is a usage error: a bad mapping, a missing file.
EXIT_OK, EXIT_USAGE, EXIT_PARTIAL, EXIT_REFUSED = 0, 2, 3, 4


class TerminalProgress:
    """A progress line on a terminal, redrawn at most five times a second."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label = stream, label
        self.started = self.drawn = time.monotonic()

    def update(self, rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn < 0.2 and done < total:
            return
        self.drawn = now
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        rate = rows / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{self.label} [{bar:<30}] {share:6.1%} {rows:>12,} rows {rate:>10,.0f} rows/s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


@dataclass(frozen=True)
class ImportRequest:
    kind: Kind
    file: Path
    # None: the file is in the importer's own format (as `pacesetter export` writes it).
    mapping: Path | None
    rejects: Path | None
    strict: bool
    organisation_id: int | None


def read_mapping(kind: Kind, path: Path) -> ImportMapping:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise MappingError(f"cannot read the mapping {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"the mapping {path} is not valid TOML: {error}") from None
    return load_mapping(kind, data)


async def choose_organisation(organisation_id: int | None) -> Organisation:
    if organisation_id is not None:
        found = await Organisation.get_or_none(id=organisation_id)
        if found is None:
            raise MappingError(f"no organisation {organisation_id}")
        return found
    organisations = await Organisation.all().order_by("id").limit(2)
    if len(organisations) != 1:
        raise MappingError(
            "say which organisation with --organisation ID"
            if organisations
            else "there is no organisation yet: create one first"
        )
    return organisations[0]


async def run_import(request: ImportRequest) -> ImportSummary:
    """Raises MappingError for what the user must fix before anything can be imported."""
    if not request.file.is_file():
        raise MappingError(f"no file {request.file}")
    if request.mapping is not None:
        mapping = read_mapping(request.kind, request.mapping)
    else:
        with request.file.open(encoding="utf-8-sig", newline="") as file:
            mapping = own_mapping(request.kind, next(csv.reader(file), []))
    organisation = await choose_organisation(request.organisation_id)
    rejects = rejects_path(request)
    progress = TerminalProgress(sys.stderr, request.kind.value) if sys.stderr.isatty() else None
    if bulk.eligible(request.kind, mapping, organisation):
        return await bulk.import_deals(
            organisation, request.file, mapping, rejects, request.strict, progress
        )
    return await import_file(
        organisation,
        request.kind,
        request.file,
        mapping,
        rejects,
        request.strict,
        progress,
        request.mapping.parent if request.mapping else None,
    )


def rejects_path(request: ImportRequest) -> Path:
    """Where refused rows go: --rejects, which must not exist yet nor be the input; by
    default FILE.rejects.csv, or FILE.rejects-2.csv (…) when an earlier run left one."""
    if request.rejects is not None:
        if request.rejects.resolve() == request.file.resolve():
            raise MappingError("--rejects names the input file")
        if request.rejects.exists():
            raise MappingError(f"--rejects {request.rejects} exists: name a new file")
        return request.rejects
    for attempt in itertools.count(1):
        suffix = ".rejects.csv" if attempt == 1 else f".rejects-{attempt}.csv"
        candidate = request.file.with_name(request.file.name + suffix)
        if not candidate.exists():
            return candidate
    raise AssertionError("unreachable")


def describe(summary: ImportSummary) -> tuple[str, int]:
    """The summary line for people, and the exit status for scripts."""
    rejects = summary.rejects_file
    words = f"{summary.kind}: {summary.rows} rows read, {summary.imported} imported, "
    if summary.unchanged:
        words += f"{summary.unchanged} unchanged, "
    words += f"{summary.rejected} rejected"
    if summary.skipped:
        words += f", {summary.skipped} skipped"
    if summary.created_users or summary.created_teams:
        words += f"; created {summary.created_users} people and {summary.created_teams} teams"
    if summary.rolled_back:
        return f"{words}.\n--strict: nothing was imported. Rejected rows: {rejects}", EXIT_REFUSED
    if summary.rejected:
        return f"{words}.\nRejected rows, with their line and reason: {rejects}", EXIT_PARTIAL
    return f"{words}.", EXIT_OK
