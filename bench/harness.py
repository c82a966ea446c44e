"""Timing helpers: medians of repeated runs, reported side by side."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    ours: float
    raw: float
    unit: str

    @property
    def ratio(self) -> float:
        return self.ours / self.raw if self.raw else float("inf")


def median_seconds(work: Callable[[], object], repeat: int = 7) -> float:
    work()  # warm caches, connections and plans
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def compare(name: str, ours: Callable[[], object], raw: Callable[[], object], unit: str) -> Result:
    return Result(name, median_seconds(ours), median_seconds(raw), unit)


def report(results: list[Result]) -> None:
    width = max(len(result.name) for result in results)
    print(f"{'case':<{width}}  {'ours':>10}  {'raw':>10}  {'ours/raw':>8}  per")
    for result in results:
        print(
            f"{result.name:<{width}}  {result.ours * 1e3:>8.2f}ms  {result.raw * 1e3:>8.2f}ms"
            f"  {result.ratio:>8.2f}  {result.unit}"
        )
