from pathlib import Path

from django.db import migrations

from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


class Migration(migrations.Migration):
    dependencies = [("aurum", "0002_tables")]

    operations = [run_sql_file(APP_DIR, "0003_rules")]
