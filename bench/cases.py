"""The benchmark cases: our code path against raw SQL doing the same work."""

import hashlib
import hmac

from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from bench.harness import Result, compare
from personakit.models import ApiKey
from personakit.services import api_key_issue, api_key_verify
from tests.factories import UserFactory

KEYS = 2_000


def _owner_with_keys():
    owner = UserFactory(username="bench-owner")
    if not ApiKey.objects.filter(user=owner).exists():
        raw_keys = [api_key_issue(user=owner, name=f"k{i}").raw_key for i in range(KEYS)]
        (settings.DATA_DIR / "bench-key").write_text(raw_keys[0])
    return owner, (settings.DATA_DIR / "bench-key").read_text()


def api_key_verification() -> Result:
    """Authenticating a key (ORM lookup by prefix + HMAC) vs one raw SELECT + HMAC."""
    _, raw_key = _owner_with_keys()
    prefix, secret = raw_key[6:18], settings.API_KEY_SECRET.encode()

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT k.api_key_hash, u.is_active FROM "personakit"."api_keys" k '
                "JOIN users u ON u.id = k.user_id WHERE k.prefix = %s",
                [prefix],
            )
            stored, _ = cursor.fetchone()
        hmac.compare_digest(stored, hmac.new(secret, raw_key.encode(), hashlib.sha256).hexdigest())

    return compare("api key verify x200", lambda: [api_key_verify(raw_key) for _ in range(200)],
                   lambda: [raw() for _ in range(200)], "200 verifications")  # fmt: skip


def api_list_page() -> Result:
    """GET a page of 100 keys through auth, throttle, filter, paginate, serialize vs raw SQL."""
    owner, raw_key = _owner_with_keys()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")

    def ours():
        assert client.get("/api/v1/personakit/api-keys?page_size=100").status_code == 200

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT count(*) FROM "personakit"."api_keys" WHERE user_id = %s AND is_active',
                [owner.pk],
            )
            cursor.execute(
                "SELECT id, name, prefix, created_at, last_used_at, expires_at "
                'FROM "personakit"."api_keys" WHERE user_id = %s AND is_active '
                "ORDER BY created_at DESC LIMIT 100",
                [owner.pk],
            )
            cursor.fetchall()

    return compare("api list page (100 rows)", ours, raw, "request")


ALL = [api_key_verification, api_list_page]
