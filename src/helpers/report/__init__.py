"""Building blocks of the briefings: the notebooks call these and add prose.

``Briefing`` (in :mod:`.document`) loads the tables once for a reporting date and
renders each section as escaped HTML with footnoted sources.
"""

from helpers.report.document import Briefing

__all__ = ["Briefing"]
