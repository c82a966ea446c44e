"""Aurum Life's admin: the hierarchy (with a tree per person and restore), the journal and
reflections, time and patterns, insights and conversations, statistics, profiles, and the
audit log as a side-by-side diff. Rows the database, the analysers or the API write are
read-only here. Importing this package registers every admin."""

from aurum.admin import audit, hierarchy, intelligence, journal, people, tracking

__all__ = ["audit", "hierarchy", "intelligence", "journal", "people", "tracking"]
