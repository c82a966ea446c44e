"""The staff "database health" page: every section of ``config.registries.database_health``.

Routed in ``config/urls.py`` behind ``admin.site.admin_view`` (active staff only) and linked
from the sidebar. Each section reports on its own: one whose query fails shows the error in
its own frame, is logged, and leaves the rest of the page intact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse

import config.database.health  # noqa: F401  (registers the platform's sections)
from config.registries import HealthReport, HealthSection, database_health

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedSection:
    section: HealthSection
    report: HealthReport | None = None
    error: str = ""


def render_section(section: HealthSection) -> RenderedSection:
    """The section's report, or the error type it failed with (and a logged traceback)."""
    try:
        with transaction.atomic():  # a failed query must not abort the sections after it
            return RenderedSection(section=section, report=section.report())
    except Exception as exc:
        logger.exception("Database health section %r failed", section.name)
        return RenderedSection(section=section, error=type(exc).__name__)


def database_health_view(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/lucid/database_health.html",
        {
            **admin.site.each_context(request),
            "title": "Database health",
            "sections": [render_section(section) for section in database_health],
        },
    )
