"""Dreamshot's admin: dreams with their decay chart, tests (the partitioned table) and the
archive, snapshots, the editable model catalogue with the comparison and the partition
inventory, budgets and alerts. Importing this package registers every admin."""

from dreamshot.admin import catalogue, dreams  # noqa: F401
