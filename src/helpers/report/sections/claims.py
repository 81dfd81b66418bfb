"""Briefing section: the claims ledger (what each report states, and what the tables give)."""

from __future__ import annotations

from helpers.analysis.claims import STATUS_VI, claims_for_date
from helpers.report.render import Html, esc


class TableView:
    """``tables[name]`` over a Briefing's cached ``table(name)`` (the analysis takes a mapping)."""

    def __init__(self, briefing):
        self._briefing = briefing

    def __getitem__(self, name: str):
        return self._briefing.table(name)


def ledger_for(briefing) -> list[dict]:
    """The date's ledger, computed once per briefing and kept in its summary (summary.json ``claims``)."""
    if "claims" not in briefing.summary:
        briefing.summary["claims"] = claims_for_date(TableView(briefing), briefing.report_date)
    return briefing.summary["claims"]


def claims_section(briefing) -> Html:
    ledger = ledger_for(briefing)
    if not ledger:
        return Html('<section class="claims"><h2>Đối chiếu số liệu nêu trong báo cáo</h2><p>Báo cáo không nêu con số nào để đối chiếu.</p></section>')
    counts = {s: sum(1 for c in ledger if c["status"] == s) for s in STATUS_VI}
    intro = (
        f"Mỗi con số phần nội dung báo cáo nêu được tính lại từ các phụ lục và bảng số liệu: "
        f"{counts['confirmed']} khớp, {counts['contradicted']} không khớp, "
        f"{counts['unverifiable']} không kiểm chứng được (không có bảng số liệu tương ứng)."
    )
    order = {"contradicted": 0, "confirmed": 1, "unverifiable": 2}
    rows = "".join(
        f'<tr class="{c["status"]}"><td>{esc(c["stated"])}</td><td>{esc(c["derived"] or "—")}</td>'
        f'<td>{esc(STATUS_VI[c["status"]])}</td><td class="source">{esc(c["source"])}</td></tr>'
        for c in sorted(ledger, key=lambda c: order[c["status"]])
    )
    return Html(
        '<section class="claims"><h2>Đối chiếu số liệu nêu trong báo cáo</h2>'
        f"<p>{esc(intro)}</p><table><thead><tr><th>Báo cáo nêu</th><th>Tính lại từ số liệu</th>"
        f"<th>Kết quả</th><th>Nguồn (tệp:dòng)</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )
