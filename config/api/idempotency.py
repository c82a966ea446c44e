"""``Idempotency-Key`` for API writes: a retried request gets the first answer, writes nothing.

A viewset (or ``APIView``) mixes in ``IdempotentWritesMixin``. A write that sends the header
claims ``(caller, key)`` in ``public.idempotency_keys`` inside the request's own transaction
(``ATOMIC_REQUESTS``), so the claim and the write commit or roll back together:

- a new key: the request runs; a successful answer is stored with the key;
- the same key again with the same method, path and body, within ``IDEMPOTENCY_KEY_TTL``:
  the stored answer, replayed (``Idempotent-Replayed: true``), and nothing runs;
- the same key with another request: 422 ``idempotency_key_reused``, nothing runs.

Two copies sent at once: the second's claim waits on the first's uncommitted row, then finds
it committed and replays it (or, should the first fail and roll back, runs itself). Failed
requests (4xx/5xx) roll back their claim, so a corrected retry may reuse the key. Keys are
per caller: another caller's key of the same name is unrelated.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from config.database import quote_qualified
from config.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_TABLE = quote_qualified(IdempotencyKey._meta.db_table)
# A live key of the caller is kept; an expired one is taken over as if new.
_CLAIM_SQL = f"""
INSERT INTO {_TABLE} AS k (user_id, key, request_hash, created_at, expires_at)
VALUES (%s, %s, %s, now(), %s)
ON CONFLICT (user_id, key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, status_code = NULL, response_body = NULL,
        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
    WHERE k.expires_at <= now()
RETURNING k.id
"""  # noqa: S608  (the table name is the model's)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was used for a different request; send a new key for a new request."
    )


class _Replay(Exception):  # control flow: the stored answer, not an error
    def __init__(self, response: Response) -> None:
        self.response = response


def _bad_key(message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({HEADER: [message]}, code="invalid")


def request_fingerprint(request: Request) -> str:
    """SHA-256 of the method, path, query and body bytes: what "the same request" means."""
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path(), request.content_type or ""):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request._request.body)  # read (and kept) before any parser consumes it
    return digest.hexdigest()


def idempotency_keys_purge() -> int:
    """Delete every key past its expiry; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


class IdempotentWritesMixin:
    """Honours ``Idempotency-Key`` on the view's write methods (see the module docstring)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated, permitted, not throttled
        self._idempotency_key_id = None
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS:
            return
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise _bad_key(f"Send 1 to {MAX_KEY_LENGTH} printable characters.")
        fingerprint = request_fingerprint(request)
        expires_at = timezone.now() + timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL)
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM_SQL, [request.user.pk, key, fingerprint, expires_at])
            claimed = cursor.fetchone()
        if claimed is not None:
            self._idempotency_key_id = claimed[0]
            return
        first = IdempotencyKey.objects.get(user=request.user, key=key)
        if first.request_hash != fingerprint:
            raise IdempotencyKeyReused()
        raise _Replay(
            Response(
                first.response_body,
                status=first.status_code,
                headers={REPLAYED_HEADER: "true"},
            )
        )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        key_id = getattr(self, "_idempotency_key_id", None)
        if key_id is not None:
            self._idempotency_key_id = None
            if response.status_code < 400:
                body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                IdempotencyKey.objects.filter(pk=key_id).update(
                    status_code=response.status_code, response_body=body
                )
            elif not connection.needs_rollback:
                # An answer refused without an exception: the key stays free for a retry.
                IdempotencyKey.objects.filter(pk=key_id).delete()
        return response
