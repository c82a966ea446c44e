from pathlib import Path

from django.db import migrations

from config.db import run_sql_file
from config.schedules import PeriodicTaskSpec, periodic_tasks_operation

APP_DIR = Path(__file__).resolve().parent.parent


class Migration(migrations.Migration):
    """A vector made by another model than its row's embedding_model is cleared; beat refreshes
    hierarchy_view (writes also queue a debounced refresh)."""

    dependencies = [("aurum", "0005_intelligence_schedules")]

    operations = [
        run_sql_file(APP_DIR, "0006_stale_vectors_of_another_model"),
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="aurum: refresh hierarchy view",
                task="aurum.refresh_hierarchy_view",
                every_seconds=60 * 60,
                expire_seconds=60 * 60,
                description=(
                    "Refreshes the hierarchy_view materialized view concurrently (writes to the "
                    "hierarchy also queue one, debounced); skips while another refresh runs."
                ),
            ),
        ),
    ]
