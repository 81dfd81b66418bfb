"""Extra tables produced by the vendors parser (beyond the issue #2 minimum contract).

Define each with `spec(...)` from helpers.schemas.tables and list it in EXTRA_TABLES.
"""

from __future__ import annotations

from .spec import TableSpec
from .tables import spec  # noqa: F401  (used by table definitions added here)

EXTRA_TABLES: list[TableSpec] = []
