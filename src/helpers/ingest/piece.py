"""What one raw report contributes to the tables, in a form that travels.

A :class:`ReportPiece` is a parsed report reduced to plain data: the report's row of the
``reports`` table, its data-quality findings and each of its tables (the parser's, plus
the body's ``claims`` and ``deadline_terms``) as :class:`Columns`, i.e. column lists with
their pandas dtype. The same form crosses from a parsing worker to the main process, is
written to the parse cache as JSON, and is concatenated into the whole tables column by
column (one DataFrame per table, not one per report and table).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

# The dtypes parsers produce. A column of another dtype makes the piece uncacheable (it is
# still ingested, from the frame, exactly as before).
_NUMPY_DTYPES = {"int64": np.int64, "float64": np.float64, "bool": np.bool_}
DTYPES = frozenset({"str", "object", "Int64", *_NUMPY_DTYPES})
# The tables every report gets from its body besides its parser's (helpers.ingest.parsers.claims).
BODY_TABLES = ("claims", "deadline_terms")
# Values an object column may hold and still round-trip through JSON unchanged.
_JSON_SCALARS = (str, int, float, bool, type(None))


class NotPlainData(ValueError):
    """A table holds a dtype or value that JSON cannot carry back unchanged."""


@dataclass
class Columns:
    """One table of one report: column names, their pandas dtype names and their values."""

    columns: list[str]
    dtypes: list[str]
    data: list[list]

    @property
    def rows(self) -> int:
        return len(self.data[0]) if self.data else 0

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Columns":
        columns, dtypes, data = [], [], []
        for name in frame.columns:
            series = frame[name]
            dtype = str(series.dtype)
            if dtype not in DTYPES or not isinstance(name, str):
                raise NotPlainData(f"column {name!r} of dtype {dtype}")
            values = series.tolist()
            if dtype == "Int64":
                values = [None if v is pd.NA else v for v in values]
            elif dtype == "object" and not all(isinstance(v, _JSON_SCALARS) for v in values):
                raise NotPlainData(f"column {name!r} holds values other than text and numbers")
            columns.append(name)
            dtypes.append(dtype)
            data.append(values)
        return cls(columns, dtypes, data)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({c: column_array(d, v) for c, d, v in zip(self.columns, self.dtypes, self.data)}, columns=self.columns)

    def to_json(self) -> dict:
        """Column lists; a column of one repeated value (the report date in every row, a
        table's source) as ``{"same": value, "n": rows}``, which keeps entries small."""
        data = []
        for values in self.data:
            if len(values) > 1 and values.count(values[0]) == len(values):
                data.append({"same": values[0], "n": len(values)})
            else:
                data.append(values)
        return {"columns": self.columns, "dtypes": self.dtypes, "data": data}

    @classmethod
    def from_json(cls, obj) -> "Columns":
        """From :meth:`to_json`'s form, checking its shape (a cache entry is untrusted)."""
        if not isinstance(obj, dict) or set(obj) != {"columns", "dtypes", "data"}:
            raise ValueError("a table is not {columns, dtypes, data}")
        columns, dtypes, data = obj["columns"], obj["dtypes"], obj["data"]
        if not (isinstance(columns, list) and isinstance(dtypes, list) and isinstance(data, list)):
            raise ValueError("a table's columns, dtypes or data is not a list")
        if not (len(columns) == len(dtypes) == len(data)) or len(set(columns)) != len(columns):
            raise ValueError("a table's columns, dtypes and data disagree")
        if not all(isinstance(c, str) for c in columns) or not all(d in DTYPES for d in dtypes):
            raise ValueError("a column name or dtype is not one the parsers produce")
        data = [_expand(v) for v in data]
        if len({len(v) for v in data}) > 1:
            raise ValueError("the columns of a table differ in length")
        for dtype, values in zip(dtypes, data):
            if dtype == "str":  # text or NaN only (checked in C: entries hold ~10^5 values)
                if values and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                    raise ValueError("a text column holds something other than text")
            elif dtype == "object" and not all(isinstance(v, _JSON_SCALARS) for v in values):
                raise ValueError("a column holds a list or an object")
        return cls(columns, dtypes, data)


def _expand(values) -> list:
    """A column as :meth:`Columns.to_json` wrote it, back to its list of values."""
    if isinstance(values, list):
        return values
    if isinstance(values, dict) and set(values) == {"same", "n"} and isinstance(values["n"], int) and 0 <= values["n"] <= 10**7:
        if not isinstance(values["same"], _JSON_SCALARS):
            raise ValueError("a repeated value is a list or an object")
        return [values["same"]] * values["n"]
    raise ValueError("a column is neither a list of values nor a repeated value")


def column_array(dtype: str, values: list):
    """The array of ``values`` with the dtype the parser's frame had."""
    if dtype in _NUMPY_DTYPES:
        return np.array(values, dtype=_NUMPY_DTYPES[dtype])
    if dtype == "object":
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return pd.Series(out, dtype=object)  # a bare object array of text would become "str" in a DataFrame
    return pd.array(values, dtype=dtype)  # "str" (NaN for missing) and "Int64" (None -> <NA>)


def concat(parts: list[Columns]) -> pd.DataFrame:
    """The pieces of one table, one after another: the same frame as ``pd.concat`` of the
    pieces' frames, built one column at a time (a column whose dtype differs between
    pieces goes through ``pd.concat`` of one-column frames, which decides the common dtype)."""
    if len(parts) == 1:
        return parts[0].frame()
    columns = parts[0].columns
    if any(p.columns != columns for p in parts):
        return pd.concat([p.frame() for p in parts], ignore_index=True)
    out = {}
    for i, name in enumerate(columns):
        dtypes = {p.dtypes[i] for p in parts}
        if len(dtypes) == 1:
            out[name] = column_array(dtypes.pop(), list(itertools.chain.from_iterable(p.data[i] for p in parts)))
        else:
            # one-column frames: concatenating frames and Series pick other dtypes (str + object)
            frames = [pd.DataFrame({name: column_array(p.dtypes[i], p.data[i])}) for p in parts]
            out[name] = pd.concat(frames, ignore_index=True)[name]
    return pd.DataFrame(out, columns=columns)


@dataclass
class ReportPiece:
    """One parsed report as plain data (see the module docstring)."""

    file: str
    sha256: str
    kind: str
    report_date: str | None  # ISO date, None for an undated document
    as_of: str
    title: str
    notice: str
    tables: dict[str, Columns] = field(default_factory=dict)  # the parser's tables, then claims, deadline_terms
    findings: list[dict] = field(default_factory=list)  # data_quality rows
    frames: dict[str, pd.DataFrame] | None = field(default=None, repr=False)  # only when a table is not plain data

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.report_date) if self.report_date else None

    def report_row(self) -> dict:
        return {"file": self.file, "kind": self.kind, "report_date": self.report_date, "as_of": self.as_of or None,
                "title": self.title, "notice": self.notice or None, "sha256": self.sha256}

    def table_names(self) -> list[str]:
        return list(self.frames if self.frames is not None else self.tables)

    def frame(self, name: str) -> pd.DataFrame:
        return self.frames[name] if self.frames is not None else self.tables[name].frame()

    def path(self, raw_dir: Path) -> Path:
        return raw_dir / self.file

    # --- the cache's JSON form ---------------------------------------------------------

    def to_json(self) -> dict:
        if self.frames is not None:
            raise NotPlainData(f"{self.file}: a table is not plain data")
        return {
            "file": self.file, "sha256": self.sha256, "kind": self.kind, "report_date": self.report_date,
            "as_of": self.as_of, "title": self.title, "notice": self.notice,
            "findings": self.findings, "tables": {name: t.to_json() for name, t in self.tables.items()},
        }

    @classmethod
    def from_json(cls, obj) -> "ReportPiece":
        """From :meth:`to_json`'s form; ValueError if anything is not where or what it should be."""
        if not isinstance(obj, dict):
            raise ValueError("not an object")
        texts = ("file", "sha256", "kind", "as_of", "title", "notice")
        if any(not isinstance(obj.get(k), str) for k in texts):
            raise ValueError("a report field is missing or not text")
        report_date = obj.get("report_date")
        if report_date is not None:
            if not isinstance(report_date, str):
                raise ValueError("report_date is not text")
            dt.date.fromisoformat(report_date)
        findings = obj.get("findings")
        keys = {"report_date", "source", "check", "severity", "detail"}
        if not isinstance(findings, list) or not all(isinstance(f, dict) and set(f) == keys for f in findings):
            raise ValueError("findings are not data_quality rows")
        if not all(isinstance(f[k], str) for f in findings for k in keys - {"report_date"}):
            raise ValueError("a finding's text is not text")
        tables = obj.get("tables")
        if not isinstance(tables, dict):
            raise ValueError("tables is not an object")
        return cls(
            file=obj["file"], sha256=obj["sha256"], kind=obj["kind"], report_date=report_date, as_of=obj["as_of"],
            title=obj["title"], notice=obj["notice"], findings=findings,
            tables={name: Columns.from_json(t) for name, t in tables.items()},
        )


def _finding_source(file_name: str, source: str) -> str:
    """'<file> <part>': parsers name the document part; some already lead with the file."""
    source = source.strip()
    if source.startswith(file_name):
        return source
    return f"{file_name} {source}".strip()


def piece_of(parsed) -> ReportPiece:
    """A :class:`ReportPiece` of a parser's ParsedReport, with the body's claims and deadlines."""
    from helpers.ingest.parsers.claims import body_units, extract_claims, extract_deadlines

    report = parsed.report
    report_date = parsed.report_date.isoformat() if parsed.report_date else None
    units = body_units(report)
    frames = dict(parsed.tables)
    frames["claims"] = extract_claims(report, report_date, units)
    frames["deadline_terms"] = extract_deadlines(report, report_date, units)
    findings = [
        {"report_date": report_date, "source": _finding_source(report.name, f.source), "check": f.check, "severity": f.severity, "detail": f.detail}
        for f in parsed.findings
    ]
    piece = ReportPiece(
        file=report.name, sha256=report.sha256, kind=parsed.kind, report_date=report_date,
        as_of=parsed.as_of, title=parsed.title, notice=parsed.notice, findings=findings,
    )
    try:
        piece.tables = {name: Columns.from_frame(frame) for name, frame in frames.items()}
    except NotPlainData:
        piece.frames = frames
    return piece
