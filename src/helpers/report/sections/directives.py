"""The Deputy Prime Minister's directives that carry a deadline or name provinces (the directives notice)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DIRECTIVES, DateFacts
from helpers.report.formats import vn_date
from helpers.report.names import display_text
from helpers.report.render import EMPTY, Html, f_text, heading, join, table
from helpers.report.sections.sources import Sources


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
                caption=f"Các chỉ đạo tại cuộc họp ngày {vn_date(f.report_date)}",
                cite=sources.cite(DIRECTIVES, "mục II", f.report_date),
            ),
        ]
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    items = f.directives
    if items.empty:
        return None
    return items.assign(deadline_vi=items["deadline"].map(lambda d: vn_date(d) if isinstance(d, str) else "—"), provinces=items["provinces_listed"].fillna(""))
