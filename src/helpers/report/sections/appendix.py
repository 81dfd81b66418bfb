"""The appendix of a briefing: source documents, data quality and the footnotes.

Leaders read the front page and the sections; where each figure comes from and
where the sources contradict themselves is for whoever checks. So these close the
briefing in one ``<details>`` block: collapsed on screen, printed open on a new
page (briefing.css). Documents are named by kind and date, never by file name.
The appendix comes last: the footnotes are those the sections above it cited.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DateFacts
from helpers.report.render import Html, render
from helpers.report.sections import header, quality
from helpers.report.sections.sources import Sources


def html(f: DateFacts, sources: Sources) -> Html:
    return render("appendix", documents=header.documents(f, sources), data_quality=quality.html(f, sources), footnotes=sources.footnotes())


def frame(f: DateFacts) -> pd.DataFrame | None:
    """The table of the appendix: the data-quality findings, grouped."""
    return quality.frame(f)
