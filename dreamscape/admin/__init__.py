"""Dreamscape's admin: behaviour events (estimated counts, bounded filters, never a full scan
for a page), personas and clusters as readable JSON, learning profiles, suggestions with their
state, the engagement view. Importing this package registers every admin."""

from dreamscape.admin import behaviors, insights

__all__ = ["behaviors", "insights"]
