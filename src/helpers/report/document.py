"""The briefing of one reporting date: the date's facts, and each section worded from them.

``notebooks/briefing.ipynb`` creates one ``Briefing`` from its parameters and calls one
method per section (one cell each); each returns :class:`Html`, empty when the date
has no data for the section. For analysts, ``table_behind(section)`` is the DataFrame a
section is drawn from (cells tagged ``analyst``: in the executed notebook, not in the
leadership HTML). ``summary`` is the machine-readable summary (``summary.json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers import config
from helpers.analysis.facts import DateFacts
from helpers.report import province_page
from helpers.report import summary as summary_json
from helpers.report.render import Html
from helpers.report.sections import appendix, changes, claims, communes, directives, front, header, lead, plan02_tasks, ready_but_low, tasks, trends, uptake, vendors
from helpers.report.sections.sources import Sources
from helpers.tables import load_table


# section -> (its HTML, the DataFrame behind it), in the briefing's order.
SECTIONS = {
    "front": (front.html, front.frame),
    "changes": (changes.html, changes.frame),
    "tasks": (tasks.html, tasks.frame),
    "task_trends": (trends.tasks_html, trends.tasks_frame),
    "directives": (directives.html, directives.frame),
    "communes": (communes.html, communes.frame),
    "plan02_tasks": (plan02_tasks.html, plan02_tasks.frame),
    "uptake": (uptake.html, uptake.frame),
    "ready_but_low": (ready_but_low.html, ready_but_low.frame),
    "plan02_trends": (trends.plan02_html, trends.plan02_frame),
    "vendors": (vendors.html, vendors.frame),
    "claims": (claims.html, claims.frame),
    # last: sources, data quality and the footnotes the sections above cited
    "appendix": (appendix.html, appendix.frame),
}


class Briefing:
    """One reporting date's briefing. ``thresholds`` and ``comparison_dates`` are the params'."""

    def __init__(
        self,
        report_date: str,
        thresholds: dict | None = None,
        processed_dir: str | Path | None = None,
        comparison_dates: Sequence[str] = (),
        distribution_marking: str | None = None,
    ):
        self.report_date = str(report_date)
        self.default_marking = distribution_marking
        self.processed_dir = config.resolve(processed_dir) if processed_dir else config.processed_dir()
        self.facts = DateFacts(self.report_date, lambda name: load_table(name, self.processed_dir), thresholds, comparison_dates)
        self.sources = Sources(self.facts.table("reports"), self.report_date)

    def table(self, name: str) -> pd.DataFrame:
        """A validated table (``data/processed/<name>.csv``)."""
        return self.facts.table(name)

    # ---- sections, in the briefing's order --------------------------------------------------
    def title(self) -> Html:
        return header.title(self.facts)

    def header(self) -> Html:
        return header.html(self.facts, self.sources)

    def lead_summary(self) -> Html:
        return lead.html(self.facts, self.sources)

    def data_available(self) -> Html:
        return header.data_available(self.facts)

    def section(self, name: str) -> Html:
        """One section of :data:`SECTIONS`."""
        return SECTIONS[name][0](self.facts, self.sources)

    def table_behind(self, name: str) -> pd.DataFrame | None:
        """The DataFrame section ``name`` is drawn from (None when the date has no data for it)."""
        return SECTIONS[name][1](self.facts)

    def footnotes(self) -> Html:
        return self.sources.footnotes()

    # ---- province pages and summary.json ------------------------------------------------------
    @cached_property
    def marking(self) -> str | None:
        """The distribution marking of the PDF and the province pages: the date's own reports'
        line where they print one, else the params' ``distribution_marking`` (None when
        neither: an interactive session without params)."""
        return province_page.marking(self.facts, self.default_marking) or None

    def write_province_pages(self, output_dir: str | Path | None) -> int:
        """``<output_dir>/provinces/<code>.html`` for the 34 provinces and their list, from this
        briefing's facts (the build gives the date's staging folder; None writes nothing,
        interactive use). Returns the number of pages written."""
        if output_dir is None:
            return 0
        return len(province_page.write_province_pages(self.facts, config.resolve(output_dir), marking=self.marking or ""))

    @cached_property
    def summary(self) -> dict:
        out = summary_json.summary(self.facts)
        if self.marking is not None:
            out["distribution_marking"] = self.marking  # the PDF's running header (helpers.publish.runner)
        return out
