from pathlib import Path

from django.db import migrations

from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


class Migration(migrations.Migration):
    dependencies = [("dreamcatcher", "0007_periodic_tasks")]

    operations = [run_sql_file(APP_DIR, "0008_cascades_and_invoker_views")]
