"""The back-office: theme and sidebar, dashboard cards, the platform's admins, API key
issuing and revoking, GDPR erasure, estimated pagination and the display helpers."""

from __future__ import annotations

import hashlib
import hmac
import html
import importlib
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage
from django.db import connection, models
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_results.models import TaskResult
from pgvector.django import VectorField

from config.admin import celery as celery_admin
from config.admin import theme
from config.admin.base import CreatedElsewhereMixin, LucidModelAdmin, ReadOnlyMixin
from config.admin.cards import register_cards
from config.admin.dashboard import chart_json, dashboard_sections
from config.admin.display import (
    embedding_display,
    json_display,
    muted,
    plural,
    time_ago,
    vector_display,
)
from config.admin.links import admin_url, change_url, changelist_url, counted_link, object_link
from config.admin.paginator import EstimatedCountPaginator, estimated_row_count, is_unfiltered
from config.embeddings import EMBEDDING_DIMENSIONS
from config.privacy import erase_user
from config.registries import (
    DashboardCard,
    EmbeddingColumn,
    UserEraser,
    dashboard_cards,
    embedding_columns,
    user_erasers,
)
from dreamcatcher.models import Tag, User
from personakit.models import ApiKey
from personakit.services.api_keys import api_key_issue
from tests.factories import UserFactory

RAW_KEY = re.compile(r"lucid_[0-9a-f]{12}_[A-Za-z0-9_\-]{20,}")

# A table with an embedding column, in its own registry (kept out of admin and migrations).
_test_apps = Apps()


class DreamSketch(models.Model):
    title = models.TextField(null=True)
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True)
    embedding_model = models.CharField(max_length=100, null=True)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        app_label = "lucid"
        apps = _test_apps
        db_table = "test_admin_dream_sketches"
        managed = False

    def __str__(self) -> str:
        return self.title or ""


@pytest.fixture(autouse=True)
def _lucid_theme(settings):
    """The theme as config.settings should import it (a no-op once it does)."""
    if getattr(settings, "UNFOLD", None) is not theme.UNFOLD:
        settings.UNFOLD = theme.UNFOLD


@pytest.fixture
def extra_cards():
    """Register dashboard cards for one test: ``extra_cards(card, ...)``."""
    names = []

    def register(*cards):
        for card in cards:
            dashboard_cards.register(card)
            names.append(card.name)

    yield register
    for name in names:
        dashboard_cards.unregister(name)


@pytest.fixture
def eraser_calls():
    calls = []
    user_erasers.register(UserEraser(name="tests.recorder", erase=calls.append))
    yield calls
    user_erasers.unregister("tests.recorder")


@pytest.fixture
def sketches(db):
    with connection.schema_editor() as editor:
        editor.create_model(DreamSketch)
    yield DreamSketch
    with connection.schema_editor() as editor:
        editor.delete_model(DreamSketch)


@pytest.fixture
def registered_sketches(sketches):
    """The sketches' embedding column, registered as an app's ``ready()`` would."""
    global_apps.register_model("lucid", DreamSketch)
    embedding_columns.register(
        EmbeddingColumn(name="tests.sketches", model="lucid.DreamSketch", text_field="title")
    )
    yield DreamSketch
    embedding_columns.unregister("tests.sketches")
    del global_apps.all_models["lucid"]["dreamsketch"]
    global_apps.clear_cache()


@pytest.fixture
def api_key(user):
    return api_key_issue(user=user, data={"name": "laptop"})


@pytest.fixture
def periodic_task(db):
    every_five = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    return PeriodicTask.objects.create(
        name="refresh views", task="config.tasks.refresh", interval=every_five
    )


@pytest.fixture
def task_result(db):
    return TaskResult.objects.create(
        task_id="7d1c0a8e-task",
        task_name="config.tasks.refresh",
        periodic_task_name="refresh views",
        status="FAILURE",
        result=json.dumps({"exc_type": "ValueError", "exc_message": ["<boom>"]}),
        traceback='Traceback (most recent call last):\n  File "x.py", line 1\nValueError: <boom>',
        content_type="application/json",
        content_encoding="utf-8",
    )


def request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


# --- wiring and theme -------------------------------------------------------------------------


def test_settings_use_the_lucid_theme():
    project_settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])

    assert getattr(project_settings, "UNFOLD", None) is theme.UNFOLD, (
        "config/settings.py should do `from config.admin.theme import UNFOLD`"
    )


def test_celery_admins_are_re_registered_in_lucid_style():
    """Checked in a fresh process, as a server starts: importing this module registers them."""
    probe = (
        "import django; django.setup()\n"
        "from django.contrib import admin\n"
        "from django_celery_beat.models import IntervalSchedule, PeriodicTask\n"
        "from django_celery_results.models import TaskResult\n"
        "for model in (PeriodicTask, IntervalSchedule, TaskResult):\n"
        "    print(type(admin.site._registry[model]).__module__)\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["config.admin.celery"] * 3, (
        "config/apps.py PlatformConfig.ready() should call config.admin.register()\n"
        + result.stderr[-2000:]
    )
    assert isinstance(admin.site._registry[PeriodicTask], celery_admin.PeriodicTaskAdmin)
    assert isinstance(admin.site._registry[IntervalSchedule], LucidModelAdmin)


def test_sidebar_groups_platform_and_the_five_systems(admin_user):
    groups = theme.sidebar_navigation(request_for(admin_user))

    titles = [group.get("title") for group in groups]
    assert titles[1:7] == [
        "Platform",
        "Dreamcatcher",
        "PersonaKit",
        "Aurum Life",
        "Dreamshot",
        "Dreamscape",
    ]
    platform = groups[1]["items"]
    assert [item["title"] for item in platform] == [
        "Users",
        "Groups",
        "API keys",
        "Periodic tasks",
        "Task results",
    ]
    assert platform[0]["link"] == admin_url(User, "changelist")
    assert platform[2]["link"] == admin_url(ApiKey, "changelist")
    listed = [item["link"] for group in groups for item in group["items"]]
    assert len(listed) == len(set(listed)), "a model is listed twice"
    assert admin_url(IntervalSchedule, "changelist") in listed


def test_a_model_without_its_own_icon_takes_the_icon_its_app_config_names(admin_user, monkeypatch):
    monkeypatch.setattr(admin.site._registry[Tag], "icon", None)

    groups = theme.sidebar_navigation(request_for(admin_user))

    icons = {item["link"]: item["icon"] for group in groups for item in group["items"]}
    assert icons[admin_url(Tag, "changelist")] == "bedtime"  # DreamcatcherConfig.admin_icon


def test_command_search_finds_the_platform_models_named_by_settings(admin_client, api_key):
    search = reverse("admin:search")

    found = admin_client.get(search, {"s": api_key.user.username, "extended": 1})
    key = admin_client.get(search, {"s": api_key.name, "extended": 1})

    assert found.status_code == key.status_code == 200
    assert admin_url(User, "change", api_key.user.pk) in found.content.decode()
    assert admin_url(ApiKey, "change", api_key.pk) in key.content.decode()
    assert theme.search_models(None) == [
        settings.AUTH_USER_MODEL.lower(),
        settings.LUCID_API_KEY_MODEL.lower(),
        "auth.group",
    ]


def test_sidebar_hides_what_the_user_may_not_see(db):
    clerk = UserFactory(is_staff=True)
    groups = theme.sidebar_navigation(request_for(clerk))
    assert [item for group in groups[1:] for item in group["items"]] == []


def test_landing_page_links_the_entry_points(client, db):
    response = client.get("/")
    assert response.status_code == 200
    for link in ('href="/admin/"', 'href="/api/docs/"', 'href="/api/v1/"', 'href="/healthz"'):
        assert link in response.content.decode()


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_renders_the_platform_cards(
    admin_client, user, api_key, periodic_task, task_result
):
    # The card lists the first periodic tasks by name; the apps' own schedules would bury ours.
    PeriodicTask.objects.exclude(pk=periodic_task.pk).delete()
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Accounts" in html
    assert "Background work" in html
    assert 'class="chart"' in html  # unfold's Chart.js canvas
    assert "refresh views" in html  # the periodic task, with its last run
    assert "unfold/js/chart/chart.js" in html  # bundled, not from a CDN
    platform = response.context["dashboard_sections"][0]
    assert platform.system == "Platform"
    assert not any(card.failed for card in platform.cards)


def test_background_work_chart_counts_results_by_state(admin_user):
    card = dashboard_cards["platform.background_work"]

    def chart_counts():
        (section,) = dashboard_sections(request_for(admin_user), [card])
        assert not section.cards[0].failed
        value = re.search(r'data-value="([^"]+)"', section.cards[0].html).group(1)
        data = json.loads(html.unescape(value))
        return dict(zip(data["labels"], data["datasets"][0]["data"], strict=True))

    before = chart_counts()
    TaskResult.objects.create(task_id="ok-1", status="SUCCESS")
    TaskResult.objects.create(task_id="ok-2", status="SUCCESS")
    TaskResult.objects.create(task_id="bad-1", status="FAILURE")
    TaskResult.objects.create(task_id="retry-1", status="RETRY")
    after = chart_counts()

    assert after["Success"] - before["Success"] == 2
    assert after["Failure"] - before["Failure"] == 1
    assert after["Retry"] - before.get("Retry", 0) == 1  # a state appears once it occurs


def test_a_failing_card_shows_an_error_and_the_others_still_render(
    admin_client, extra_cards, caplog
):
    def explode(request):
        raise ValueError("card bug")

    def broken_query(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_for_the_dashboard")
        return {}

    extra_cards(
        DashboardCard(name="tests.explodes", title="Explodes", render=explode, system="Dreamshot"),
        DashboardCard(
            name="tests.bad_sql", title="Bad SQL", render=broken_query, system="Dreamshot"
        ),
        DashboardCard(
            name="tests.fine",
            title="Still fine",
            render=lambda request: {"metrics": [("Dreams", 12345)]},
            system="Dreamshot",
            order=200,
        ),
    )

    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This card could not be shown" in html
    assert "ValueError" in html
    assert "card bug" not in html  # the message stays in the log
    assert "12,345" in html  # a card after the failed query still ran its own
    cards = {card.name: card for s in response.context["dashboard_sections"] for card in s.cards}
    assert cards["tests.explodes"].failed
    assert cards["tests.bad_sql"].failed
    assert not cards["tests.fine"].failed
    assert "Accounts" in html
    assert "tests.explodes" in caplog.text


def test_sections_follow_platform_then_the_systems(admin_user, extra_cards):
    ok = {"metrics": [("n", 1)]}
    extra_cards(
        DashboardCard(name="tests.scape", title="S", render=lambda r: ok, system="Dreamscape"),
        DashboardCard(name="tests.catch", title="C", render=lambda r: ok, system="Dreamcatcher"),
    )
    systems = [section.system for section in dashboard_sections(request_for(admin_user))]
    canonical = ["Platform", "Dreamcatcher", "PersonaKit", "Aurum Life", "Dreamshot", "Dreamscape"]
    assert systems[0] == "Platform"
    assert {"Dreamcatcher", "Dreamscape"} <= set(systems)
    known = [system for system in systems if system in canonical]
    assert known == sorted(known, key=canonical.index)


def test_register_cards_names_and_orders_a_systems_cards(admin_user):
    def first(request):
        return {"metrics": [("First", 1)]}

    def second(request):
        return {"chart": {"labels": ["a"], "datasets": [{"label": "n", "data": [2]}]}}

    register_cards(
        system="Test system",
        app="tests",
        cards=[("first", "First card", first, "metrics"), ("second", "Second", second, "chart")],
    )
    try:
        (section,) = [
            section
            for section in dashboard_sections(request_for(admin_user))
            if section.system == "Test system"
        ]
        registered = dashboard_cards["tests.second"]
    finally:
        dashboard_cards.unregister("tests.first")
        dashboard_cards.unregister("tests.second")

    assert [card.name for card in section.cards][:2] == ["tests.first", "tests.second"]
    assert not any(card.failed for card in section.cards)
    assert (registered.title, registered.template, registered.order) == (
        "Second",
        "admin/cards/chart.html",
        20,
    )
    assert 'class="chart"' in section.cards[1].html


def test_chart_json_styles_datasets_without_their_own_colours():
    data = json.loads(
        chart_json(
            {
                "type": "line",
                "labels": ["Mon", "Tue"],
                "datasets": [{"label": "a", "data": [1, 2]}, {"label": "b", "data": [3, 4]}],
            }
        )
    )
    assert data["labels"] == ["Mon", "Tue"]
    first, second = data["datasets"]
    assert first["borderColor"].startswith("var(--color-")
    assert first["borderColor"] != second["borderColor"]
    assert first["data"] == [1, 2]


# --- admin pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [User, ApiKey, Group, PeriodicTask, TaskResult, IntervalSchedule],
    ids=lambda model: model.__name__,
)
def test_changelists_render(admin_client, model, user, api_key, periodic_task, task_result):
    Group.objects.create(name="editors")

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


def test_changelist_search_and_filters_render(admin_client, user, api_key, task_result):
    assert admin_client.get(admin_url(User, "changelist"), {"q": user.email}).status_code == 200
    response = admin_client.get(admin_url(ApiKey, "changelist"), {"q": f"lucid_{api_key.prefix}"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = admin_client.get(admin_url(ApiKey, "changelist"), {"status": "revoked"})
    assert response.context["cl"].result_count == 0
    response = admin_client.get(
        admin_url(TaskResult, "changelist"), {"status__exact": "FAILURE", "q": task_result.task_id}
    )
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", [User, ApiKey, Group, PeriodicTask], ids=lambda m: m.__name__)
def test_add_pages_render(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


def test_change_pages_render(admin_client, user, api_key, periodic_task, task_result):
    group = Group.objects.create(name="editors")
    for obj in (user, api_key, group, periodic_task, task_result, periodic_task.interval):
        response = admin_client.get(admin_url(type(obj), "change", obj.pk))
        assert response.status_code == 200, type(obj).__name__
    password_page = reverse("admin:auth_user_password_change", args=[user.pk])
    assert admin_client.get(password_page).status_code == 200


def test_task_result_shows_state_result_and_traceback_readably(admin_client, task_result):
    response = admin_client.get(admin_url(TaskResult, "change", task_result.pk))

    html = response.content.decode()
    assert "&quot;exc_type&quot;: &quot;ValueError&quot;" in html  # indented JSON, escaped
    assert "ValueError: &lt;boom&gt;" in html  # the traceback, escaped
    assert "<boom>" not in html
    assert admin_client.get(admin_url(TaskResult, "add")).status_code == 403


def test_periodic_task_list_shows_last_run_count_and_outcome(
    admin_client, periodic_task, task_result
):
    PeriodicTask.objects.filter(pk=periodic_task.pk).update(
        last_run_at=timezone.now() - timedelta(hours=3), total_run_count=42
    )
    response = admin_client.get(admin_url(PeriodicTask, "changelist"))

    html = response.content.decode()
    assert "3 h ago" in html
    assert ">42<" in html.replace(" ", "").replace("\n", "")
    assert "FAILURE" in html  # the state of its latest result


def test_user_preferences_are_edited_as_indented_json(admin_client, user):
    user.preferences = {"theme": "dark", "digest": {"day": "monday"}}
    user.save()

    response = admin_client.get(admin_url(User, "change", user.pk))

    assert (
        "&quot;digest&quot;: {\n    &quot;day&quot;: &quot;monday&quot;"
        in response.content.decode()
    )


def test_user_can_be_created_in_the_admin(admin_client):
    response = admin_client.post(
        admin_url(User, "add"),
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "full_name": "New Comer",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(username="newcomer")
    assert created.check_password("a-long-and-unusual-passphrase")


# --- API keys ---------------------------------------------------------------------------------


def _issue_in_admin(admin_client, owner, **data):
    form = admin_client.get(admin_url(ApiKey, "add")).context["adminform"].form
    token = form["issue_token"].value()
    payload = {"user": owner.pk, "name": "ci runner", "expires_in_days": 30, "issue_token": token}
    return admin_client.post(admin_url(ApiKey, "add"), {**payload, **data}), payload


def test_issuing_a_key_shows_it_once_and_stores_only_its_hash(admin_client, user):
    response, _ = _issue_in_admin(admin_client, user)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw_key = RAW_KEY.search(response.content.decode()).group(0)
    issued = ApiKey.objects.get(user=user, name="ci runner")
    expected = hmac.new(settings.API_KEY_SECRET.encode(), raw_key.encode(), hashlib.sha256)
    assert issued.api_key_hash == expected.hexdigest()
    assert not ApiKey.objects.filter(api_key_hash=raw_key).exists()
    assert raw_key.startswith(f"lucid_{issued.prefix}_")
    assert (issued.expires_at - timezone.now()).days in (29, 30)
    for field in ApiKey._meta.concrete_fields:  # the raw key is in no column
        assert raw_key not in str(getattr(issued, field.attname))
    for entry in LogEntry.objects.all():
        assert raw_key not in entry.object_repr + entry.change_message
    assert list(response.wsgi_request._messages) == []  # not in a message (cookie/session)

    for page in (admin_url(ApiKey, "changelist"), admin_url(ApiKey, "change", issued.pk)):
        html = admin_client.get(page).content.decode()
        assert raw_key not in html
        assert issued.api_key_hash not in html  # nor is its hash ever shown


def test_a_resubmitted_issue_form_issues_no_second_key(admin_client, user):
    _, payload = _issue_in_admin(admin_client, user)

    again = admin_client.post(admin_url(ApiKey, "add"), payload)

    assert again.status_code == 200
    assert "already submitted" in again.content.decode()
    assert ApiKey.objects.filter(user=user).count() == 1


def test_issue_form_rejects_a_bad_expiry(admin_client, user):
    response, _ = _issue_in_admin(admin_client, user, expires_in_days=0)
    assert response.status_code == 200
    assert "expires_in_days" in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()


def test_only_the_name_of_a_key_can_be_changed(admin_client, api_key, other_user):
    response = admin_client.post(
        admin_url(ApiKey, "change", api_key.pk),
        {"name": "renamed", "user": other_user.pk, "prefix": "hijacked", "is_active": ""},
    )

    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.name == "renamed"
    assert api_key.user != other_user
    assert api_key.prefix != "hijacked"
    assert api_key.is_active


def test_revoke_action_revokes_the_selected_keys(admin_client, api_key, user):
    other = api_key_issue(user=user, data={"name": "other"})

    response = admin_client.post(
        admin_url(ApiKey, "changelist"),
        {"action": "revoke_keys", ACTION_CHECKBOX_NAME: [api_key.pk]},
    )

    assert response.status_code == 302
    api_key.refresh_from_db()
    other.refresh_from_db()
    assert not api_key.is_active
    assert api_key.revoked_at is not None
    assert other.is_active


def test_save_and_revoke_from_the_change_page(admin_client, api_key):
    page = admin_client.get(admin_url(ApiKey, "change", api_key.pk)).content.decode()
    assert "Save and revoke" in page

    admin_client.post(
        admin_url(ApiKey, "change", api_key.pk),
        {"name": api_key.name, "personakit_apikey_revoke_on_save": "1"},
    )

    api_key.refresh_from_db()
    assert not api_key.is_active
    page = admin_client.get(admin_url(ApiKey, "change", api_key.pk)).content.decode()
    assert "Save and revoke" not in page  # nothing left to revoke


@pytest.mark.django_db
def test_read_only_admins_refuse_every_write_and_created_elsewhere_ones_refuse_adding(
    admin_client, admin_user
):
    request = request_for(admin_user)
    created_elsewhere = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, CreatedElsewhereMixin)
    ]
    read_only = [
        model_admin for model_admin in created_elsewhere if isinstance(model_admin, ReadOnlyMixin)
    ]
    assert read_only, "no admin is built on ReadOnlyModelAdmin"
    assert len(created_elsewhere) > len(read_only)

    for model_admin in read_only:
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    for model_admin in created_elsewhere:
        assert not model_admin.has_add_permission(request)
        assert admin_client.get(admin_url(model_admin.model, "add")).status_code == 403


def test_keys_cannot_be_deleted(admin_client, api_key):
    assert admin_client.get(admin_url(ApiKey, "delete", api_key.pk)).status_code == 403
    actions = admin_client.get(admin_url(ApiKey, "changelist")).context["action_form"]
    assert "delete_selected" not in dict(actions.fields["action"].choices)


# --- GDPR erasure -----------------------------------------------------------------------------


def test_erase_action_asks_first_then_anonymises_and_runs_every_hook(
    admin_client, admin_user, user, api_key, eraser_calls
):
    selection = {"action": "erase_personal_data", ACTION_CHECKBOX_NAME: [user.pk, admin_user.pk]}

    confirm = admin_client.post(admin_url(User, "changelist"), selection)

    assert confirm.status_code == 200
    assert user.email in confirm.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert eraser_calls == []

    done = admin_client.post(admin_url(User, "changelist"), {**selection, "confirm": "yes"})

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid.example"
    assert user.username == f"erased-{user.pk.hex[:8]}"
    assert user.full_name is None
    assert not user.is_active
    assert eraser_calls == [user]
    api_key.refresh_from_db()
    assert not api_key.is_active  # PersonaKit's own eraser revoked the keys
    admin_user.refresh_from_db()
    assert admin_user.is_active  # one's own account is left out


def test_erase_user_keeps_only_the_id(user, other_user, eraser_calls):
    group = Group.objects.create(name="editors")
    user.groups.add(group)
    user.avatar_url = "https://example.com/me.png"
    user.preferences = {"theme": "dark"}
    user.is_staff = True
    user.last_login = timezone.now()
    user.save()
    LogEntry.objects.create(
        user=other_user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=user.username,
        action_flag=CHANGE,
    )

    erase_user(user)
    erase_user(user)  # repeating it is harmless

    user.refresh_from_db()
    assert user.username == f"erased-{user.pk.hex[:8]}"
    assert (user.full_name, user.avatar_url, user.preferences) == (None, None, {})
    assert user.last_login is None
    assert not user.has_usable_password()
    assert not user.is_active
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.groups.exists()
    assert LogEntry.objects.get(object_id=str(user.pk)).object_repr == user.username
    assert len(eraser_calls) == 2


def test_erase_user_is_all_or_nothing(user):
    def failing(account):
        raise RuntimeError("storage down")

    user_erasers.register(UserEraser(name="tests.failing", erase=failing, order=999))
    try:
        with pytest.raises(RuntimeError):
            erase_user(user)
    finally:
        user_erasers.unregister("tests.failing")
    user.refresh_from_db()
    assert user.is_active
    assert "erased" not in user.username


def test_erased_username_avoids_a_taken_short_name(user, other_user):
    User.objects.filter(pk=other_user.pk).update(username=f"erased-{user.pk.hex[:8]}")
    erase_user(user)
    user.refresh_from_db()
    assert user.username == f"erased-{user.pk.hex}"


# --- estimated pagination ---------------------------------------------------------------------


def _analyze(table):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def test_schema_qualified_tables_resolve():
    assert connection.ops.quote_name(ApiKey._meta.db_table) == '"personakit"."api_keys"'


def test_big_unfiltered_table_uses_the_estimate(sketches):
    DreamSketch.objects.bulk_create(DreamSketch(title=f"sketch {n}") for n in range(30))
    _analyze(DreamSketch._meta.db_table)
    # Deleted rows stay in the statistics until the next ANALYZE: estimate 30, exact 20.
    DreamSketch.objects.filter(title__in=[f"sketch {n}" for n in range(10)]).delete()

    paginator = EstimatedCountPaginator(DreamSketch.objects.order_by("id"), 10)
    paginator.estimate_threshold = 5
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == 30
    assert paginator.count_is_estimate
    assert paginator.count_display == "≈ 30"
    assert not any("COUNT(" in query["sql"].upper() for query in queries)
    assert len(paginator.page(3).object_list) == 0  # the estimate ran ahead: served, empty
    assert paginator.validate_number(9) == 9  # beyond the estimate is not an error

    filtered = EstimatedCountPaginator(
        DreamSketch.objects.filter(title__endswith="9").order_by("id"), 10
    )
    filtered.estimate_threshold = 5
    assert filtered.count == 2
    assert not filtered.count_is_estimate


def test_small_tables_are_counted_exactly(sketches):
    DreamSketch.objects.create(title="only one")
    _analyze(DreamSketch._meta.db_table)

    paginator = EstimatedCountPaginator(DreamSketch.objects.order_by("id"), 10)

    assert paginator.count == 1
    assert not paginator.count_is_estimate
    with pytest.raises(EmptyPage):
        paginator.page(2)


def test_never_analysed_tables_have_no_estimate(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE lucid_tmp_plain AS SELECT generate_series(1, 500) AS n")
    assert estimated_row_count("lucid_tmp_plain") is None
    _analyze("lucid_tmp_plain")
    assert estimated_row_count("lucid_tmp_plain") == 500
    assert estimated_row_count("no_such_table_anywhere") is None


def test_partitioned_tables_sum_their_partitions(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE lucid_tmp_events (n int) PARTITION BY RANGE (n)")
        for name, low, high in (("a", 0, 1000), ("b", 1000, 2000), ("c", 2000, 3000)):
            cursor.execute(
                f"CREATE TEMP TABLE lucid_tmp_events_{name} PARTITION OF lucid_tmp_events "
                f"FOR VALUES FROM ({low}) TO ({high})"
            )
        cursor.execute("INSERT INTO lucid_tmp_events SELECT generate_series(0, 99)")
        cursor.execute("INSERT INTO lucid_tmp_events SELECT generate_series(1000, 1199)")
    _analyze("lucid_tmp_events")
    with connection.cursor() as cursor:  # a new, empty, never analysed partition counts 0
        cursor.execute(
            "CREATE TEMP TABLE lucid_tmp_events_d PARTITION OF lucid_tmp_events "
            "FOR VALUES FROM (3000) TO (4000)"
        )
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'lucid_tmp_events'")
        assert cursor.fetchone()[0] == "p"

    assert estimated_row_count("lucid_tmp_events") == 300


def test_is_unfiltered():
    assert is_unfiltered(ApiKey.objects.all())
    assert is_unfiltered(ApiKey.objects.select_related("user").order_by("name"))
    assert not is_unfiltered(ApiKey.objects.filter(is_active=True))
    assert not is_unfiltered(ApiKey.objects.distinct())
    assert not is_unfiltered(ApiKey.objects.all()[:5])


def test_changelist_prints_an_estimated_total(admin_client, user, monkeypatch):
    for n in range(6):
        api_key_issue(user=user, data={"name": f"key {n}"})
    _analyze(ApiKey._meta.db_table)
    monkeypatch.setattr(EstimatedCountPaginator, "estimate_threshold", 5)

    response = admin_client.get(admin_url(ApiKey, "changelist"))

    assert response.context["cl"].paginator.count_is_estimate
    assert "≈ " in response.content.decode()


# --- display helpers --------------------------------------------------------------------------


def test_vector_display_never_prints_numbers():
    vector = np.full(1536, 0.0123456, dtype=np.float32)
    three_hours_ago = timezone.now() - timedelta(hours=3, minutes=5)

    html = vector_display(vector, "wordllama-l2_supercat-256", three_hours_ago)

    assert "wordllama-l2_supercat-256 · 1536-d · 3 h ago" in html
    assert "0.012" not in html
    assert "123456" not in html
    assert "missing" in vector_display(None, None)
    assert vector_display([0.5, 0.25], "m") == '<span class="lucid-vector">m · 2-d</span>'


def test_embedding_display_works_bound_unbound_and_from_a_deferred_column():
    display = embedding_display("embedding")
    row = SimpleNamespace(embedding=[0.9] * 4, embedding_model="m", updated_at=None)
    measured = SimpleNamespace(embedding_model="m", updated_at=None, lucid_embedding_dims=1536)

    class RowAdmin:
        embedding_summary = embedding_display("embedding")

    assert display(row) == '<span class="lucid-vector">m · 4-d</span>'
    assert RowAdmin().embedding_summary(row) == display(row)
    assert "1536-d" in display(measured)
    assert display.short_description == "Embedding"


def test_lucid_admin_keeps_vectors_out_of_forms_and_queries(admin_user, sketches):
    vector = np.full(EMBEDDING_DIMENSIONS, 0.0123456, dtype=np.float32)
    DreamSketch.objects.create(title="glass city", embedding=vector, embedding_model="m")
    DreamSketch.objects.create(title="not yet embedded")
    model_admin = LucidModelAdmin(DreamSketch, admin.site)
    request = request_for(admin_user)

    assert "embedding" not in model_admin.get_form(request)().fields
    embedded, pending = model_admin.get_queryset(request).order_by("id")
    assert "embedding" in embedded.get_deferred_fields()  # ~6 KB a row, never loaded
    summary = embedding_display("embedding")
    with CaptureQueriesContext(connection) as queries:
        shown = [summary(model_admin, embedded), summary(model_admin, pending)]
    assert len(queries) == 0  # the dimensions were measured by the list query
    assert "m · 1536-d" in shown[0]
    assert "0.012" not in shown[0]
    assert "missing" in shown[1]


def test_embeddings_card_shows_coverage_by_column(admin_user, registered_sketches):
    from config.embeddings import get_provider

    current = get_provider().model_name
    vector = np.full(EMBEDDING_DIMENSIONS, 0.5, dtype=np.float32)
    DreamSketch.objects.create(title="a", embedding=vector, embedding_model=current)
    DreamSketch.objects.create(title="b", embedding=vector, embedding_model="old-model")
    DreamSketch.objects.create(title="c")
    request = request_for(admin_user)

    (section,) = dashboard_sections(request, [dashboard_cards["platform.embeddings"]])

    card = section.cards[0]
    assert not card.failed
    assert "tests.sketches" in card.html
    assert "33%" in card.html
    assert current in card.html


def test_json_display_is_escaped_indented_and_folds_big_values():
    small = json_display({"note": "<script>alert(1)</script>"})
    assert "<script>" not in small
    assert "&lt;script&gt;" in small
    assert "<details" not in small
    assert '"note"' in small.replace("&quot;", '"')

    big = json_display({f"key{n}": n for n in range(40)})
    assert big.startswith('<details class="lucid-json-fold">')
    assert "40 keys" in big
    assert json_display('{"from": "text"}').count("\n") == 2  # JSON text is parsed first


def test_links_point_at_the_admin_and_mute_what_is_missing(api_key):
    changelist = reverse("admin:personakit_apikey_changelist")

    assert admin_url(ApiKey, "changelist", query="status=usable") == f"{changelist}?status=usable"
    assert changelist_url(ApiKey) == changelist
    assert change_url(api_key) == reverse("admin:personakit_apikey_change", args=[api_key.pk])
    assert changelist_url(DreamSketch) is None  # not registered in the admin
    assert change_url(DreamSketch(pk=1)) is None
    three = counted_link(ApiKey, 3, "key", f"user={api_key.user_id}")
    assert f'href="{changelist}?user={api_key.user_id}"' in three
    assert ">3 keys</a>" in three
    assert counted_link(ApiKey, 0, "key", "user=x") == muted("0 keys")
    assert 'href="' not in muted("0 keys")
    link = object_link(api_key, "<laptop>")
    assert f'href="{admin_url(ApiKey, "change", api_key.pk)}"' in link
    assert "&lt;laptop&gt;" in link
    assert object_link(None) == muted("—")
    assert (plural(1, "dream"), plural(2, "dream"), plural(0, "dream")) == (
        "1 dream",
        "2 dreams",
        "0 dreams",
    )


def test_time_ago():
    now = timezone.now()
    assert time_ago(None) == "never"
    assert time_ago(now, now=now) == "just now"
    assert time_ago(now - timedelta(minutes=12), now=now) == "12 min ago"
    assert time_ago(now - timedelta(days=5, hours=2), now=now) == "5 d ago"
