"""The machine-readable summary of a date (``summary.json``): named figures, the index's
headline figures, the lead sentences, the front page's headline and the ready-but-low provinces.

Every value is a fact of the date (:class:`~helpers.analysis.facts.DateFacts`); the
headline labels and the lead are worded here, since ``analysis`` speaks no Vietnamese.
"""

from __future__ import annotations

from typing import Any

from helpers.analysis.facts import DAILY, PLAN02, DateFacts
from helpers.report.formats import fmt_int, fmt_pct
from helpers.report.sections import front, lead
from helpers.report.sections.uptake import period


def headline(f: DateFacts) -> list[dict[str, str]]:
    """The figures shown under the briefing's link in outputs/index.html."""
    items: list[tuple[str, str]] = []
    if f.has(DAILY):
        overall = f.overall
        items += [
            ("Nhiệm vụ đã xong ở cả 34 tỉnh", f"{overall.tasks_complete}/{overall.tasks}"),
            ("Lượt tỉnh × nhiệm vụ đã xong", fmt_pct(f.task_province_done_pct)),
            ("Tỉnh còn nhiệm vụ chưa xong", str(len(f.provinces_open))),
        ]
    if f.has(PLAN02):
        items += [
            ("Xã, phường XANH", f"{fmt_int(f.coverage.green)}/{fmt_int(f.coverage.communes)}"),
            (f"Hồ sơ lũy kế {period(f)}", fmt_int(f.dossiers_total)),
            ("Tỷ lệ nộp trực tuyến (lũy kế)", fmt_pct(f.national_rate)),
            ("Tỉnh sẵn sàng nhưng nộp trực tuyến thấp", str(len(f.ready_but_low_records))),
        ]
    return [{"label": label, "value": value} for label, value in items]


def summary(f: DateFacts) -> dict[str, Any]:
    """``summary.json``'s content (the engine writes it with sorted keys)."""
    out: dict[str, Any] = {
        "report_date": f.report_date,
        "headline": headline(f),
        "metrics": f.metrics,
        "lead": [s.text for s in lead.sentences(f)],
        "claims": f.claims,
    }
    if f.has(PLAN02):
        out["ready_but_low"] = f.ready_but_low_records
    if front.kind(f) is not None:
        out["front_headline"] = front.headline(f)
    return out
