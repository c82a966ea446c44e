"""The edges of the URL space: every answer under ``/api/`` is the API's, not Django's page.

An unmatched ``/api/`` path is the JSON 404 whatever the method and ``DEBUG``; a path that
differs from a route only by its trailing slash is a 308 to the route (method, body and
query kept); ``/api/v1/`` is a public root naming every app's resources. Paths outside
``/api/`` keep Django's own pages.
"""

import pytest
from django.test import Client

from config.testing import ApiViewContract, assert_error_shape
from dreamcatcher.tests.factories import DreamFactory

UNMATCHED = [
    "/api/v1/nope",
    "/api/v1/..%2F..",
    "/api/v1/dreamcatcher/dreams/..%2F..%2F..%2Fadmin",
    "/api/v1/dreamcatcher/nope/",
    "/api/nope",
    "/api/v2/dreamcatcher/dreams",
]


class TestApiRoot(ApiViewContract):
    route = "api:root"

    def test_without_key_is_401(self, api_client, user):
        """Overrides the contract: the root is public, as ``/api/schema/`` and the docs are
        (it names routes, never a caller's data), so the URL ``make run`` prints works in a
        browser."""
        response = api_client.get(self.url(user))
        assert response.status_code == 200
        assert response.json()["me"] == "http://testserver/api/v1/me"

    def test_a_wrong_key_is_still_401(self, api_client, user):
        api_client.credentials(HTTP_AUTHORIZATION="Api-Key not-a-key")
        assert_error_shape(api_client.get(self.url(user)), 401)

    def test_names_every_apps_resources_by_absolute_url(self, client_for, user, settings):
        root = client_for(user).get(self.url(user)).json()
        assert set(settings.LUCID_APPS) <= set(root)
        dreamcatcher, personakit = root["dreamcatcher"], root["personakit"]
        assert dreamcatcher["dreams"] == "http://testserver/api/v1/dreamcatcher/dreams"
        assert dreamcatcher["sync-status"] == "http://testserver/api/v1/dreamcatcher/sync-status"
        assert personakit["api-keys"] == "http://testserver/api/v1/personakit/api-keys"
        # A route that needs a parameter is named as a template; detail routes are not listed.
        assert personakit["mindscapes/{person_id}"].endswith("/personakit/mindscapes/{person_id}")
        assert not any("{pk}" in path for app in settings.LUCID_APPS for path in root[app])

    def test_every_listed_url_is_a_route(self, client_for, user, settings):
        client = client_for(user)
        root = client.get(self.url(user)).json()
        urls = [root["me"], *(url for app in settings.LUCID_APPS for url in root[app].values())]
        for url in urls:
            if "{" not in url:
                # POST-only routes answer 405 to a GET, a search without its query 400, a
                # staff-only report 403 to others; what matters is that none is a 404.
                assert client.get(url).status_code in (200, 400, 403, 405), url


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("path", UNMATCHED)
def test_an_unmatched_api_path_is_the_json_404(api_client, user, client_for, settings, path, debug):
    settings.DEBUG = debug
    assert_error_shape(api_client.get(path), 404, "not_found")
    assert_error_shape(client_for(user).get(path), 404, "not_found")


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options", "head"])
def test_an_unmatched_api_path_is_the_json_404_for_every_method(db, settings, method):
    """No CSRF page either: a browser's session POST to a wrong URL still gets the JSON 404."""
    settings.DEBUG = True
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/dreamcatcher/nope")
    assert response.status_code == 404
    if method != "head":
        assert_error_shape(response, 404, "not_found")


@pytest.fixture
def dream(user):
    return DreamFactory(user=user)


@pytest.mark.parametrize(
    "route",
    [
        "/api/v1/dreamcatcher/dreams",
        "/api/v1/dreamcatcher/dreams/{dream}",
        "/api/v1/dreamcatcher/dreams/{dream}/statistics",
        "/api/v1/dreamcatcher/sync-status",
        "/api/v1/personakit/mindscapes/{user}",
        "/api/v1/me",
    ],
    ids=["list", "detail", "action", "plain-view", "plain-view-with-parameter", "me"],
)
def test_a_trailing_slash_redirects_to_the_route(client_for, user, dream, route):
    client = client_for(user)
    canonical = route.format(dream=dream.pk, user=user.pk)
    response = client.get(f"{canonical}/?page_size=1")
    assert response.status_code == 308
    assert response["Location"] == f"{canonical}?page_size=1"
    assert client.get(f"{canonical}/", follow=True).status_code == 200


def test_a_redirected_write_keeps_its_method_and_body(client_for, user):
    client = client_for(user)
    response = client.post("/api/v1/dreamcatcher/dreams/", {"title": "Treehouse"}, format="json")
    assert response.status_code == 308
    created = client.post("/api/v1/dreamcatcher/dreams/", {"title": "Treehouse"}, follow=True)
    assert created.status_code == 201, created.content
    assert created.json()["title"] == "Treehouse"


def test_the_root_and_the_docs_take_their_slash(api_client, db):
    for path in ("/api/v1", "/api/docs", "/api/schema", "/api/redoc"):
        response = api_client.get(path)
        assert response.status_code == 308, path
        assert response["Location"] == f"{path}/"


def test_a_method_the_route_lacks_is_the_json_405(client_for, user, dream):
    client = client_for(user)
    assert_error_shape(client.delete("/api/v1/me"), 405, "method_not_allowed")
    assert_error_shape(client.put("/api/v1/dreamcatcher/dreams", {}), 405, "method_not_allowed")
    assert_error_shape(
        client.post(f"/api/v1/dreamcatcher/dreams/{dream.pk}/statistics"), 405, "method_not_allowed"
    )


def test_a_disallowed_host_is_the_json_400_under_api(api_client, db):
    assert_error_shape(api_client.get("/api/v1/", HTTP_HOST="evil.example"), 400, "bad_request")
    page = Client().get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_long_urls_and_headers_reach_django_as_api_answers(api_client, client_for, user):
    """Gunicorn answers 414 (request line over 4094 bytes) and 431 (a header over 8190 bytes,
    or more than 100) itself, before Django runs, so those cannot be in the API's shape.
    Django sets no limit of its own on URL or header length: just under gunicorn's limits,
    a long path is the JSON 404, a long key the JSON 401 and a long unknown header ignored.
    """
    assert_error_shape(api_client.get("/api/v1/dreamcatcher/" + "x" * 4000), 404, "not_found")
    assert_error_shape(api_client.get(f"/api/v1/me?{'q=1&' * 900}"), 401)
    api_client.credentials(HTTP_AUTHORIZATION="Api-Key " + "k" * 8000)
    assert_error_shape(api_client.get("/api/v1/me"), 401)
    assert client_for(user).get("/api/v1/me", HTTP_X_PADDING="p" * 8000).status_code == 200


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_other_paths_keep_djangos_pages(client, db, settings, debug):
    settings.DEBUG = debug
    for path in ("/nope", "/apiv1/nope", "/healthz/nope"):
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("text/html"), path
