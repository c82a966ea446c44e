"""Dreamcatcher's admin: accounts, dreams and what hangs off them, sync sessions, brands and
tags, and the read-only views.

The admin connects as the tables' owner, so row-level security does not apply: staff see
every account's rows. Work that takes long (sync, parsing) is handed to the workers.
Importing this package registers every admin (Django's autodiscovery imports it).
"""

from dreamcatcher.admin import accounts, children, dreams, records

__all__ = ["accounts", "children", "dreams", "records"]
