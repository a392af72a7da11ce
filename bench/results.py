"""How a benchmark reports: rows of a figure, the project's value, the baseline's measured
in the same run, and their ratio. `bench/run.py` collects every benchmark's rows into one
table (and JSON); a benchmark run alone prints its own."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

# Where bench/run.py asks a benchmark to append its rows (one JSON object per line).
RESULTS_ENV = "PACESETTER_BENCH_RESULTS"


@dataclass(frozen=True)
class Row:
    benchmark: str
    figure: str
    unit: str
    project: float
    baseline: float
    baseline_name: str

    @property
    def ratio(self) -> float:
        return self.project / self.baseline if self.baseline else float("nan")


def table(rows: list[Row]) -> str:
    head = f"{'benchmark':<12} {'figure':<54} {'project':>12} {'baseline':>12} {'ratio':>8}"
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(
            f"{row.benchmark:<12} {row.figure:<54} {row.project:>12,.1f} "
            f"{row.baseline:>12,.1f} {row.ratio:>8.2f}"
        )
    return "\n".join(lines)


def report(rows: list[Row]) -> None:
    """Print the rows, and hand them to bench/run.py when it runs this benchmark."""
    print(table(rows), flush=True)
    target = os.environ.get(RESULTS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as file:
            for row in rows:
                file.write(json.dumps({**asdict(row), "ratio": row.ratio}) + "\n")
