"""Row-level security: inside user B's API request, the database shows none of user A's rows.

Not the viewsets' owner filters: queries with no WHERE clause at all, and a viewset whose
queryset is deliberately unfiltered.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from config import rls
from config.api.viewsets import RowLevelSecurityMixin
from config.testing import assert_error_shape
from dreamcatcher.models import Dream, Todo
from dreamcatcher.tests.factories import (
    DocumentFactory,
    DreamFactory,
    FragmentFactory,
    ImplementationFactory,
    SyncSessionFactory,
    TodoFactory,
)

pytestmark = pytest.mark.django_db

RLS_TABLES = ["dreams", "fragments", "implementations", "sync_sessions", "documents", "todos"]


def fill(owner):
    """A row of every table with policies, owned by ``owner``."""
    dream = DreamFactory(user=owner)
    FragmentFactory(dream=dream)
    ImplementationFactory(dream=dream)
    DocumentFactory(dream=dream)
    TodoFactory(dream=dream)
    SyncSessionFactory(user=owner)
    return dream


def owners_of(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # no WHERE: the policies alone decide
        column = [col.name for col in cursor.description].index("user_id")
        return {row[column] for row in cursor.fetchall()}


@pytest.fixture
def user_a(other_user):
    fill(other_user)
    return other_user


@pytest.fixture
def user_b(user):
    fill(user)
    return user


@pytest.mark.parametrize("table", RLS_TABLES)
def test_raw_select_in_user_bs_context_returns_none_of_user_as_rows(user_a, user_b, table):
    with transaction.atomic(), rls.acting_as(user_b):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL search_path TO dreamcatcher, public")
        assert owners_of(table) == {user_b.pk}
    # Back as the tables' owner (admin, Celery): everything is visible again.
    assert owners_of(f"dreamcatcher.{table}") >= {user_a.pk, user_b.pk}


def test_unfiltered_writes_in_user_bs_context_miss_user_as_rows(user_a, user_b):
    with transaction.atomic(), rls.acting_as(user_b), connection.cursor() as cursor:
        cursor.execute("UPDATE dreamcatcher.todos SET title = 'hijacked'")
        assert cursor.rowcount == 1
        cursor.execute("DELETE FROM dreamcatcher.todos")
        assert cursor.rowcount == 1
    assert Todo.objects.filter(user=user_a).exclude(title="hijacked").count() == 1
    assert not Todo.objects.filter(user=user_b).exists()


def test_a_child_of_user_as_dream_cannot_be_written_in_user_bs_context(user_a, user_b):
    dream_of_a = Dream.objects.get(user=user_a)
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        rls.acting_as(user_b),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO dreamcatcher.todos (dream_id, title) VALUES (%s, 'sneaky')",
            [dream_of_a.pk],
        )
    assert not Todo.objects.filter(title="sneaky").exists()


# --- through the API: a request's own context ------------------------------------------------


class RawDreamOwners(RowLevelSecurityMixin, APIView):
    row_level_security = True

    def get(self, request):
        return Response(sorted(str(owner) for owner in owners_of("dreamcatcher.dreams")))


class DreamIdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dream
        fields = ["id", "title"]


class EveryDreamViewSet(RowLevelSecurityMixin, viewsets.ReadOnlyModelViewSet):
    """Deliberately unfiltered: only the database's policies stand between callers."""

    row_level_security = True
    queryset = Dream.objects.all()
    serializer_class = DreamIdSerializer


class EveryDreamWithoutRls(EveryDreamViewSet):
    row_level_security = False


urlpatterns = [
    path("raw-owners", RawDreamOwners.as_view()),
    path("every-dream", EveryDreamViewSet.as_view({"get": "list"})),
    path("every-dream/<str:pk>", EveryDreamViewSet.as_view({"get": "retrieve"})),
    path("every-dream-without-rls", EveryDreamWithoutRls.as_view({"get": "list"})),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_raw_select_inside_user_bs_request_sees_only_user_b(client_for, user_a, user_b):
    assert client_for(user_b).get("/raw-owners").json() == [str(user_b.pk)]


@pytest.mark.urls(__name__)
def test_unfiltered_viewset_returns_only_the_callers_rows(client_for, user_a, user_b):
    client = client_for(user_b)
    listed = {row["id"] for row in client.get("/every-dream").json()["results"]}
    assert listed == set(Dream.objects.filter(user=user_b).values_list("id", flat=True))
    dream_of_a = Dream.objects.get(user=user_a)
    assert_error_shape(client.get(f"/every-dream/{dream_of_a.pk}"), 404, "not_found")


@pytest.mark.urls(__name__)
def test_without_rls_the_same_viewset_would_leak(client_for, user_a, user_b):
    """The control: it is the policies, not something else, that hid user A's rows."""
    listed = {
        row["id"] for row in client_for(user_b).get("/every-dream-without-rls").json()["results"]
    }
    assert Dream.objects.get(user=user_a).pk in listed


def test_every_viewset_over_an_rls_table_runs_under_rls():
    """Found by the tables' own ``relrowsecurity``, not a list kept by hand."""
    from django.urls import URLPattern, get_resolver

    policied = {
        "dreamcatcher.Dream",
        "dreamcatcher.Fragment",
        "dreamcatcher.Implementation",
        "dreamcatcher.SyncSession",
        "dreamcatcher.Document",
        "dreamcatcher.Todo",
    }
    checked = set()

    def walk(patterns):
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                walk(pattern.url_patterns)
                continue
            view = getattr(pattern.callback, "cls", None)
            model = getattr(getattr(view, "queryset", None), "model", None)
            if model is not None and rls.protects(model):
                assert view().runs_under_row_level_security(), view
                checked.add(model._meta.label)

    walk(get_resolver().url_patterns)  # every routed view, whatever module it lives in
    assert {label for label in checked if label.startswith("dreamcatcher.")} == policied


def test_a_list_of_dreams_spends_one_statement_on_row_level_security(client_for, user_b):
    """Role and caller id are set together; the request's transaction ends both. Inside a
    test's own transaction one more statement switches them off (at most 2 in all)."""
    from django.test.utils import CaptureQueriesContext

    client = client_for(user_b)
    client.get("/api/v1/dreamcatcher/dreams")  # warm-up: the key's last_used_at write
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/dreamcatcher/dreams")
    assert response.status_code == 200
    rls_statements = [q["sql"] for q in queries if "set_config" in q["sql"]]
    assert len(rls_statements) <= 2, rls_statements
    assert "set_config('role'" in rls_statements[0]
    assert "app.current_user_id" in rls_statements[0]


@pytest.mark.django_db(transaction=True)
def test_the_transactions_end_switches_row_level_security_off(user):
    """As in a request's own transaction: no ``leave()`` is needed, and after the commit the
    connection is its own role again with no caller id."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner_role = cursor.fetchone()[0]
    with transaction.atomic():
        assert rls.enter(user) is False  # nothing to switch off by hand
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_setting('app.current_user_id')")
            assert cursor.fetchone() == (rls.ROLE, str(user.pk))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('app.current_user_id', true)")
        assert cursor.fetchone() == (owner_role, "")
