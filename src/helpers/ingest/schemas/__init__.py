"""Pandera schemas for every table in ``data/processed``, in two stages.

* **lax** (right after extraction): the columns exist and have the right type;
  nulls allowed; no value checks. It catches a parser that lost a column.
* **strict** (after cleaning and cross-checks): types, ranges, allowed values,
  nullability and unique keys. It is what downstream code may rely on.

Each table is a :class:`TableSpec`; ``TABLES`` maps the table name to it. The data
dictionary (``docs/DATA_DICTIONARY.md``, also written next to the tables) is generated from these specs.
"""

from __future__ import annotations

from helpers.ingest.schemas.spec import TableSpec, lax_schema
from helpers.ingest.schemas.tables import TABLES
from helpers.ingest.schemas import extra_claims
from helpers.ingest.schemas import extra_daily
from helpers.ingest.schemas import extra_directives
from helpers.ingest.schemas import extra_plan02
from helpers.ingest.schemas import extra_plan02_blocs
from helpers.ingest.schemas import extra_vendors

for _module in (extra_claims, extra_daily, extra_plan02, extra_plan02_blocs, extra_vendors, extra_directives):
    for _spec in _module.EXTRA_TABLES:
        if _spec.name in TABLES:
            raise RuntimeError(f"table {_spec.name!r} defined twice")
        TABLES[_spec.name] = _spec

__all__ = ["TABLES", "TableSpec", "lax_schema"]
