from django.db import migrations

from config.database.on_delete import ApplyOnDeleteRules
from config.database.policies import grant_to_authenticated, owner_policies

OWNED_TABLES = [
    "pillars",
    "areas",
    "projects",
    "tasks",
    "task_dependencies",
    "journal_entries",
    "user_profiles",
    "user_stats",
    "insights",
    "daily_reflections",
    "ai_conversation_memory",
    "time_entries",
    "user_behavior_patterns",
    "user_statistics_cache",
    "audit_log",
]


class Migration(migrations.Migration):
    """API requests read and write Aurum's tables as their caller (row-level security); every
    foreign key's ON DELETE in the database, user_id ones cascading as the seed says."""

    dependencies = [("aurum", "0003_rules_and_hierarchy_view")]

    operations = [
        grant_to_authenticated("aurum"),
        owner_policies("aurum", OWNED_TABLES),
        ApplyOnDeleteRules(),
    ]
