"""The benchmark cases: our code path against raw SQL doing the same work."""

import hashlib
import hmac

from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from bench.harness import Result, compare
from personakit.models import ApiKey
from personakit.services.api_keys import api_key_issue, api_key_verify
from tests.factories import UserFactory

KEYS = 2_000


def _owner_with_keys():
    """The bench account with ``KEYS`` keys, and a fresh key for this run (raw keys are never
    stored, so each run issues its own and revokes the previous run's)."""
    owner = UserFactory(username="bench-owner")
    for index in range(KEYS - ApiKey.objects.filter(user=owner).count()):
        api_key_issue(user=owner, data={"name": f"k{index}"})
    ApiKey.objects.filter(user=owner, name="bench-run").delete()
    return owner, api_key_issue(user=owner, data={"name": "bench-run"}).raw_key


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


NARRATIVES = 3_000


def _person_with_narratives():
    """A person with ``NARRATIVES`` narratives embedded by the current model (random unit
    vectors: the search's cost does not depend on what the texts say)."""
    import numpy as np

    from config.embeddings import get_provider
    from personakit.models import Narrative, Person

    owner = UserFactory(username="bench-narrator")
    person, _ = Person.objects.get_or_create(id=owner.pk, defaults={"owner": owner})
    model_name = get_provider().model_name
    missing = NARRATIVES - Narrative.objects.filter(person=person).count()
    if missing > 0:
        rng = np.random.default_rng(7)
        vectors = rng.normal(size=(missing, 1536)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        Narrative.objects.bulk_create(
            [
                Narrative(person=person, narrative_type="self_observation",
                          raw_text=f"note {index}", embedding=vector, embedding_model=model_name)
                for index, vector in enumerate(vectors)
            ],
            batch_size=500,
        )  # fmt: skip
    return person, model_name


def narrative_search() -> Result:
    """Top-10 narratives of a person by meaning: our service (embedding the query, HNSW with
    iterative scan, re-sort) vs the raw pgvector query with the vector already at hand."""
    from config.embeddings import get_provider
    from personakit.selectors.narratives import narratives_search

    person, model_name = _person_with_narratives()
    query = "deep focus late at night"
    vector = "[" + ",".join(f"{x:.6f}" for x in get_provider().embed([query])[0]) + "]"

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT id, embedding <=> %s::vector AS d FROM "personakit"."narratives" '
                "WHERE person_id = %s AND embedding_model = %s ORDER BY d LIMIT 10",
                [vector, person.pk, model_name],
            )
            cursor.fetchall()

    return compare(
        f"narrative search ({NARRATIVES} rows)",
        lambda: narratives_search(person=person, query=query, k=10),
        raw,
        "search",
    )


ALL = [api_key_verification, api_list_page, narrative_search]
