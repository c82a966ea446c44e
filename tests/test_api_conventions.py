"""The conventions every endpoint inherits: errors, pagination, throttling, /me, health."""

import pytest
from django.db import IntegrityError
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.request import Request

from config.api.pagination import CursorPagination, PageNumberPagination
from config.api.viewsets import CallerReadOnlyViewSet
from config.testing import assert_error_shape
from personakit.models import ApiKey
from personakit.services.api_keys import api_key_issue


class ExplodingViewSet(viewsets.ViewSet):
    def list(self, request):
        raise RuntimeError("boom")

    def create(self, request):
        raise IntegrityError('duplicate key value violates unique constraint "x"\nDETAIL: ...')


class KeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "created_at"]


class KeysByCursor(CallerReadOnlyViewSet):
    queryset = ApiKey.objects.all()
    serializer_class = KeySerializer
    pagination_class = CursorPagination


urlpatterns = [
    path("boom", ExplodingViewSet.as_view({"get": "list", "post": "create"})),
    path("cursor", KeysByCursor.as_view({"get": "list"})),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_unhandled_error_is_500_json_and_rolls_back(client_for, user):
    client = client_for(user)
    client.raise_request_exception = False
    assert_error_shape(client.get("/boom"), 500, "server_error")


@pytest.mark.urls(__name__)
def test_database_constraint_violation_is_400_not_500(client_for, user):
    body = assert_error_shape(client_for(user).post("/boom", {}, format="json"), 400)
    assert "duplicate key" in body["message"]


def test_page_size_follows_the_query(client_for, user):
    client = client_for(user)
    for index in range(3):
        api_key_issue(user=user, data={"name": f"k{index}"})
    body = client.get("/api/v1/personakit/api-keys?page_size=1").json()
    assert (len(body["results"]), body["count"]) == (1, 4)


@pytest.mark.parametrize("paginator", [PageNumberPagination, CursorPagination])
def test_page_size_is_capped_at_1000(rf, paginator):
    request = Request(rf.get("/", {"page_size": "100000"}))
    assert paginator().get_page_size(request) == 1000


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/personakit/api-keys?page=1&page=2", "page"),  # was 200, page 2
        ("/api/v1/personakit/api-keys?page_size=1&page_size=2", "page_size"),
        ("/cursor?cursor=a&cursor=b", "cursor"),
    ],
)
def test_a_paging_parameter_given_twice_is_400(client_for, user, url, parameter):
    body = assert_error_shape(client_for(user).get(url), 400, "repeated")
    assert body["field"] == parameter


@pytest.mark.urls(__name__)
def test_cursor_pagination_walks_every_row_once(client_for, user):
    made = {str(api_key_issue(user=user, data={"name": f"k{index}"}).pk) for index in range(7)}
    client = client_for(user)
    seen, url = [], "/cursor?page_size=3"
    while url:
        body = client.get(url).json()
        assert "count" not in body  # no COUNT(*)
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen))
    assert made <= set(seen)


def test_ordering_and_filtering(client_for, user):
    for name in ("b", "a", "c"):
        api_key_issue(user=user, data={"name": name})
    client = client_for(user)
    names = [
        row["name"]
        for row in client.get("/api/v1/personakit/api-keys?ordering=name").json()["results"]
    ]
    assert names[:3] == ["a", "b", "c"]
    filtered = client.get("/api/v1/personakit/api-keys?name=b").json()["results"]
    assert [row["name"] for row in filtered] == ["b"]


def test_throttling_is_per_key(settings, user):
    from rest_framework.test import APIClient

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "3/min"},
    }
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_issue(user=user).raw_key}")
    second.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_issue(user=user).raw_key}")
    for _ in range(3):
        assert first.get("/api/v1/me").status_code == 200
    throttled = first.get("/api/v1/me")
    assert_error_shape(throttled, 429, "throttled")
    assert int(throttled["Retry-After"]) > 0
    assert second.get("/api/v1/me").status_code == 200


def test_me_reads_and_updates_own_profile(client_for, user):
    client = client_for(user)
    body = client.get("/api/v1/me").json()
    assert body["id"] == str(user.pk)
    assert body["email"] == user.email
    assert "password" not in body
    updated = client.patch("/api/v1/me", {"full_name": "Ada", "preferences": {"theme": "dark"}})
    assert updated.status_code == 200
    user.refresh_from_db()
    assert (user.full_name, user.preferences) == ("Ada", {"theme": "dark"})


def test_me_cannot_change_identity_or_take_bad_preferences(client_for, user):
    client = client_for(user)
    client.patch("/api/v1/me", {"username": "root", "email": "root@example.com"})
    user.refresh_from_db()
    assert user.username != "root"
    assert_error_shape(client.patch("/api/v1/me", {"preferences": [1, 2]}), 400)


def test_session_auth_serves_the_browsable_api(client, user):
    client.force_login(user)
    response = client.get("/api/v1/me", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content.lower()


def test_healthz_reports_every_dependency(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert checks["database"]["ok"]
    assert checks["database"]["pgvector"].startswith("0.8")
    assert checks["redis"]["ok"]
    assert checks["migrations"] == {"ok": True, "pending": []}


def test_healthz_is_503_when_redis_is_unreachable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["redis"]["ok"]
    assert response.json()["checks"]["database"]["ok"]


def test_readyz(client, db):
    assert client.get("/readyz").status_code == 200


def test_schema_and_docs(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "ApiKeyAuth" in spec["components"]["securitySchemes"]
    assert "/api/v1/me" in spec["paths"]
    assert client.get("/api/docs/").status_code == 200
