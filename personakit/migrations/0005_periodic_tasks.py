from django.db import migrations

from config.schedules import PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    dependencies = [
        ("personakit", "0004_on_delete_in_the_database"),
        ("lucid", "0002_periodic_tasks"),
    ]

    operations = [
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="personakit: mark expired personas",
                task="personakit.mark_expired_personas",
                every_seconds=5 * 60,
                expire_seconds=5 * 60,
                description="Marks personas whose TTL has passed as expired (they are kept).",
            ),
        )
    ]
