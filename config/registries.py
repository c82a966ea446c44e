"""Small registries through which the five apps contribute to cross-app features.

Apps never import each other: each fills these from its ``AppConfig.ready()``
and the platform (``seed_demo``, the admin dashboard, the embedding backfill,
user erasure) iterates them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest


class _Named(Protocol):
    name: str


EntryT = TypeVar("EntryT", bound=_Named)


class Registry(Generic[EntryT]):
    """An ordered set of named entries; registering a name twice is a programming error."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        self._entries: dict[str, EntryT] = {}

    def register(self, entry: EntryT) -> EntryT:
        if entry.name in self._entries:
            raise ValueError(f"{self.purpose}: {entry.name!r} is already registered")
        self._entries[entry.name] = entry
        return entry

    def unregister(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[EntryT]:
        return iter(sorted(self._entries.values(), key=lambda entry: getattr(entry, "order", 0)))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, name: str) -> EntryT:
        return self._entries[name]


@dataclass(frozen=True)
class DemoSeeder:
    """Loads an app's demo rows. ``seed(log)`` must be idempotent; lower ``order`` runs first."""

    name: str
    seed: Callable[[Callable[[str], None]], None]
    order: int = 100


@dataclass(frozen=True)
class DashboardCard:
    """A card on the admin dashboard.

    ``render(request)`` returns the context of ``template``; the bundled templates are
    ``admin/cards/metrics.html`` (``{"metrics": [(label, value), ...]}``) and
    ``admin/cards/chart.html`` (``{"chart": {"type": "bar"|"line", "labels": [...],
    "datasets": [{"label": ..., "data": [...]}]}}``).
    """

    name: str
    title: str
    render: Callable[[HttpRequest], dict[str, Any]]
    template: str = "admin/cards/metrics.html"
    system: str = "Platform"
    order: int = 100


# A column name, or an expression such as Coalesce(NullIf("curated_text", Value("")), "raw_text").
TextSource = Any


@dataclass(frozen=True)
class EmbeddingColumn:
    """A vector column the backfill keeps filled with the current provider's embeddings.

    ``model`` is ``"app_label.ModelName"``; rows whose ``vector_field`` is null or whose
    ``model_field`` differs from the provider's model name are (re-)embedded from
    ``text_field`` (a field name or an expression), and ``embedded_at_field``, if named, is
    stamped with the time.
    """

    name: str
    model: str
    text_field: TextSource
    vector_field: str = "embedding"
    model_field: str = "embedding_model"
    embedded_at_field: str | None = None
    order: int = 100


@dataclass(frozen=True)
class UserEraser:
    """Erases or anonymises one app's personal data of a user (GDPR Art. 17)."""

    name: str
    erase: Callable[[AbstractBaseUser], None]
    order: int = 100


@dataclass(frozen=True)
class OutboxHandler:
    """Runs outbox tasks of type ``name``: ``handle(payload)``, idempotent (it may run again
    after a crash between its effect and the task being marked done)."""

    name: str
    handle: Callable[[dict[str, Any]], object]
    max_attempts: int = 8
    order: int = 100


demo_seeders: Registry[DemoSeeder] = Registry("demo seeders")
dashboard_cards: Registry[DashboardCard] = Registry("dashboard cards")
embedding_columns: Registry[EmbeddingColumn] = Registry("embedding columns")
user_erasers: Registry[UserEraser] = Registry("user erasers")
outbox_handlers: Registry[OutboxHandler] = Registry("outbox handlers")


@dataclass(frozen=True)
class HealthRow:
    """One row of a database-health section; ``problem`` says why it needs attention."""

    cells: tuple[Any, ...]
    problem: str = ""


@dataclass(frozen=True)
class HealthReport:
    """What a database-health section shows: a table, and a line above it."""

    columns: tuple[str, ...]
    rows: tuple[HealthRow, ...] = ()
    summary: str = ""

    @property
    def problems(self) -> int:
        return sum(1 for row in self.rows if row.problem)


@dataclass(frozen=True)
class HealthSection:
    """A section of the staff "database health" page (``config.admin.database_health``).

    ``report()`` runs on every view of the page; ``config.database.health`` has builders for
    the usual kinds (e.g. ``materialized_views_section``) and registers the platform's own.
    """

    name: str
    title: str
    report: Callable[[], HealthReport]
    system: str = "Platform"
    order: int = 100


database_health: Registry[HealthSection] = Registry("database health sections")
