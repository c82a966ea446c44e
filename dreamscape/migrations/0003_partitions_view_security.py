from pathlib import Path

from django.db import migrations

from config.database.on_delete import ApplyOnDeleteRules
from config.database.policies import grant_to_authenticated, owner_policies
from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent
OWNED_TABLES = [
    "user_behaviors",
    "user_personas",
    "learning_profiles",
    "tag_clusters",
    "dreamscape_suggestions",
]


def make_partitions(apps, schema_editor):
    # The months retention keeps (two years back) through three ahead; beat keeps them coming.
    from datetime import date

    from config.database.partitions import add_months, create_monthly_partitions, month_start

    this_month = month_start(date.today())
    create_monthly_partitions(
        "dreamscape.user_behaviors",
        start=add_months(this_month, -24),
        months_ahead=27,
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("dreamscape", "0002_tables")]

    operations = [
        migrations.RunPython(make_partitions, migrations.RunPython.noop),
        run_sql_file(APP_DIR, "0003_engagement_summary"),
        run_sql_file(APP_DIR, "0003_seed_constraint_names"),
        grant_to_authenticated("dreamscape"),
        owner_policies("dreamscape", OWNED_TABLES),
        ApplyOnDeleteRules(),
    ]
