"""The briefings' content: wording, formats, templates, plots, and sections by topic.

``Briefing`` (in :mod:`.document`) holds the facts of one reporting date
(:class:`helpers.analysis.facts.DateFacts`) and renders each section as HTML from the
templates, with footnoted sources.
"""

__all__ = ["Briefing"]


def __getattr__(name: str):
    # Imported on first use: the engine reads :mod:`.glue`'s MIME type without loading
    # pandas and matplotlib into every build worker.
    if name == "Briefing":
        from helpers.report.document import Briefing

        return Briefing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
