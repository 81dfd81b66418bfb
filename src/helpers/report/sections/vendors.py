"""Readiness and online uptake by the vendor of a province's administrative-procedure system."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import PLAN02, DateFacts
from helpers.report.names import name_of
from helpers.report.render import EMPTY, Html, f_num2, f_pct, f_text, heading, join, para, table
from helpers.report.sections.sources import Sources
from helpers.report.formats import vn_date
from helpers.report.wording import VENDORS_SOURCE_DATED, VENDORS_SOURCE_UNDATED


def html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(PLAN02):
        return EMPTY
    lens = frame(f)
    cite_v = sources.cite("vendor_summary", "mục 1.1", f.vendor_summary_date)
    dated = f.vendor_summary_date
    source = VENDORS_SOURCE_DATED.format(date=vn_date(dated)) if dated else VENDORS_SOURCE_UNDATED
    small_note = EMPTY
    if lens["small_group"].any():
        small_note = para(f"(*) Nhóm dưới {int(f.thresholds.small_group_n)} tỉnh: chỉ mang tính tham khảo, không đủ để so sánh giữa các nhà cung cấp.", cls="absent")
    return join(
        [
            heading(2, "Theo nhà cung cấp hệ thống giải quyết thủ tục hành chính"),
            para(
                f"Nhà cung cấp hệ thống giải quyết TTHC {source}; "
                "bảng so sánh trung vị chỉ số sẵn sàng và tỷ lệ nộp trực tuyến theo nhóm. Nhóm nhỏ chỉ mang tính tham khảo: "
                "chênh lệch giữa các nhóm không chứng minh phần mềm là nguyên nhân.",
                cite_v,
                sources.cite(PLAN02, "Phụ lục 5 và 8", f.report_date),
            ),
            table(
                lens,
                [
                    ("vendor", "Nhà cung cấp", f_text),
                    ("n_shown", "Số tỉnh", f_text),
                    ("readiness_median", "Sẵn sàng (trung vị)", f_num2),
                    ("online_rate_median", "Nộp trực tuyến (trung vị)", f_pct),
                    ("online_rate_mean", "Nộp trực tuyến (bình quân)", f_pct),
                    ("members", "Các tỉnh", f_text),
                ],
                caption="Mức sẵn sàng và nộp trực tuyến theo nhà cung cấp hệ thống giải quyết TTHC",
                numeric=("n_shown", "readiness_median", "online_rate_median", "online_rate_mean"),
            ),
            small_note,
        ]
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    if not f.has(PLAN02):
        return None
    lens = f.vendor_lens
    return lens.assign(
        members=lens["province_codes"].map(lambda codes: ", ".join(name_of(f, c) for c in codes)),
        n_shown=[f"{n}*" if small else str(n) for n, small in zip(lens["n"], lens["small_group"])],
    )
