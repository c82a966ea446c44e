"""Budgets: what a user may spend on tests per month, and the alerts crossing it records."""

from django.conf import settings
from django.db import models

from config.db import created_at, owner, schema_table
from dreamshot.models.base import SCHEMA, cuid_id


def _money(**kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=10, decimal_places=2, **kwargs)


class Budget(models.Model):
    """A user's own monthly budget; without one, the settings' defaults apply
    (``DREAMSHOT_BUDGET_ALERT_THRESHOLD``, ``DREAMSHOT_BUDGET_HARD_CAP``)."""

    id = cuid_id()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dreamshot_budget",
    )
    alert_threshold = _money(help_text="Spend this month above which an alert is recorded.")
    hard_cap = _money(
        null=True, blank=True, help_text="No batch may take the month's spend past this."
    )
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "budgets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alert_threshold__gte=0)
                & (models.Q(hard_cap__isnull=True) | models.Q(hard_cap__gte=0)),
                name="budgets_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"budget of {self.user}"


class BudgetAlert(models.Model):
    """A user's spend crossed their alert threshold in ``month`` (one alert per month)."""

    id = cuid_id()
    user = owner("dreamshot_budget_alerts")
    month = models.DateField(help_text="The first day of the month.")
    threshold = _money()
    monthly_spend = models.DecimalField(max_digits=12, decimal_places=6)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "budget_alerts")
        ordering = ["-created_at"]
        indexes = [models.Index("user", models.F("month").desc(), name="idx_budget_alerts_user")]
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="budget_alerts_user_month_key")
        ]

    def __str__(self) -> str:
        return f"{self.user} over {self.threshold} in {self.month:%Y-%m}"
