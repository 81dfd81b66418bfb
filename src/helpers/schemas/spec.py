"""TableSpec: one table's strict schema, its key and its description."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    strict: pa.DataFrameSchema
    key: tuple[str, ...] = ()  # columns that identify a row (checked unique by strict)
    sort_by: tuple[str, ...] = field(default=())  # deterministic row order on disk

    @property
    def columns(self) -> list[str]:
        return list(self.strict.columns)

    def lax(self) -> pa.DataFrameSchema:
        return lax_schema(self.strict)


def lax_schema(strict: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """Same columns, types coerced, nulls allowed, no value checks."""
    columns = {
        name: pa.Column(col.dtype, nullable=True, coerce=True, required=col.required)
        for name, col in strict.columns.items()
    }
    return pa.DataFrameSchema(columns, name=f"{strict.name} (lax)", strict=False)
