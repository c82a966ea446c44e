from pathlib import Path

from django.db import migrations

from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


class Migration(migrations.Migration):
    dependencies = [
        ("dreamcatcher", "0003_functions"),
        ("lucid", "0003_materialized_view_refreshes"),
    ]

    operations = [run_sql_file(APP_DIR, "0004_views")]
