"""What schemathesis found: the API refuses what its OpenAPI schema refuses, takes what it
allows, and the schema names every answer and constraint (issue 11, item 6)."""

import re
import uuid

import jsonschema_rs
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
    "null"): JSON bodies are documented as JSON only (NDJSON too where a view takes it),
    uploads as multipart only."""
    for path, method, operation in _operations():
        content = operation.get("requestBody", {}).get("content")
        if content:
            upload = method == "post" and path.endswith("/documents")
            expected = "multipart/form-data" if upload else "application/json"
            ndjson = ["application/x-ndjson"] if "application/x-ndjson" in content else []
            assert list(content) == [expected, *ndjson], (method, path)


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


# --- what the last fuzz runs found (issue 11) -------------------------------------------------


@pytest.fixture
def dream(user):
    from dreamcatcher.tests.factories import DreamFactory

    return DreamFactory(user=user)


@pytest.mark.django_db
def test_a_todo_source_is_a_choice_or_null_never_empty(client_for, user, dream):
    """``source: ""`` reached the constraint ``todos_source_valid`` (400 ``constraint``, no
    field); the schema offered "" as a branch of its own."""
    from dreamcatcher.models import Todo

    client = client_for(user)
    response = client.post(f"{DC}/todos", {"dream": dream.pk, "title": "t", "source": ""})
    body = assert_error_shape(response, 400, "invalid_choice")
    assert body["field"] == "source"
    assert not Todo.objects.filter(dream=dream).exists()
    response = client.post(f"{DC}/todos", {"dream": dream.pk, "title": "t", "source": None})
    assert response.status_code == 201, response.content
    source = openapi_schema()["components"]["schemas"]["DreamcatcherTodoRequest"]["properties"]
    refs = [branch["$ref"].rsplit("/", 1)[1] for branch in source["source"]["oneOf"]]
    enums = {ref: openapi_schema()["components"]["schemas"][ref]["enum"] for ref in refs}
    assert "" not in [value for values in enums.values() for value in values], enums


def test_a_bulk_body_is_required():
    """``POST todos`` without a body was valid by the schema and answered 400."""
    paths = openapi_schema()["paths"]
    for path in (f"{DC}/todos", f"{DC}/fragments"):
        assert paths[path]["post"]["requestBody"]["required"] is True, path


@pytest.mark.django_db
def test_a_post_without_a_required_body_is_400(client_for, user):
    assert_error_shape(client_for(user).post(f"{DC}/todos"), 400)


URLS = [
    ("https://example.com", True),
    ("http://a.example.org:8080/path?q=1#top", True),
    ("https://xn--bcher-kva.example/b%C3%BCcher", True),
    ("https://a", False),  # no top-level domain: format uri allows it, Django does not
    ("https://localhost.1", False),
    ("ftp://example.com/file", False),  # Django would take it; the API keeps to http(s)
    ("mailto:ada@example.com", False),
    ("a:b", False),
    ("https://example.com/with space", False),
    ("https://example.com\n", False),
    ("https://-bad.example.com", False),
    ("https://" + "a" * 64 + ".com", False),  # a label is at most 63 characters
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "valid"), URLS)
def test_a_url_is_what_its_schema_pattern_says(client_for, user, url, valid):
    """``format: uri`` admits URLs Django's validator refuses (schemathesis sent them and got
    400 on three operations): the schema states the pattern the API checks, and everything
    the pattern admits Django stores."""
    from django.core.validators import URLValidator

    schema = openapi_schema()["components"]["schemas"]["PatchedMeRequest"]["properties"]
    branch = next(b for b in schema["avatar_url"]["oneOf"] if "pattern" in b)
    assert "format" not in branch
    assert jsonschema_rs.Draft4Validator(branch).is_valid(url) == valid  # as schemathesis reads it
    response = client_for(user).patch("/api/v1/me", {"avatar_url": url}, format="json")
    if valid:
        assert response.status_code == 200, response.content
        URLValidator()(url)
    else:
        assert_error_shape(response, 400, "invalid")
        user.refresh_from_db()
        assert user.avatar_url != url


def test_uploads_document_the_types_they_take():
    """The file was ``format: binary`` of any type; the API takes text, Markdown or PDF."""
    from dreamcatcher.services.parsing import ALLOWED_TYPES

    body = openapi_schema()["paths"][f"{DC}/documents"]["post"]["requestBody"]
    encoding = body["content"]["multipart/form-data"]["encoding"]["file"]["contentType"]
    assert set(encoding.split(", ")) == set(ALLOWED_TYPES)


@pytest.mark.django_db
def test_a_todo_move_the_current_status_forbids_is_a_documented_409(client_for, user, dream):
    from dreamcatcher.tests.factories import TodoFactory

    todo = TodoFactory(dream=dream, status="completed")
    response = client_for(user).patch(f"{DC}/todos/{todo.pk}", {"status": "pending"})
    assert_error_shape(response, 409, "invalid_transition")
    assert "409" in openapi_schema()["paths"][f"{DC}/todos/{{id}}"]["patch"]["responses"]


@pytest.mark.django_db
def test_deleting_the_account_person_is_a_documented_409(client_for, user):
    response = client_for(user).delete(f"{PK}/persons/{user.pk}")
    assert_error_shape(response, 409, "account_person")
    assert "409" in openapi_schema()["paths"][f"{PK}/persons/{{id}}"]["delete"]["responses"]


def _mapper_configuration_schema() -> jsonschema_rs.Draft4Validator:
    schemas = openapi_schema()["components"]["schemas"]
    return jsonschema_rs.Draft4Validator(
        schemas["PersonakitMapperConfigRequest"]["properties"]["configuration"]
    )


def _config(*conditions, **rule):
    return {
        "metadata": {"name": "m"},
        "rules": [
            {
                "id": "r",
                "conditions": {"all": list(conditions)},
                "actions": [{"template": "Do it", "priority": "high"}],
                **rule,
            }
        ],
    }


def _check(operator, **value):
    return {"type": "trait_check", "trait": "work.focus", "operator": operator, **value}


def _nested(depth):
    group = {"any": [_check("exists")]}
    for _ in range(depth - 1):
        group = {"all": [group]}
    return group


MAPPER_CONFIGURATIONS = [
    _config(_check("equals", value="x")),
    _config(_check("equals", value=None)),
    _config(_check("exists")),
    _config(_check("exists", value=False)),
    _config(_check("exists", value="yes")),
    _config(_check("in", value=[1, "a"])),
    _config(_check("in", value="a")),
    _config(_check("in")),
    _config(_check("gt", value=1.5)),
    _config(_check("lte", value=True)),
    _config(_check("contains", value={"a": 1})),
    _config(_check("like", value=1)),
    _config(_check("equals", value=1, extra=True)),
    _config({"type": "trait_check", "trait": "work..focus", "operator": "exists"}),
    _config({"type": "trait_check", "trait": "work.\u3000", "operator": "exists"}),
    _config({"type": "trait_check", "trait": "\x1c", "operator": "exists"}),
    _config({"type": "trait_check", "trait": "\ufeff", "operator": "exists"}),
    _config({"type": "regex", "trait": "a", "operator": "exists"}),
    _config(_nested(5)["all"][0]),
    _config(_nested(6)["all"][0]),
    _config({"all": [_check("exists")], "any": [_check("exists")]}),
    _config({"all": []}),
    _config({"nope": 1}),
    _config(_check("exists"), id=" \t"),
    _config(_check("exists"), id="\x1f"),
    _config(_check("exists"), actions=[]),
    _config(_check("exists"), actions=[{"template": "t", "priority": "urgent"}]),
    _config(_check("exists"), actions=[{"template": "t", "priority": "low", "type": ""}]),
    _config(_check("exists"), actions=[{"template": "\u2028", "priority": "low"}]),
    {**_config(_check("exists")), "metadata": {"ttl_hours": 0}},
    {**_config(_check("exists")), "metadata": {"ttl_hours": 0.5, "name": "n", "x": [1]}},
    {**_config(_check("exists")), "metadata": {"ttl_hours": 24 * 366}},
    {**_config(_check("exists")), "metadata": {"author": 1}},
    {**_config(_check("exists")), "extra": 1},
    {"metadata": {}, "rules": []},
    {"rules": _config(_check("exists"))["rules"]},
]


@pytest.mark.parametrize("configuration", MAPPER_CONFIGURATIONS)
def test_a_mapper_configuration_is_valid_by_the_schema_exactly_when_the_api_takes_it(
    configuration,
):
    """The schema said ``rules`` holds objects; the API checks every rule's shape (400s on
    schema-valid rules). Now the schema is the grammar ``mapper_validate`` checks."""
    from django.core.exceptions import ValidationError

    from personakit.services.mappers import mapper_validate

    try:
        mapper_validate(configuration)
        taken = True
    except ValidationError:
        taken = False
    assert _mapper_configuration_schema().is_valid(configuration) == taken


def test_only_the_uniqueness_of_rule_ids_is_not_in_the_mapper_schema():
    from django.core.exceptions import ValidationError

    from personakit.services.mappers import mapper_validate

    configuration = _config(_check("exists"))
    configuration["rules"].append(configuration["rules"][0])
    assert _mapper_configuration_schema().is_valid(configuration)
    with pytest.raises(ValidationError) as error:
        mapper_validate(configuration)
    assert error.value.error_dict["configuration.rules.1.id"][0].code == "unique"


def _text_fields():
    from dreamcatcher.api.dreams import DreamSerializer
    from dreamcatcher.api.fragments import FragmentSerializer
    from dreamcatcher.api.todos import TodoSerializer
    from personakit.api.persons import PersonSerializer
    from personakit.services.observations import UserInputContent

    return [
        ("DreamcatcherDreamRequest", "title", DreamSerializer),  # single line, not blank
        ("PersonakitPersonRequest", "display_name", PersonSerializer),  # single line, blank
        ("DreamcatcherFragmentRequest", "content", FragmentSerializer),  # multi-line, not blank
        ("DreamcatcherTodoRequest", "description", TodoSerializer),  # multi-line, blank
        ("PersonakitUserInputContentRequest", "text", UserInputContent),  # DRF's own CharField
    ]


TEXTS = ["a", " a ", "a b", "", " ", "  ", "\t", "\ta", "a\n", "a\nb", "\u3000", "\ufeff",
         "\x1c", "\x85", "\u2028", "a\u202eb", "\x1b[31mred", "名前", "\xa0x\xa0"]  # fmt: skip


@pytest.mark.parametrize(("component", "name", "serializer"), _text_fields())
def test_text_is_valid_by_the_schema_exactly_when_the_field_takes_it(component, name, serializer):
    """The schema said minLength 1 where DRF trims "  " to "" and refuses it as blank, and an
    api-key name "\\tname" matched no pattern yet was taken (trimmed): the schema's pattern
    and the field now agree on every kind of text."""
    from rest_framework.exceptions import ValidationError

    schema = openapi_schema()["components"]["schemas"][component]["properties"][name]
    validator = jsonschema_rs.Draft4Validator(schema)
    field = serializer().fields[name]
    for text in TEXTS:
        try:
            field.run_validation(text)
            taken = True
        except ValidationError:
            taken = False
        assert validator.is_valid(text) == taken, (text, taken)


@pytest.mark.django_db
def test_a_single_line_name_with_a_control_character_at_its_end_is_refused(client_for, user):
    key = api_key_issue(user=user, data={"name": "laptop"})
    response = client_for(user).put(f"{PK}/api-keys/{key.pk}", {"name": "\tdesk"}, format="json")
    assert_error_shape(response, 400, "control_characters_not_allowed")
    key.refresh_from_db()
    assert key.name == "laptop"


def test_an_observation_schema_pairs_each_type_with_its_content():
    """The schema took any ``observation_type`` with any content shape (and unknown content
    fields): each pairing the API refuses was valid by the schema."""
    from personakit.services.observations import CONTENT_SHAPES

    schemas = openapi_schema()["components"]["schemas"]
    variants = [
        ref["$ref"].rsplit("/", 1)[1] for ref in schemas["PersonakitObservationRequest"]["oneOf"]
    ]
    pairs = {}
    for variant in variants:
        properties = schemas[variant]["properties"]
        kind = schemas[properties["observation_type"]["$ref"].rsplit("/", 1)[1]]["enum"]
        content = schemas[properties["content"]["$ref"].rsplit("/", 1)[1]]
        assert content["additionalProperties"] is False
        pairs[kind[0]] = set(content["properties"])
    assert pairs == {kind: set(shape().fields) for kind, shape in CONTENT_SHAPES.items()}


@pytest.mark.django_db
def test_an_observation_of_one_type_with_anothers_content_is_400(client_for, user):
    from personakit.models import Observation

    payload = {
        "person_id": str(user.pk),
        "observation_type": "user_input",
        "content": {"duration_minutes": 30},
    }
    assert_error_shape(client_for(user).post(f"{PK}/observations", payload, format="json"), 400)
    assert not Observation.objects.filter(person_id=user.pk).exists()
