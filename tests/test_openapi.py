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
