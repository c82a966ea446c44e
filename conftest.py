"""Fixtures for every test: real PostgreSQL (embedded, its own cluster) and real Redis."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached reads must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def api_key_for():
    """``api_key_for(user)`` issues a real API key and returns the raw key."""
    from personakit.services.api_keys import api_key_issue

    def issue(owner, **kwargs):
        return api_key_issue(user=owner, **kwargs).raw_key

    return issue


@pytest.fixture
def api_client():
    """An unauthenticated API client."""
    return APIClient()


@pytest.fixture
def client_for(api_key_for):
    """``client_for(user)`` returns an API client sending that user's ``Api-Key`` header."""

    def build(owner):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_for(owner)}")
        return client

    return build


@pytest.fixture
def stack(tmp_path, transactional_db):
    """The whole stack (gunicorn, a Celery worker, beat) running on this test's database."""
    from tests.stack import run_stack

    running = run_stack(tmp_path / "stack.log")
    yield running
    running.stop()
