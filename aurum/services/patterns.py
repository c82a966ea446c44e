"""Behaviour patterns: the six ``pattern_type``s detected from time entries and tasks.

The detectors are pure functions over samples; ``patterns_detect`` loads a user's samples,
runs them, and replaces each active pattern with the new one (the old one stays, inactive).
A detector with fewer than ``MIN_SAMPLE`` samples finds nothing, and the active pattern is
left as it is until it expires.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from aurum.models import UserBehaviorPattern
from aurum.selectors.patterns import EntrySample, TaskSample, entry_samples, task_samples
from aurum.selectors.scoring import clock_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MIN_SAMPLE = 3
VALID_FOR = timedelta(days=7)
PEAK_HOURS = 3
DAY_PARTS = ((5, "morning"), (12, "afternoon"), (17, "evening"), (22, "night"))


@dataclass(frozen=True)
class Detected:
    pattern_type: str
    pattern_data: dict[str, Any]
    sample_size: int
    confidence: Decimal


def sample_confidence(sample_size: int, *, consistency: float = 1.0) -> Decimal:
    """More samples, more confidence (n / (n + 10)), scaled by how consistent they are; at most
    0.95, since behaviour changes."""
    raw = min(0.95, sample_size / (sample_size + 10) * max(0.0, min(1.0, consistency)))
    return Decimal(str(raw)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def day_part(hour: int) -> str:
    name = "night"
    for start, part in DAY_PARTS:
        if hour >= start:
            name = part
    return name


def _work(entries: Sequence[EntrySample]) -> list[EntrySample]:
    return [e for e in entries if e.activity_type != "break" and e.minutes > 0]


def peak_productivity_hours(entries: Sequence[EntrySample]) -> Detected | None:
    """The hours of the day whose work is longest and rated best (rating 1-10, default 5)."""
    work = _work(entries)
    if len(work) < MIN_SAMPLE:
        return None
    weighted: Counter[int] = Counter()
    for entry in work:
        weighted[entry.start.hour] += entry.minutes * (entry.productivity_rating or 5) / 10
    peaks = [hour for hour, _ in sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))]
    peaks = peaks[:PEAK_HOURS]
    share = sum(weighted[h] for h in peaks) / sum(weighted.values())
    return Detected(
        "peak_productivity_hours",
        {
            "peak_hours": peaks,
            "weighted_minutes_by_hour": {str(h): round(v, 1) for h, v in sorted(weighted.items())},
            "share_in_peak_hours": round(share, 3),
        },
        len(work),
        sample_confidence(len(work), consistency=0.5 + share / 2),
    )


def task_completion_time(tasks: Sequence[TaskSample]) -> Detected | None:
    """How long tasks take from creation to completion, overall and by priority (hours)."""
    done = [t for t in tasks if t.completed_at is not None and t.completed_at >= t.created_at]
    if len(done) < MIN_SAMPLE:
        return None
    hours = [(t.completed_at - t.created_at).total_seconds() / 3600 for t in done]
    by_priority: dict[str, list[float]] = defaultdict(list)
    for task, spent in zip(done, hours, strict=True):
        by_priority[task.priority].append(spent)
    median = statistics.median(hours)
    spread = statistics.pstdev(hours) / median if median else 1.0
    return Detected(
        "task_completion_time",
        {
            "median_hours": round(median, 2),
            "mean_hours": round(statistics.fmean(hours), 2),
            "median_hours_by_priority": {
                p: round(statistics.median(v), 2) for p, v in sorted(by_priority.items())
            },
        },
        len(done),
        sample_confidence(len(done), consistency=1 / (1 + spread)),
    )


def procrastination_triggers(tasks: Sequence[TaskSample], *, today: date) -> Detected | None:
    """Which priorities the user lets slip past their due date, worst first."""
    dated = [t for t in tasks if t.due_date is not None]
    if len(dated) < MIN_SAMPLE:
        return None

    def late(task: TaskSample) -> bool:
        finished = task.completed_at.date() if task.completed_at else None
        return finished > task.due_date if finished else task.due_date < today

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for task in dated:
        counts[task.priority][0] += late(task)
        counts[task.priority][1] += 1
    rates = {p: round(slipped / total, 3) for p, (slipped, total) in counts.items()}
    overall = sum(c[0] for c in counts.values()) / len(dated)
    triggers = [p for p, rate in sorted(rates.items(), key=lambda kv: (-kv[1], kv[0])) if rate]
    return Detected(
        "procrastination_triggers",
        {
            "late_rate": round(overall, 3),
            "late_rate_by_priority": dict(sorted(rates.items())),
            "triggers": [f"{p} priority tasks" for p in triggers],
        },
        len(dated),
        sample_confidence(len(dated)),
    )


def energy_patterns(entries: Sequence[EntrySample]) -> Detected | None:
    """Average energy (1-10) by part of the day, and the best part."""
    rated = [e for e in entries if e.energy_level is not None]
    if len(rated) < MIN_SAMPLE:
        return None
    by_part: dict[str, list[int]] = defaultdict(list)
    for entry in rated:
        by_part[day_part(entry.start.hour)].append(entry.energy_level)
    averages = {part: round(statistics.fmean(v), 2) for part, v in sorted(by_part.items())}
    best = max(averages.items(), key=lambda kv: (kv[1], kv[0]))[0]
    spread = statistics.pstdev([e.energy_level for e in rated]) / 10
    return Detected(
        "energy_patterns",
        {"average_energy_by_day_part": averages, "highest_energy": best},
        len(rated),
        sample_confidence(len(rated), consistency=1 - spread),
    )


def focus_duration(entries: Sequence[EntrySample]) -> Detected | None:
    """How long focused sessions last (minutes)."""
    focused = [e.minutes for e in entries if e.activity_type == "focused" and e.minutes > 0]
    if len(focused) < MIN_SAMPLE:
        return None
    median = statistics.median(focused)
    ordered = sorted(focused)
    spread = statistics.pstdev(focused) / median if median else 1.0
    return Detected(
        "focus_duration",
        {
            "median_minutes": median,
            "mean_minutes": round(statistics.fmean(focused), 1),
            "p90_minutes": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        },
        len(focused),
        sample_confidence(len(focused), consistency=1 / (1 + spread)),
    )


def break_frequency(entries: Sequence[EntrySample]) -> Detected | None:
    """Breaks per working day, and minutes of work per break."""
    by_day: dict[date, list[EntrySample]] = defaultdict(list)
    for entry in entries:
        by_day[entry.start.date()].append(entry)
    if len(by_day) < MIN_SAMPLE:
        return None
    breaks = [sum(e.activity_type == "break" for e in day) for day in by_day.values()]
    work = sum(e.minutes for e in _work(entries))
    return Detected(
        "break_frequency",
        {
            "breaks_per_day": round(statistics.fmean(breaks), 2),
            "work_minutes_per_break": round(work / sum(breaks), 1) if sum(breaks) else None,
            "days_without_breaks": sum(1 for count in breaks if count == 0),
        },
        len(by_day),
        sample_confidence(len(by_day)),
    )


def detect_all(
    entries: Sequence[EntrySample], tasks: Sequence[TaskSample], *, today: date
) -> list[Detected]:
    """Every pattern the samples support, in ``pattern_type`` order of the seed."""
    detectors: list[Callable[[], Detected | None]] = [
        lambda: peak_productivity_hours(entries),
        lambda: task_completion_time(tasks),
        lambda: procrastination_triggers(tasks, today=today),
        lambda: energy_patterns(entries),
        lambda: focus_duration(entries),
        lambda: break_frequency(entries),
    ]
    return [found for detector in detectors if (found := detector()) is not None]


# --- Stored patterns -------------------------------------------------------------------------

LOOKBACK = timedelta(days=90)


@transaction.atomic
def patterns_detect(*, user: AbstractBaseUser, now: datetime | None = None) -> int:
    """Detect the user's patterns from the last 90 days; each one found replaces the active
    pattern of its type (kept, inactive), and active patterns past ``valid_until`` lapse.
    Returns how many were detected."""
    clock = clock_of(user=user, now=now)
    since = clock.now - LOOKBACK
    found = detect_all(
        entry_samples(user=user, since=since, zone=clock.zone),
        task_samples(user=user, since=since, zone=clock.zone),
        today=clock.today,
    )
    active = UserBehaviorPattern.objects.filter(user=user, is_active=True)
    active.filter(
        Q(pattern_type__in=[pattern.pattern_type for pattern in found])
        | Q(valid_until__lt=clock.now)
    ).update(is_active=False)
    UserBehaviorPattern.objects.bulk_create(
        UserBehaviorPattern(
            user=user,
            pattern_type=pattern.pattern_type,
            pattern_data=pattern.pattern_data,
            confidence_score=pattern.confidence,
            sample_size=pattern.sample_size,
            detected_at=clock.now,
            valid_until=clock.now + VALID_FOR,
        )
        for pattern in found
    )
    return len(found)
