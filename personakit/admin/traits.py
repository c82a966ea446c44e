"""A mindscape's traits, readable in the admin: the trait tree and its leaf count."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from config.admin.display import json_dumps, muted

# Deeper than this, a trait subtree is shown as JSON: a tree that deep is unreadable anyway.
TRAIT_TREE_MAX_DEPTH = 8


def trait_tree(traits: Any) -> SafeString:
    """A mindscape's traits as a nested list: every leaf with its dot path and JSON value.

    Keys and values are escaped (traits are written by API callers).
    """
    if not isinstance(traits, dict) or not traits:
        if traits in (None, {}, []):
            return muted("no traits yet")
        return format_html("<code>{}</code>", _value_text(traits))
    return format_html(
        '<ul class="lucid-trait-tree" style="margin: 0; padding: 0; list-style: none;">{}</ul>',
        _branches(traits, "", 0),
    )


def _branches(node: dict[str, Any], prefix: str, depth: int) -> SafeString:
    return format_html_join(
        "",
        "{}",
        ((_branch(str(key), value, f"{prefix}.{key}" if prefix else str(key), depth),)
         for key, value in sorted(node.items(), key=lambda item: str(item[0]))),
    )  # fmt: skip


def _branch(key: str, value: Any, path: str, depth: int) -> SafeString:
    if isinstance(value, dict) and value and depth < TRAIT_TREE_MAX_DEPTH:
        return format_html(
            '<li style="margin: .15rem 0;"><span class="font-semibold" title="{}">{}</span>'
            '<ul style="margin: 0 0 0 1.25rem; padding: 0; list-style: none; '
            'border-left: 1px solid var(--color-base-200); padding-left: .75rem;">{}</ul></li>',
            path,
            key,
            _branches(value, path, depth + 1),
        )
    return format_html(
        '<li class="lucid-trait" style="margin: .15rem 0;"><code class="text-primary-600">{}'
        "</code> {} <code>{}</code></li>",
        path,
        muted("="),
        _value_text(value),
    )


def _value_text(value: Any) -> str:
    return json_dumps(value)  # a subtree of any depth, without recursion


def trait_leaf_count(traits: Any) -> int:
    """How many leaf traits (dot paths with a value) a tree holds."""
    if not isinstance(traits, dict) or not traits:
        return 0 if isinstance(traits, dict) or traits is None else 1
    count, branches = 0, [traits]  # a stack, not recursion: traits may nest any depth
    while branches:
        for value in branches.pop().values():
            if isinstance(value, dict) and value:
                branches.append(value)
            else:
                count += 1
    return count
