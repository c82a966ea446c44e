"""django-unfold settings: the admin's look, its sidebar grouped by system, and the dashboard.

``config.settings`` imports ``UNFOLD`` from here, so this module is imported before the app
registry is ready: it must import no models, and builds everything model-related lazily,
per request (the callables below). It names no app: the platform's models come from settings
(``AUTH_USER_MODEL``, ``LUCID_API_KEY_MODEL``), and each system's icon from its app config's
``admin_icon``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

# Shown under "Platform", in this order, rather than under the app that defines them. A name
# in capitals is the setting that names the model.
PLATFORM_MODELS = (
    ("AUTH_USER_MODEL", "person"),
    ("auth.group", "group"),
    ("LUCID_API_KEY_MODEL", "key"),
    ("django_celery_beat.periodictask", "schedule"),
    ("django_celery_results.taskresult", "task_alt"),
)
# Model search scans with icontains; only small tables take part.
SEARCHED_MODELS = ("AUTH_USER_MODEL", "LUCID_API_KEY_MODEL", "auth.group")
DEFAULT_MODEL_ICON = "table_rows"


def _model_label(name: str) -> str:
    """``app_label.modelname`` of a label, or of the model a setting in capitals names."""
    from django.conf import settings

    return (getattr(settings, name) if name.isupper() else name).lower()


def _platform_labels() -> list[tuple[str, str]]:
    return [(_model_label(name), icon) for name, icon in PLATFORM_MODELS]


def search_models(request: HttpRequest) -> list[str]:
    """The models the command palette searches (unfold's ``COMMAND["search_models"]``)."""
    return [_model_label(name) for name in SEARCHED_MODELS]


def _nav_item(model_entry: dict[str, Any], icon: str | None) -> dict[str, Any]:
    model_admin_icon = getattr(model_entry.get("model_admin"), "icon", None)
    return {
        "title": model_entry["name"],
        "icon": model_admin_icon or icon or DEFAULT_MODEL_ICON,
        "link": model_entry["admin_url"],
    }


def sidebar_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The sidebar: Dashboard, Platform, one group per system, then everything else.

    Built per request from the models registered in the admin and the user's permissions, so
    a model an app registers later appears under its system without touching this file.
    """
    from django.apps import apps
    from django.conf import settings
    from django.contrib import admin

    entries: dict[str, dict[str, Any]] = {}
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            if entry.get("admin_url"):
                model = entry["model"]
                entries[model._meta.label_lower] = {
                    **entry,
                    "model_admin": admin.site._registry.get(model),
                }

    groups: list[dict[str, Any]] = [
        {
            "items": [
                {"title": "Dashboard", "icon": "dashboard", "link": reverse_lazy("admin:index")},
                {
                    "title": "Database health",
                    "icon": "database",
                    "link": reverse_lazy("database-health"),
                },
            ]
        },
        {
            "title": "Platform",
            "items": [
                _nav_item(entries.pop(label), icon)
                for label, icon in _platform_labels()
                if label in entries
            ],
        },
    ]
    for app_label in settings.LUCID_APPS:
        app_config = apps.get_app_config(app_label)
        app_entries = sorted(
            (entry for label, entry in entries.items() if label.split(".")[0] == app_label),
            key=lambda entry: str(entry["name"]).lower(),
        )
        for entry in app_entries:
            entries.pop(entry["model"]._meta.label_lower)
        groups.append(
            {
                "title": app_config.verbose_name,
                "collapsible": len(app_entries) > 8,
                # An app's AppConfig may name its system's icon (``admin_icon``).
                "items": [
                    _nav_item(entry, getattr(app_config, "admin_icon", None))
                    for entry in app_entries
                ],
            }
        )
    if entries:  # schedules, group results, anything not placed above
        groups.append(
            {
                "title": "More",
                "collapsible": True,
                "items": [
                    _nav_item(entry, None)
                    for entry in sorted(entries.values(), key=lambda e: str(e["name"]).lower())
                ],
            }
        )
    return groups


def environment(request: HttpRequest) -> list[str] | None:
    """The header's environment badge: loud in development, absent in production."""
    from django.conf import settings

    return ["Development", "warning"] if settings.DEBUG else None


def dashboard(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """unfold's DASHBOARD_CALLBACK: render the registered dashboard cards, grouped by system."""
    from config.admin.dashboard import dashboard_sections

    context["dashboard_sections"] = dashboard_sections(request)
    return context


UNFOLD = {
    "SITE_TITLE": "Lucid",
    "SITE_HEADER": "Lucid",
    "SITE_SUBHEADER": "Back-office",
    "SITE_SYMBOL": "bedtime",
    "SITE_URL": "/",
    "SITE_DROPDOWN": [
        {"icon": "home", "title": "Landing page", "link": reverse_lazy("landing")},
        {"icon": "api", "title": "API documentation", "link": reverse_lazy("api-docs")},
        {"icon": "monitor_heart", "title": "Health check", "link": reverse_lazy("healthz")},
    ],
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,  # no model has a public page
    "ENVIRONMENT": "config.admin.theme.environment",
    "DASHBOARD_CALLBACK": "config.admin.theme.dashboard",
    "BORDER_RADIUS": "8px",
    "COLORS": {
        # Indigo-violet, the colour of a night sky before dawn.
        "primary": {
            "50": "oklch(96.2% .018 272.314)",
            "100": "oklch(93% .034 272.788)",
            "200": "oklch(87% .065 274.039)",
            "300": "oklch(78.5% .115 274.713)",
            "400": "oklch(67.3% .182 276.935)",
            "500": "oklch(58.5% .233 277.117)",
            "600": "oklch(51.1% .262 276.966)",
            "700": "oklch(45.7% .24 277.023)",
            "800": "oklch(39.8% .195 277.366)",
            "900": "oklch(35.9% .144 278.697)",
            "950": "oklch(25.7% .09 281.288)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "command_search": True,
        "show_all_applications": True,
        "navigation": sidebar_navigation,
    },
    "COMMAND": {
        "search_models": search_models,
        "show_history": True,
    },
}
