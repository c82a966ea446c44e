"""Dreamcatcher's demo data: the demo accounts every other app's demo data belongs to, then
their dreams (across brands, with tags, fragments, todos in every status, a parsed document,
implementations) and two sync sessions, one completed and one partly failed.

Every row has a stable id (``demo-ada-1``, ``demo-ada-1-todo-2``…), so seeding again finds
what is there and adds nothing; rows changed since are left as they are.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from dreamcatcher.choices import (
    DreamStatus,
    ImplementationStatus,
    SyncSessionStatus,
    SyncSessionType,
    TodoPriority,
    TodoSource,
    TodoStatus,
)
from dreamcatcher.models import (
    Document,
    Dream,
    DreamTag,
    Fragment,
    Implementation,
    SyncSession,
    Todo,
)
from dreamcatcher.services.documents import document_parse
from dreamcatcher.services.maintenance import dream_statistics_refresh

DEMO_ACCOUNTS = [
    ("ada", "Ada Lovelace", {"theme": "dark", "timezone": "Europe/London"}),
    ("grace", "Grace Hopper", {"theme": "light", "timezone": "America/New_York"}),
    ("linus", "Linus Pauling", {"theme": "light", "timezone": "America/Los_Angeles"}),
]


def seed_demo(log: Callable[[str], None]) -> None:
    User = get_user_model()
    for username, full_name, preferences in DEMO_ACCOUNTS:
        _, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "full_name": full_name,
                "preferences": preferences,
                "is_verified": True,
            },
        )
        log(f"account {username}: {'created' if created else 'exists'}")


# --- dreams -----------------------------------------------------------------------------------

_ENGINE_SNIPPET = '''def bernoulli(n):
    """B_n by the Akiyama-Tanigawa algorithm, exact."""
    from fractions import Fraction
    a = [Fraction(0)] * (n + 1)
    for m in range(n + 1):
        a[m] = Fraction(1, m + 1)
        for j in range(m, 0, -1):
            a[j - 1] = j * (a[j - 1] - a[j])
    return a[0]
'''
_LINKER_SNIPPET = """SELECT d.id, d.title, array_agg(t.name) AS tags
FROM dreamcatcher.dreams d
JOIN dreamcatcher.dream_tags dt ON dt.dream_id = d.id
JOIN dreamcatcher.tags t ON t.id = dt.tag_id
GROUP BY d.id;"""

# username -> dreams; todos are (title, priority, status[, deadline in days from now]).
DEMO_DREAMS: dict[str, list[dict[str, Any]]] = {
    "ada": [
        {
            "title": "Analytical Engine simulator",
            "description": "A browser simulator of the Analytical Engine that runs Note G.",
            "status": DreamStatus.IN_PROGRESS,
            "brand": "personal",
            "tags": ["coding", "design"],
            "synced": True,
            "fragments": [
                {
                    "title": "Note G, the first program",
                    "content": "The table of operations computing Bernoulli numbers.",
                    "source": "notes",
                    "url": "https://en.wikipedia.org/wiki/Note_G",
                    "features": ["step-through execution", "store and mill view"],
                    "code_snippets": [
                        {"language": "python", "title": "Reference", "code": _ENGINE_SNIPPET}
                    ],
                }
            ],
            "todos": [
                ("Model the mill's four operations", TodoPriority.HIGH, TodoStatus.COMPLETED),
                ("Punched-card reader", TodoPriority.MEDIUM, TodoStatus.IN_PROGRESS, 7),
                ("Run Note G end to end", TodoPriority.URGENT, TodoStatus.PENDING, -2),
                ("Steam engine sound effects", TodoPriority.LOW, TodoStatus.CANCELLED),
            ],
            "document": {
                "title": "Simulator plan",
                "file_name": "simulator-plan.md",
                "text": "# Simulator plan\n\nA faithful engine, card by card.\n\n"
                "- [x] Store of 1,000 columns\n- [ ] Card reader (high)\n",
            },
            "implementation": (ImplementationStatus.IN_PROGRESS, 6, 2, "2 weeks"),
        },
        {
            "title": "An interactive essay on Bernoulli numbers",
            "description": "Explorable explanations of Note G for a general audience.",
            "status": DreamStatus.PLANNING,
            "brand": "accordingto",
            "tags": ["marketing", "strategy"],
            "synced": True,
            "todos": [("Outline the essay", TodoPriority.MEDIUM, TodoStatus.PENDING, 14)],
        },
    ],
    "grace": [
        {
            "title": "A compiler for business English",
            "description": "FLOW-MATIC's idea again: programs that read like memos.",
            "status": DreamStatus.IMPLEMENTED,
            "brand": "bc-innovations",
            "tags": ["coding", "devops"],
            "synced": True,
            "fragments": [
                {
                    "title": "Grammar sketch",
                    "content": "Verbs first: ADD, COMPARE, TRANSFER; nouns from the data division.",
                    "source": "whiteboard",
                    "features": ["English-like statements", "data division"],
                    "code_snippets": [
                        {
                            "language": "text",
                            "code": "COMPARE PRICE WITH LIMIT; IF GREATER GO TO 7.",
                        }
                    ],
                }
            ],
            "todos": [
                ("Parse the data division", TodoPriority.HIGH, TodoStatus.COMPLETED),
                ("Write the user manual", TodoPriority.MEDIUM, TodoStatus.COMPLETED),
            ],
            "implementation": (ImplementationStatus.COMPLETED, 14, 3, "done"),
        },
        {
            "title": "Nanosecond wire handouts",
            "description": "Printable 30 cm wires, to show what a nanosecond is.",
            "status": DreamStatus.IDEA,
            "brand": "bc-studio",
            "tags": ["design"],
            "synced": True,
            "todos": [("Find a wire supplier", TodoPriority.LOW, TodoStatus.PENDING)],
        },
        {
            "title": "Bug log as a service",
            "description": "Tape the moth in, share the page.",
            "status": DreamStatus.IDEA,
            "brand": "mpgworldwide",
            "tags": ["admin"],
            "synced": False,
        },
    ],
    "linus": [
        {
            "title": "Molecule linker",
            "description": "Link each dream's tags into a graph of related work.",
            "status": DreamStatus.ARCHIVED,
            "brand": "personal",
            "tags": ["coding", "strategy"],
            "synced": False,
            "fragments": [
                {
                    "title": "Tags per dream",
                    "content": "The query the linker starts from.",
                    "source": "sql",
                    "features": ["tag graph"],
                    "code_snippets": [{"language": "sql", "code": _LINKER_SNIPPET}],
                }
            ],
            "todos": [
                ("Sketch the graph layout", TodoPriority.MEDIUM, TodoStatus.IN_PROGRESS, 3),
                ("Vitamin C reminders", TodoPriority.LOW, TodoStatus.CANCELLED),
            ],
        }
    ],
}

# username -> (type, status, synced dream numbers, failed dream numbers, their error, days ago)
DEMO_SYNC_SESSIONS = {
    "ada": (SyncSessionType.PIPELINEOS, SyncSessionStatus.COMPLETED, [1, 2], [], None, 2),
    "grace": (
        SyncSessionType.PIPELINEOS,
        SyncSessionStatus.PARTIAL,
        [1, 2],
        [3],
        "PipelineOS rejected the dream (422): a project needs a description of at least "
        "40 characters.",
        1,
    ),
}


def seed_dreams(log: Callable[[str], None]) -> None:
    """The demo accounts' dreams and sync sessions; then the statistics are refreshed."""
    owners = {
        user.username: user for user in get_user_model().objects.filter(username__in=DEMO_DREAMS)
    }
    for username, specs in DEMO_DREAMS.items():
        owner = owners.get(username)
        if owner is None:
            log(f"no account {username!r}; skipping its demo dreams")
            continue
        created = sum(
            _seed_dream(owner, f"demo-{username}-{n}", spec) for n, spec in enumerate(specs, 1)
        )
        log(f"dreams of {username}: {created} rows created")
        if username in DEMO_SYNC_SESSIONS:
            created = _seed_sync_session(owner, *DEMO_SYNC_SESSIONS[username])
            log(f"sync session of {username}: {'created' if created else 'exists'}")
    refresh = dream_statistics_refresh()
    log(
        f"dream statistics: {refresh.row_count} rows"
        if refresh.refreshed
        else "dream statistics: refresh already running"
    )


def _create(model: type[models.Model], pk: str, **fields: Any) -> int:
    """1 if the row ``pk`` was created, 0 if it was there already."""
    return int(model.objects.get_or_create(pk=pk, defaults=fields)[1])


def _seed_dream(owner: Any, dream_id: str, spec: dict[str, Any]) -> int:
    now = timezone.now()
    author = str(owner.pk)  # as the services stamp it: the writing account's id
    synced = {"synced_at": now, "pipelineos_project_id": f"pos-{dream_id}"}
    created = _create(
        Dream,
        dream_id,
        title=spec["title"],
        description=spec["description"],
        status=spec["status"],
        brand_id=spec["brand"],
        user=owner,
        created_by=author,
        synced_with_pipelineos=spec["synced"],
        **(synced if spec["synced"] else {}),
    )
    for tag_id in spec["tags"]:
        created += int(DreamTag.objects.get_or_create(dream_id=dream_id, tag_id=tag_id)[1])
    for n, fragment in enumerate(spec.get("fragments", []), 1):
        created += _create(
            Fragment,
            f"{dream_id}-fragment-{n}",
            dream_id=dream_id,
            date=now - timedelta(days=n * 3),
            created_by=author,
            **fragment,
        )
    created += _seed_todos(dream_id, spec.get("todos", []), author)
    if "document" in spec:
        created += _seed_document(dream_id, spec["document"], author)
    if "implementation" in spec:
        created += _seed_implementation(dream_id, *spec["implementation"], author=author)
    return created


def _seed_todos(dream_id: str, todos: list[tuple], author: str) -> int:
    now, created = timezone.now(), 0
    for n, (title, priority, status, *deadline) in enumerate(todos, 1):
        # Inserted in its status directly: the transition rules guard updates, not inserts.
        created += _create(
            Todo,
            f"{dream_id}-todo-{n}",
            dream_id=dream_id,
            title=title,
            priority=priority,
            status=status,
            source=TodoSource.MANUAL,
            deadline=now + timedelta(days=deadline[0]) if deadline else None,
            created_by=author,
        )
    return created


def _seed_implementation(
    dream_id: str, status: str, tickets: int, agents: int, estimate: str, *, author: str
) -> int:
    return _create(
        Implementation,
        f"{dream_id}-implementation-1",
        dream_id=dream_id,
        status=status,
        project_id=f"pos-{dream_id}",
        tickets_created=tickets,
        agents_assigned=agents,
        estimated_completion=estimate,
        completed_at=timezone.now() if status == ImplementationStatus.COMPLETED else None,
        implementation_data={"pipeline": "default", "tickets": tickets, "agents": agents},
        created_by=author,
    )


def _seed_document(dream_id: str, spec: dict[str, str], author: str) -> int:
    """A Markdown document stored where uploads go, parsed as an upload is: the parser fills
    ``parsed_data`` and turns its checkboxes into todos (``document_parsed``)."""
    document_id = f"{dream_id}-document-1"
    if Document.objects.filter(pk=document_id).exists():
        return 0
    data = spec["text"].encode()
    # A fixed path (uploads put the owner's id where "demo" is): re-seeding a fresh database
    # finds the file instead of storing another copy.
    path = f"dreamcatcher/documents/demo/{document_id}/{spec['file_name']}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(data))
    Document.objects.create(
        id=document_id,
        dream_id=dream_id,
        title=spec["title"],
        file_name=spec["file_name"],
        file_type="text/markdown",
        file_size=len(data),
        file_path=path,
        created_by=author,
    )
    document = document_parse(document_id=document_id)
    return 1 + document.parsed_data.get("todos_created", 0)


def _seed_sync_session(
    owner: Any,
    session_type: str,
    status: str,
    synced: list[int],
    failed: list[int],
    error: str | None,
    days_ago: int,
) -> bool:
    started = timezone.now() - timedelta(days=days_ago)
    # Shaped as the sync service records a run (dreamcatcher.services.sync): results per dream id.
    ids = {n: f"demo-{owner.username}-{n}" for n in synced + failed}
    results = {ids[n]: {"status": "synced", "project_id": f"pos-{ids[n]}"} for n in synced}
    results |= {ids[n]: {"status": "rejected", "error": error} for n in failed}
    return bool(
        _create(
            SyncSession,
            f"demo-{owner.username}-sync-1",
            user=owner,
            session_type=session_type,
            status=status,
            started_at=started,
            completed_at=started + timedelta(seconds=4),
            total_dreams=len(results),
            synced_dreams=len(synced),
            failed_dreams=len(failed),
            error_message="; ".join(f"{ids[n]}: {error}" for n in failed) or None,
            sync_data={"results": results},
        )
    )
