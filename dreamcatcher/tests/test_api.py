"""The generic API contract for every Dreamcatcher route (auth, isolation, bad input, schema).

Behaviour tests live beside this file in ``test_api_*.py``.
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.testing import ApiContract, ApiViewContract, assert_error_shape
from dreamcatcher.models import Brand, Tag
from dreamcatcher.tests.factories import (
    DocumentFactory,
    DreamFactory,
    FragmentFactory,
    ImplementationFactory,
    SyncSessionFactory,
    TodoFactory,
)
from tests.factories import UserFactory


class TestDreamApi(ApiContract):
    route = "api:dreamcatcher:dream"
    valid_payload = {"title": "A kite that writes", "brand": "bc-studio", "status": "planning"}
    update_payload = {"title": "A kite that draws", "status": "in_progress"}
    invalid_payload = {"title": "", "brand": "no-such-brand"}

    def make(self, owner):
        return DreamFactory(user=owner)


class _ChildContract(ApiContract):
    """A child of a dream: payloads name a dream of the test's caller."""

    @pytest.fixture(autouse=True)
    def _callers_dream(self, user):
        self.dream = DreamFactory(user=user)

    def payload(self, **fields: Any) -> dict[str, Any]:
        return {"dream": self.dream.pk, **fields}


class TestFragmentApi(_ChildContract):
    route = "api:dreamcatcher:fragment"
    update_payload = {"title": "Renamed", "features": ["offline"]}
    invalid_payload = {"title": "", "code_snippets": "not a list"}

    @property
    def valid_payload(self):
        return self.payload(title="Prior art", content="Kites in 1900", source="web")

    def make(self, owner):
        return FragmentFactory(dream__user=owner)


class TestImplementationApi(_ChildContract):
    route = "api:dreamcatcher:implementation"
    update_payload = {"status": "in_progress", "tickets_created": 3}
    invalid_payload = {"status": "exploded", "tickets_created": -1}

    @property
    def valid_payload(self):
        return self.payload(project_id="pos-1", agents_assigned=2)

    def make(self, owner):
        return ImplementationFactory(dream__user=owner)


class TestTodoApi(_ChildContract):
    route = "api:dreamcatcher:todo"
    update_payload = {"title": "Renamed", "status": "in_progress", "priority": "high"}
    invalid_payload = {"title": "", "priority": "whenever"}

    @property
    def valid_payload(self):
        return self.payload(title="Buy string", priority="urgent", source="manual")

    def make(self, owner):
        return TodoFactory(dream__user=owner)


class TestDocumentApi(_ChildContract):
    route = "api:dreamcatcher:document"
    payload_format = "multipart"
    update_payload = {"title": "The plan"}
    invalid_payload = {"title": "x" * 501}

    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    @property
    def valid_payload(self):
        upload = SimpleUploadedFile("plan.md", b"# Plan\n- [ ] fly\n", "text/markdown")
        return self.payload(file=upload, title="Plan")

    def make(self, owner):
        return DocumentFactory(dream__user=owner)


class TestSyncSessionApi(ApiContract):
    route = "api:dreamcatcher:sync-session"
    valid_payload = update_payload = invalid_payload = {}

    def make(self, owner):
        return SyncSessionFactory(user=owner)


class TestDreamSummaryApi(ApiContract):
    route = "api:dreamcatcher:dream-summary"
    valid_payload = update_payload = invalid_payload = {}

    def make(self, owner):
        return DreamFactory(user=owner)  # its summary row has the dream's id


# --- brands and tags: shared by everyone, written by staff ----------------------------------


class SharedVocabularyContract(ApiContract):
    """The contract for rows no one owns: the caller is staff (who may write), and the
    owner-isolation tests give way to: everyone reads every row, only staff write."""

    shared_rows = True

    test_other_users_row_absent_from_list = None
    test_other_users_row_is_404 = None

    @pytest.fixture
    def user(self, db):
        return UserFactory(is_staff=True)

    def test_every_caller_reads_every_row(self, client_for, other_user):
        row = self.make(UserFactory())
        client = client_for(other_user)
        assert str(row.pk) in self.ids_in(client.get(f"{self.list_url()}?page_size=1000"))
        assert client.get(self.detail_url(row)).json()["id"] == row.pk

    def test_only_staff_write(self, client_for, other_user):
        row = self.make(UserFactory())
        before, count = self.snapshot(row), self.model().objects.count()
        client = client_for(other_user)
        assert_error_shape(client.post(self.list_url(), self.valid_payload), 403)
        assert_error_shape(client.patch(self.detail_url(row), self.update_payload), 403)
        assert_error_shape(client.put(self.detail_url(row), self.valid_payload), 403)
        assert_error_shape(client.delete(self.detail_url(row)), 403, "permission_denied")
        assert (self.snapshot(row), self.model().objects.count()) == (before, count)


class TestBrandApi(SharedVocabularyContract):
    route = "api:dreamcatcher:brand"
    valid_payload = {"id": "acme", "name": "Acme", "display_name": "Acme Rockets"}
    update_payload = {"display_name": "Acme Rocket Co.", "color": "#112233", "is_active": False}
    invalid_payload = {"name": "", "color": "red"}

    def make(self, owner):
        count = Brand.objects.count()
        return Brand.objects.create(name=f"Brand {count}", display_name=f"Brand {count}")


class TestTagApi(SharedVocabularyContract):
    route = "api:dreamcatcher:tag"
    valid_payload = {"id": "research", "name": "Research", "category": "Task"}
    update_payload = {"description": "Reading first", "color": "#ABCDEF"}
    invalid_payload = {"name": "x" * 101, "color": "#12"}

    def make(self, owner):
        return Tag.objects.create(name=f"Tag {Tag.objects.count()}")


# --- plain views: reports and starting a sync -----------------------------------------------


class TestSyncStatusApi(ApiViewContract):
    route = "api:dreamcatcher:sync-status"


class TestActivityApi(ApiViewContract):
    route = "api:dreamcatcher:activity"


class TestSyncApi(ApiViewContract):
    route = "api:dreamcatcher:sync"
