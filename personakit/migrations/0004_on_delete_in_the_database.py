from pathlib import Path

from django.db import migrations

from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


class Migration(migrations.Migration):
    dependencies = [("personakit", "0003_persons_observations_narratives_mappers_outbox")]

    operations = [run_sql_file(APP_DIR, "0004_on_delete_in_the_database")]
