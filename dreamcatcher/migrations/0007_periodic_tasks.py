from django.db import migrations

from config.schedules import Crontab, PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    dependencies = [
        ("dreamcatcher", "0006_default_brands_and_tags"),
        ("lucid", "0002_periodic_tasks"),
    ]

    operations = [
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="dreamcatcher: refresh dream statistics",
                task="dreamcatcher.refresh_dream_statistics",
                every_seconds=5 * 60,
                expire_seconds=5 * 60,
                description=(
                    "Refreshes the dream_statistics materialized view concurrently; "
                    "skips while another refresh runs."
                ),
            ),
            PeriodicTaskSpec(
                name="dreamcatcher: clean up old data",
                task="dreamcatcher.cleanup_old_data",
                crontab=Crontab(minute="15", hour="4", timezone="UTC"),
                expire_seconds=12 * 3600,
                description=(
                    "cleanup_old_data(): deletes sync sessions older than 30 days and completed "
                    "implementations older than 90 days, then analyses the busy tables."
                ),
            ),
        )
    ]
