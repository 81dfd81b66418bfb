"""Trends: task progress over the daily reports, and for a plan-02 report the change since
the previous day and where the provinces that lagged on the earlier reports stand now."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DAILY, PLAN02, DateFacts
from helpers.report.formats import fmt_int, vn_date, vn_day_month, vn_month
from helpers.report.names import display_name, name_of, name_getter
from helpers.report.plots.tasks import task_progress_plot
from helpers.report.render import EMPTY, Html, bullet_list, f_int, f_num2, f_pct, f_text, figure, heading, join, para, render, table
from helpers.report.sections.sources import Sources, document_name
from helpers.report.sections.tasks import TASKS_PART
from helpers.report.wording import laggards_correlation, laggards_selection


# ---------------------------------------------------------------- tasks over the daily reports


def tasks_html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(DAILY):
        return EMPTY  # a plan-02 briefing shows the earlier laggards in its own trends section
    trend, done, reconstructed = f.task_trend, f.done_by_date, f.reconstructed_dates
    dates = list(done)
    # The reconstructed day comes from the stated increases of the report of the day after it.
    stated_in = [d for d in dates if d not in reconstructed]
    cite = sources.cite(DAILY, "mục “tăng … so với ngày hôm trước” của từng nhiệm vụ", stated_in[0]) if reconstructed else EMPTY
    cite += sources.cite(DAILY, TASKS_PART, f.report_date)
    sentence = (
        "Tổng số lượt tỉnh × nhiệm vụ đã hoàn thành: "
        + " → ".join(f"{fmt_int(done[d])} ({vn_date(d)}{'*' if d in reconstructed else ''})" for d in dates)
        + "."
    )
    if reconstructed:
        sentence += " (*) Ngày được dựng lại từ mức tăng so với ngày hôm trước mà báo cáo nêu."
    parts = [
        heading(2, f"Diễn biến tiến độ tháng {vn_month(f.report_date)}"),
        para(sentence, cite),
        figure(
            task_progress_plot(trend),
            alt="Số tỉnh đã hoàn thành từng nhiệm vụ theo ngày",
            caption=f"Số tỉnh đã hoàn thành từng nhiệm vụ, {vn_date(dates[0])} → {vn_date(dates[-1])}; số cuối dòng: ngày {vn_date(dates[-1])}",
            cite=cite,
            source=f"{document_name(DAILY, f.report_date)}, {TASKS_PART}",
        ),
    ]
    wide = f.open_tasks_over_dates
    if not wide.empty:
        cols = f.open_tasks_dates(wide)
        parts.append(
            table(
                wide.assign(short_name=wide["short_name"].map(display_name)),
                [("short_name", "Tỉnh", f_text)] + [(c, f"Chưa xong {vn_date(c)}", f_int) for c in cols],
                caption="Số nhiệm vụ chưa hoàn thành theo tỉnh qua các ngày báo cáo",
                cite=sources.cite(DAILY, TASKS_PART, f.report_date),
                numeric=cols,
            )
        )
    if not f.reopened.empty:
        items = [
            f"{name_of(f, r['province_code'])}: nhiệm vụ {r['task_id']} được báo là đã xong ngày {vn_date(r['done_on'])} nhưng lại nằm trong danh sách chưa xong ngày {vn_date(r['not_done_on'])}."
            for r in f.reopened.to_dict("records")
        ]
        parts.append(para(render("strong", text="Cần kiểm tra:"), cls="warning"))
        parts.append(bullet_list(items))
    return join(parts)


def tasks_frame(f: DateFacts) -> pd.DataFrame | None:
    """Done count of every task on every date (reconstructed days marked)."""
    return f.task_trend if f.has(DAILY) else None


# ---------------------------------------------------------------- plan-02: the day before, and the earlier laggards


def plan02_html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(PLAN02):
        return EMPTY
    lag = f.laggards
    since = f" và so với tháng {vn_month(lag.earlier_date)}" if lag is not None else ""
    parts = [heading(2, f"Diễn biến: so với ngày trước{since}")]
    cite4 = sources.cite(PLAN02, "Phụ lục 4", f.report_date)
    cite_body = sources.cite(PLAN02, "phần I", f.report_date)
    body = f.day_on_day.body_series
    if len(body) >= 2:
        prev, cur = body.iloc[-2], body.iloc[-1]
        parts.append(
            para(
                f"Số xã, phường đáp ứng đầy đủ điều kiện cơ bản: {fmt_int(prev['value'])} ({vn_date(prev['date'])}) → {fmt_int(cur['value'])} ({vn_date(cur['date'])}), "
                f"tăng {fmt_int(cur['value'] - prev['value'])}.",
                cite_body,
            )
        )
    moved = f.day_on_day.moved
    if not moved.empty:
        parts.append(
            table(
                moved.assign(name=moved["province_code"].map(name_getter(f))),
                [("name", "Tỉnh", f_text), ("green_pct_previous", "% XANH hôm trước", f_pct), ("green_pct", "% XANH", f_pct), ("green_pct_change", "Thay đổi (điểm %)", f_num2), ("green_change", "Số xã thay đổi", f_int)],
                caption=f"Các tỉnh có tỷ lệ xã XANH thay đổi so với ngày hôm trước ({len(moved)} tỉnh)",
                cite=cite4,
                numeric=("green_pct_previous", "green_pct", "green_pct_change", "green_change"),
                row_class=lambda r: "warn" if r["green_pct_change"] < 0 else "",
            )
        )
    if lag is not None:
        frame = lag.laggards.assign(name=lag.laggards["province_code"].map(name_getter(f)))
        cols = [("name", "Tỉnh", f_text), ("earlier_open_tasks", f"Nhiệm vụ chưa xong {vn_date(lag.earlier_date)}", f_int), ("green_pct", f"% xã XANH {vn_day_month(f.report_date)}", f_pct)]
        for col, label, fmt in (("readiness_index", "Chỉ số sẵn sàng", f_num2), ("online_rate_pct", "Nộp trực tuyến", f_pct)):
            if col in frame.columns:
                cols.append((col, label, fmt))
        parts.append(heading(3, f"Các tỉnh chậm tiến độ tháng {vn_month(lag.earlier_date)} nay ra sao"))
        parts.append(para(laggards_correlation(lag), sources.cite(DAILY, TASKS_PART, lag.earlier_date), cite4))
        parts.append(table(frame, cols, caption=f"{laggards_selection(lag)}: tháng {vn_month(lag.earlier_date)} và ngày {vn_date(f.report_date)}", numeric=[c for c, _, _ in cols[1:]]))
    return join(parts)


def laggards_statistics(f: DateFacts) -> pd.DataFrame | None:
    """The laggards paragraph's ρ, p and bootstrap interval (analysts; leaders read words)."""
    from helpers.analysis.trends import laggards_statistics as statistics

    return statistics(f.laggards) if f.has(PLAN02) and f.laggards is not None else None


def plan02_frame(f: DateFacts) -> pd.DataFrame | None:
    """Every province: GREEN share today and the day before; with the earlier laggards' open tasks."""
    if not f.has(PLAN02):
        return None
    out = f.day_on_day.provinces
    if f.laggards is not None:
        out = out.merge(f.laggards.provinces.drop(columns=["green_pct"]), on="province_code", how="left")
    return out
