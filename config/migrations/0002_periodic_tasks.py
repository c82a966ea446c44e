from django.db import migrations

from config.schedules import Crontab, PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    dependencies = [
        ("lucid", "0001_extensions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="platform: worker heartbeat",
                task="lucid.heartbeat",
                every_seconds=30,
                expire_seconds=30,
                description="Stamps the time a worker last ran a task; /healthz reports its age.",
            ),
            PeriodicTaskSpec(
                name="platform: backfill embeddings",
                task="lucid.backfill_embeddings",
                every_seconds=10 * 60,
                expire_seconds=10 * 60,
                description=(
                    "Embeds rows whose vector is missing or made by another model, "
                    "for every registered embedding column."
                ),
            ),
            PeriodicTaskSpec(
                name="platform: clean up task results",
                task="lucid.cleanup_task_results",
                crontab=Crontab(minute="30", hour="3", timezone="UTC"),
                expire_seconds=12 * 3600,
                description="Deletes task results older than CELERY_RESULT_EXPIRES.",
            ),
        )
    ]
