from pathlib import Path

from django.db import migrations

from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


class Migration(migrations.Migration):
    dependencies = [("dreamcatcher", "0004_views")]

    operations = [run_sql_file(APP_DIR, "0005_row_level_security")]
