"""The OpenAPI schema: valid, generated without a warning, one component per name."""

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from rest_framework import serializers
from rest_framework.viewsets import GenericViewSet

from config.api.schema import app_prefix


def test_schema_generates_valid_and_without_warnings(tmp_path):
    """A warning is how drf-spectacular reports two components with one name (it keeps one)."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    components = yaml.safe_load(out.read_text())["components"]["schemas"]
    app_names = {app.capitalize() for app in settings.LUCID_APPS}
    prefixed = {name for name in components if any(p in name for p in app_names)}
    assert {"DreamcatcherDream", "PersonakitNarrative"} <= prefixed


def test_two_apps_same_serializer_name_are_two_components():
    """``Dream`` in Dreamcatcher and in Dreamshot: named by their apps, never merged."""
    first = type("DreamSerializer", (serializers.Serializer,), {"__module__": "dreamcatcher.api"})
    second = type("DreamSerializer", (serializers.Serializer,), {"__module__": "dreamshot.api"})
    view = type("View", (GenericViewSet,), {"__module__": "config.api.views"})()
    assert app_prefix(first(), view) == "Dreamcatcher"
    assert app_prefix(second(), view) == "Dreamshot"


def test_a_collision_fails_generation(tmp_path, settings):
    """The guard above would see it: two serializers named alike in one app are a warning."""
    settings.ROOT_URLCONF = "tests.openapi_collision_urls"
    with pytest.raises(CommandError):
        call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_operation_documents_its_errors_in_the_one_shape():
    """Errors are part of the contract: 401/403/429 everywhere, 400 where input is taken,
    404 where a path names a row, 413/415 where a body is sent, all as ``Error``."""
    from config.testing import openapi_schema

    schema = openapi_schema()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "field", "errors"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "403", "429"}
            if method in {"post", "put", "patch"}:
                expected.add("400")
            if "requestBody" in operation:
                expected |= {"413", "415"}
            if "{" in path:
                expected.add("404")
            assert expected <= set(responses), (method, path, sorted(responses))
            for code, response in responses.items():
                if code.startswith("4"):
                    shape = response["content"]["application/json"]["schema"]["$ref"]
                    assert shape.rsplit("/", 1)[1] in {"Error", "Conflict"}, (method, path, code)


def test_bulk_bodies_say_how_many_items_they_take(client_for, user):
    """An empty list is refused, so the schema says so (schemathesis generated ``[]``)."""
    from config.testing import assert_error_shape, openapi_schema

    body = openapi_schema()["components"]["schemas"]["DreamcatcherTodoOneOrManyRequest"]
    array = next(variant for variant in body["oneOf"] if variant.get("type") == "array")
    assert (array["minItems"], array["maxItems"]) == (1, 1000)
    response = client_for(user).post("/api/v1/dreamcatcher/todos", [], format="json")
    assert_error_shape(response, 400)
