"""Briefing section: the claims ledger (what each report states, and what the tables give)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.claims import STATUSES
from helpers.analysis.facts import DateFacts
from helpers.report.names import display_text
from helpers.report.render import Html, render
from helpers.report.sections.sources import Sources
from helpers.report.wording import CLAIM_STATUS_VI

# Printed only (briefing.css): paper lists the figures that do not match.
PRINTED = "Bản in chỉ liệt kê các con số không khớp; các con số khớp và không kiểm chứng được có trong bản điện tử."


def html(f: DateFacts, sources: Sources | None = None) -> Html:
    ledger = f.claims
    if not ledger:
        return render("claims", rows=None, intro="")
    counts = {s: sum(1 for c in ledger if c["status"] == s) for s in STATUSES}
    intro = (
        f"Mỗi con số phần nội dung báo cáo nêu được tính lại từ các phụ lục và bảng số liệu: "
        f"{counts['confirmed']} khớp, {counts['contradicted']} không khớp, "
        f"{counts['unverifiable']} không kiểm chứng được (không có bảng số liệu tương ứng)."
    )
    order = {s: i for i, s in enumerate(("contradicted", "confirmed", "unverifiable"))}
    rows = [
        {"status": c["status"], "text": c["text"], "stated": display_text(c["stated"]), "derived": c["derived"] or "—", "result": CLAIM_STATUS_VI[c["status"]]}
        for c in sorted(ledger, key=lambda c: order[c["status"]])
    ]
    return render("claims", rows=rows, intro=intro, printed=PRINTED)


def frame(f: DateFacts) -> pd.DataFrame | None:
    """The ledger with each claim's source line (file:line), for analysts."""
    return pd.DataFrame(f.claims) if f.claims else None
