from django.db import migrations

from config.schedules import Crontab, PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    dependencies = [
        ("dreamshot", "0004_ai_model_catalogue"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="dreamshot: re-test dreams",
                task="dreamshot.retest_dreams",
                crontab=Crontab(minute="15", hour="3"),
                description="Re-tests active dreams not tested for DREAMSHOT_RETEST_DAYS, "
                "most impossible first, within the daily budget.",
                expire_seconds=6 * 3600,
            ),
            PeriodicTaskSpec(
                name="dreamshot: partition upkeep",
                task="dreamshot.maintain_partitions",
                crontab=Crontab(minute="5", hour="1"),
                description="Makes ai_tests' coming months' partitions.",
                expire_seconds=12 * 3600,
            ),
            PeriodicTaskSpec(
                name="dreamshot: archive old tests",
                task="dreamshot.archive_tests",
                crontab=Crontab(minute="30", hour="2", day_of_month="1"),
                description="Moves tests older than DREAMSHOT_ARCHIVE_AFTER_DAYS into "
                "ai_tests_archive and drops their months.",
                expire_seconds=24 * 3600,
            ),
            PeriodicTaskSpec(
                name="dreamshot: daily budget check",
                task="dreamshot.check_budgets",
                crontab=Crontab(minute="0", hour="6"),
                description="Records an alert for every user over their monthly threshold.",
                expire_seconds=12 * 3600,
            ),
        )
    ]
