"""What every parser returns, and small tools parsers share."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.ingest.provinces import province_code
from helpers.ingest.rawtext import RawReport
from helpers.ingest.numbers import parse_vn_int, parse_vn_pct

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class Finding:
    """A data-quality finding: the source contradicts itself or needs a stated correction.

    ``source`` names the document part (e.g. ``"plan02 Phụ lục 5"``); ``check`` is a
    stable snake_case id; ``detail`` is one Vietnamese or English sentence with the figures.
    """

    source: str
    check: str
    severity: str
    detail: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")


@dataclass
class ParsedReport:
    kind: str  # "daily_readiness", "plan02", "vendor_summary", "directives_notice"
    report: RawReport
    report_date: dt.date | None  # None only for undated documents (vendor summary)
    as_of: str  # ISO timestamp or date of the data, as stated in the document ("" if none)
    title: str  # the document's own title, for citing it in briefings
    notice: str = ""  # a distribution restriction the document prints (e.g. not for press), verbatim
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def code_at(report: RawReport, name: str, line: int) -> int:
    """Province code for a spelling at a line of a report (InputError if unknown)."""
    return province_code(name, path=report.path, line=line)


def int_at(report: RawReport, token: str, line: int, what: str = "an integer like 3.321", signed: bool = False) -> int:
    """A count printed at a line; negative only when ``signed`` (no report counts below zero)."""
    try:
        value = parse_vn_int(token)
    except ValueError:
        raise report.error(line, what, token) from None
    if value < 0 and not signed:
        raise report.error(line, "a count of 0 or more", token.strip())
    return value


def pct_at(report: RawReport, token: str, line: int, what: str = "a percentage like 34,50%", signed: bool = False) -> float:
    """A percentage printed at a line: a share 0–100%, or a change -100–100% when ``signed``."""
    try:
        value = parse_vn_pct(token)
    except ValueError:
        raise report.error(line, what, token) from None
    check_pct_range(report, value, token, line, signed)
    return value


def check_pct_range(report: RawReport, value: float, token: str, line: int, signed: bool = False) -> None:
    low = -100.0 if signed else 0.0
    if not low <= value <= 100.0:
        raise report.error(line, f"a percentage {'change ' if signed else ''}from {low:g}% to 100%", token.strip())


def frame_of_rows(rows: list[dict], columns: list[str], nullable_ints: tuple[str, ...] = ()) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)`` (same dtypes, same values), built a column at a
    time: the row-wise constructor converts every row to an object array first. The
    columns named in ``nullable_ints`` are made ``Int64`` at once, as ``.astype("Int64")``
    of that frame's column would make them (without a float64 column in between)."""
    if not rows:
        frame = pd.DataFrame(rows, columns=columns)
        for column in nullable_ints:
            frame[column] = frame[column].astype("Int64")
        return frame
    data = {}
    for c in columns:
        values = [r.get(c, np.nan) for r in rows]  # a missing key is NaN there too
        data[c] = pd.array(values, dtype="Int64") if c in nullable_ints else values
    return pd.DataFrame(data, columns=columns)


_VN_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def vn_date(text: str) -> dt.date | None:
    """First ``d/m/yyyy`` date in text, or None."""
    m = _VN_DATE_RE.search(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    return dt.date(year, month, day)
