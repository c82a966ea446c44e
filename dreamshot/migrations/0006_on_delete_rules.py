from django.db import migrations

from config.database.on_delete import ApplyOnDeleteRules


class Migration(migrations.Migration):
    """Every foreign key's ON DELETE from its model's on_delete; a later migration that adds a
    foreign key ends with ApplyOnDeleteRules() again."""

    dependencies = [("dreamshot", "0005_periodic_tasks")]

    operations = [ApplyOnDeleteRules()]
