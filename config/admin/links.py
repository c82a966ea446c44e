"""Links between admin screens: a model's admin URLs, an object's change page, a count
linked to the changelist filtered down to it."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from config.admin.display import muted, plural


def admin_url(model: type[Model], view: str, *args: Any, query: str = "") -> str:
    """The URL of ``model``'s admin ``view`` ("changelist", "change", "add", or an action's
    URL name), with ``?query``. Raises ``NoReverseMatch`` if the model is not registered."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    return f"{url}?{query}" if query else url


def changelist_url(model: type[Model], query: str = "") -> str | None:
    """``model``'s changelist (with ``?query``), or None if the model is not registered."""
    try:
        return admin_url(model, "changelist", query=query)
    except NoReverseMatch:
        return None


def change_url(obj: Model) -> str | None:
    """``obj``'s change page, or None if its model is not registered."""
    try:
        return admin_url(type(obj), "change", obj.pk)
    except NoReverseMatch:
        return None


def counted_link(model: type[Model], count: int, noun: str, query: str) -> SafeString:
    """A count ("3 observations") linked to ``model``'s changelist filtered by ``query``."""
    if not count:
        return muted(plural(0, noun))
    return format_html(
        '<a href="{}" class="text-primary-600">{}</a>',
        admin_url(model, "changelist", query=query),
        plural(count, noun),
    )


def object_link(obj: Model | None, text: str | None = None) -> SafeString:
    """``obj`` (or ``text``) linked to its change page; a muted dash for no object."""
    if obj is None:
        return muted("—")
    return format_html(
        '<a href="{}" class="text-primary-600">{}</a>',
        admin_url(type(obj), "change", obj.pk),
        text if text is not None else str(obj),
    )
