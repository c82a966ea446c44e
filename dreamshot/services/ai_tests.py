"""The decay engine: a batch of pending tests per dream, each run by Celery through a provider
adapter, and a progress snapshot when the batch is done.

``ai_test_batch_create`` refuses up front what cannot run (unknown, inactive or unconfigured
models; a batch past the hard cap) so nothing is sent. ``ai_test_run`` claims one pending
test, asks the model outside any transaction, and records the score or the failure with its
error, never failing the batch; the last test of a batch to finish writes the snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from cuid2 import create_id
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from dreamshot.choices import TestStatus
from dreamshot.models import AiModel, AiTest, Dream
from dreamshot.selectors import cache
from dreamshot.services import budgets, evaluation
from dreamshot.services.progress import progress_log_snapshot

RUN_TASK = "dreamshot.run_ai_test"
RUN_TIME_LIMIT = timedelta(minutes=5)  # the task's hard limit (tasks.run_ai_test)
MAX_MODELS_PER_BATCH = 10
OPEN_STATUSES = (TestStatus.PENDING, TestStatus.RUNNING)


class ModelNotRunnable(Exception):
    """A requested model is unknown, inactive, or its provider is not configured."""

    def __init__(self, message: str, *, index: int) -> None:
        super().__init__(message)
        self.index = index


class PartitionMissing(Exception):
    """No ``ai_tests`` partition holds this month: partition upkeep has not run."""


@dataclass(frozen=True)
class Batch:
    id: str
    dream: Dream
    tests: list[AiTest]
    estimated_cost: Decimal


def ai_models_resolve(*, model_ids: Sequence[str]) -> list[AiModel]:
    """The catalogue rows of ``model_ids`` in order; refuses a model that cannot run."""
    found = AiModel.objects.in_bulk(list(model_ids))
    models = []
    for index, model_id in enumerate(model_ids):
        model = found.get(model_id)
        if model is None or not model.is_active:
            raise ModelNotRunnable(f"No active model has the id {model_id!r}.", index=index)
        if not evaluation.runnable(model):
            raise ModelNotRunnable(
                f"{model.display_name} cannot be asked: no chat provider "
                f"{evaluation.chat_provider_name(model)!r} is configured.",
                index=index,
            )
        models.append(model)
    return models


def batch_estimate(models: Sequence[AiModel], prompt: str) -> Decimal:
    input_tokens, output_tokens = evaluation.estimated_tokens(prompt)
    return sum(
        (
            evaluation.cost_of(m, input_tokens=input_tokens, output_tokens=output_tokens)
            for m in models
        ),
        Decimal(0),
    )


@transaction.atomic
def ai_test_batch_create(
    *, dream: Dream, user: AbstractBaseUser, models: Sequence[AiModel], origin: str = "api"
) -> Batch:
    """One pending test per model, queued for Celery once this transaction commits; refused
    (``BudgetExceeded``) before anything is written when it could pass the hard cap."""
    prompt = evaluation.evaluation_prompt(
        title=dream.title, prompt=dream.original_prompt, category=dream.category
    )
    estimate = batch_estimate(models, prompt)
    budgets.budget_check_batch(user_id=user.pk, estimate=estimate)
    batch_id = create_id()
    parameters = evaluation.test_parameters(prompt)
    now = timezone.now()
    tests = [
        AiTest(
            dream=dream,
            user_id=user.pk,
            provider=model.provider,
            model=model.name,
            status=TestStatus.PENDING,
            test_prompt=prompt,
            test_parameters=parameters,
            metadata={"batch": batch_id, "ai_model_id": model.pk, "origin": origin},
            created_at=now,
        )
        for model in models
    ]
    try:
        with transaction.atomic():
            AiTest.objects.bulk_create(tests)
    except IntegrityError as exc:
        if "no partition of relation" in str(exc):
            raise PartitionMissing(
                f"ai_tests has no partition for {now:%Y-%m}; run `manage.py "
                "dreamshot_partitions` (beat's partition upkeep). Nothing was written."
            ) from exc
        raise
    _queue_runs([test.pk for test in tests])
    cache.forget(user_ids=[user.pk], dream_ids=[dream.pk])
    return Batch(id=batch_id, dream=dream, tests=tests, estimated_cost=estimate)


def _queue_runs(test_ids: list[str]) -> None:
    from config.celery_app import app

    def send() -> None:
        for test_id in test_ids:
            app.send_task(RUN_TASK, kwargs={"test_id": test_id})

    transaction.on_commit(send)


def ai_test_run(*, test_id: str) -> AiTest | None:
    """Run the pending test ``test_id``: ask its model, record score, tokens, duration and
    cost, or the failure with its error. A test no longer pending (a redelivery) is left as
    it is; returns the test, or None if it is gone."""
    with transaction.atomic():
        test = AiTest.objects.select_for_update().filter(pk=test_id).first()
        if test is None or not _claimable(test):
            return test
        test.status = TestStatus.RUNNING
        test.metadata = {**test.metadata, "started_at": timezone.now().isoformat()}
        test.save(update_fields=["status", "metadata"])
    model = AiModel.objects.filter(pk=test.metadata.get("ai_model_id")).first() or (
        AiModel.objects.filter(provider=test.provider, name=test.model).first()
    )
    if model is None:
        _record_failure(
            test, None, evaluation.EvaluationFailed("the model left the catalogue", kind="refused")
        )
    else:
        try:
            result = evaluation.evaluate(model, prompt=test.test_prompt)
        except evaluation.EvaluationFailed as failure:
            _record_failure(test, model, failure)
        else:
            _record_result(test, model, result)
    _after_test(test)
    return test


def _claimable(test: AiTest) -> bool:
    """Pending, or left running by a worker that died past the task's time limit (its
    redelivery must not find the test claimed forever)."""
    if test.status == TestStatus.PENDING:
        return True
    started = test.metadata.get("started_at")
    return (
        test.status == TestStatus.RUNNING
        and started is not None
        and timezone.now() - datetime.fromisoformat(started) > RUN_TIME_LIMIT
    )


def _record_result(test: AiTest, model: AiModel, result: evaluation.Evaluation) -> None:
    test.status = TestStatus.COMPLETED
    test.impossibility_score = result.impossibility
    test.confidence = result.confidence
    test.reasoning = result.reasoning
    test.response = result.response
    test.duration = result.duration_ms
    test.tokens_used = result.input_tokens + result.output_tokens
    test.cost = evaluation.cost_of(
        model, input_tokens=result.input_tokens, output_tokens=result.output_tokens
    )
    test.metadata = {
        **test.metadata,
        "factors": {name: float(value) for name, value in result.factors.items()},
        "overall": float(result.overall),
        "answered_by": result.answered_by,
        "input_tokens": result.input_tokens,
        "output_tokens": result.output_tokens,
        **({"heuristic": result.heuristic_signals} if model.is_heuristic else {}),
    }
    test.save()


def _record_failure(
    test: AiTest, model: AiModel | None, failure: evaluation.EvaluationFailed
) -> None:
    test.status = TestStatus.FAILED
    test.error_message = str(failure)[:2000]
    test.tokens_used = failure.input_tokens + failure.output_tokens
    test.cost = (
        evaluation.cost_of(
            model, input_tokens=failure.input_tokens, output_tokens=failure.output_tokens
        )
        if model is not None
        else Decimal(0)
    )
    test.metadata = {**test.metadata, "failure": failure.kind}
    test.save()


def _after_test(test: AiTest) -> None:
    """Snapshot the dream when this was its batch's last open test; alert on the budget."""
    batch_id = test.metadata.get("batch")
    with transaction.atomic():
        # The dream's row lock serialises the batch's last finishers: one snapshot per batch.
        dream = Dream.objects.select_for_update().filter(pk=test.dream_id).first()
        if (
            dream is not None
            and batch_id
            and not (
                AiTest.objects.filter(
                    dream_id=dream.pk, metadata__batch=batch_id, status__in=OPEN_STATUSES
                ).exists()
            )
        ):
            progress_log_snapshot(dream=dream, batch_id=batch_id)
    if test.cost:
        budgets.budget_alert_record(user_id=test.user_id)
    cache.forget(user_ids=[test.user_id], dream_ids=[test.dream_id], model_stats=True)


def ai_tests_rerun(*, tests: Sequence[AiTest]) -> list[Batch]:
    """Test the dreams of ``tests`` again with the same models (the admin's action); models
    no longer runnable are skipped."""
    by_dream: dict[str, list[AiTest]] = {}
    for test in tests:
        by_dream.setdefault(test.dream_id, []).append(test)
    batches = []
    for dream in Dream.objects.filter(pk__in=by_dream).select_related("user"):
        pairs = {(test.provider, test.model) for test in by_dream[dream.pk]}
        models = [
            model
            for model in AiModel.objects.filter(is_active=True)
            if (model.provider, model.name) in pairs and evaluation.runnable(model)
        ]
        if models:
            batches.append(
                ai_test_batch_create(dream=dream, user=dream.user, models=models, origin="admin")
            )
    return batches
