"""``/api/docs/`` (Swagger UI) and ``/api/redoc/`` work offline: every asset they reference
is a static file of the installed ``drf-spectacular-sidecar``, served by WhiteNoise, and no
page names another host (no CDN, no web fonts)."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

DOCS = ["/api/docs/", "/api/redoc/"]


def assets_of(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def assert_offline(client: Client, path: str) -> list[str]:
    """The page names no other host, and each asset it references is served."""
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.content.decode()
    hosts = set(re.findall(r"(?:https?:)?//([\w.-]+[\w])", page))
    assert hosts <= {"testserver"}, (path, hosts)
    assets = assets_of(page)
    assert any(asset.endswith(".js") for asset in assets), (path, assets)
    for asset in assets:
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content), asset
    return assets


@pytest.mark.parametrize("path", DOCS)
def test_docs_are_served_from_the_installed_package(db, settings, path):
    """``make run`` (``DEBUG`` on): WhiteNoise serves the packages' static files directly."""
    settings.DEBUG = True  # WhiteNoise reads it when the client's handler is built
    assets = assert_offline(Client(), path)
    if path == "/api/docs/":
        assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets


def test_docs_are_served_after_collectstatic_in_production(db, settings, tmp_path):
    """Production (``DEBUG`` off): the assets come out of ``collectstatic``'s hashed,
    compressed copies; the pages reference those names and WhiteNoise serves them."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()
    for path in DOCS:
        assets = assert_offline(client, path)
        assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", asset) for asset in assets), assets


def test_the_schema_they_load_is_served_here(client, db):
    for path in DOCS:
        assert "/api/schema/" in client.get(path).content.decode()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
