from django.db import migrations

from config.schedules import Crontab, PeriodicTaskSpec, periodic_tasks_operation


class Migration(migrations.Migration):
    dependencies = [
        ("dreamscape", "0003_partitions_view_security"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        periodic_tasks_operation(
            PeriodicTaskSpec(
                name="dreamscape: partition upkeep",
                task="dreamscape.partition_upkeep",
                crontab=Crontab(minute="5", hour="1"),
                expire_seconds=12 * 3600,
                description="Drains user_behaviors_default and makes the months ahead.",
            ),
            PeriodicTaskSpec(
                name="dreamscape: behaviour retention",
                task="dreamscape.behavior_retention",
                crontab=Crontab(minute="20", hour="1"),
                expire_seconds=12 * 3600,
                description="Drops whole months of user_behaviors older than the retention.",
            ),
            PeriodicTaskSpec(
                name="dreamscape: refresh engagement summary",
                task="dreamscape.refresh_engagement_summary",
                every_seconds=15 * 60,
                expire_seconds=15 * 60,
                description="REFRESH MATERIALIZED VIEW CONCURRENTLY user_engagement_summary.",
            ),
            PeriodicTaskSpec(
                name="dreamscape: analyse personas",
                task="dreamscape.analyze_personas",
                crontab=Crontab(minute="0", hour="3"),
                expire_seconds=12 * 3600,
                description="Persona, learning profiles, suggestions of users with new events.",
            ),
            PeriodicTaskSpec(
                name="dreamscape: cluster tags",
                task="dreamscape.cluster_tags",
                crontab=Crontab(minute="30", hour="3"),
                expire_seconds=12 * 3600,
                description="Re-clusters the tags of users with tagged events (90 days).",
            ),
            PeriodicTaskSpec(
                name="dreamscape: expire suggestions",
                task="dreamscape.expire_suggestions",
                crontab=Crontab(minute="45", hour="3"),
                expire_seconds=12 * 3600,
                description="Deletes long-expired and (after a year) answered suggestions.",
            ),
        )
    ]
