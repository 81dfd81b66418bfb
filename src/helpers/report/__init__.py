"""Building blocks of the briefings: the notebooks call these and add prose.

``Briefing`` (in :mod:`.document`) loads the tables once for a reporting date and
renders each section as escaped HTML with footnoted sources.
"""

__all__ = ["Briefing"]


def __getattr__(name: str):
    # Imported on first use: the engine reads :mod:`.glue`'s MIME type without loading
    # pandas and matplotlib into every build worker.
    if name == "Briefing":
        from helpers.report.document import Briefing

        return Briefing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
