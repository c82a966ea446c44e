"""The API's edge: no request's shape or text makes a 500, and nothing unstorable is stored.

Too large a body is a 413, too many fields or too deep JSON a 400; NUL and lone surrogates
anywhere in a body are a 400 naming the field; single-line text refuses control characters;
an id that cannot exist is a 404. Every answer has the one error shape.
"""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from config.testing import assert_error_shape
from dreamcatcher.models import Dream
from dreamcatcher.tests.factories import DreamFactory
from personakit.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
DREAMS = "/api/v1/dreamcatcher/dreams"
TODOS = "/api/v1/dreamcatcher/todos"
OBSERVATIONS = "/api/v1/personakit/observations"


def nested(depth: int, leaf: str = "1") -> str:
    """JSON text of arrays and objects in turn, ``depth`` levels deep."""
    opening = "".join('{"a": ' if level % 2 else "[" for level in range(depth))
    closing = "".join("}" if level % 2 else "]" for level in reversed(range(depth)))
    return opening + leaf + closing


def send_json(client, method: str, url: str, text: str):
    return client.generic(method, url, text.encode(), content_type="application/json")


@pytest.fixture
def client(client_for, user):
    return client_for(user)


# --- request shape ----------------------------------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_is_413(client, user):
    body = json.dumps({"full_name": "x" * 10_001})
    assert_error_shape(send_json(client, "PATCH", ME, body), 413, "too_large")
    user.refresh_from_db()
    assert user.full_name != "x" * 10_001


def test_too_many_form_fields_is_400(client):
    form = "&".join(f"field{index}=1" for index in range(1001))
    response = client.generic("PATCH", ME, form, content_type="application/x-www-form-urlencoded")
    assert_error_shape(response, 400, "too_many_fields")


@pytest.mark.parametrize("depth", [33, 950, 100_000])
def test_json_nested_too_deep_is_400(client, user, depth):
    response = send_json(client, "PATCH", ME, f'{{"preferences": {nested(depth)}}}')
    assert_error_shape(response, 400, "max_depth")
    user.refresh_from_db()
    assert user.preferences == {}


def test_json_as_deep_as_the_limit_is_stored(client, user, settings):
    settings.API_JSON_MAX_DEPTH = 6
    response = send_json(client, "PATCH", ME, f'{{"preferences": {{"a": {nested(4)}}}}}')
    assert response.status_code == 200, response.content
    body = assert_error_shape(
        send_json(client, "PATCH", ME, f'{{"preferences": {{"a": {nested(5)}}}}}'), 400
    )
    assert body["field"] == "preferences.a.0.a.0.a"


def test_deep_json_is_refused_in_observations_and_bulk_todos(client, user):
    person_id = str(user.pk)
    observation = (
        f'{{"person_id": "{person_id}", "observation_type": "user_input", '
        f'"content": {{"text": "hi"}}, "metadata": {{"x": {nested(950)}}}}}'
    )
    assert_error_shape(send_json(client, "POST", OBSERVATIONS, observation), 400, "max_depth")
    dream = DreamFactory(user=user)
    todos = f'[{{"dream": "{dream.pk}", "title": "t", "extra": {nested(950)}}}]'
    assert_error_shape(send_json(client, "POST", TODOS, todos), 400, "max_depth")


def test_deep_json_in_a_form_field_is_400(client, user):
    response = client.patch(ME, {"preferences": nested(40)}, format="multipart")
    body = assert_error_shape(response, 400, "max_depth")
    assert body["field"].startswith("preferences")
    response = client.patch(ME, {"preferences": nested(5000)}, format="multipart")
    assert_error_shape(response, 400, "max_depth")


def test_a_string_over_the_limit_is_400_naming_it(client, settings):
    settings.API_STRING_MAX_LENGTH = 20
    response = client.patch(ME, {"preferences": {"note": "x" * 21}})
    assert assert_error_shape(response, 400, "max_length")["field"] == "preferences.note"


# --- NUL and lone surrogates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field", "code"),
    [
        ('{"preferences": {"theme": "dark\\u0000"}}', "preferences.theme", "null"),
        ('{"preferences": {"theme": ["ok", "\\ud800"]}}', "preferences.theme.1", "surrogate"),
        ('{"preferences": {"the\\u0000me": 1}}', "preferences.the\\u0000me", "null"),
        ('{"preferences": {"\\udfff": 1}}', "preferences.\\udfff", "surrogate"),
        ('{"full_name": "Ann\\ud83d"}', "full_name", "surrogate"),
    ],
)
def test_nul_and_lone_surrogates_in_json_are_400_naming_the_field(client, user, text, field, code):
    body = assert_error_shape(send_json(client, "PATCH", ME, text), 400)
    assert body["code"] == f"{code}_characters_not_allowed"
    assert body["field"] == field
    assert "PostgreSQL" not in body["message"]
    user.refresh_from_db()
    assert user.preferences == {}


def test_nul_in_json_fields_of_other_resources(client, user):
    observation = {"person_id": str(user.pk), "observation_type": "user_input",
                   "content": {"text": "hi"}, "metadata": {"source": "x\x00"}}  # fmt: skip
    body = assert_error_shape(client.post(OBSERVATIONS, observation), 400)
    assert body["field"] == "metadata.source"
    person = PersonFactory(owner=user)
    trait = f"/api/v1/personakit/mindscapes/{person.pk}/traits/work.chronotype"
    body = assert_error_shape(client.put(trait, {"value": {"x": "\x00"}, "version": 1}), 400)
    assert body["field"] == "value.x"
    dream = DreamFactory(user=user)
    fragment = {"dream": dream.pk, "title": "t", "features": ["ok", "\x00"]}
    body = assert_error_shape(client.post("/api/v1/dreamcatcher/fragments", fragment), 400)
    assert body["field"] == "features.1"


def test_nul_in_a_form_field_is_400_naming_it(client):
    response = client.patch(ME, {"full_name": "Ann\x00"}, format="multipart")
    assert assert_error_shape(response, 400, "null_characters_not_allowed")["field"] == "full_name"
    response = client.generic(
        "PATCH", ME, "full_name=Ann%00", content_type="application/x-www-form-urlencoded"
    )
    assert assert_error_shape(response, 400, "null_characters_not_allowed")["field"] == "full_name"


# --- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "red \x1b[31malert",
        "tab\there",
        "two\nlines",
        "\u202eevil",
        "a\u2066b",
        "c1\x85c1",
        "del\x7f!",
    ],
)
def test_single_line_text_refuses_control_and_bidi_characters(client, user, title):
    response = client.post(DREAMS, {"title": title})
    body = assert_error_shape(response, 400, "control_characters_not_allowed")
    assert body["field"] == "title"
    assert not Dream.objects.filter(user=user).exists()


def test_names_and_tags_refuse_control_characters(client, user):
    body = assert_error_shape(client.patch(ME, {"full_name": "Ann\x07"}), 400)
    assert (body["code"], body["field"]) == ("control_characters_not_allowed", "full_name")
    dream = DreamFactory(user=user)
    response = client.put(f"{DREAMS}/{dream.pk}/tags", {"tags": ["ok", "bad\x1b"]})
    body = assert_error_shape(response, 400, "control_characters_not_allowed")
    assert body["field"] == "tags.1"


def test_multi_line_text_keeps_its_lines_and_tabs(client, user):
    description = "First line\n\tindented\r\nlast"
    response = client.post(DREAMS, {"title": "Plain title", "description": description})
    assert response.status_code == 201, response.content
    assert Dream.objects.get(user=user).description == description


# --- ids that cannot exist --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{DREAMS}/%00",
        f"{DREAMS}/x%00y",
        "/api/v1/personakit/persons/not-a-uuid",
        "/api/v1/personakit/persons/%00",
        "/api/v1/personakit/mindscapes/not-a-uuid",
        "/api/v1/personakit/mindscapes/%00",
    ],
)
def test_an_id_that_cannot_exist_is_404(client, url):
    assert_error_shape(client.get(url), 404, "not_found")


def test_nul_in_a_path_id_of_a_write_is_404(client):
    assert_error_shape(client.patch(f"{DREAMS}/%00", {"title": "x"}), 404, "not_found")
    assert_error_shape(client.delete(f"{DREAMS}/%00"), 404, "not_found")
