from django.db import migrations

from config.database.on_delete import ApplyOnDeleteRules


class Migration(migrations.Migration):
    """Every foreign key's ON DELETE from its model's on_delete (0008 did it once, by hand); the
    account's group and permission links now cascade too.
    A later migration that adds a foreign key ends with ApplyOnDeleteRules() again."""

    dependencies = [("dreamcatcher", "0010_one_active_sync_per_user")]

    operations = [ApplyOnDeleteRules()]
