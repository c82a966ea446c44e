"""Budgets: the month's spend per user, alerts when it crosses the threshold, and the hard cap
a batch may not pass (checked before any model is asked)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from dreamshot.models import AiTest, BudgetAlert
from dreamshot.selectors.budgets import budget_limits, month_start_at, monthly_spend, this_month


class BudgetExceeded(Exception):
    """A batch would take the month's spend past the user's hard cap."""

    def __init__(self, *, spend: Decimal, estimate: Decimal, cap: Decimal) -> None:
        super().__init__(
            f"This batch could cost up to {estimate:.6f}; with {spend:.6f} spent this month "
            f"that passes your monthly cap of {cap:.2f}. Nothing was sent."
        )
        self.spend, self.estimate, self.cap = spend, estimate, cap


def lock_user_spend(*, user_id: object) -> None:
    """Serialise this transaction with others spending for the same user, so two batches
    cannot both pass the cap on the same remaining money."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"dreamshot:spend:{user_id}"])


def budget_check_batch(*, user_id: object, estimate: Decimal) -> None:
    """Refuse (``BudgetExceeded``) a batch whose estimate would pass the hard cap. Call inside
    the transaction that creates the batch's tests."""
    lock_user_spend(user_id=user_id)
    limits = budget_limits(user_id=user_id)
    if limits.hard_cap is None:
        return
    spend = monthly_spend(user_id=user_id)
    if spend + estimate > limits.hard_cap:
        raise BudgetExceeded(spend=spend, estimate=estimate, cap=limits.hard_cap)


@transaction.atomic
def budget_alert_record(*, user_id: object) -> BudgetAlert | None:
    """Record this month's alert if the user's spend is past their threshold (once a month);
    returns the alert, new or existing, or None while under it."""
    limits = budget_limits(user_id=user_id)
    spend = monthly_spend(user_id=user_id)
    if spend <= limits.alert_threshold:
        return None
    alert, created = BudgetAlert.objects.get_or_create(
        user_id=user_id,
        month=this_month(),
        defaults={"threshold": limits.alert_threshold, "monthly_spend": spend},
    )
    if not created and alert.monthly_spend != spend:
        alert.monthly_spend = spend
        alert.save(update_fields=["monthly_spend"])
    return alert


def budget_alerts_check() -> int:
    """Record alerts for every user over their threshold this month; returns how many."""
    user_ids = (
        AiTest.objects.filter(created_at__gte=month_start_at(), cost__gt=0)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(1 for user_id in user_ids if budget_alert_record(user_id=user_id) is not None)
