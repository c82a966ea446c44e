"""What the API accepts in any text or JSON a client sends, checked once at the edge.

JSON is at most ``API_JSON_MAX_DEPTH`` levels deep (so nothing stored is too deep to render)
and every string in it, keys included, is at most ``API_STRING_MAX_LENGTH`` characters and
free of NUL and lone surrogates (PostgreSQL stores neither). Single-line text (names,
titles, tags) also refuses control characters, ANSI escapes and bidi overrides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# C0 and C1 controls (ESC starts every ANSI escape), DEL, and the bidi embeddings,
# overrides and isolates that make text render in another order than it is stored.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _problem(code: str, message: str) -> ErrorDetail:
    return ErrorDetail(message, code=code)


def text_problem(text: str) -> ErrorDetail | None:
    """Why ``text`` cannot be stored, or None."""
    if len(text) > settings.API_STRING_MAX_LENGTH:
        return _problem(
            "max_length",
            f"Ensure this text has no more than {settings.API_STRING_MAX_LENGTH} characters.",
        )
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _problem("null_characters_not_allowed", "Null characters are not allowed.")
    return _problem(
        "surrogate_characters_not_allowed",
        f"Surrogate characters are not allowed: U+{ord(found.group()):X}.",
    )


def control_character_problem(text: str) -> ErrorDetail | None:
    """Why ``text`` is no single line of plain text (a control or bidi character), or None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return _problem(
        "control_characters_not_allowed",
        f"Control characters are not allowed here: U+{ord(found.group()):04X}.",
    )


def _children(value: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(value, dict):
        return value.items()
    return enumerate(value)


def json_problem(value: Any) -> tuple[tuple[Any, ...], ErrorDetail] | None:
    """The first place in ``value`` (a path of keys and indices) the API refuses, and why.

    Walks without recursion, so it measures values of any depth.
    """
    max_depth = settings.API_JSON_MAX_DEPTH
    stack: list[tuple[Any, tuple[Any, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem is not None:
                return path, problem
        elif isinstance(node, dict | list):
            if len(path) >= max_depth:
                return path, too_deep()
            for key, child in _children(node):
                if isinstance(key, str) and (problem := text_problem(key)) is not None:
                    return (*path, printable(key)), problem
                stack.append((child, (*path, key)))
    return None


def too_deep() -> ErrorDetail:
    return _problem(
        "max_depth", f"JSON may be nested at most {settings.API_JSON_MAX_DEPTH} levels deep."
    )


def printable(name: str) -> str:
    """``name`` as an error may show it: unstorable characters escaped, cut to 100 characters."""
    name = _UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", name)
    return name if len(name) <= 100 else f"{name[:100]}…"


def dotted(path: Iterable[Any]) -> str:
    return ".".join(str(part) for part in path)


def check_json(value: Any, *, field: str | None = None) -> None:
    """Raise a ValidationError naming the place in ``value`` (under ``field``) the API refuses."""
    found = json_problem(value)
    if found is None:
        return
    path, problem = found
    where = dotted((field, *path) if field else path) or api_settings.NON_FIELD_ERRORS_KEY
    raise ValidationError({where: [problem]})
