"""The Deputy Prime Minister's directives that carry a deadline or name provinces (the directives notice)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DIRECTIVES, DateFacts
from helpers.report.formats import vn_date
from helpers.report.names import display_text
from helpers.report.render import EMPTY, Html, f_text, heading, join, table
from helpers.report.sections.sources import Sources
from helpers.report.wording import DIRECTIVES_CAPTION_IN_FORCE, DIRECTIVES_CAPTION_MEETING


def html(f: DateFacts, sources: Sources) -> Html:
    items = frame(f)
    if items is None or items.empty:
        return EMPTY
    return join(
        [
            heading(2, "Chỉ đạo của Phó Thủ tướng có thời hạn hoặc nêu tên tỉnh"),
            table(
                items.assign(directive=items["directive"].map(display_text), provinces=items["provinces"].map(display_text)),
                [("directive_id", "Mục", f_text), ("directive", "Chỉ đạo", f_text), ("deadline_vi", "Thời hạn", f_text), ("provinces", "Tỉnh được nêu tên", f_text)],
                caption=caption(items, f.report_date),
                cite=sources.cites(tuple((DIRECTIVES, "mục II", date) for date in notice_dates(items))),
            ),
        ]
    )


def notice_dates(items: pd.DataFrame) -> list[str]:
    """The dates of the notices the listed directives come from, latest first."""
    return sorted(set(items["notice_date"]), reverse=True)


def caption(items: pd.DataFrame, report_date: str) -> str:
    """The meeting of the briefing's day when every directive comes from its notice, else the
    notices' dates (directives of earlier notices still running)."""
    dates = notice_dates(items)
    if dates == [report_date]:
        return DIRECTIVES_CAPTION_MEETING.format(date=vn_date(report_date))
    return DIRECTIVES_CAPTION_IN_FORCE.format(dates=", ".join(vn_date(d) for d in dates))


def frame(f: DateFacts) -> pd.DataFrame | None:
    items = f.directives
    if items.empty:
        return None
    return items.assign(deadline_vi=items["deadline"].map(lambda d: vn_date(d) if isinstance(d, str) else "—"), provinces=items["provinces_listed"].fillna(""))
