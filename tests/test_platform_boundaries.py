"""The platform names no app: ``config/`` reaches the apps only through settings and registries.

Apps plug into the platform from their ``AppConfig.ready()`` (``config.registries``), and the
app-defined models the platform works with are named by settings (``AUTH_USER_MODEL``,
``LUCID_API_KEY_MODEL``, ``LUCID_OUTBOX_MODEL``). So no module of ``config`` imports an app,
looks one up by label or spells ``"<app>.<model>"``; only the settings name apps, and landed
migrations stay as they are. Docstrings may show examples.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.platform_models import get_api_key_model, get_outbox_model

CONFIG = Path(settings.BASE_DIR) / "config"
MAY_NAME_APPS = {"settings.py", "test_settings.py"}


def platform_modules() -> list[Path]:
    return sorted(
        path
        for path in CONFIG.rglob("*.py")
        if path.name not in MAY_NAME_APPS and "migrations" not in path.relative_to(CONFIG).parts
    )


def _docstrings(tree: ast.Module) -> set[int]:
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def app_mentions(source: str, app_labels: list[str]) -> list[str]:
    """Where ``source`` names one of ``app_labels``: imports, and strings outside docstrings
    ("personakit", "personakit.ApiKey", "admin:personakit_feedback_changelist", ...)."""
    labels = "|".join(re.escape(label) for label in app_labels)
    in_text = re.compile(rf"(?<![\w-])({labels})(?![A-Za-z0-9-])")
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            modules = []
        found += [
            (node.lineno, f"imports {module}")
            for module in modules
            if module.split(".")[0] in app_labels
        ]
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and in_text.search(node.value)
        ):
            found.append((node.lineno, f"names an app in {node.value!r}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_no_platform_module_names_an_app():
    offences = [
        f"config/{path.relative_to(CONFIG)} {mention}"
        for path in platform_modules()
        for mention in app_mentions(path.read_text(), settings.LUCID_APPS)
    ]

    assert offences == [], (
        "config/ must not name an app: reach app models through settings "
        "(config.platform_models) and app features through config.registries.\n"
        + "\n".join(offences)
    )


def test_the_scan_finds_each_way_of_naming_an_app():
    source = '''
"""Docstrings may say personakit.ApiKey in an example."""
from typing import TYPE_CHECKING
import dreamcatcher.models
if TYPE_CHECKING:
    from personakit.models import OutboxTask
apps.get_model("personakit", "OutboxTask")
LABELS = ["dreamcatcher.user", "auth.group"]
URL = f"admin:personakit_{name}_changelist"
TASK = "dreamscape_sync"
NOT_AN_APP = "dreamcatchers.of.the.world"
'''
    found = app_mentions(source, ["dreamcatcher", "personakit", "dreamscape"])

    assert found == [
        "line 4: imports dreamcatcher.models",
        "line 6: imports personakit.models",
        "line 7: names an app in 'personakit'",
        "line 8: names an app in 'dreamcatcher.user'",
        "line 9: names an app in 'admin:personakit_'",
        "line 10: names an app in 'dreamscape_sync'",
    ]


def test_the_scan_covers_the_platform_but_not_settings_or_migrations():
    scanned = {str(path.relative_to(CONFIG)) for path in platform_modules()}

    assert {"outbox.py", "privacy.py", "registries.py", "admin/theme.py"} <= scanned
    assert "settings.py" not in scanned
    assert not any(name.startswith("migrations/") for name in scanned)


# --- the settings that name the platform's models ----------------------------------------


def test_settings_name_the_api_key_and_outbox_models():
    assert get_api_key_model()._meta.label == settings.LUCID_API_KEY_MODEL
    assert get_outbox_model()._meta.label == settings.LUCID_OUTBOX_MODEL


@pytest.mark.parametrize(
    ("label", "complaint"),
    [
        ("ApiKey", "must be of the form 'app_label.ModelName'"),
        ("nowhere.ApiKey", "which is not installed"),
    ],
)
def test_a_wrong_model_setting_is_a_configuration_error(settings, label, complaint):
    settings.LUCID_API_KEY_MODEL = label

    with pytest.raises(ImproperlyConfigured, match=f"LUCID_API_KEY_MODEL .*{complaint}"):
        get_api_key_model()
