"""The seed's default brands and tags, with exactly the seed's values."""

from django.db import migrations

BRANDS = [
    ("personal", "Personal", "Personal Projects", "Personal development projects", "#3B82F6", "user"),
    ("bc-innovations", "BC Innovations", "Blurred Concepts Innovations", "BC Innovations projects", "#10B981", "lightbulb"),
    ("bc-studio", "BC Studio", "Blurred Concepts Studio", "BC Studio design projects", "#F59E0B", "palette"),
    ("mpgworldwide", "MPGWorldwide", "MPGWorldwide Projects", "MPGWorldwide business projects", "#8B5CF6", "globe"),
    ("accordingto", "Accordingto", "Accordingto Projects", "Accordingto content projects", "#EF4444", "book"),
]

TAGS = [
    ("coding", "Coding", "Task", "#3B82F6", "Programming and development tasks"),
    ("admin", "Admin", "Task", "#6B7280", "Administrative tasks"),
    ("design", "Design", "Task", "#F59E0B", "Design and UI/UX tasks"),
    ("marketing", "Marketing", "Task", "#10B981", "Marketing and promotion tasks"),
    ("devops", "DevOps", "Task", "#8B5CF6", "DevOps and infrastructure tasks"),
    ("strategy", "Strategy", "Task", "#EF4444", "Strategic planning tasks"),
]


def insert_defaults(apps, schema_editor):
    Brand = apps.get_model("dreamcatcher", "Brand")
    Tag = apps.get_model("dreamcatcher", "Tag")
    for id, name, display_name, description, color, icon in BRANDS:
        Brand.objects.update_or_create(
            id=id,
            defaults={"name": name, "display_name": display_name, "description": description,
                      "color": color, "icon": icon},
        )
    for id, name, category, color, description in TAGS:
        Tag.objects.update_or_create(
            id=id,
            defaults={"name": name, "category": category, "color": color,
                      "description": description},
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("dreamcatcher", "Tag").objects.filter(id__in=[t[0] for t in TAGS]).delete()
    apps.get_model("dreamcatcher", "Brand").objects.filter(id__in=[b[0] for b in BRANDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dreamcatcher", "0005_row_level_security")]

    operations = [migrations.RunPython(insert_defaults, remove_defaults)]
