"""The admin renders any stored JSON, however deep, and refuses quietly where it must."""

from __future__ import annotations

import logging

import pytest
from django.db import connection, models
from django.urls import reverse

from dreamcatcher.tests.factories import FragmentFactory, ImplementationFactory
from personakit.tests.factories import (
    FeedbackFactory,
    MindscapeFactory,
    NarrativeFactory,
    PersonaFactory,
)

pytestmark = pytest.mark.django_db

# 900 levels, objects and arrays in turn: past what json.dumps manages inside a page render.
DEEP_JSON = '{"a": [' * 450 + '"leaf"' + "]}" * 450


def store_deep_json(row: models.Model) -> None:
    """Write DEEP_JSON into every JSON column of ``row`` straight in the database, as a
    value stored before the API's depth limit (or by another writer) would be."""
    model = type(row)
    columns = [f.column for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
    assert columns, model
    assignments = ", ".join(f'"{column}" = %s::jsonb' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {assignments} "
            f"WHERE {model._meta.pk.column} = %s",
            [DEEP_JSON] * len(columns) + [row.pk],
        )


def change_page(row: models.Model) -> str:
    meta = row._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])


def test_change_pages_render_json_of_any_depth(admin_client):
    fragment = FragmentFactory()
    ImplementationFactory(dream=fragment.dream, user=fragment.user)
    persona = PersonaFactory()
    feedback = FeedbackFactory(persona=persona)
    narrative = NarrativeFactory()
    mindscape = MindscapeFactory()
    user = fragment.user
    # Every JSON column of every row these pages show, the dream's inlines included.
    dream = fragment.dream
    shown = [user, dream, *dream.fragments.all(), *dream.implementations.all(), persona,
             feedback, narrative, mindscape]  # fmt: skip
    for row in shown:
        store_deep_json(row)

    pages = [user, fragment.dream, feedback, narrative, persona, mindscape, mindscape.person]
    for page in map(change_page, pages):
        response = admin_client.get(page)
        assert response.status_code == 200, page
    assert "leaf" in admin_client.get(change_page(user)).content.decode()


def test_a_deep_value_is_saved_back_or_refused_as_a_form_error(admin_client):
    """Saving a user whose stored preferences are far too deep never crashes the form."""
    user = FragmentFactory().user
    store_deep_json(user)
    page = admin_client.get(change_page(user))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["preferences"] = '{"a": [' * 5000 + "1" + "]}" * 5000
    response = admin_client.post(change_page(user), data)
    assert response.status_code == 200  # the form again, with the error
    assert "nested too deeply" in response.content.decode()


def test_a_read_only_delete_page_is_a_quiet_403(admin_client, caplog):
    persona = PersonaFactory()  # personas are read-only in the admin
    with caplog.at_level(logging.WARNING):
        response = admin_client.get(reverse("admin:personakit_persona_delete", args=[persona.pk]))
    assert response.status_code == 403
    assert not [record for record in caplog.records if record.exc_info], [
        record.getMessage() for record in caplog.records
    ]
