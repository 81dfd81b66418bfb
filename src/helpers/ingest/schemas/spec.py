"""TableSpec: one table's strict schema, its key and its description."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine


class _Text(pandas_engine.STRING):
    """pandas' ``str`` dtype, checked once per column instead of per element.

    pandera's own ``str`` check returns one boolean per row and then formats
    (repr) the empty failure-case table on every successful validation: about
    a quarter of ingestion's wall time. The column-level answer is the same:
    a column holds text exactly when its dtype is a string dtype.
    """

    def check(self, pandera_dtype, data_container=None) -> bool:  # type: ignore[override]
        if data_container is not None:
            dtype = data_container.dtype
            if dtype == object:  # text a parser built by hand: strings and missing values only
                return pd.api.types.infer_dtype(data_container, skipna=True) in ("string", "empty")
            return bool(pd.api.types.is_string_dtype(dtype))
        return super().check(pandera_dtype, None) is True


TEXT = _Text()


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
