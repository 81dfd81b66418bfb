"""Briefing section: the claims ledger (what each report states, and what the tables give)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.claims import STATUSES
from helpers.analysis.facts import DateFacts
from helpers.report.render import Html, esc
from helpers.report.sections.sources import Sources
from helpers.report.wording import CLAIM_STATUS_VI

HEADING = "<h2>Đối chiếu số liệu nêu trong báo cáo</h2>"
# Printed only (briefing.css): paper lists the figures that do not match.
PRINTED = "Bản in chỉ liệt kê các con số không khớp; các con số khớp và không kiểm chứng được có trong bản điện tử."


def html(f: DateFacts, sources: Sources | None = None) -> Html:
    ledger = f.claims
    if not ledger:
        return Html(f'<section class="claims">{HEADING}<p>Báo cáo không nêu con số nào để đối chiếu.</p></section>')
    counts = {s: sum(1 for c in ledger if c["status"] == s) for s in STATUSES}
    intro = (
        f"Mỗi con số phần nội dung báo cáo nêu được tính lại từ các phụ lục và bảng số liệu: "
        f"{counts['confirmed']} khớp, {counts['contradicted']} không khớp, "
        f"{counts['unverifiable']} không kiểm chứng được (không có bảng số liệu tương ứng)."
    )
    order = {s: i for i, s in enumerate(("contradicted", "confirmed", "unverifiable"))}
    rows = "".join(
        f'<tr class="{esc(c["status"])}"><td><q class="source">{esc(c["text"])}</q></td><td>{esc(c["stated"])}</td><td>{esc(c["derived"] or "—")}</td>'
        f'<td>{esc(CLAIM_STATUS_VI[c["status"]])}</td></tr>'
        for c in sorted(ledger, key=lambda c: order[c["status"]])
    )
    return Html(
        f'<section class="claims">{HEADING}<p>{esc(intro)}</p><p class="note print-only">{esc(PRINTED)}</p><table class="data claims"><thead><tr><th>Báo cáo viết</th><th>Con số nêu</th><th>Tính lại từ số liệu</th>'
        f"<th>Kết quả</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    """The ledger with each claim's source line (file:line), for analysts."""
    return pd.DataFrame(f.claims) if f.claims else None
