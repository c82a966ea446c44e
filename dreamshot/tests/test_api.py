"""Every Dreamshot route under the generic API contract, plus the batch endpoint's answers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from config.testing import ApiContract, ApiViewContract, assert_error_shape
from dreamshot.choices import TestStatus
from dreamshot.models import AiModel, AiTest, Budget
from dreamshot.services.ai_tests import ai_test_run
from dreamshot.tests.factories import (
    AiTestFactory,
    DreamFactory,
    ProgressLogFactory,
    heuristic_model,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestDreamApi(ApiContract):
    route = "api:dreamshot:dream"
    valid_payload = {"title": "A house on Mars", "original_prompt": "A house on Mars by 2040",
                     "category": "TECHNOLOGY", "tags": ["space", "home"],
                     "is_public": True}  # fmt: skip
    update_payload = {"title": "A house on the Moon", "status": "ARCHIVED"}
    invalid_payload = {"title": "x" * 300, "original_prompt": "", "category": "technology"}

    def make(self, owner):
        return DreamFactory(user=owner)


class TestAiTestApi(ApiContract):
    route = "api:dreamshot:ai-test"

    def make(self, owner):
        return AiTestFactory(dream=DreamFactory(user=owner))


class TestProgressLogApi(ApiContract):
    route = "api:dreamshot:progress-log"

    def make(self, owner):
        return ProgressLogFactory(dream=DreamFactory(user=owner))


class TestAiModelApi(ApiContract):
    route = "api:dreamshot:ai-model"
    shared_rows = True

    def make(self, owner):
        return heuristic_model()

    def test_other_users_row_absent_from_list(self):
        pytest.skip("the catalogue is shared")

    def test_other_users_row_is_404(self):
        pytest.skip("the catalogue is shared")


class TestPublicDreamApi(ApiContract):
    route = "api:dreamshot:public-dream"
    shared_rows = True

    def make(self, owner):
        return DreamFactory(user=owner, is_public=True)

    def test_other_users_row_absent_from_list(self):
        pytest.skip("public dreams are everyone's to read")

    def test_other_users_row_is_404(self):
        pytest.skip("public dreams are everyone's to read")

    def test_private_dreams_and_owners_never_show(self, client_for, user, other_user):
        private = DreamFactory(user=other_user, is_public=False)
        public = DreamFactory(user=other_user, is_public=True)
        body = client_for(user).get(reverse("api:dreamshot:public-dream-list")).json()
        rows = body["results"] if isinstance(body, dict) else body
        assert public.pk in {row["id"] for row in rows}
        assert private.pk not in {row["id"] for row in rows}
        assert all("user" not in row and "user_id" not in row for row in rows)


class TestDashboardApi(ApiViewContract):
    route = "api:dreamshot:dashboard"


class TestModelComparisonApi(ApiViewContract):
    route = "api:dreamshot:model-comparison"


class TestCategoriesApi(ApiViewContract):
    route = "api:dreamshot:categories"


class TestSpendApi(ApiViewContract):
    route = "api:dreamshot:spend"


class StaffOnly(ApiViewContract):
    def test_owner_reads(self, client_for, user):
        assert_error_shape(client_for(user).get(self.url(user)), 403)
        staff = UserFactory(is_staff=True)
        assert client_for(staff).get(self.url(staff)).status_code == 200


class TestTokenUsageApi(StaffOnly):
    route = "api:dreamshot:token-usage"


class TestBudgetAlertsApi(StaffOnly):
    route = "api:dreamshot:budget-alerts"


def batch_url(dream):
    return reverse("api:dreamshot:dream-tests", args=[dream.pk])


def test_batch_creates_pending_tests_and_answers_202(
    client_for, user, django_capture_on_commit_callbacks
):
    dream = DreamFactory(user=user)
    with django_capture_on_commit_callbacks() as queued:
        response = client_for(user).post(
            batch_url(dream), {"models": [heuristic_model().pk]}, format="json"
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert [test["status"] for test in body["tests"]] == ["PENDING"]
    assert queued  # the run is sent to Celery only once the batch committed
    test = AiTest.objects.get(pk=body["tests"][0]["id"])
    assert test.metadata["batch"] == body["batch"]
    ai_test_run(test_id=test.pk)
    progress = client_for(user).get(reverse("api:dreamshot:dream-progress", args=[dream.pk]))
    assert progress.status_code == 200
    assert progress.json()["latest_snapshot"]["test_count"] == 1


def test_batch_refuses_bad_models_with_nothing_written(client_for, user):
    dream = DreamFactory(user=user)
    client = client_for(user)
    for models in ([], ["nope"], [heuristic_model().pk] * 2, "x"):
        response = client.post(batch_url(dream), {"models": models}, format="json")
        assert_error_shape(response, 400)
    # A model whose provider is not configured cannot be asked.
    gpt = AiModel.objects.get(name="gpt-4o")
    body = assert_error_shape(
        client.post(batch_url(dream), {"models": [gpt.pk]}, format="json"), 400
    )
    assert body["field"] == "models.0"
    assert "openai" in body["message"]
    assert not AiTest.objects.filter(dream=dream).exists()


def test_batch_on_another_users_dream_is_404(client_for, user, other_user):
    dream = DreamFactory(user=other_user)
    response = client_for(user).post(
        batch_url(dream), {"models": [heuristic_model().pk]}, format="json"
    )
    assert_error_shape(response, 404)
    assert not AiTest.objects.exists()


def test_batch_past_the_hard_cap_is_refused_before_any_call(client_for, user, settings):
    settings.CHAT_PROVIDERS = {"openai": {"api": "openai", "base_url": "http://127.0.0.1:9/v1",
                                          "api_key": "k"}}  # fmt: skip
    Budget.objects.create(user=user, alert_threshold=Decimal("1.00"), hard_cap=Decimal("2.00"))
    dream = DreamFactory(user=user)
    AiTestFactory(dream=dream, cost=Decimal("1.999000"))
    gpt = AiModel.objects.get(name="gpt-4o")
    response = client_for(user).post(batch_url(dream), {"models": [gpt.pk]}, format="json")
    body = assert_error_shape(response, 402, "budget_exceeded")
    assert "cap" in body["message"]
    assert AiTest.objects.filter(dream=dream).count() == 1
    # The heuristic costs nothing: still allowed.
    response = client_for(user).post(
        batch_url(dream), {"models": [heuristic_model().pk]}, format="json"
    )
    assert response.status_code == 202
    assert AiTest.objects.filter(dream=dream, status=TestStatus.PENDING).count() == 1


def test_a_misconfigured_provider_is_a_400_not_a_500(client_for, user, settings):
    settings.CHAT_PROVIDERS = {"openai": {"api": "carrier-pigeon", "base_url": "", "api_key": ""}}
    dream = DreamFactory(user=user)
    gpt = AiModel.objects.get(name="gpt-4o")
    response = client_for(user).post(batch_url(dream), {"models": [gpt.pk]}, format="json")
    assert_error_shape(response, 400)
    assert not AiTest.objects.filter(dream=dream).exists()
