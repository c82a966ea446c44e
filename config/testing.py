"""The generic API contract every viewset route gets (as NetBox's ``utilities/testing/api.py``).

An app's test declares data only::

    class TestApiKeyApi(ApiContract):
        route = "api:personakit:api-key"
        valid_payload = {"name": "ci"}
        update_payload = {"name": "renamed"}
        invalid_payload = {"name": "x" * 200}

        def make(self, owner):
            return api_key_issue(user=owner)

and inherits tests for: 401 without a key, create (the stored row read back equals the
payload, owned by the caller), bulk create where the viewset takes lists (all or nothing),
retrieve/update/delete by the owner, a list whose query count does not grow with its rows,
404 for another user's row (retrieve, update, delete; the row unchanged) and its absence
from their list, 400 in the error shape with nothing written for a bad or unparsable
payload, and the route's presence in the OpenAPI schema. Actions the viewset does not
offer are skipped. Rows owned through another row (a person's narratives) declare
``owner_lookup = "person__owner"``; rows every caller shares declare ``shared_rows = True``.
Plain ``APIView`` routes declare an ``ApiViewContract``. ``tests/test_api_contract_coverage.py``
fails for any route under ``/api/v1/`` without one.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any, ClassVar

import pytest
from django.db.models import Model
from django.urls import reverse
from rest_framework.test import APIClient

ERROR_KEYS = {"code", "message", "field", "errors"}
CRUD_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")


def assert_error_shape(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is ``status`` with the API's one error shape (and ``code``, if given)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) >= ERROR_KEYS, body
    assert body["errors"], body
    assert all({"code", "message", "field"} <= set(error) for error in body["errors"]), body
    if code is not None:
        assert body["code"] == code, body
    return body


@functools.cache
def openapi_schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def openapi_paths() -> dict[str, Any]:
    return openapi_schema()["paths"]


@pytest.mark.django_db
class ApiContract:
    """Subclass with ``route`` and payloads, and implement ``make(owner)``."""

    route: ClassVar[str]  # URL name without "-list"/"-detail", e.g. "api:personakit:api-key"
    valid_payload: ClassVar[dict[str, Any]]
    update_payload: ClassVar[dict[str, Any]]
    invalid_payload: ClassVar[dict[str, Any]]
    lookup_field: ClassVar[str] = "pk"
    payload_format: ClassVar[str] = "json"  # "multipart" for upload endpoints
    owner_lookup: ClassVar[str | None] = None  # default: the viewset's ``owner_field``
    shared_rows: ClassVar[bool] = False  # rows every caller reads (brands, mapper configs)

    def make(self, owner: Any) -> Model:
        """Create a row owned by ``owner`` (through the app's factory or service)."""
        raise NotImplementedError

    # --- helpers --------------------------------------------------------------------------

    @classmethod
    def viewset(cls) -> type:
        from django.urls import resolve

        return resolve(reverse(f"{cls.route}-list")).func.cls

    @classmethod
    def offers(cls, action: str) -> bool:
        return hasattr(cls.viewset(), action)

    def require(self, action: str) -> None:
        if not self.offers(action):
            pytest.skip(f"{self.route} offers no {action}")

    def list_url(self) -> str:
        return reverse(f"{self.route}-list")

    def detail_url(self, row: Model) -> str:
        return reverse(f"{self.route}-detail", args=[getattr(row, self.lookup_field)])

    def model(self) -> type[Model]:
        return self.viewset().queryset.model

    @staticmethod
    def ids_in(response: Any) -> set[str]:
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        return {str(row["id"]) for row in rows}

    def owner_of_rows(self) -> str:
        lookup = self.owner_lookup or getattr(self.viewset(), "owner_field", None)
        assert lookup, f"{type(self).__name__}: declare owner_lookup (or shared_rows = True)"
        return lookup

    def stored_payload(self) -> dict[str, Any]:
        """The payload fields a read shows back as sent (files are not shown back)."""
        return {
            key: value for key, value in self.valid_payload.items() if not hasattr(value, "read")
        }

    @staticmethod
    def snapshot(row: Model) -> dict[str, Any]:
        fresh = type(row).objects.get(pk=row.pk)
        return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.fields}

    # --- authentication -------------------------------------------------------------------

    def test_list_without_key_is_401(self, api_client: APIClient) -> None:
        assert_error_shape(api_client.get(self.list_url()), 401, "not_authenticated")

    def test_detail_without_key_is_401(self, api_client: APIClient, user: Any) -> None:
        self.require("retrieve")
        assert_error_shape(api_client.get(self.detail_url(self.make(user))), 401)

    def test_wrong_key_is_401(self, api_client: APIClient) -> None:
        api_client.credentials(HTTP_AUTHORIZATION="Api-Key lucid_000000000000_wrong")
        assert_error_shape(api_client.get(self.list_url()), 401, "invalid_api_key")

    # --- the owner's CRUD -----------------------------------------------------------------

    def test_list_queries_do_not_grow_with_rows(self, client_for: Any, user: Any) -> None:
        """No N+1: a page of five rows costs the same queries as a page of one."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(user)
        self.make(user)
        client.get(self.list_url())  # warm-up: the key's once-a-minute last_used_at write
        with CaptureQueriesContext(connection) as one_row:
            assert client.get(self.list_url()).status_code == 200
        for _ in range(4):
            self.make(user)
        with CaptureQueriesContext(connection) as five_rows:
            assert client.get(self.list_url()).status_code == 200
        assert len(five_rows) == len(one_row), [query["sql"] for query in five_rows]

    def test_list_shows_own_rows(self, client_for: Any, user: Any) -> None:
        row = self.make(user)
        response = client_for(user).get(self.list_url())
        assert response.status_code == 200, response.content
        assert str(row.pk) in self.ids_in(response)

    def test_create(self, client_for: Any, user: Any) -> None:
        """The row is stored as sent, owned by the caller; a read shows it back."""
        self.require("create")
        client = client_for(user)
        before = self.model().objects.count()
        response = client.post(self.list_url(), self.valid_payload, format=self.payload_format)
        assert response.status_code == 201, response.content
        assert self.model().objects.count() == before + 1
        created = self.model().objects.get(pk=response.json()["id"])
        if not self.shared_rows:
            owned = self.model().objects.filter(pk=created.pk, **{self.owner_of_rows(): user})
            assert owned.exists(), f"the created row is not owned by the caller ({created})"
        if self.offers("retrieve"):
            stored = client.get(self.detail_url(created)).json()
            for field, sent in self.stored_payload().items():
                assert same_value(stored[field], sent), (field, stored[field], sent)

    def test_bulk_create_is_all_or_nothing(self, client_for: Any, user: Any) -> None:
        """Where a list is taken: every item made, or none with errors at ``<index>.<field>``."""
        self.require("create")
        if getattr(self.viewset().writes, "bulk_create", None) is None:
            pytest.skip(f"{self.route} takes no lists")
        client = client_for(user)
        before = self.model().objects.count()
        items = [self.valid_payload, self.valid_payload]
        response = client.post(self.list_url(), items, format="json")
        assert response.status_code == 201, response.content
        assert len(response.json()) == 2
        assert self.model().objects.count() == before + 2
        response = client.post(self.list_url(), [self.valid_payload, self.invalid_payload])
        body = assert_error_shape(response, 400)
        assert str(body["field"]).startswith("1."), body
        assert_error_shape(client.post(self.list_url(), [], format="json"), 400)
        too_many = [self.valid_payload] * (self.viewset().max_bulk_items + 1)
        assert_error_shape(client.post(self.list_url(), too_many, format="json"), 400)
        assert self.model().objects.count() == before + 2

    def test_retrieve_own(self, client_for: Any, user: Any) -> None:
        self.require("retrieve")
        row = self.make(user)
        response = client_for(user).get(self.detail_url(row))
        assert response.status_code == 200, response.content
        assert str(response.json()["id"]) == str(row.pk)

    def test_update_own(self, client_for: Any, user: Any) -> None:
        self.require("partial_update")
        row = self.make(user)
        client = client_for(user)
        response = client.patch(self.detail_url(row), self.update_payload, format="json")
        assert response.status_code == 200, response.content
        reread = client.get(self.detail_url(row)).json()
        for field, value in self.update_payload.items():
            assert reread[field] == value, (field, reread[field], value)

    def test_delete_own(self, client_for: Any, user: Any) -> None:
        self.require("destroy")
        row = self.make(user)
        client = client_for(user)
        assert client.delete(self.detail_url(row)).status_code == 204
        assert_error_shape(client.get(self.detail_url(row)), 404, "not_found")

    # --- another user's rows do not exist for the caller ----------------------------------

    def test_other_users_row_absent_from_list(self, client_for: Any, user: Any, other_user: Any):
        row = self.make(other_user)
        response = client_for(user).get(self.list_url())
        assert response.status_code == 200
        assert str(row.pk) not in self.ids_in(response)

    def test_other_users_row_is_404(self, client_for: Any, user: Any, other_user: Any) -> None:
        row = self.make(other_user)
        before = self.snapshot(row)
        client = client_for(user)
        url = self.detail_url(row)
        if self.offers("retrieve"):
            assert_error_shape(client.get(url), 404, "not_found")
        if self.offers("partial_update"):
            assert_error_shape(client.patch(url, self.update_payload, format="json"), 404)
        if self.offers("update"):
            assert_error_shape(client.put(url, self.valid_payload, format="json"), 404)
        if self.offers("destroy"):
            assert_error_shape(client.delete(url), 404)
        assert self.snapshot(row) == before

    # --- bad input is a 400 that changes nothing ------------------------------------------

    def test_invalid_payload_is_400_and_writes_nothing(self, client_for: Any, user: Any) -> None:
        self.require("create")
        client = client_for(user)
        before = self.model().objects.count()
        response = client.post(self.list_url(), self.invalid_payload, format=self.payload_format)
        body = assert_error_shape(response, 400)
        assert body["field"] is not None or body["code"] != "invalid", body
        assert self.model().objects.count() == before

    def test_invalid_update_is_400_and_changes_nothing(self, client_for: Any, user: Any) -> None:
        self.require("partial_update")
        row = self.make(user)
        before = self.snapshot(row)
        response = client_for(user).patch(self.detail_url(row), self.invalid_payload, format="json")
        assert_error_shape(response, 400)
        assert self.snapshot(row) == before

    def test_unparsable_body_is_400(self, client_for: Any, user: Any) -> None:
        self.require("create")
        client = client_for(user)
        before = self.model().objects.count()
        response = client.generic(
            "POST", self.list_url(), "{not json", content_type="application/json"
        )
        assert_error_shape(response, 400, "parse_error")
        assert self.model().objects.count() == before

    # --- documented -----------------------------------------------------------------------

    def test_in_openapi_schema(self) -> None:
        paths = openapi_paths()
        list_path = self.list_url()
        assert list_path in paths, sorted(paths)
        documented = set(paths[list_path])
        assert "get" in documented
        if self.offers("create"):
            assert "post" in documented
        if self.offers("retrieve"):
            detail = next((p for p in paths if p.startswith(f"{list_path}/{{")), None)
            assert detail is not None, f"no detail path for {list_path}"


def same_value(shown: Any, sent: Any) -> bool:
    """Whether a read shows back what was sent (ids and instants compare by value)."""
    if shown == sent or str(shown) == str(sent):
        return True
    try:
        return datetime.fromisoformat(str(shown)) == datetime.fromisoformat(str(sent))
    except ValueError:
        return False


@pytest.mark.django_db
class ApiViewContract:
    """The contract of a plain ``APIView`` route: declare ``route`` and ``url_kwargs(owner)``.

    Inherits: 401 without a key for every method it offers, 200 for the owner's GET, and
    every method in the OpenAPI schema.
    """

    route: ClassVar[str]  # URL name, e.g. "api:dreamcatcher:activity"

    def url_kwargs(self, owner: Any) -> dict[str, Any]:
        return {}

    def url(self, owner: Any) -> str:
        return reverse(self.route, kwargs=self.url_kwargs(owner))

    def methods(self, owner: Any) -> list[str]:
        from django.urls import resolve

        view = resolve(self.url(owner)).func.cls
        return [
            method for method in ("get", "post", "put", "patch", "delete") if hasattr(view, method)
        ]

    def test_without_key_is_401(self, api_client: APIClient, user: Any) -> None:
        for method in self.methods(user):
            response = getattr(api_client, method)(self.url(user), {}, format="json")
            assert_error_shape(response, 401, "not_authenticated")

    def test_owner_reads(self, client_for: Any, user: Any) -> None:
        if "get" not in self.methods(user):
            pytest.skip(f"{self.route} offers no GET")
        response = client_for(user).get(self.url(user))
        assert response.status_code == 200, response.content

    def test_in_openapi_schema(self, user: Any) -> None:
        paths = openapi_paths()
        url = self.url(user)
        documented = next((ops for path, ops in paths.items() if _matches(path, url)), None)
        assert documented is not None, f"{url} is not in the schema"
        assert set(self.methods(user)) <= set(documented), (self.methods(user), set(documented))


def _matches(template: str, url: str) -> bool:
    pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, url) is not None
