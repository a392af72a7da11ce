"""Every benchmark, one after the other: `.venv/bin/python bench/all.py`.

Each prints ratios against a baseline measured in the same run (see its docstring); each
uses databases and Redis prefixes of its own, so two runs on one machine never collide.
Needs PostgreSQL, and Redis for the awards and subscribers benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["policy.py", "progress.py", "imports.py", "awards.py", "subscribers.py"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== bench/{name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
