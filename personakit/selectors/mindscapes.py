"""Trait reads: a value of a mindscape's trait tree by dot path."""

from __future__ import annotations

from typing import Any


def trait_get(traits: dict[str, Any], path: str) -> Any:
    """The value at dot path ``path`` of ``traits``; ``KeyError`` when there is none."""
    node: Any = traits
    for part in str(path).split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node
