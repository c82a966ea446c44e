"""Demo rows for ``seed_demo``: ada's life in Aurum, a month of it. Idempotent: a person who
already has pillars is left as they are (their vectors and the view are still brought up)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aurum.models import (
    Area,
    Insight,
    JournalEntry,
    Pillar,
    Project,
    Task,
    TaskDependency,
    TimeEntry,
)
from aurum.services.embeddings import EMBEDDING_COLUMNS
from aurum.services.hierarchy import hierarchy_view_refresh
from aurum.services.patterns import patterns_detect
from aurum.services.reflections import reflection_put
from aurum.services.scoring import projects_analyze, tasks_rescore
from aurum.services.sentiment import journal_sentiment
from aurum.services.statistics import statistics_rebuild
from config.embeddings.backfill import embed_queryset

DEMO_USER = "ada"
DAYS = 30

# pillar -> (weight, share of time, description, {area: (importance, {project: (priority,
# importance, description, [task names])})})
DEMO_LIFE: dict[str, tuple[float, int, str, dict[str, Any]]] = {
    "Health": (
        1.5,
        35,
        "A body and mind that carry everything else",
        {
            "Fitness": (
                5,
                {
                    "Spring half marathon": (
                        "high",
                        5,
                        "Run 21 km in April without walking",
                        [
                            "Buy trail running shoes",
                            "Easy 5 km run",
                            "Interval session 6x400 m",
                            "Long run 12 km",
                            "Book the race",
                            "Plan race-day nutrition",
                            "Long run 16 km",
                        ],
                    ),
                    "Strength twice a week": (
                        "medium",
                        3,
                        "Bodyweight routine on Tuesdays and Fridays",
                        [
                            "Write the routine down",
                            "Buy a pull-up bar",
                            "Film squat form",
                            "Add core circuit",
                            "Track weekly volume",
                            "Deload week",
                            "Test max push-ups",
                        ],
                    ),
                },
            ),
            "Sleep": (
                4,
                {
                    "Evening wind-down": (
                        "low",
                        3,
                        "A calm last hour before bed",
                        [
                            "Read fiction before bed",
                            "Stretch for ten minutes",
                            "Write tomorrow's plan",
                            "Herbal tea instead of wine",
                            "Phone charges in the hall",
                            "Try a breathing exercise",
                            "Warm shower at 22:00",
                        ],
                    ),
                    "Regular bedtime": (
                        "medium",
                        4,
                        "In bed by 23:00 on weeknights",
                        [
                            "No screens after 22:30",
                            "Blackout curtains",
                            "Morning light walk",
                            "Caffeine cut-off at 14:00",
                            "Sleep diary for two weeks",
                            "Cooler bedroom",
                            "Review the sleep diary",
                        ],
                    ),
                },
            ),
            "Nutrition": (
                3,
                {
                    "Less sugar": (
                        "medium",
                        3,
                        "No sweets on weekdays",
                        [
                            "Clear the snack drawer",
                            "Nuts instead of biscuits",
                            "Unsweetened coffee for a week",
                            "Read labels at the shop",
                            "Bake a low-sugar cake",
                            "Track cravings",
                            "Tell the team",
                        ],
                    ),
                    "Cook at home": (
                        "low",
                        3,
                        "Four home-cooked dinners a week",
                        [
                            "Plan the weekly menu",
                            "Batch-cook lentil soup",
                            "Stock the spice rack",
                            "Try a new fish recipe",
                            "Pack lunches",
                            "Fruit on the desk",
                            "Shopping list template",
                        ],
                    ),
                },
            ),
        },
    ),
    "Career": (
        1.2,
        40,
        "Work that matters and keeps me learning",
        {
            "Engineering": (
                5,
                {
                    "Ship the analytics engine": (
                        "high",
                        5,
                        "Release the difference engine v2",
                        [
                            "Write the design document",
                            "Prototype the Bernoulli module",
                            "Review pull requests",
                            "Benchmark the hot path",
                            "Fix flaky integration test",
                            "Write release notes",
                            "Demo to the team",
                        ],
                    ),
                    "On-call handbook": (
                        "medium",
                        4,
                        "A runbook anyone can follow at 3 am",
                        [
                            "List the alerts",
                            "Write the database failover page",
                            "Dry-run a failover",
                            "Add dashboards links",
                            "Peer review the handbook",
                            "Publish the handbook",
                            "Schedule a game day",
                        ],
                    ),
                },
            ),
            "Learning": (
                4,
                {
                    "Read about compilers": (
                        "medium",
                        3,
                        "Finish 'Crafting Interpreters'",
                        [
                            "Read chapters 1-4",
                            "Build the scanner",
                            "Read chapters 5-8",
                            "Build the parser",
                            "Write notes on closures",
                            "Build the VM",
                            "Blog post about what I learnt",
                        ],
                    ),
                    "Give a conference talk": (
                        "high",
                        4,
                        "Speak at the autumn meetup",
                        [
                            "Pick the topic",
                            "Submit the abstract",
                            "Draft the slides",
                            "Rehearse with a friend",
                            "Record a practice run",
                            "Polish the demo",
                            "Give the talk",
                        ],
                    ),
                },
            ),
        },
    ),
    "Relationships": (
        1.0,
        25,
        "Time with the people I love",
        {
            "Family": (
                5,
                {
                    "Sunday dinners": (
                        "high",
                        5,
                        "Dinner with the family every Sunday",
                        [
                            "Call mum about Sunday",
                            "Plan the menu",
                            "Set up the photo album",
                            "Teach Annabella chess",
                            "Print the holiday photos",
                            "Fix grandma's radio",
                            "Plan the summer trip",
                        ],
                    ),
                    "Home projects": (
                        "low",
                        3,
                        "Small fixes around the house",
                        [
                            "Fix the squeaky door",
                            "Paint the study",
                            "Hang the shelves",
                            "Replace the kitchen bulbs",
                            "Clear out the attic",
                            "Plant herbs",
                            "Oil the garden bench",
                        ],
                    ),
                },
            ),
            "Friends": (
                3,
                {
                    "Volunteer at the library": (
                        "medium",
                        3,
                        "Teach a coding club twice a month",
                        [
                            "Email the librarian",
                            "Prepare the first lesson",
                            "Borrow laptops",
                            "Run the first session",
                            "Collect feedback",
                            "Plan the robot workshop",
                            "Invite a guest speaker",
                        ],
                    ),
                    "Stay in touch": (
                        "medium",
                        3,
                        "See a friend every week",
                        [
                            "Coffee with Mary",
                            "Write to Charles",
                            "Book the board-game night",
                            "Birthday present for Michael",
                            "Plan the hiking weekend",
                            "Reply to old letters",
                            "Host a dinner party",
                        ],
                    ),
                },
            ),
        },
    ),
}

JOURNAL = [
    ("Morning run", "A wonderful, calm run by the river. I felt strong and grateful.", "happy"),
    (
        "Deep work",
        "Focused for three hours on the engine. Great progress, really satisfying.",
        "excited",
    ),
    ("Tired", "Slept badly and felt tired and frustrated all afternoon.", "frustrated"),
    ("Family dinner", "Lovely dinner with everyone; we laughed a lot. Grateful.", "content"),
    ("Deadline stress", "Worried about the release date. Too many meetings, anxious.", "anxious"),
    ("Quiet day", "Ordinary day, some reading and a short walk.", "neutral"),
    ("Talk rehearsal", "Rehearsed the talk; it went well and I feel confident.", "happy"),
    ("Overloaded", "Everything at once today. Overwhelmed and behind on sleep.", "overwhelmed"),
]
REFLECTIONS = [
    ("Kept my focus in the morning block.", "Finished the interval session", "Meetings"),
    ("A scattered day, but the evening was calm.", "Cooked at home", "Context switching"),
    ("Good balance between work and family.", "Sunday dinner plan done", "Low energy"),
]


def seed_demo(log: Callable[[str], None]) -> None:
    """ada's pillars, areas, projects and ~100 tasks, a month of journal entries, reflections
    and time entries; then embedded and the hierarchy view refreshed."""
    user = get_user_model().objects.filter(username=DEMO_USER).first()
    if user is None:
        log(f"no account {DEMO_USER!r}; skipping the Aurum demo")
        return
    if Pillar.objects.filter(user=user).exists():
        log(f"aurum life of {DEMO_USER}: exists")
    else:
        counts = _seed_life(user)
        log(f"aurum life of {DEMO_USER}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    embedded = _embed(user)
    log(f"aurum embeddings of {DEMO_USER}: {embedded} vectors written")
    if not Insight.objects.filter(user=user).exists():  # scored once; beat re-scores nightly
        scored = tasks_rescore(user=user) + projects_analyze(user=user)
        found, rows = patterns_detect(user=user), statistics_rebuild(user=user)
        log(f"aurum intelligence of {DEMO_USER}: {scored} tasks and projects scored, "
            f"{found} patterns, {rows} statistics rows")  # fmt: skip
    hierarchy_view_refresh()


@transaction.atomic
def _seed_life(user: Any) -> dict[str, int]:
    rng = random.Random(8)  # noqa: S311  (the same demo every time, not a secret)
    now = timezone.now()
    tasks: list[Task] = []
    counts = {"pillars": 0, "areas": 0, "projects": 0, "tasks": 0}
    for order, (pillar_name, (weight, share, about, areas)) in enumerate(DEMO_LIFE.items()):
        pillar = Pillar.objects.create(user=user, name=pillar_name, description=about,
                                       weight=weight, time_allocation_percentage=share,
                                       sort_order=order)  # fmt: skip
        counts["pillars"] += 1
        for area_name, (importance, projects) in areas.items():
            area = Area.objects.create(user=user, pillar=pillar, name=area_name,
                                       importance=importance)  # fmt: skip
            counts["areas"] += 1
            for project_name, (priority, weight_5, description, names) in projects.items():
                project = Project.objects.create(
                    user=user, area=area, name=project_name, description=description,
                    priority=priority, importance=weight_5, status="in_progress",
                    due_date=now + timedelta(days=rng.randint(10, 90)),
                )  # fmt: skip
                counts["projects"] += 1
                tasks += _seed_tasks(user, project, names, rng, now)
    counts["tasks"] = len(tasks)
    for earlier, later in itertools.pairwise(tasks):
        if earlier.project_id == later.project_id and rng.random() < 0.3:
            TaskDependency.objects.create(user=user, task=later, depends_on=earlier)
    counts["time entries"] = _seed_time(user, tasks, rng, now)
    counts["journal entries"] = _seed_journal(user, rng, now)
    counts["reflections"] = _seed_reflections(user, rng, now)
    return counts


def _seed_tasks(user: Any, project: Project, names: list[str], rng: random.Random,
                now: datetime) -> list[Task]:  # fmt: skip
    made = []
    for position, name in enumerate(names):
        created = now - timedelta(days=rng.randint(20, DAYS + 10))
        done = position < len(names) // 2 and rng.random() < 0.8
        status = "completed" if done else rng.choice(["todo", "todo", "in_progress", "review"])
        made.append(Task.objects.create(
            user=user, project=project, name=name, status=status, sort_order=position,
            description=f"{name} for '{project.name}'.",
            priority=rng.choice(["low", "medium", "medium", "high", "urgent"]),
            due_date=None if rng.random() < 0.2 else now + timedelta(days=rng.randint(-5, 21)),
            progress=100 if done else rng.choice([0, 0, 20, 50]),
            estimated_duration=rng.choice([30, 45, 60, 90]),
            created_at=created,
            completed_at=created + timedelta(days=rng.randint(1, 15)) if done else None,
        ))  # fmt: skip
    return made


def _seed_time(user: Any, tasks: list[Task], rng: random.Random, now: datetime) -> int:
    entries = []
    for task in tasks:
        for _ in range(rng.randint(0, 3) if task.status != "todo" else 0):
            day = now - timedelta(days=rng.randint(1, DAYS))
            hour = rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 16, 20])  # mornings are best
            start = datetime.combine(day.date(), time(hour, rng.choice([0, 15, 30])), now.tzinfo)
            entries.append(TimeEntry(
                user=user, entity_type="task", entity_id=task.pk, start_time=start,
                end_time=start + timedelta(minutes=rng.choice([25, 45, 50, 90])),
                activity_type=rng.choice(["focused", "focused", "planning", "collaborative"]),
                energy_level=rng.randint(4, 9), productivity_rating=rng.randint(5, 10),
            ))  # fmt: skip
    for entry in entries:  # one by one: each rolls up into its task and project
        entry.save()
    return len(entries)


def _seed_journal(user: Any, rng: random.Random, now: datetime) -> int:
    for offset in range(DAYS, 0, -1):
        title, content, mood = JOURNAL[(offset * 5) % len(JOURNAL)]
        JournalEntry.objects.create(
            user=user, title=title, content=content, mood=mood, tags=[mood],
            entry_date=(now - timedelta(days=offset)).date(),
            sentiment_score=journal_sentiment(f"{title}\n{content}").score,
            energy_level=rng.randint(3, 9),
        )  # fmt: skip
    return DAYS


def _seed_reflections(user: Any, rng: random.Random, now: datetime) -> int:
    written = 0
    for offset in range(DAYS, 0, -1):
        if offset in (12, 13):  # two days off: the streak restarts after them
            continue
        text, accomplishment, challenge = REFLECTIONS[offset % len(REFLECTIONS)]
        reflection_put(user=user, day=(now - timedelta(days=offset)).date(), data={
            "reflection_text": text, "biggest_accomplishment": accomplishment,
            "challenges_faced": challenge, "mood": rng.choice(["happy", "content", "neutral"]),
            "energy_level": rng.randint(4, 9), "productivity_score": rng.randint(5, 9),
            "completion_score": rng.randint(5, 9),
        })  # fmt: skip
        written += 1
    return written


def _embed(user: Any) -> int:
    written = 0
    for column in EMBEDDING_COLUMNS:
        model = Task._meta.apps.get_model(column.model)
        written += embed_queryset(
            model.objects.filter(user=user),
            text_field=column.text_field,
            vector_field=column.vector_field,
            model_field=column.model_field,
            embedded_at_field=column.embedded_at_field,
        )
    return written
