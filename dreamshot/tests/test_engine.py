"""The decay engine end to end on the real database: batch, run through each provider (the
HTTP ones against real servers on loopback), snapshot, trend, budgets, cache freshness."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dreamshot.choices import TestStatus
from dreamshot.models import AiModel, AiTest, Budget, BudgetAlert, ProgressLog
from dreamshot.selectors import analytics
from dreamshot.services.ai_tests import ai_test_batch_create, ai_test_run
from dreamshot.services.evaluation import heuristic_evaluation, parse_rating
from dreamshot.services.progress import consensus, milestone
from dreamshot.tests.factories import AiTestFactory, DreamFactory, heuristic_model
from tests.loopback import AnthropicChatService, OpenAIChatService, Reply

pytestmark = pytest.mark.django_db

RATING = ('{"comprehension": 80, "quality": 70, "innovation": 60, "feasibility": 30, '
          '"confidence": 75, "reasoning": "Possible with a large budget."}')  # fmt: skip


@pytest.fixture
def openai(settings):
    service = OpenAIChatService(reply_text=RATING)
    service.start()
    settings.CHAT_PROVIDERS = {
        "openai": {"api": "openai", "base_url": service.url, "api_key": "k", "attempts": 1},
        "anthropic": {"api": "anthropic", "base_url": service.url, "api_key": "k", "attempts": 1},
    }
    yield service
    service.stop()


def run_batch(dream, models):
    batch = ai_test_batch_create(dream=dream, user=dream.user, models=models)
    return [ai_test_run(test_id=test.pk) for test in batch.tests]


def test_openai_compatible_success_records_score_tokens_duration_and_cost(openai):
    dream = DreamFactory()
    gpt = AiModel.objects.get(name="gpt-4o")
    (test,) = run_batch(dream, [gpt])
    test.refresh_from_db()
    assert test.status == TestStatus.COMPLETED, test.error_message
    assert test.impossibility_score == Decimal("40.00")  # 100 - mean(80, 70, 60, 30)
    assert test.confidence == Decimal("75.00")
    assert test.metadata["factors"]["feasibility"] == 30
    sent = openai.requests[-1]["body"]
    assert sent["model"] == "gpt-4o"
    assert sent["response_format"] == {"type": "json_object"}
    input_tokens, output_tokens = test.metadata["input_tokens"], test.metadata["output_tokens"]
    assert test.tokens_used == input_tokens + output_tokens > 0
    expected = (Decimal(input_tokens) * gpt.cost_per_1k_tokens
                + Decimal(output_tokens) * gpt.output_cost_per_1k_tokens) / 1000  # fmt: skip
    assert test.cost == expected.quantize(Decimal("0.000001"), ROUND_HALF_UP)
    assert test.duration is not None
    assert set(test.test_parameters) == {"temperature", "max_tokens", "evaluation_version",
                                         "prompt_hash"}  # fmt: skip


def test_anthropic_messages_api(settings):
    service = AnthropicChatService(reply_text=f"Here is my rating:\n```json\n{RATING}\n```")
    service.start()
    try:
        settings.CHAT_PROVIDERS = {"anthropic": {"api": "anthropic", "base_url": service.url,
                                                 "api_key": "k", "attempts": 1}}  # fmt: skip
        (test,) = run_batch(DreamFactory(), [AiModel.objects.get(name="claude-3-5-haiku-20241022")])
    finally:
        service.stop()
    test.refresh_from_db()
    assert test.status == TestStatus.COMPLETED, test.error_message
    assert test.impossibility_score == Decimal("40.00")
    assert service.requests[-1]["path"].endswith("/messages")
    assert service.requests[-1]["headers"]["x-api-key"] == "k"


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (Reply(hang=3), "timeout"),
        (
            Reply(status=429, headers={"Retry-After": "7"}, body={"error": "slow down"}),
            "rate_limited",
        ),
        (Reply(status=503, body={"error": "down"}), "unavailable"),
        (Reply(status=401, body={"error": "bad key"}), "refused"),
        (Reply(raw=b"{not json", headers={"Content-Type": "application/json"}), "bad_reply"),
    ],
)
def test_provider_failures_fail_that_test_with_the_error_kept(openai, settings, reply, kind):
    settings.CHAT_TIMEOUT = 1
    settings.CHAT_PROVIDERS["openai"]["timeout"] = 1
    openai.script = [reply]
    dream = DreamFactory()
    failed, fine = run_batch(dream, [AiModel.objects.get(name="gpt-4o"), heuristic_model()])
    failed.refresh_from_db()
    fine.refresh_from_db()
    assert failed.status == TestStatus.FAILED
    assert failed.error_message.startswith(kind), failed.error_message
    assert failed.metadata["failure"] == kind
    if kind == "rate_limited":
        assert "retry after 7 s" in failed.error_message
    assert fine.status == TestStatus.COMPLETED  # the batch goes on
    assert ProgressLog.objects.filter(dream=dream).count() == 1


def test_a_malformed_rating_fails_the_test_but_its_tokens_are_paid(openai):
    openai.reply_text = '{"comprehension": 80, "quality": "high", "confidence": 50}'
    (test,) = run_batch(DreamFactory(), [AiModel.objects.get(name="gpt-4o")])
    test.refresh_from_db()
    assert test.status == TestStatus.FAILED
    assert test.error_message.startswith("malformed answer: quality")
    assert test.tokens_used > 0
    assert test.cost > 0
    assert test.response == ""


@pytest.mark.parametrize(
    "text",
    ["no json here", "[1, 2]", '{"comprehension": 80}', RATING.replace("30", "130"),
     RATING.replace("30", "true"), RATING.replace("30", '"NaN"')],
)  # fmt: skip
def test_parse_rating_refuses_what_is_not_a_rating(text):
    with pytest.raises(ValueError):  # noqa: PT011  (each case has its own message)
        parse_rating(text)


def test_local_heuristic_is_deterministic_free_and_labelled():
    dream = DreamFactory(original_prompt="Teleport to Mars forever")
    first, second = run_batch(dream, [heuristic_model()]), run_batch(dream, [heuristic_model()])
    first[0].refresh_from_db()
    second[0].refresh_from_db()
    assert first[0].status == TestStatus.COMPLETED
    assert first[0].impossibility_score == second[0].impossibility_score
    assert first[0].cost == 0
    assert first[0].reasoning.startswith("Local heuristic, not an AI model")
    assert set(first[0].metadata["heuristic"]["harder"]) >= {"teleport", "mars"}
    easy = heuristic_evaluation("Learn to cook and read more")
    hard = heuristic_evaluation("Teleport to Mars forever")
    assert easy.impossibility < hard.impossibility
    assert "local" in heuristic_model().display_name.lower()


def test_snapshots_record_latest_per_model_and_the_trend():
    dream = DreamFactory()
    gpt = AiModel.objects.get(name="gpt-4o")
    AiTestFactory(dream=dream, provider=gpt.provider, model=gpt.name, impossibility_score=80)
    run_batch(dream, [heuristic_model()])
    first = ProgressLog.objects.get(dream=dream)
    assert first.improvement_trend is None
    assert sorted(first.active_models) == ["LOCAL/local-heuristic", "OPENAI/gpt-4o"]
    heuristic_score = first.snapshot_data["models"]["LOCAL/local-heuristic"]["score"]
    assert first.average_impossibility == (
        (Decimal(80) + Decimal(str(heuristic_score))) / 2
    ).quantize(Decimal("0.01"))
    assert sum(first.snapshot_data["distribution"].values()) == 2
    AiTestFactory(dream=dream, provider=gpt.provider, model=gpt.name, impossibility_score=20)
    run_batch(dream, [heuristic_model()])
    second = ProgressLog.objects.filter(dream=dream).order_by("-created_at").first()
    expected = (
        (first.average_impossibility - second.average_impossibility)
        / (first.average_impossibility)
        * 100
    )
    assert second.improvement_trend == expected.quantize(Decimal("0.01"))
    assert second.improvement_trend > 0  # less impossible: improving
    assert second.best_score == min(Decimal(20), Decimal(str(heuristic_score)))


def test_milestones_and_consensus():
    assert [milestone(Decimal(s)) for s in (5, 10, 20, 50, 75, 80)] == [
        "highly_achievable", "highly_achievable", "achievable", "challenging", "difficult", ""
    ]  # fmt: skip
    dream = DreamFactory()
    factors = {"comprehension": 80, "quality": 60, "innovation": 40, "feasibility": 20}
    tests = [
        AiTestFactory(dream=dream, confidence=Decimal(90), metadata={"factors": factors}),
        AiTestFactory(dream=dream, confidence=Decimal(10),
                      metadata={"factors": dict.fromkeys(factors, 0)}),
    ]  # fmt: skip
    result = consensus(tests)
    assert result["comprehension"] == 72.0  # 0.9 x 80 + 0.1 x 0
    assert result["confidence"] == 82.0  # 0.9 x 90 + 0.1 x 10
    assert result["impossibility"] == 55.0


def test_decay_status_from_the_last_ten_tests():
    dream = DreamFactory()
    assert analytics.decay_status(dream=dream).status == "insufficient_data"
    for score in (80, 70, 60):
        AiTestFactory(dream=dream, impossibility_score=score)
    status = analytics.decay_status(dream=dream)
    assert (status.status, status.rate, status.confidence) == ("improving", Decimal("25.00"), 80)


def test_crossing_the_threshold_records_one_alert(openai):
    dream = DreamFactory()
    Budget.objects.create(user=dream.user, alert_threshold=Decimal("0.01"), hard_cap=None)
    AiTestFactory(dream=dream, cost=Decimal("0.0099"))
    assert not BudgetAlert.objects.exists()
    run_batch(dream, [AiModel.objects.get(name="gpt-4o")])
    run_batch(dream, [AiModel.objects.get(name="gpt-4o")])
    alert = BudgetAlert.objects.get(user=dream.user)
    assert alert.monthly_spend > Decimal("0.01")
    assert analytics.spend(user=dream.user)["alerts"] == [alert]


def test_a_read_right_after_a_write_is_fresh(client_for, user):
    client = client_for(user)
    dashboard = reverse("api:dreamshot:dashboard")
    assert client.get(dashboard).json()["dreams"] == []  # cached now
    created = client.post(reverse("api:dreamshot:dream-list"),
                          {"title": "Run a marathon", "original_prompt": "Run a marathon"},
                          format="json").json()  # fmt: skip
    dreams = client.get(dashboard).json()["dreams"]
    assert [(d["id"], d["test_count"]) for d in dreams] == [(created["id"], 0)]
    progress_url = reverse("api:dreamshot:dream-progress", args=[created["id"]])
    assert client.get(progress_url).json()["latest_snapshot"] is None  # cached now
    comparison = client.get(reverse("api:dreamshot:model-comparison")).json()  # cached now
    response = client.post(reverse("api:dreamshot:dream-tests", args=[created["id"]]),
                           {"models": [heuristic_model().pk]}, format="json")  # fmt: skip
    ai_test_run(test_id=response.json()["tests"][0]["id"])
    assert client.get(progress_url).json()["latest_snapshot"]["test_count"] == 1
    assert client.get(dashboard).json()["dreams"][0]["test_count"] == 1
    after = client.get(reverse("api:dreamshot:model-comparison")).json()
    assert len(after) == len(comparison) + 1
    client.patch(reverse("api:dreamshot:dream-detail", args=[created["id"]]),
                 {"status": "ARCHIVED"}, format="json")  # fmt: skip
    assert client.get(dashboard).json()["dreams"] == []


def test_a_redelivered_run_changes_nothing():
    dream = DreamFactory()
    (test,) = run_batch(dream, [heuristic_model()])
    test.refresh_from_db()
    again = ai_test_run(test_id=test.pk)
    assert again.status == TestStatus.COMPLETED
    assert AiTest.objects.filter(dream=dream).count() == 1
    assert ProgressLog.objects.filter(dream=dream).count() == 1


def test_a_test_left_running_by_a_dead_worker_is_run_again():
    dream = DreamFactory()
    batch = ai_test_batch_create(dream=dream, user=dream.user, models=[heuristic_model()])
    (test,) = batch.tests
    stale = timezone.now() - timedelta(minutes=30)
    AiTest.objects.filter(pk=test.pk).update(
        status=TestStatus.RUNNING, metadata={**test.metadata, "started_at": stale.isoformat()}
    )
    assert ai_test_run(test_id=test.pk).status == TestStatus.COMPLETED
    fresh = AiTestFactory(dream=dream, status=TestStatus.RUNNING,
                          metadata={"started_at": timezone.now().isoformat()})  # fmt: skip
    assert ai_test_run(test_id=fresh.pk).status == TestStatus.RUNNING  # still being run
