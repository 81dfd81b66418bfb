"""The 3–6 sentences at the top of a briefing: positives, weaknesses, warnings.

Each sentence is built from statistics the sections compute (never typed), so the
summary changes when the data do. Sentences whose subject the date has no data for
are left out. Data-quality findings are in the appendix, not in the summary.
"""

from __future__ import annotations

from helpers.analysis import tasks as J
from helpers.analysis import trends as TR
from helpers.report.formats import fmt_int, fmt_num, fmt_pct
from helpers.report.render import Html, esc
from helpers.report.sections.sources import vn_date


def june_sentences(b) -> list[tuple[str, str, str]]:
    """(kind, sentence, footnote markers) for a daily-readiness date; kind is positive / weakness / warning."""
    progress, status = b.table("task_progress"), b.table("task_status")
    date = b.report_date
    overall = J.overall_completion(progress, date)
    open_by = J.open_tasks_by_province(status, date)
    open_by = open_by[open_by["open_tasks"] > 0]
    cite = b.sources.cite("daily_readiness", "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", date)
    out = [
        (
            "positive",
            f"Đến {vn_date(date)}, {overall.tasks_complete}/{overall.tasks} nhiệm vụ chuẩn bị đã hoàn thành ở cả 34 tỉnh, thành phố; "
            f"{fmt_pct(100 * overall.task_province_done / overall.task_province_total)} lượt tỉnh × nhiệm vụ đã xong.",
            cite,
        )
    ]
    earlier = [d for d in sorted(progress["report_date"].unique()) if d < date]
    if earlier:
        before = J.overall_completion(progress, earlier[-1])
        out.append(("positive", f"So với {vn_date(earlier[-1])}, thêm {fmt_int(overall.task_province_done - before.task_province_done)} lượt tỉnh × nhiệm vụ hoàn thành.", cite + b.sources.cite("daily_readiness", "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", earlier[-1])))
    else:
        prev = J.previous_day(progress, date)
        before = int(prev.counts["previous_done_count"].sum())
        out.append(("positive", f"So với {vn_date(prev.previous_date)} (dựng lại từ mức tăng báo cáo nêu), thêm {fmt_int(overall.task_province_done - before)} lượt tỉnh × nhiệm vụ hoàn thành.", b.sources.cite("daily_readiness", "cột “tăng so với ngày hôm trước”", date)))
    if len(open_by):
        worst = open_by.head(3)
        names = ", ".join(f"{b._short(c)} ({n})" for c, n in zip(worst["province_code"], worst["open_tasks"]))
        out.append(("weakness", f"{len(open_by)} tỉnh còn nhiệm vụ chưa xong; nhiều nhất: {names}.", cite))
    overdue = J.overdue_tasks(progress, status, date)
    if len(overdue):
        out.append(("warning", f"{len(overdue)} lượt tỉnh × nhiệm vụ đã quá thời hạn mà chưa hoàn thành.", cite))
    reopened = TR.reopened_tasks(status[status["report_date"] <= date])
    reopened = reopened[reopened["not_done_on"] == date]
    if len(reopened):
        names = ", ".join(sorted({b._short(c) for c in reopened["province_code"]}))
        out.append(("warning", f"Cần kiểm tra: {names} được báo đã xong rồi lại chưa xong ở {len(reopened)} nhiệm vụ.", cite))
    return out


def september_sentences(b) -> list[tuple[str, str, str]]:
    cov = b.coverage
    res = b.ready_but_low_result
    vol = b.volume
    national = b.rates.national.set_index("scope")
    out = [
        (
            "positive",
            f"{fmt_int(cov.green)}/{fmt_int(cov.communes)} xã, phường ({fmt_pct(cov.green_pct)}) đủ điều kiện cơ bản (XANH); "
            f"{fmt_pct(national.loc['all', 'online_rate_pct'])} trong {fmt_int(national.loc['all', 'total'])} hồ sơ từ {vn_date(b.rates.period_start)} được nộp trực tuyến.",
            b._cite("Phụ lục 4") + b._cite("Phụ lục 8, bảng III"),
        )
    ]
    flagged = res.table[res.table["flagged"]].sort_values("residual_rank")
    if len(flagged):
        first = flagged.iloc[0]
        names = ", ".join(f"{b._short(c)} ({fmt_pct(r)})" for c, r in zip(flagged["province_code"], flagged["online_rate_pct"]))
        out.append(
            (
                "weakness",
                f"{len(flagged)} tỉnh hạ tầng sẵn sàng nhưng tỷ lệ nộp trực tuyến dưới {fmt_pct(res.online_rate_min)}: {names}; "
                f"{b._short(first['province_code'])} thấp hơn mức dự báo theo độ sẵn sàng {fmt_num(-first['residual_pts'])} điểm %.",
                b._cite("Phụ lục 4, 5 và 8"),
            )
        )
    low = cov.by_province.sort_values("green_pct").head(2)
    out.append(
        (
            "weakness",
            "Tỷ lệ xã XANH thấp nhất: " + ", ".join(f"{b._short(c)} ({fmt_pct(p)})" for c, p in zip(low["province_code"], low["green_pct"])) + ".",
            b._cite("Phụ lục 4"),
        )
    )
    if vol.national_index < float(b.thresholds.get("volume_index_low", 0.5)):
        out.append(
            (
                "warning",
                f"Ngày {vn_date(vol.day)} ({vol.weekday_vi}) chỉ có {fmt_int(vol.day_total)} hồ sơ, bằng {fmt_pct(100 * vol.national_index, 1)} bình quân ngày tháng 6"
                + ("; là ngày nghỉ nên không phản ánh xu hướng." if vol.is_weekend else "."),
                b._cite("Phụ lục 8, bảng I"),
            )
        )
    return out


def lead_summary(b) -> Html:
    sentences: list[tuple[str, str, str]] = []
    if b.has("daily_readiness"):
        sentences += june_sentences(b)
    if b.has("plan02"):
        sentences += september_sentences(b)
    sentences = sentences[:6]
    b.summary["lead"] = [text for _, text, _ in sentences]
    label = {"positive": "Kết quả", "weakness": "Hạn chế", "warning": "Lưu ý"}
    items = "".join(f'<li class="{kind}"><strong>{label[kind]}:</strong> {esc(text)}{cite}</li>' for kind, text, cite in sentences)
    return Html(f'<section class="lead"><h2>Tóm tắt</h2><ul>{items}</ul></section>')
