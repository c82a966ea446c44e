"""Dreamcatcher's demo data through ``seed_demo``: complete, and idempotent."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from config.models import MaterializedViewRefresh
from config.registries import demo_seeders
from dreamcatcher.choices import SyncSessionStatus, TodoSource, TodoStatus
from dreamcatcher.models import (
    Document,
    Dream,
    DreamStatistics,
    DreamTag,
    Fragment,
    Implementation,
    SyncSession,
    Tag,
    Todo,
)
from dreamcatcher.services.maintenance import STATISTICS_VIEW

pytestmark = pytest.mark.django_db

MODELS = (Dream, DreamTag, Fragment, Todo, Document, Implementation, SyncSession)


@pytest.fixture(autouse=True)
def _stored_files_removed(db):
    """The demo writes its document into storage: leave none behind."""
    yield
    for path in Document.objects.values_list("file_path", flat=True):
        default_storage.delete(path)


def snapshot():
    return {
        model.__name__: sorted(str(pk) for pk in model.objects.values_list("pk", flat=True))
        for model in MODELS
    } | {"usage": dict(Tag.objects.values_list("pk", "usage_count"))}


def test_seeding_twice_creates_the_same_rows(capsys):
    call_command("seed_demo")
    first = snapshot()
    capsys.readouterr()

    call_command("seed_demo")

    assert snapshot() == first
    assert "dreams of ada: 0 rows created" in capsys.readouterr().out
    assert all(first[model.__name__] for model in MODELS)


def test_the_dream_seeder_runs_after_the_accounts():
    order = [seeder.name for seeder in demo_seeders]
    assert order.index("dreamcatcher.accounts") < order.index("dreamcatcher.dreams")


def test_demo_covers_what_the_admin_and_api_show():
    call_command("seed_demo")

    dreams = Dream.objects.filter(pk__startswith="demo-")
    assert set(dreams.values_list("user__username", flat=True)) == {"ada", "grace", "linus"}
    assert dreams.values("brand").distinct().count() >= 4
    assert not dreams.filter(dream_tags__isnull=True).exclude(pk="demo-grace-3").exists()
    assert set(Todo.objects.values_list("status", flat=True)) == set(TodoStatus.values)
    completed = Todo.objects.filter(status=TodoStatus.COMPLETED)
    assert not completed.filter(completed_at__isnull=True).exists()  # stamped by the trigger
    assert all(fragment.code_snippets for fragment in Fragment.objects.all())

    document = Document.objects.get(pk="demo-ada-1-document-1")
    assert document.parsed
    assert document.parsed_data["kind"] == "markdown"
    assert [todo["title"] for todo in document.parsed_data["todos"]] == [
        "Store of 1,000 columns",
        "Card reader",
    ]
    assert default_storage.exists(document.file_path)
    assert Todo.objects.filter(dream=document.dream, source=TodoSource.DOCUMENT_PARSED).count() == 2

    sessions = {session.status: session for session in SyncSession.objects.all()}
    assert set(sessions) == {SyncSessionStatus.COMPLETED, SyncSessionStatus.PARTIAL}
    partial = sessions[SyncSessionStatus.PARTIAL]
    assert (partial.total_dreams, partial.synced_dreams, partial.failed_dreams) == (3, 2, 1)
    assert partial.error_message
    assert partial.sync_data["results"]
    assert not Dream.objects.get(pk="demo-grace-3").synced_with_pipelineos

    assert DreamStatistics.objects.filter(pk__startswith="demo-").count() == dreams.count()
    assert MaterializedViewRefresh.objects.filter(view_name=STATISTICS_VIEW).exists()
