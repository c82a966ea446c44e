"""Timing helpers: medians of repeated runs, reported side by side with each case's target.

A case compares our path with the raw equivalent in the same run and states its target as a
bound on the ratio ``ours / raw``: an upper bound for times (``kind="time"``, seconds per
unit), a lower bound for rates (``kind="rate"``, units per second). ``report`` prints the
table and writes it as JSON to ``.data/bench/results.json``.

``LUCID_BENCH_SMOKE=1`` runs every case at tiny sizes (``size(full, smoke)``) so that the
test suite keeps the harness and the cases working; its figures mean nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

SMOKE = os.environ.get("LUCID_BENCH_SMOKE") == "1"
RESULTS = Path(os.environ.get("LUCID_DATA_DIR", ".data/bench")) / "results.json"


def size(full: int, smoke: int) -> int:
    """A data-set size: ``full`` in a real run, ``smoke`` in the test suite's smoke run."""
    return smoke if SMOKE else full


@dataclass(frozen=True)
class Result:
    name: str
    ours: float
    raw: float
    unit: str
    target: float | None = None  # bound on ours / raw; None: reported, not judged
    kind: Literal["time", "rate"] = "time"
    # Further figures (recall, rows/s) and absolute targets ("≥ 1,000 tasks/s"): name → text,
    # and whether each absolute target holds.
    figures: dict[str, str] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours / self.raw if self.raw else float("inf")

    @property
    def met(self) -> bool | None:
        if self.target is None and not self.checks:
            return None
        ratio_met = self.target is None or (
            self.ratio <= self.target if self.kind == "time" else self.ratio >= self.target
        )
        return ratio_met and all(self.checks.values())


def median_seconds(work: Callable[[], object], repeat: int = 7) -> float:
    work()  # warm caches, connections and plans
    samples = []
    for _ in range(1 if SMOKE else repeat):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def compare(
    name: str,
    ours: Callable[[], object],
    raw: Callable[[], object],
    unit: str,
    *,
    target: float | None = None,
) -> Result:
    """Median seconds per call of ``ours`` and ``raw`` (a time case)."""
    return Result(name, median_seconds(ours), median_seconds(raw), unit, target=target)


def _value(result: Result, value: float) -> str:
    return f"{value * 1e3:.2f}ms" if result.kind == "time" else f"{value:,.1f}/s"


def _target(result: Result) -> str:
    if result.target is None:
        return "-"
    return f"{'≤' if result.kind == 'time' else '≥'} {result.target:g}"


def report(results: list[Result]) -> None:
    rows = [
        (
            result.name,
            _value(result, result.ours),
            _value(result, result.raw),
            f"{result.ratio:.2f}",
            _target(result),
            {None: "", True: "yes", False: "NO"}[result.met],
            "; ".join(
                [f"{key} {text}" for key, text in result.figures.items()]
                + [f"{key}: {'yes' if ok else 'NO'}" for key, ok in result.checks.items()]
                + [f"per {result.unit}"]
            ),
        )
        for result in results
    ]
    header = ("case", "ours", "raw", "ours/raw", "target", "met", "notes")
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            [
                {**asdict(result), "ratio": result.ratio, "met": result.met, "smoke": SMOKE}
                for result in results
            ],
            indent=2,
        )
    )
    print(f"\n{len(results)} cases; written to {RESULTS}")
