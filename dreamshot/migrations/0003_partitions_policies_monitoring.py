"""ai_tests' months from last month to three ahead (beat keeps them coming), row-level
security on the per-user tables, and the seed's monitoring names (sql/0003_monitoring.sql)."""

from datetime import date
from pathlib import Path

from django.db import migrations

from config.database.partitions import add_months, create_monthly_partitions, month_start
from config.database.policies import grant_to_authenticated, owner_policies
from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


def make_partitions(apps, schema_editor):
    this_month = month_start(date.today())
    create_monthly_partitions(
        "dreamshot.ai_tests",
        months_ahead=4,
        start=add_months(this_month, -1),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("dreamshot", "0002_tables")]

    operations = [
        migrations.RunPython(make_partitions, migrations.RunPython.noop),
        grant_to_authenticated("dreamshot"),
        owner_policies(
            "dreamshot", ["dreams", "ai_tests", "progress_logs", "budgets", "budget_alerts"]
        ),
        run_sql_file(APP_DIR, "0003_monitoring"),
    ]
