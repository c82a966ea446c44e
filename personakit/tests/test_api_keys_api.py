from config.testing import ApiContract, assert_error_shape
from personakit.models import ApiKey
from personakit.services.api_keys import api_key_issue


class TestApiKeyApi(ApiContract):
    route = "api:personakit:api-key"
    valid_payload = {"name": "ci", "expires_in_days": 30}
    update_payload = {"name": "renamed"}
    invalid_payload = {"name": "x" * 200, "expires_in_days": 0}

    def make(self, owner):
        return api_key_issue(user=owner, data={"name": "made"})

    def stored_payload(self):
        return {"name": "ci"}  # expires_in_days is write-only: a read shows expires_at


def test_create_returns_the_key_once_and_it_works(client_for, api_client, user):
    response = client_for(user).post(
        "/api/v1/personakit/api-keys", {"name": "laptop"}, format="json"
    )
    assert response.status_code == 201
    raw_key = response.json()["key"]
    assert raw_key.startswith("lucid_")
    api_key = ApiKey.objects.get(pk=response.json()["id"])
    assert raw_key not in (api_key.api_key_hash, api_key.prefix)
    listed = client_for(user).get("/api/v1/personakit/api-keys").json()["results"]
    assert all(row["key"] is None for row in listed)

    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert api_client.get("/api/v1/me").json()["username"] == user.username


def test_deleting_a_key_revokes_it_for_good(client_for, api_client, user):
    raw_key = client_for(user).post("/api/v1/personakit/api-keys", {}, format="json").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key['key']}")
    assert api_client.get("/api/v1/me").status_code == 200
    assert api_client.delete(f"/api/v1/personakit/api-keys/{raw_key['id']}").status_code == 204
    assert_error_shape(api_client.get("/api/v1/me"), 401, "invalid_api_key")
    revoked = ApiKey.objects.get(pk=raw_key["id"])
    assert not revoked.is_active
    assert revoked.revoked_at is not None


def test_expiry_cannot_be_changed_after_issue(client_for, user):
    """Asking for another expiry is refused, not silently ignored, and nothing changes."""
    api_key = api_key_issue(user=user, data={"name": "laptop", "expires_in_days": 30})
    issued_expiry = api_key.expires_at
    response = client_for(user).patch(
        f"/api/v1/personakit/api-keys/{api_key.pk}",
        {"name": "renamed", "expires_in_days": 5},
        format="json",
    )
    body = assert_error_shape(response, 400, "invalid")
    assert body["field"] == "expires_in_days"
    api_key.refresh_from_db()
    assert api_key.expires_at == issued_expiry
    assert api_key.name == "laptop"
