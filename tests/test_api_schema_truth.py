"""What schemathesis found: the API refuses what its OpenAPI schema refuses, takes what it
allows, and the schema names every answer and constraint (issue 11, item 6)."""

import re
import uuid

import pytest

from config.api.limits import control_character_problem
from config.api.schema import SINGLE_LINE_PATTERN
from config.testing import assert_error_shape, openapi_schema
from personakit.services.api_keys import api_key_issue

DC = "/api/v1/dreamcatcher"
PK = "/api/v1/personakit"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        f"{DC}/dreams?synced=null",  # was 200, every dream
        f"{DC}/dreams?synced=1",
        f"{DC}/fragments?page_size=null",  # was 200, a default page
        f"{DC}/todos?page_size=0",
        f"{DC}/brands?page_size=-3",
        f"{PK}/observations?person_id=",  # an empty uuid; was 200, every observation
        f"{PK}/feedback?helpful=",
        f"{DC}/todos?source=",
        f"{PK}/feedback?mapper_version=0.5",  # an integer parameter; was 200
        f"{PK}/personas?include_expired=yes",  # a boolean parameter; was 200
    ],
)
def test_a_query_the_schema_refuses_is_400(client_for, user, query):
    assert_error_shape(client_for(user).get(query), 400)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        f"{PK}/feedback?persona={uuid.uuid4()}",  # was 400 invalid_choice
        f"{PK}/personas?person={uuid.uuid4()}",
        f"{DC}/dreams?synced=false&page_size=5000",  # above the maximum: the maximum
        f"{DC}/documents?dream=",  # a string parameter may be empty
    ],
)
def test_a_query_the_schema_allows_answers_a_list(client_for, user, query):
    response = client_for(user).get(query)
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.django_db
def test_a_date_time_with_any_iso_offset_filters(client_for, user):
    """``+19:36`` is a valid ISO 8601 offset but past PostgreSQL's 15:59: was 400 with its
    raw message (``time zone displacement out of range``)."""
    response = client_for(user).get(f"{DC}/dreams", {"created_after": "1738-02-08T07:45:37+19:36"})
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_an_empty_form_field_is_refused_not_skipped(client_for, user):
    """``name=`` in a form was "left out": 200 with the name unchanged (minLength is 1)."""
    key = api_key_issue(user=user, data={"name": "laptop"})
    client = client_for(user)
    response = client.put(f"{PK}/api-keys/{key.pk}", {"name": ""}, format="multipart")
    assert_error_shape(response, 400)
    response = client.post(f"{PK}/api-keys", {"name": ""}, format="multipart")
    assert_error_shape(response, 400)
    key.refresh_from_db()
    assert key.name == "laptop"


@pytest.mark.django_db
def test_a_number_is_no_name(client_for, user):
    """The schema says string; ``{"display_name": 0}`` was stored as "0"."""
    response = client_for(user).post(f"{PK}/persons", {"display_name": 0}, format="json")
    assert_error_shape(response, 400, "invalid")


@pytest.mark.django_db
def test_multi_line_text_is_text_too(client_for, user):
    """A narrative's text is a TextField: ``{"raw_text": 0}`` was stored as "0"."""
    response = client_for(user).post(
        f"{PK}/narratives",
        {"person_id": str(user.pk), "narrative_type": "self_observation", "raw_text": 0},
        format="json",
    )
    assert_error_shape(response, 400, "invalid")


def test_preferences_are_documented_as_the_object_they_must_be():
    """The schema said any JSON; a list was refused ("Must be a JSON object")."""
    schema = openapi_schema()["components"]["schemas"]["PatchedMeRequest"]
    assert schema["properties"]["preferences"]["type"] == "object"


@pytest.mark.django_db
def test_an_issued_keys_expiry_is_not_in_its_update_schema_and_still_refused(client_for, user):
    schema = openapi_schema()["components"]["schemas"]
    update = schema["PersonakitPatchedApiKeyUpdateRequest"]["properties"]
    assert "name" in update
    assert "expires_in_days" not in update
    key = api_key_issue(user=user, data={"name": "laptop"})
    response = client_for(user).patch(
        f"{PK}/api-keys/{key.pk}", {"expires_in_days": 5}, format="json"
    )
    assert_error_shape(response, 400)


def test_single_line_pattern_is_the_control_character_rule():
    pattern = re.compile(SINGLE_LINE_PATTERN)
    for code in [*range(0x300), *range(0x2000, 0x2100)]:
        char = chr(code)
        assert bool(pattern.match(f"a{char}b")) == (control_character_problem(char) is None), code


def _operations():
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_lists_document_404_for_a_page_or_cursor_that_is_not_there():
    for path, method, operation in _operations():
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        if names & {"page", "cursor"}:
            assert "404" in operation["responses"], (method, path)


def test_writes_document_409():
    for path, method, operation in _operations():
        if method in {"post", "put", "patch", "delete"}:
            assert "409" in operation["responses"], (method, path)


def test_bodies_are_json_or_multipart_with_a_file():
    """Forms cannot carry null, numbers or objects (``description=null`` was stored as
    "null"): JSON bodies are documented as JSON only, uploads as multipart only."""
    for path, method, operation in _operations():
        content = operation.get("requestBody", {}).get("content")
        if content:
            upload = method == "post" and path.endswith("/documents")
            expected = "multipart/form-data" if upload else "application/json"
            assert list(content) == [expected], (method, path)


def test_trait_delete_requires_if_match_and_values_are_never_null():
    paths = openapi_schema()["paths"]
    trait = paths["/api/v1/personakit/mindscapes/{person_id}/traits/{trait_path}"]
    if_match = next(p for p in trait["delete"]["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True
    assert {"428", "409"} <= set(trait["delete"]["responses"])
    value = openapi_schema()["components"]["schemas"]["PersonakitTraitRequest"]["properties"]
    assert {branch["type"] for branch in value["value"]["anyOf"]} == {
        "object", "array", "string", "number", "boolean"
    }  # fmt: skip
