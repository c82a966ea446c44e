"""Form widgets of the Lucid admin."""

from __future__ import annotations

from typing import Any

from unfold.widgets import UnfoldAdminTextareaWidget

from config.admin.display import json_text

MIN_ROWS = 4
MAX_ROWS = 30


class PrettyJSONWidget(UnfoldAdminTextareaWidget):
    """A textarea showing a JSONField indented, sized to its content, in a monospace font.

    Input the user typed that is not valid JSON is shown back unchanged, so the form error
    points at what they wrote.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {"spellcheck": "false", **(attrs or {})}
        attrs["style"] = "font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;"
        super().__init__(attrs)

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return value
        return json_text(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text = context["widget"]["value"] or ""
        context["widget"]["attrs"]["rows"] = max(MIN_ROWS, min(MAX_ROWS, text.count("\n") + 2))
        return context
