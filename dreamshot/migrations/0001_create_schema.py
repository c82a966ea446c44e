from django.db import migrations

from config.db import create_schema


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [create_schema("dreamshot")]
