"""Read-only renderings for the admin: JSON made readable, vectors summarised, never dumped;
counts with their noun, and muted text for what is empty."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

# Past these, a JSON value is folded into a <details> element, opened on demand.
JSON_FOLD_LINES = 12
JSON_FOLD_CHARS = 1_000
# Deeper JSON is shown compact: however deep a stored value is, its page renders.
JSON_INDENT_MAX_DEPTH = 64

_PRE_STYLE = (
    "white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, SFMono-Regular,"
    " Menlo, Consolas, monospace; font-size: 12px; line-height: 1.5; margin: 0;"
    " max-height: 32rem; overflow: auto;"
)
_MUTED_STYLE = "opacity: .65;"


def muted(text: str) -> SafeString:
    """``text`` (escaped) greyed out: an empty value, "never", a count of zero."""
    return format_html('<span style="{}">{}</span>', _MUTED_STYLE, text)


def plural(count: int, noun: str) -> str:
    """A count with its noun: "1 dream", "3 dreams" (regular plurals only)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def json_depth(value: Any) -> int:
    """How deep ``value`` nests (a scalar is 0, ``[]`` is 1), measured without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list | tuple):
            deepest = max(deepest, depth + 1)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


class _Raw(str):
    """JSON punctuation already written, as opposed to a string value still to encode."""


def _compact_json(value: Any) -> str:
    """Compact JSON of ``value`` however deep: written from a stack, not by recursion."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, _Raw):
            parts.append(node)
        elif isinstance(node, dict):
            pending: list[Any] = [_Raw("{")]
            for index, (key, child) in enumerate(node.items()):
                comma = ", " if index else ""
                pending += [_Raw(comma + json.dumps(str(key), ensure_ascii=False) + ": "), child]
            stack.extend(reversed([*pending, _Raw("}")]))
        elif isinstance(node, list | tuple):
            pending = [_Raw("[")]
            for index, child in enumerate(node):
                pending += [_Raw(", "), child] if index else [child]
            stack.extend(reversed([*pending, _Raw("]")]))
        else:
            parts.append(json.dumps(node, ensure_ascii=False, cls=DjangoJSONEncoder))
    return "".join(parts)


def json_dumps(value: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` for any stored value: past ``JSON_INDENT_MAX_DEPTH`` levels, where
    indentation is unreadable and ``json.dumps`` would exhaust the stack, it is compact."""
    if json_depth(value) > JSON_INDENT_MAX_DEPTH:
        return _compact_json(value)
    return json.dumps(value, indent=indent, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_text(value: Any) -> str:
    """``value`` as indented JSON; a string that already holds JSON is parsed first."""
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return value.decode(errors="replace") if isinstance(value, bytes) else value
    return json_dumps(value, indent=2)


def _json_summary(value: Any, text: str) -> str:
    size = f"{len(text.encode()) / 1024:.1f} KB" if len(text) >= 1024 else f"{len(text)} chars"
    if isinstance(value, dict):
        return f"{len(value)} keys · {size}"
    if isinstance(value, list):
        return f"{len(value)} items · {size}"
    return size


def json_display(value: Any) -> SafeString:
    """An escaped, indented ``<pre>`` of ``value``; big values fold into ``<details>``.

    ``None`` renders as a muted dash, so an empty column is told apart from JSON ``null``
    (which a JSONField stores as SQL NULL anyway).
    """
    if value is None:
        return muted("—")
    if isinstance(value, str | bytes):
        with contextlib.suppress(ValueError, RecursionError):
            value = json.loads(value)
    text = json_text(value)
    pre = format_html('<pre class="lucid-json" style="{}">{}</pre>', _PRE_STYLE, text)
    if text.count("\n") < JSON_FOLD_LINES and len(text) < JSON_FOLD_CHARS:
        return pre
    return format_html(
        '<details class="lucid-json-fold"><summary style="cursor: pointer;">{}</summary>{}'
        "</details>",
        _json_summary(value, text),
        pre,
    )


def text_display(value: str | None) -> SafeString:
    """Preformatted text (a traceback, a log), escaped and wrapped; folded when long."""
    if not value:
        return muted("—")
    pre = format_html('<pre class="lucid-text" style="{}">{}</pre>', _PRE_STYLE, value)
    lines = value.count("\n") + 1
    if lines < JSON_FOLD_LINES * 3:
        return pre
    return format_html(
        '<details class="lucid-text-fold" open><summary style="cursor: pointer;">{} lines'
        "</summary>{}</details>",
        lines,
        pre,
    )


def time_ago(moment: datetime | None, *, now: datetime | None = None) -> str:
    """A compact age: "just now", "12 min ago", "3 h ago", "5 d ago", or "never"."""
    if moment is None:
        return "never"
    seconds = ((now or timezone.now()) - moment).total_seconds()
    if seconds < 0:
        return "in the future"
    for unit_seconds, unit in ((86_400, "d"), (3_600, "h"), (60, "min")):
        if seconds >= unit_seconds:
            return f"{int(seconds // unit_seconds)} {unit} ago"
    return "just now"


def _dimensions(vector: Any) -> int | None:
    for attribute in ("dimensions", "dim"):  # pgvector's HalfVector / SparseVector
        dimensions = getattr(vector, attribute, None)
        if callable(dimensions):
            return int(dimensions())
    try:
        return len(vector)
    except TypeError:
        return None


def vector_display(
    vector: Any,
    model_name: str | None,
    updated_at: datetime | None = None,
    *,
    dimensions: int | None = None,
) -> SafeString:
    """Summarise an embedding as "model · 1536-d · 3 h ago", or "missing"; never its numbers.

    ``dimensions`` may be given instead of the vector (e.g. from ``vector_dims()`` in SQL,
    when the column was deferred); ``vector`` is then only tested for presence.
    """
    if vector is None and dimensions is None:
        return format_html(
            '<span class="lucid-vector lucid-vector-missing" style="{}">missing</span>',
            _MUTED_STYLE,
        )
    if dimensions is None:
        dimensions = _dimensions(vector)
    parts = [model_name or "unknown model"]
    if dimensions is not None:
        parts.append(f"{dimensions}-d")
    if updated_at is not None:
        local = timezone.localtime(updated_at) if timezone.is_aware(updated_at) else updated_at
        return format_html(
            '<span class="lucid-vector" title="Embedded or updated {}">{} · {}</span>',
            date_format(local, "DATETIME_FORMAT"),
            " · ".join(parts),
            time_ago(updated_at),
        )
    return format_html('<span class="lucid-vector">{}</span>', " · ".join(parts))


def dimensions_annotation(field_name: str) -> str:
    """The queryset annotation ``LucidModelAdmin`` adds for a deferred vector column."""
    return f"lucid_{field_name}_dims"


def embedding_display(
    vector_field: str = "embedding",
    *,
    model_field: str = "embedding_model",
    updated_field: str | None = "updated_at",
    description: str = "Embedding",
) -> Callable[..., SafeString]:
    """A display method for an embedding column, for ``list_display`` or ``readonly_fields``.

    Use as a class attribute (``embedding_summary = embedding_display("embedding")``, then
    list ``"embedding_summary"``) or put the returned callable in ``list_display`` directly.
    Reads the dimensions ``LucidModelAdmin`` annotates when it defers the vector column.
    """

    def display(*args: Any) -> SafeString:
        obj = args[-1]  # called as display(obj) or, bound to a ModelAdmin, display(self, obj)
        annotation = dimensions_annotation(vector_field)
        if hasattr(obj, annotation):  # the column was deferred and measured in SQL instead
            dimensions = getattr(obj, annotation)
            vector = None if dimensions is None else True
        else:
            dimensions = None
            vector = getattr(obj, vector_field)
        return vector_display(
            vector,
            getattr(obj, model_field, None),
            getattr(obj, updated_field, None) if updated_field else None,
            dimensions=dimensions,
        )

    display.__name__ = f"{vector_field}_display"
    display.short_description = description
    display.empty_value_display = "missing"
    return display
