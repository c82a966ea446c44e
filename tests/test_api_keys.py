"""API keys: only a keyed hash is stored; expired, revoked and wrong keys are 401s."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from config.testing import assert_error_shape
from personakit.models import ApiKey
from personakit.services.api_keys import api_key_issue, api_key_revoke, api_key_verify


def test_key_shape_and_only_a_keyed_hash_is_stored(user):
    issued = api_key_issue(user=user, data={"name": "laptop"})
    scheme, prefix, secret = issued.raw_key.split("_", 2)
    assert scheme == "lucid"
    assert prefix == issued.prefix
    assert len(secret) >= 43  # 32 random bytes, base64url
    expected = hmac.new(
        settings.API_KEY_SECRET.encode(), issued.raw_key.encode(), hashlib.sha256
    ).hexdigest()
    assert issued.api_key_hash == expected
    with connection.cursor() as cursor:
        cursor.execute('SELECT row_to_json(k)::text FROM "personakit"."api_keys" k')
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert secret not in stored
    assert issued.raw_key not in stored


def test_keys_are_unique(user):
    keys = {api_key_issue(user=user).raw_key for _ in range(20)}
    assert len(keys) == 20


@pytest.mark.parametrize(
    "tamper",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),
        lambda key: key.replace("lucid_", "other_"),
        lambda key: "lucid_" + "0" * 12 + key[18:],
        lambda key: key[:20],
        lambda key: "",
    ],
)
def test_wrong_keys_do_not_verify(user, tamper):
    raw_key = api_key_issue(user=user).raw_key
    assert api_key_verify(tamper(raw_key)) is None


def test_expired_key_is_401(api_client, user):
    issued = api_key_issue(user=user, data={"expires_in_days": 1})
    ApiKey.objects.filter(pk=issued.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.raw_key}")
    assert_error_shape(api_client.get("/api/v1/me"), 401, "invalid_api_key")


def test_revoked_key_is_401(api_client, user):
    issued = api_key_issue(user=user)
    api_key_revoke(api_key=issued)
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.raw_key}")
    assert_error_shape(api_client.get("/api/v1/me"), 401, "invalid_api_key")


def test_inactive_account_key_is_401(api_client, user):
    raw_key = api_key_issue(user=user).raw_key
    user.is_active = False
    user.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert_error_shape(api_client.get("/api/v1/me"), 401)


def test_other_auth_schemes_are_not_keys(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer something")
    assert_error_shape(api_client.get("/api/v1/me"), 401, "not_authenticated")


def test_last_used_at_is_written_at_most_once_a_minute(api_client, user):
    issued = api_key_issue(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.raw_key}")
    assert api_client.get("/api/v1/me").status_code == 200
    first = ApiKey.objects.get(pk=issued.pk).last_used_at
    assert first is not None
    for _ in range(3):
        api_client.get("/api/v1/me")
    assert ApiKey.objects.get(pk=issued.pk).last_used_at == first
    ApiKey.objects.filter(pk=issued.pk).update(last_used_at=first - timedelta(minutes=2))
    api_client.get("/api/v1/me")
    assert ApiKey.objects.get(pk=issued.pk).last_used_at > first


def test_create_api_key_command(user, capsys):
    call_command("create_api_key", user.username, "--name", "cli", "--expires", "7")
    out = capsys.readouterr().out
    raw_key = next(word for word in out.split() if word.startswith("lucid_"))
    api_key = api_key_verify(raw_key)
    assert api_key is not None
    assert api_key.name == "cli"
    assert timedelta(days=6) < api_key.expires_at - timezone.now() <= timedelta(days=7)


def test_create_api_key_command_unknown_user(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("create_api_key", "nobody")
