"""The briefings' content: wording, formats, templates, plots, and sections by topic.

``Briefing`` (in :mod:`.document`) holds the facts of one reporting date
(:class:`helpers.analysis.facts.DateFacts`) and renders each section as HTML from the
templates, with footnoted sources.
"""

from helpers.report.document import Briefing

__all__ = ["Briefing"]
