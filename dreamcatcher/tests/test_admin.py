"""Dreamcatcher's admin: every page renders, actions act, tags stay counted, read-only stays
read-only, and the dashboard shows the Dreamcatcher cards."""

from __future__ import annotations

import base64
import json

import pytest
import redis
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from config.celery_app import app as celery_app
from config.models import MaterializedViewRefresh
from dreamcatcher import tasks
from dreamcatcher.choices import SyncSessionStatus, SyncSessionType, TodoStatus
from dreamcatcher.models import (
    Brand,
    Document,
    Dream,
    DreamStatistics,
    DreamSummary,
    DreamTag,
    Fragment,
    Implementation,
    SyncSession,
    Tag,
    Todo,
    UserActivity,
)
from dreamcatcher.selectors.sync import sync_status
from dreamcatcher.services.maintenance import STATISTICS_VIEW, dream_statistics_refresh
from dreamcatcher.tests.factories import (
    DocumentFactory,
    DreamFactory,
    FragmentFactory,
    ImplementationFactory,
    SyncSessionFactory,
    TodoFactory,
)

EDITABLE = [Dream, Fragment, Todo, Implementation, Brand, Tag]
READ_ONLY = [Document, SyncSession, DreamSummary, UserActivity, DreamStatistics]  # no add here
ALL_MODELS = EDITABLE + READ_ONLY


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def rows(db):
    """One of everything, the read-only views included (statistics refreshed)."""
    dream = DreamFactory(synced_with_pipelineos=True)
    DreamTag.objects.create(dream=dream, tag_id="coding")
    fragment = FragmentFactory(
        dream=dream, code_snippets=[{"language": "python", "code": "print('<hi>')"}]
    )
    todo = TodoFactory(dream=dream, status=TodoStatus.COMPLETED)
    TodoFactory(dream=dream)
    document = DocumentFactory(
        dream=dream, parsed=True, parsed_data={"summary": "<b>plan</b>", "todos": []}
    )
    implementation = ImplementationFactory(dream=dream, implementation_data={"tickets": 3})
    session = SyncSessionFactory(
        user=dream.user,
        session_type=SyncSessionType.PIPELINEOS,
        status=SyncSessionStatus.PARTIAL,
        total_dreams=3,
        synced_dreams=2,
        failed_dreams=1,
        error_message="dream x: 422 <rejected>",
        sync_data={"results": [{"dream_id": "x", "ok": False}]},
    )
    dream_statistics_refresh()
    return {
        Dream: dream,
        Fragment: fragment,
        Todo: todo,
        Implementation: implementation,
        Document: document,
        SyncSession: session,
        Brand: Brand.objects.get(pk="personal"),
        Tag: Tag.objects.get(pk="coding"),
        DreamSummary: DreamSummary.objects.get(pk=dream.pk),
        UserActivity: UserActivity.objects.get(pk=dream.user.pk),
        DreamStatistics: DreamStatistics.objects.get(pk=dream.pk),
    }


@pytest.fixture
def published():
    """``published()``: the (task name, kwargs) of the messages put on the default Celery
    queue (a real Redis list) since the test began. They are removed afterwards."""
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    queue = celery_app.conf.task_default_queue
    before = client.llen(queue)
    seen = []

    def read():
        new = client.lrange(queue, 0, client.llen(queue) - before - 1)  # LPUSHed: newest first
        seen[:] = new
        messages = [json.loads(raw) for raw in reversed(new)]
        return [
            (m["headers"]["task"], json.loads(base64.b64decode(m["body"]))[1]) for m in messages
        ]

    yield read
    for raw in seen:
        client.lrem(queue, 1, raw)
    client.close()


@pytest.fixture
def stored_plan():
    """A small Markdown plan in storage (its path); deleted afterwards."""
    path = default_storage.save(
        "dreamcatcher/tests/plan.md",
        ContentFile(
            b"# Plan\n\nSteps to the engine.\n\n- [ ] Build the mill\n- [x] Cut the cards\n"
        ),
    )
    yield path
    default_storage.delete(path)


def post_action(client, model, action, selected, **extra):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in selected], **extra},
        follow=True,
    )


def change_form_data(client, model, obj, **fields):
    """The POST of ``obj``'s change page, saving ``fields`` (inlines submitted unchanged)."""
    context = client.get(admin_url(model, "change", obj.pk)).context
    data = {}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        assert not formset.initial_forms, "keep the object's children out of this helper"
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
    return {**data, **fields}


# --- every page renders -----------------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_changelists_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_change_pages_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "change", rows[model].pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_add_pages_render(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (Dream, {"status__exact": "idea", "synced_with_pipelineos__exact": "1"}),
        (Dream, {"brand__id__exact": "personal", "q": "Dream"}),
        (Todo, {"priority__exact": "medium", "status__exact": "pending", "source__isnull": "1"}),
        (SyncSession, {"status__exact": "partial", "session_type__exact": "pipelineos"}),
        (Document, {"parsed__exact": "1"}),
        (DreamSummary, {"status__exact": "idea"}),
        (DreamStatistics, {"brand": "personal"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_filters_and_search_find_the_rows(admin_client, rows, model, query):
    response = admin_client.get(admin_url(model, "changelist"), query)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_dream_page_shows_children_tags_and_statistics(admin_client, rows):
    response = admin_client.get(admin_url(Dream, "change", rows[Dream].pk))

    html = response.content.decode()
    prefixes = {inline.formset.prefix for inline in response.context["inline_admin_formsets"]}
    assert prefixes == {"fragments", "todo_set", "document_set", "implementations"}
    assert "1 fragment · 2 todos, 1 completed (50 %) · 1 document" in html
    form = response.context["adminform"].form
    assert form["tag_choices"].value() == ["coding"]
    assert "owner" not in form.fields  # set once, on the add page


def test_json_and_errors_are_readable_and_escaped(admin_client, rows):
    document = admin_client.get(admin_url(Document, "change", rows[Document].pk))
    session = admin_client.get(admin_url(SyncSession, "change", rows[SyncSession].pk))

    assert "&quot;summary&quot;: &quot;&lt;b&gt;plan&lt;/b&gt;&quot;" in document.content.decode()
    html = session.content.decode()
    assert "dream x: 422 &lt;rejected&gt;" in html
    assert "&quot;ok&quot;: false" in html


# --- read-only admins -------------------------------------------------------------------------


@pytest.mark.parametrize("model", READ_ONLY[1:], ids=lambda model: model.__name__)
def test_read_only_admins_refuse_every_write(admin_client, rows, model):
    obj = rows[model]
    change = admin_client.get(admin_url(model, "change", obj.pk))

    assert not change.context["has_change_permission"]
    assert 'name="_save"' not in change.content.decode()
    assert admin_client.get(admin_url(model, "add")).status_code == 403
    assert admin_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    changelist = admin_client.get(admin_url(model, "changelist"))
    assert not changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request)
    assert model.objects.filter(pk=obj.pk).exists()


def test_documents_are_uploaded_elsewhere_but_their_title_can_change(admin_client, rows):
    document = rows[Document]
    assert admin_client.get(admin_url(Document, "add")).status_code == 403

    response = admin_client.post(
        admin_url(Document, "change", document.pk),
        {"title": "Renamed", "file_name": "evil.exe", "parsed": ""},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.file_name, document.parsed) == ("Renamed", "notes.md", True)


def test_statistics_page_shows_when_it_was_refreshed_and_refreshes(admin_client, rows):
    record = MaterializedViewRefresh.objects.get(view_name=STATISTICS_VIEW)
    page = admin_client.get(admin_url(DreamStatistics, "changelist")).content.decode()
    assert 'id="dream-statistics-freshness"' in page
    assert f"took {record.duration_ms} ms" in page
    new_dream = DreamFactory()

    response = admin_client.post(
        admin_url(DreamStatistics, "changelist"), {"refresh_statistics": "1"}, follow=True
    )

    assert any("Refreshed dream statistics" in text for text in messages_of(response))
    assert DreamStatistics.objects.filter(pk=new_dream.pk).exists()


# --- actions ----------------------------------------------------------------------------------


def test_mark_for_resync_clears_the_flag_of_the_selected_dreams(admin_client, rows):
    synced, other = rows[Dream], DreamFactory(synced_with_pipelineos=True)
    assert sync_status(user=synced.user)["synced_dreams"] == 1  # now cached

    response = post_action(admin_client, Dream, "mark_for_resync", [synced])

    assert "Marked 1 dream for re-sync." in messages_of(response)
    synced.refresh_from_db()
    other.refresh_from_db()
    assert not synced.synced_with_pipelineos
    assert other.synced_with_pipelineos
    assert sync_status(user=synced.user)["synced_dreams"] == 0  # the cached status was dropped


def test_sync_now_starts_one_session_per_owner_and_the_worker_runs_it(
    admin_client, rows, published, django_capture_on_commit_callbacks, settings
):
    settings.PIPELINEOS_BASE_URL = ""  # unconfigured: the run fails its dreams, calls nobody
    dream = rows[Dream]
    second = DreamFactory(user=dream.user)
    someone_elses = DreamFactory()
    before = set(SyncSession.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(admin_client, Dream, "sync_now", [dream, second, someone_elses])

    started = SyncSession.objects.exclude(pk__in=before)
    assert sorted(started.values_list("user_id", "session_type", "status")) == sorted(
        (owner.pk, "manual", "pending") for owner in (dream.user, someone_elses.user)
    )
    messages = published()
    assert {name for name, _ in messages} == {"dreamcatcher.sync_dreams"}
    assert sorted(kwargs["session_id"] for _, kwargs in messages) == sorted(
        started.values_list("pk", flat=True)
    )
    assert any("Started a PipelineOS sync for 2 accounts" in text for text in messages_of(response))

    name, kwargs = messages[0]
    assert name == tasks.sync_dreams.name
    outcome = tasks.sync_dreams.apply(kwargs=kwargs).get()  # as a worker would
    session = SyncSession.objects.get(pk=kwargs["session_id"])
    assert outcome["status"] == session.status == SyncSessionStatus.FAILED
    assert session.completed_at is not None
    assert session.error_message


def test_reparse_queues_each_document_and_the_worker_parses_it(
    admin_client, rows, published, django_capture_on_commit_callbacks, stored_plan
):
    document = rows[Document]
    Document.objects.filter(pk=document.pk).update(file_path=stored_plan)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(admin_client, Document, "reparse", [document])

    assert published() == [("dreamcatcher.parse_document", {"document_id": document.pk})]
    assert "Queued 1 document for parsing." in messages_of(response)

    outcome = tasks.parse_document.apply(kwargs={"document_id": document.pk})
    assert outcome.get() == {"document_id": document.pk, "parsed": True, "todos_created": 2}
    document.refresh_from_db()
    assert document.parsed_data["summary"] == "Steps to the engine."
    assert set(
        document.dream.todo_set.filter(source="document_parsed").values_list("title", flat=True)
    ) == {
        "Build the mill",
        "Cut the cards",
    }


def test_save_and_reparse_from_the_document_page(
    admin_client, rows, published, django_capture_on_commit_callbacks
):
    document = rows[Document]
    page = admin_client.get(admin_url(Document, "change", document.pk)).content.decode()
    assert "Save and re-parse" in page

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            admin_url(Document, "change", document.pk),
            {"title": document.title, "dreamcatcher_document_reparse_on_save": "1"},
        )

    assert published() == [("dreamcatcher.parse_document", {"document_id": document.pk})]


def test_refresh_statistics_action_refreshes_the_view(admin_client, rows):
    MaterializedViewRefresh.objects.filter(view_name=STATISTICS_VIEW).delete()
    new_dream = DreamFactory()

    response = post_action(admin_client, Dream, "refresh_statistics", [rows[Dream]])

    assert MaterializedViewRefresh.objects.filter(view_name=STATISTICS_VIEW).exists()
    assert DreamStatistics.objects.filter(pk=new_dream.pk).exists()
    assert any("Refreshed dream statistics" in text for text in messages_of(response))


# --- editing ----------------------------------------------------------------------------------


def _tag_counts():
    return dict(Tag.objects.values_list("pk", "usage_count"))


def _linked_counts():
    counts = dict.fromkeys(Tag.objects.values_list("pk", flat=True), 0)
    for tag_id in DreamTag.objects.values_list("tag_id", flat=True):
        counts[tag_id] += 1
    return counts


def test_editing_tags_replaces_the_dreams_links_and_keeps_counts_exact(admin_client, db):
    dream = DreamFactory(title="Tagged")
    DreamTag.objects.create(dream=dream, tag_id="coding")
    DreamTag.objects.create(dream=dream, tag_id="admin")
    DreamTag.objects.create(dream=DreamFactory(), tag_id="coding")
    before = _tag_counts()
    data = change_form_data(
        admin_client,
        Dream,
        dream,
        title="Tagged",
        status="planning",
        brand="bc-studio",
        tag_choices=["admin", "design", "devops"],
    )

    response = admin_client.post(admin_url(Dream, "change", dream.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(DreamTag.objects.filter(dream=dream).values_list("tag_id", flat=True)) == {
        "admin",
        "design",
        "devops",
    }
    after = _tag_counts()
    assert after == _linked_counts()
    assert after["coding"] == before["coding"] - 1
    assert after["design"] == before["design"] + 1
    assert after["admin"] == before["admin"]
    dream.refresh_from_db()
    assert sorted(dream.tags) == ["admin", "design", "devops"]  # the JSONB mirror follows
    assert (dream.status, dream.brand_id) == ("planning", "bc-studio")


def test_a_dream_added_in_the_admin_gets_its_owner_tags_and_author(admin_client, admin_user, user):
    context = admin_client.get(admin_url(Dream, "add")).context
    data = {
        f"{inline.formset.prefix}-{name}": value
        for inline in context["inline_admin_formsets"]
        for name, value in inline.formset.management_form.initial.items()
    }
    before = _tag_counts()
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "dreamcatcher",
            "model_name": "dream",
            "field_name": "user",
            "term": user.username,
        },
    )
    assert [item["id"] for item in found.json()["results"]] == [str(user.pk)]  # owner picker

    response = admin_client.post(
        admin_url(Dream, "add"),
        {
            **data,
            "owner": user.pk,
            "title": "Made by staff",
            "status": "idea",
            "brand": "personal",
            "tag_choices": ["strategy"],
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    dream = Dream.objects.get(title="Made by staff")
    assert dream.user == user
    assert dream.created_by == str(admin_user.pk)  # as the services stamp it
    assert list(DreamTag.objects.filter(dream=dream).values_list("tag_id", flat=True)) == [
        "strategy"
    ]
    assert _tag_counts()["strategy"] == before["strategy"] + 1


def test_a_forbidden_todo_move_is_a_form_error_not_a_crash(admin_client, rows):
    todo = rows[Todo]  # completed: it may only go back to in_progress

    response = admin_client.post(
        admin_url(Todo, "change", todo.pk),
        {"dream": todo.dream_id, "title": todo.title, "priority": "medium", "status": "pending"},
    )

    assert response.status_code == 200
    assert "cannot move from completed to pending" in str(response.context["adminform"].form.errors)
    reopened = admin_client.post(
        admin_url(Todo, "change", todo.pk),
        {"dream": todo.dream_id, "title": todo.title, "priority": "high", "status": "in_progress"},
    )
    assert reopened.status_code == 302
    todo.refresh_from_db()
    assert (todo.status, todo.completed_at) == ("in_progress", None)


def test_tag_usage_count_is_shown_not_edited(admin_client, rows):
    tag = rows[Tag]
    form = admin_client.get(admin_url(Tag, "change", tag.pk)).context["adminform"].form

    assert "usage_count" not in form.fields
    assert "id" not in form.fields  # the id is every dream's reference to it


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_shows_the_dreamcatcher_cards(admin_client, rows):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    sections = {section.system: section for section in response.context["dashboard_sections"]}
    cards = {card.name: card for card in sections["Dreamcatcher"].cards}
    assert list(cards) == [
        "dreamcatcher.dreams_by_status",
        "dreamcatcher.dreams_by_brand",
        "dreamcatcher.todo_completion",
        "dreamcatcher.last_sync",
    ]
    assert not any(card.failed for card in cards.values())
    completion = cards["dreamcatcher.todo_completion"].html
    assert "Overdue" in completion
    assert "50%" in completion
    last_sync = cards["dreamcatcher.last_sync"].html
    assert "Partial" in last_sync
    assert "2 / 1 / 3" in last_sync
    assert "Statistics refreshed" in last_sync
    assert "Personal" in cards["dreamcatcher.dreams_by_brand"].html


def test_last_sync_card_without_any_session(admin_client, db):
    response = admin_client.get(reverse("admin:index"))

    sections = {section.system: section for section in response.context["dashboard_sections"]}
    card = next(c for c in sections["Dreamcatcher"].cards if c.name == "dreamcatcher.last_sync")
    assert not card.failed
    assert "none yet" in card.html
