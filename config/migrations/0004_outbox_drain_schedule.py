from django.db import migrations

from config.schedules import PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    dependencies = [
        ("lucid", "0003_materialized_view_refreshes"),
        ("personakit", "0004_on_delete_in_the_database"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="platform: drain the outbox",
                task="lucid.drain_outbox",
                every_seconds=5,
                expire_seconds=5,
                description=(
                    "Runs due outbox tasks (personakit.outbox_tasks) and reclaims those whose "
                    "lease expired. Commits also kick it; this is the safety net."
                ),
            ),
        )
    ]
