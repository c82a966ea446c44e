"""Public dreams are readable by every API caller under row-level security: a second,
SELECT-only policy beside the owner's, so the public feed runs as its caller like every other
endpoint while writes stay the owner's alone."""

from django.db import migrations

POLICY = '"dreams_public_read"'
TABLE = '"dreamshot"."dreams"'


class Migration(migrations.Migration):
    dependencies = [("dreamshot", "0008_budget_user_editable")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE POLICY {POLICY} ON {TABLE} FOR SELECT TO authenticated "
            "USING (is_public AND status = 'ACTIVE')",
            reverse_sql=f"DROP POLICY IF EXISTS {POLICY} ON {TABLE}",
        )
    ]
