"""The admin dashboard: renders ``config.registries.dashboard_cards``, grouped by system.

Each card renders on its own: a card that raises (or whose query fails) shows an error in
its own frame, is logged, and leaves the rest of the dashboard intact. Importing this module
registers the platform's own cards (``config.admin.cards``) first.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString

from config.admin import cards as _platform_cards  # noqa: F401  (registers them)
from config.registries import DashboardCard, dashboard_cards

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

PLATFORM_SYSTEM = "Platform"
CHART_HEIGHT = 220
# Datasets without their own colour take these in turn (CSS variables of the theme).
CHART_PALETTE = (
    "var(--color-primary-500)",
    "var(--color-primary-300)",
    "var(--color-green-500)",
    "var(--color-orange-400)",
    "var(--color-blue-500)",
    "var(--color-red-500)",
)


@dataclass(frozen=True)
class RenderedCard:
    name: str
    title: str
    html: SafeString
    failed: bool = False
    link: dict[str, str] | None = None
    wide: bool = False


@dataclass
class DashboardSection:
    system: str
    cards: list[RenderedCard] = field(default_factory=list)


def _system_order(system: str) -> tuple[int, str]:
    from django.apps import apps

    systems = [PLATFORM_SYSTEM] + [
        str(apps.get_app_config(label).verbose_name) for label in settings.LUCID_APPS
    ]
    return (systems.index(system), "") if system in systems else (len(systems), system.lower())


def dashboard_sections(
    request: HttpRequest, cards: Iterable[DashboardCard] | None = None
) -> list[DashboardSection]:
    """Every card rendered, in sections per system: Platform first, then the five systems."""
    sections: dict[str, DashboardSection] = {}
    for card in dashboard_cards if cards is None else cards:
        section = sections.setdefault(card.system, DashboardSection(system=card.system))
        section.cards.append(render_card(card, request))
    return sorted(sections.values(), key=lambda section: _system_order(section.system))


def render_card(card: DashboardCard, request: HttpRequest) -> RenderedCard:
    """Render one card; on any error, an error card (and a logged traceback) instead."""
    try:
        # A savepoint: a failed query must not abort the request's transaction (and so
        # every card after this one).
        with transaction.atomic():
            context = card.render(request)
            html = render_to_string(
                card.template, {**card_context(context), "card": card}, request=request
            )
    except Exception as exc:
        logger.exception("Dashboard card %r failed to render", card.name)
        html = render_to_string(
            "admin/cards/error.html",
            {"card": card, "error_type": type(exc).__name__},
            request=request,
        )
        return RenderedCard(name=card.name, title=card.title, html=html, failed=True)
    return RenderedCard(
        name=card.name,
        title=card.title,
        html=html,
        link=context.get("link"),
        wide=bool(context.get("wide")),
    )


def card_context(context: dict[str, Any]) -> dict[str, Any]:
    """A card's own context plus what the bundled templates need: metrics, chart JSON."""
    extra: dict[str, Any] = {}
    if "metrics" in context:
        extra["metric_items"] = [_metric(item) for item in context["metrics"]]
    chart = context.get("chart")
    if chart:
        extra["chart_type"] = "line" if chart.get("type") == "line" else "bar"
        extra["chart_json"] = chart_json(chart)
        extra["chart_height"] = chart.get("height", CHART_HEIGHT)
    return {**context, **extra}


def _metric(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        metric = dict(item)
    else:
        label, value, *rest = item
        metric = {"label": label, "value": value, "href": rest[0] if rest else None}
    metric["value"] = format_metric_value(metric.get("value"))
    return metric


def format_metric_value(value: Any) -> Any:
    """Numbers with thousands separators, None as a dash; text and HTML as they are."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float | Decimal):
        return number_format(round(value, 1), decimal_pos=1, force_grouping=True)
    return value


def chart_json(chart: dict[str, Any]) -> str:
    """The JSON unfold's chart components read: labels and datasets, coloured and styled."""
    is_line = chart.get("type") == "line"
    datasets = []
    for index, dataset in enumerate(chart.get("datasets", [])):
        colour = CHART_PALETTE[index % len(CHART_PALETTE)]
        styled = {"displayYAxis": True, "backgroundColor": colour}
        if is_line:
            styled["borderColor"] = colour
        else:
            styled.update(maxBarThickness=28, borderRadius=4)
        datasets.append({**styled, **dataset})
    return json.dumps(
        {"labels": list(chart.get("labels", [])), "datasets": datasets}, cls=DjangoJSONEncoder
    )
