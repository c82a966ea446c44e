from django.db import migrations, models

from config.schedules import Crontab, PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    """Aurum's intelligence: archived conversation memory, and the beat schedules of
    re-scoring, pattern detection, statistics and the conversation archive."""

    dependencies = [
        ("aurum", "0004_row_level_security_and_on_delete"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversationmemory",
            name="archived_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="aurum: re-score open tasks",
                task="aurum.rescore_open_tasks",
                crontab=Crontab(minute="15", hour="2"),
                description="Nightly HRM re-score of every open task and project, with "
                "versioned insights; expired insights lapse first.",
                expire_seconds=6 * 3600,
            ),
            PeriodicTaskSpec(
                name="aurum: detect behaviour patterns",
                task="aurum.detect_patterns",
                crontab=Crontab(minute="30", hour="3", day_of_week="mon"),
                description="Weekly detection of the six behaviour patterns per person.",
                expire_seconds=12 * 3600,
            ),
            PeriodicTaskSpec(
                name="aurum: rebuild statistics",
                task="aurum.rebuild_statistics",
                crontab=Crontab(minute="45", hour="0"),
                description="Daily statistics cache (day, week, month) and user counters.",
                expire_seconds=6 * 3600,
            ),
            PeriodicTaskSpec(
                name="aurum: archive old conversations",
                task="aurum.archive_conversations",
                crontab=Crontab(minute="0", hour="4", day_of_month="1"),
                description="Monthly: conversation memory older than "
                "AURUM_CONVERSATION_ARCHIVE_DAYS leaves search and context.",
                expire_seconds=24 * 3600,
            ),
        ),
    ]
