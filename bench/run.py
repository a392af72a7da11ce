"""Every benchmark with one command, one table: `.venv/bin/python bench/run.py [--json FILE]`.

Each benchmark runs in a process of its own, with databases and Redis prefixes of its own,
and measures its baseline in the same run (see its docstring); this collects their rows —
figure, project, baseline, ratio — into one table, and into FILE as JSON when asked.
Needs PostgreSQL, and Redis for the awards and subscribers benchmarks."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.results import RESULTS_ENV, Row, table  # noqa: E402

BENCHMARKS = [
    "policy.py",
    "progress.py",
    "imports.py",
    "ingest.py",
    "awards.py",
    "subscribers.py",
    "dashboard.py",
    "load.py",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the rows to this file as JSON")
    parser.add_argument("only", nargs="*", help="run only these benchmarks (e.g. awards.py)")
    args = parser.parse_args()
    failed, rows = [], []
    with tempfile.TemporaryDirectory() as folder:
        collected = Path(folder, "rows.jsonl")
        env = {**os.environ, RESULTS_ENV: str(collected)}
        for name in args.only or BENCHMARKS:
            print(f"\n=== bench/{name}", flush=True)
            done = subprocess.run([sys.executable, str(HERE / name)], env=env, check=False)
            if done.returncode != 0:
                failed.append(name)
        if collected.exists():
            for line in collected.read_text(encoding="utf-8").splitlines():
                data = json.loads(line)
                data.pop("ratio")
                rows.append(Row(**data))
    print("\n" + table(rows))
    if args.json:
        args.json.write_text(
            json.dumps([{**row.__dict__, "ratio": row.ratio} for row in rows], indent=2) + "\n",
            encoding="utf-8",
        )
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
