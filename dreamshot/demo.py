"""Demo rows: a few dreams with 60 days of tests across models that show decay, one user
over budget. Idempotent: a demo dream already there is left as it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from config.database.partitions import add_months, create_monthly_partitions, month_start
from dreamshot.choices import DreamCategory, TestStatus
from dreamshot.models import AiModel, AiTest, Budget, Dream, ProgressLog
from dreamshot.services import evaluation
from dreamshot.services.budgets import budget_alert_record
from dreamshot.services.progress import progress_log_snapshot
from dreamshot.services.retention import TABLE

Log = Callable[[str], None]
DAYS, EVERY = 60, 5
MODELS = [("OPENAI", "gpt-4o", 0), ("ANTHROPIC", "claude-3-5-sonnet-20241022", -4),
          ("LOCAL", "local-heuristic", 6)]  # fmt: skip
# grace keeps a tight budget of her own, and this month's tests pass it.
DEMO_BUDGETS = {"grace": (Decimal("3.00"), Decimal("10.00"))}
# username -> (title, prompt, category, public, impossibility 60 days ago, today, cost per test)
DEMO_DREAMS = {
    "ada": [
        ("A house on Mars", "A self-sufficient house on Mars by 2040, for a family of four.",
         DreamCategory.TECHNOLOGY, True, 92, 71, "0.004"),
        ("Fluent in Japanese", "Learn to read a Japanese novel without a dictionary in two "
         "years.", DreamCategory.EDUCATION, False, 48, 30, "0.003"),
    ],
    "grace": [
        ("Cure the common cold", "A single vaccine against every rhinovirus strain.",
         DreamCategory.HEALTHCARE, True, 85, 66, "2.100"),
    ],
}  # fmt: skip


def seed_dreams(log: Log) -> None:
    owners = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_DREAMS)}
    if not owners:
        log("no demo accounts; skipping Dreamshot's dreams")
        return
    first = month_start((timezone.now() - timedelta(days=DAYS)).date())
    create_monthly_partitions(TABLE, months_ahead=4, start=add_months(first, 0))
    models = {(m.provider, m.name): m for m in AiModel.objects.all()}
    for username, specs in DEMO_DREAMS.items():
        owner = owners.get(username)
        if owner is None:
            log(f"no account {username!r}; skipping its Dreamshot dreams")
            continue
        for spec in specs:
            if Dream.objects.filter(user=owner, title=spec[0]).exists():
                continue
            _seed_dream(owner, spec, models)
            log(f"dreamshot: {username}'s dream {spec[0]!r} with {DAYS} days of tests")
        if username in DEMO_BUDGETS:
            threshold, cap = DEMO_BUDGETS[username]
            Budget.objects.get_or_create(
                user=owner, defaults={"alert_threshold": threshold, "hard_cap": cap}
            )
        alert = budget_alert_record(user_id=owner.pk)
        if alert is not None:
            log(f"dreamshot: {username} is over budget this month ({alert.monthly_spend:.2f})")


@transaction.atomic
def _seed_dream(owner, spec, models) -> None:
    title, prompt, category, public, start, end, price = spec
    dream = Dream.objects.create(
        user=owner, title=title, original_prompt=prompt, category=category, is_public=public,
        metadata={"demo": True},
    )  # fmt: skip
    test_prompt = evaluation.evaluation_prompt(title=title, prompt=prompt, category=category)
    now = timezone.now()
    for day in range(DAYS, -1, -EVERY):
        moment = now - timedelta(days=day)
        progress = (DAYS - day) / DAYS
        for index, (provider, name, offset) in enumerate(MODELS):
            model = models.get((provider, name))
            wobble = ((day * 7 + index * 3) % 5) - 2  # deterministic, so reruns agree
            score = Decimal(start - (start - end) * progress + offset + wobble).quantize(
                Decimal("0.01")
            )
            score = max(Decimal(0), min(Decimal(100), score))
            heuristic = model is not None and model.is_heuristic
            AiTest.objects.create(
                dream=dream, user=owner, provider=provider, model=name,
                impossibility_score=score, confidence=Decimal(70 + index * 5),
                reasoning="Demo data.", duration=800 + 150 * index,
                tokens_used=0 if heuristic else 650,
                cost=Decimal(0) if heuristic else Decimal(price), status=TestStatus.COMPLETED,
                test_prompt=test_prompt, created_at=moment,
                metadata={"demo": True,
                          "factors": {f: float(100 - score) for f in evaluation.FACTORS}},
            )  # fmt: skip
        snapshot = progress_log_snapshot(dream=dream, batch_id=f"demo-{day}")
        if snapshot is not None:
            ProgressLog.objects.filter(pk=snapshot.pk).update(created_at=moment)
