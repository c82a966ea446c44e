"""Budget reads: the limits that apply to a user and what they spent this month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from dreamshot.models import AiTest, Budget


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def month_start_at(month: date | None = None) -> datetime:
    """The first instant of ``month`` (this month by default) in the current time zone."""
    return timezone.make_aware(datetime.combine(month or this_month(), datetime.min.time()))


@dataclass(frozen=True)
class BudgetLimits:
    alert_threshold: Decimal
    hard_cap: Decimal | None


def budget_limits(*, user_id: object) -> BudgetLimits:
    """The user's own budget, or the settings' defaults."""
    budget = Budget.objects.filter(user_id=user_id).first()
    if budget is not None:
        return BudgetLimits(budget.alert_threshold, budget.hard_cap)
    cap = settings.DREAMSHOT_BUDGET_HARD_CAP
    return BudgetLimits(
        Decimal(settings.DREAMSHOT_BUDGET_ALERT_THRESHOLD), Decimal(cap) if cap else None
    )


def monthly_spend(*, user_id: object, month: date | None = None) -> Decimal:
    """What the user's tests cost since the first of ``month`` (this month by default)."""
    total = AiTest.objects.filter(user_id=user_id, created_at__gte=month_start_at(month)).aggregate(
        total=Sum("cost")
    )["total"]
    return total or Decimal(0)
