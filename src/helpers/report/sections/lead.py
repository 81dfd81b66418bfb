"""The 3–6 sentences at the top of a briefing: positives, weaknesses, warnings.

Each sentence is worded from the date's facts (never typed), so the summary changes
when the data do. Sentences whose subject the date has no data for are left out.
Data-quality findings are in the appendix (:mod:`helpers.report.sections.quality`),
not in the summary. The sentences also go into ``summary.json`` (``lead``).
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.analysis.facts import DAILY, PLAN02, DateFacts
from helpers.report.formats import fmt_int, fmt_num, fmt_pct, vn_date
from helpers.report.names import name_of
from helpers.report.render import Html, render
from helpers.report.sections.sources import Cite, Sources
from helpers.report.wording import LEAD_KIND_VI, WEEKDAYS_VI

MAX_SENTENCES = 6
TASKS_PART = "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh"


@dataclass(frozen=True)
class Sentence:
    kind: str  # positive / weakness / warning
    text: str
    cites: tuple[Cite, ...] = ()


def task_sentences(f: DateFacts) -> list[Sentence]:
    """For a date with a daily readiness report."""
    date, overall = f.report_date, f.overall
    cite: tuple[Cite, ...] = ((DAILY, TASKS_PART, date),)
    out = [
        Sentence(
            "positive",
            f"Đến {vn_date(date)}, {overall.tasks_complete}/{overall.tasks} nhiệm vụ chuẩn bị đã hoàn thành ở cả 34 tỉnh, thành phố; "
            f"{fmt_pct(f.task_province_done_pct)} lượt tỉnh × nhiệm vụ đã xong.",
            cite,
        )
    ]
    if f.previous_task_count is not None:
        before_date, before, reconstructed = f.previous_task_count
        added = fmt_int(overall.task_province_done - before)
        if reconstructed:
            out.append(Sentence("positive", f"So với {vn_date(before_date)} (dựng lại từ mức tăng báo cáo nêu), thêm {added} lượt tỉnh × nhiệm vụ hoàn thành.", ((DAILY, "cột “tăng so với ngày hôm trước”", date),)))
        else:
            out.append(Sentence("positive", f"So với {vn_date(before_date)}, thêm {added} lượt tỉnh × nhiệm vụ hoàn thành.", cite + ((DAILY, TASKS_PART, before_date),)))
    open_by = f.provinces_open
    if len(open_by):
        worst = open_by.head(3)
        names = ", ".join(f"{name_of(f, c)} ({n})" for c, n in zip(worst["province_code"], worst["open_tasks"]))
        out.append(Sentence("weakness", f"{len(open_by)} tỉnh còn nhiệm vụ chưa xong; nhiều nhất: {names}.", cite))
    if len(f.overdue):
        out.append(Sentence("warning", f"{len(f.overdue)} lượt tỉnh × nhiệm vụ đã quá thời hạn mà chưa hoàn thành.", cite))
    reopened = f.reopened_today
    if len(reopened):
        names = ", ".join(sorted({name_of(f, c) for c in reopened["province_code"]}))
        out.append(Sentence("warning", f"Cần kiểm tra: {names} được báo đã xong rồi lại chưa xong ở {len(reopened)} nhiệm vụ.", cite))
    silent = f.silent_before
    if len(silent):
        names = ", ".join(name_of(f, c) for c in silent["province_code"])
        first = vn_date(silent["report_date"].iloc[0])
        out.append(Sentence("warning", f"{names} chưa xong nhiệm vụ nào ngày {first} rồi xong tất cả ở báo cáo này: nhiều khả năng ngày {first} các tỉnh này chưa báo cáo.", cite))
    return out


def plan02_sentences(f: DateFacts) -> list[Sentence]:
    """For a date with a plan-02 report."""
    date, cov, res, vol = f.report_date, f.coverage, f.ready_but_low, f.volume
    out = [
        Sentence(
            "positive",
            f"{fmt_int(cov.green)}/{fmt_int(cov.communes)} xã, phường ({fmt_pct(cov.green_pct)}) đủ điều kiện cơ bản (XANH); "
            f"{fmt_pct(f.national_rate)} trong {fmt_int(f.dossiers_total)} hồ sơ từ {vn_date(f.rates.period_start)} được nộp trực tuyến.",
            ((PLAN02, "Phụ lục 4", date), (PLAN02, "Phụ lục 8, bảng III", date)),
        )
    ]
    flagged = f.flagged
    if len(flagged):
        first = flagged.iloc[0]
        names = ", ".join(f"{name_of(f, c)} ({fmt_pct(r)})" for c, r in zip(flagged["province_code"], flagged["online_rate_pct"]))
        out.append(
            Sentence(
                "weakness",
                f"{len(flagged)} tỉnh hạ tầng sẵn sàng nhưng tỷ lệ nộp trực tuyến dưới {fmt_pct(res.online_rate_min)}: {names}; "
                f"{name_of(f, first['province_code'])} thấp hơn mức dự báo theo độ sẵn sàng {fmt_num(-first['residual_pts'])} điểm %.",
                ((PLAN02, "Phụ lục 4, 5 và 8", date),),
            )
        )
    low = cov.by_province.sort_values("green_pct").head(2)
    out.append(
        Sentence(
            "weakness",
            "Tỷ lệ xã XANH thấp nhất: " + ", ".join(f"{name_of(f, c)} ({fmt_pct(p)})" for c, p in zip(low["province_code"], low["green_pct"])) + ".",
            ((PLAN02, "Phụ lục 4", date),),
        )
    )
    if vol.national_index < float(f.thresholds.volume_index_low):
        out.append(
            Sentence(
                "warning",
                f"Ngày {vn_date(vol.day)} ({WEEKDAYS_VI[vol.weekday]}) chỉ có {fmt_int(vol.day_total)} hồ sơ, bằng {fmt_pct(100 * vol.national_index, 1)} bình quân ngày tháng 6"
                + ("; là ngày nghỉ nên không phản ánh xu hướng." if vol.is_weekend else "."),
                ((PLAN02, "Phụ lục 8, bảng I", date),),
            )
        )
    return out


def sentences(f: DateFacts) -> list[Sentence]:
    out: list[Sentence] = []
    if f.has(DAILY):
        out += task_sentences(f)
    if f.has(PLAN02):
        out += plan02_sentences(f)
    return out[:MAX_SENTENCES]


def html(f: DateFacts, sources: Sources) -> Html:
    items = [{"kind": s.kind, "label": LEAD_KIND_VI[s.kind], "text": s.text, "cite": sources.cites(s.cites)} for s in sentences(f)]
    return render("lead", items=items)
