"""The standing documents in force on a date: the directives notices and the vendor summaries.

Each notice and each summary keeps its own rows in the tables (``notice_date``,
``summary_date``), so that a briefing reads what was known on its own date:

* directives: every notice dated on or before the date. A directive that a later notice
  repeats (the same words, its dates aside: a deadline moved from 10/7 to 15/7 is the same
  directive) is taken once, from the later notice, so its deadline is the later one;
* vendors: the latest summary dated on or before the date. An undated summary (the first,
  of about 22–23/6/2025) counts as older than any dated one, so it is in force until the
  first dated summary and on every date when it is the only one.

Before the first notice a date has no directives (empty rows, as before any notice existed).
"""

from __future__ import annotations

import re

import pandas as pd

# Dates as the notices print them: 'ngày 10 tháng 7 năm 2025', '01/7/2025', '10.7.2025'.
_PRINTED_DATE_RE = re.compile(r"\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{4}")
_SPACES_RE = re.compile(r"\s+")


def directive_identity(text: str) -> str:
    """What makes two notices' directives the same one: their words with every printed date
    masked and spaces collapsed."""
    return _SPACES_RE.sub(" ", _PRINTED_DATE_RE.sub("<date>", str(text))).strip()


def directives_in_force(rows: pd.DataFrame, date: str) -> pd.DataFrame:
    """The rows of ``directives`` or ``directive_items`` in force on ``date``: those of every
    notice dated on or before it, a directive repeated by a later notice only from the later
    one (all of that notice's rows of it: one per province it names). Original row order."""
    if rows.empty:
        return rows
    known = rows[rows["notice_date"] <= date]
    if known.empty or known["notice_date"].nunique() == 1:
        return known
    identity = known["directive"].map(directive_identity)
    latest = known.groupby(identity)["notice_date"].transform("max")
    return known[known["notice_date"] == latest]


def summary_in_force(summary_dates: pd.Series, date: str) -> str | None:
    """The ``summary_date`` of the vendor summary in force on ``date`` among ``summary_dates``
    (None, or NaN, for an undated summary): the latest dated on or before ``date``, else the
    undated one. None both for the undated summary and when there is no summary at all:
    :func:`vendors_in_force` tells them apart by its rows."""
    dated = sorted({d for d in summary_dates.dropna() if d <= date})
    return dated[-1] if dated else None


def vendors_in_force(rows: pd.DataFrame, date: str) -> pd.DataFrame:
    """The rows of ``vendors`` or ``vendors_appendix`` of the summary in force on ``date``."""
    if rows.empty:
        return rows
    chosen = summary_in_force(rows["summary_date"], date)
    keep = rows["summary_date"].isna() if chosen is None else rows["summary_date"] == chosen
    return rows[keep]
