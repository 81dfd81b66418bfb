"""Links to the province pages (``outputs/<date>/provinces/<code:02d>.html``).

Every table or list of a briefing that names provinces links each name to its page
through :func:`province_link`, so the address rule lives in one place.
"""

from __future__ import annotations

import html

PROVINCES_DIR = "provinces"
# Columns of a table frame that hold a province's name, and the column with its code:
# :func:`helpers.report.render.table` links such cells to the province page.
NAME_COLUMNS = {"name": "province_code", "short_name": "province_code"}


def province_href(code: int, base: str = PROVINCES_DIR + "/") -> str:
    """The page of province ``code`` relative to the briefing (``base`` from elsewhere)."""
    return f"{base}{int(code):02d}.html"


def province_link(code: int, name: str, base: str = PROVINCES_DIR + "/") -> str:
    """``<a>`` to the province page, its text escaped."""
    return f'<a class="prov" href="{province_href(code, base)}">{html.escape(str(name), quote=True)}</a>'

