"""What changed since the previous briefing: the figures both dates have, side by side.

The previous briefing is the params' latest comparison date, else the latest earlier
report of the same kind (see :attr:`helpers.analysis.facts.DateFacts.previous_date`);
the figures are the same facts the index shows under each briefing.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DateFacts
from helpers.report.formats import signed, vn_date
from helpers.report.render import Html, absent, f_auto, f_text, heading, join, para, table
from helpers.report.sections.sources import Sources
from helpers.report.wording import METRIC_LABELS_VI


def html(f: DateFacts, sources: Sources) -> Html:
    head = heading(2, "Thay đổi so với bản tin trước")
    previous = f.previous_date
    if previous is None:
        return join([head, absent("Đây là bản tin đầu tiên của chuỗi: chưa có bản tin trước để so sánh.")])
    if f.changes.empty:
        return join(
            [
                head,
                para(
                    f"Bản tin trước ({vn_date(previous)}) dựa trên loại báo cáo khác, không có chỉ số trùng để so sánh trực tiếp; "
                    "mục “Diễn biến” cho biết các tỉnh chậm tiến độ khi đó nay ra sao."
                ),
            ]
        )
    cite = sources.cite("derived", f"so sánh số liệu ngày {vn_date(previous)} và {vn_date(f.report_date)} từ các bảng đã kiểm định")
    return join(
        [
            head,
            table(
                frame(f),
                [("label", "Chỉ số", f_text), ("before", vn_date(previous), f_auto), ("after", vn_date(f.report_date), f_auto), ("change_text", "Thay đổi", f_text)],
                caption=f"So với bản tin ngày {vn_date(previous)}",
                cite=cite,
                numeric=("before", "after", "change_text"),
            ),
        ]
    )


def frame(f: DateFacts) -> pd.DataFrame:
    """The metrics of both dates; ``change_text`` is the change as leaders read it: with its
    sign, and in percentage points ("điểm %") for a percentage (a metric named ``*_pct``)."""
    changes = f.changes
    texts = [change_text(name, change) for name, change in zip(changes["name"], changes["change"])]
    return changes.assign(label=changes["name"].map(METRIC_LABELS_VI), change_text=texts)


def change_text(name: str, change) -> str:
    if change is None or change != change:  # a metric one of the dates lacks
        return "—"
    if str(name).endswith("_pct"):
        return signed(float(change), 2)
    return signed(float(change), 0 if float(change).is_integer() else 2, "")
