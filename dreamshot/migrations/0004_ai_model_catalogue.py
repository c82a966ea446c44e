"""The AI model catalogue: a handful of real models at their list prices (USD per 1k tokens,
input then output), and the offline heuristic at zero cost. Staff edit it in the admin."""

from decimal import Decimal

from django.db import migrations

LOCAL_HEURISTIC = {
    "provider": "LOCAL",
    "name": "local-heuristic",
    "display_name": "Local heuristic (deterministic, offline; not an AI model)",
    "max_tokens": 0,
    "cost_per_1k_tokens": Decimal("0"),
    "output_cost_per_1k_tokens": None,
    "capabilities": ["heuristic", "offline", "deterministic"],
}

CATALOGUE = [
    ("OPENAI", "gpt-4o", "GPT-4o", 128_000, "0.002500", "0.010000", ["chat", "json", "vision"]),
    ("OPENAI", "gpt-4o-mini", "GPT-4o mini", 128_000, "0.000150", "0.000600", ["chat", "json"]),
    ("ANTHROPIC", "claude-3-5-sonnet-20241022", "Claude 3.5 Sonnet", 200_000, "0.003000",
     "0.015000", ["chat", "vision"]),
    ("ANTHROPIC", "claude-3-5-haiku-20241022", "Claude 3.5 Haiku", 200_000, "0.000800",
     "0.004000", ["chat"]),
    ("GOOGLE", "gemini-1.5-pro", "Gemini 1.5 Pro", 2_000_000, "0.001250", "0.005000",
     ["chat", "json", "vision"]),
]


def load(apps, schema_editor):
    ai_model = apps.get_model("dreamshot", "AiModel")
    rows = [LOCAL_HEURISTIC] + [
        {
            "provider": provider,
            "name": name,
            "display_name": display,
            "max_tokens": max_tokens,
            "cost_per_1k_tokens": Decimal(input_price),
            "output_cost_per_1k_tokens": Decimal(output_price),
            "capabilities": capabilities,
        }
        for provider, name, display, max_tokens, input_price, output_price, capabilities
        in CATALOGUE
    ]
    for row in rows:
        ai_model.objects.get_or_create(provider=row["provider"], name=row["name"], defaults=row)


def unload(apps, schema_editor):
    ai_model = apps.get_model("dreamshot", "AiModel")
    names = ["local-heuristic"] + [name for _, name, *_ in CATALOGUE]
    ai_model.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("dreamshot", "0003_partitions_policies_monitoring")]

    operations = [migrations.RunPython(load, unload)]
