"""The readiness tasks of the 34 provinces (daily readiness reports of the Ministry of Science and Technology).

Every number is a fact of the date (:class:`~helpers.analysis.facts.DateFacts`, from
the ``task_progress`` and ``task_status`` tables); this module words and lays them
out. A date without a daily readiness report gets nothing here: the "data available"
paragraph says in one line that the section is left out.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DAILY, DateFacts
from helpers.report.formats import fmt_int, fmt_pct, vn_date, vn_day_month
from helpers.report.names import display_name, name_of, name_getter
from helpers.report.plots.tasks import open_tasks_by_province_plot
from helpers.report.render import EMPTY, Html, f_int, f_pct1, f_text, figure, heading, join, kpis, para, table
from helpers.report.sections.sources import Sources, document_name

TASKS_PART = "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh"
# Beyond this many provinces, a task's "not done" cell starts with the count.
NAMES_LISTED = 8
# Up to this many lagging provinces, one sentence says more than a chart of short bars.
FEW_LAGGARDS = 5


def html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(DAILY):
        return EMPTY
    date, overall = f.report_date, f.overall
    provinces_open = f.provinces_open
    cite = sources.cite(DAILY, TASKS_PART, date)
    cards = kpis(
        [
            ("nhiệm vụ đã hoàn thành ở cả 34 tỉnh", f"{overall.tasks_complete}/{overall.tasks}", cite),
            ("lượt tỉnh × nhiệm vụ đã hoàn thành", f"{fmt_int(overall.task_province_done)}/{fmt_int(overall.task_province_total)}", cite),
            ("tỷ lệ hoàn thành chung", fmt_pct(f.task_province_done_pct), cite),
            ("tỉnh còn nhiệm vụ chưa xong", str(len(provinces_open)), cite),
        ]
    )
    title_note = sources.cite(DAILY, "tên nhiệm vụ lấy theo bản sạch cùng số hiệu nhiệm vụ (bản 27/6 là bản quét OCR, chữ bị lỗi)", f.clean_titles_date) if f.clean_titles_date else EMPTY
    task_table = table(
        frame(f),
        [
            ("task_id", "Số hiệu", f_text),
            ("title", "Nhiệm vụ", f_text),
            ("deadline_vi", "Thời hạn", f_text),
            ("done_of", "Tỉnh đã xong", f_text),
            ("done_pct", "Tỷ lệ", f_pct1),
            ("not_done_names", "Tỉnh chưa xong", f_text),
        ],
        caption=f"Tiến độ từng nhiệm vụ đến {vn_date(date)}",
        cite=cite + title_note,
        numeric=("done_of", "done_pct"),
        cls="data stack",  # on a phone, a task a card: its name and province list in full width
        # highlight what is late or due, not every unfinished task
        row_class=lambda r: "warn" if r["done_count"] < r["total"] and isinstance(r["deadline"], str) and r["deadline"] <= date else "",
    )
    return join(
        [
            heading(2, "Tiến độ các nhiệm vụ sẵn sàng của 34 tỉnh, thành phố"),
            cards,
            para(_summary_sentence(f), cite),
            heading(3, "Các tỉnh chậm tiến độ"),
            _laggards(f, cite),
            heading(3, "Nhiệm vụ quá hạn"),
            _overdue(f, cite),
            heading(3, "Tiến độ từng nhiệm vụ"),
            task_table,
        ]
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    """The task table, as the briefing shows it."""
    if not f.has(DAILY):
        return None
    tasks, date = f.task_table, f.report_date
    return tasks.assign(
        deadline_vi=[
            ("—" if not isinstance(d, str) or not d else vn_date(d) + ("" if src == date else f" (theo báo cáo {vn_day_month(src)})"))
            for d, src in zip(tasks["deadline"], tasks["deadline_stated_on"])
        ],
        done_of=[f"{d}/{t}" for d, t in zip(tasks["done_count"], tasks["total"])],
        not_done_names=[_names(tuple(map(display_name, names))) for names in tasks["not_done_provinces"]],
    )


def _names(names: tuple[str, ...]) -> str:
    if len(names) > NAMES_LISTED:
        return f"{len(names)} tỉnh, gồm: " + ", ".join(names)
    return ", ".join(names)


def _summary_sentence(f: DateFacts) -> str:
    overall, provinces_open = f.overall, f.provinces_open
    text = (
        f"Đến {vn_date(f.report_date)}, {overall.tasks_complete}/{overall.tasks} nhiệm vụ đã hoàn thành ở cả 34 tỉnh, thành phố; "
        f"tính theo từng tỉnh, {fmt_int(overall.task_province_done)}/{fmt_int(overall.task_province_total)} lượt "
        f"({fmt_pct(f.task_province_done_pct)}) đã xong."
    )
    if len(provinces_open):
        worst = provinces_open.head(3)
        names = ", ".join(f"{name_of(f, c)} ({n} nhiệm vụ)" for c, n in zip(worst["province_code"], worst["open_tasks"]))
        text += f" {len(provinces_open)} tỉnh còn nhiệm vụ chưa xong; chậm nhất: {names}."
    return text


def _laggards(f: DateFacts, cite: Html) -> Html:
    provinces_open = f.provinces_open
    ranking = f.open_by_province.head(max(10, len(provinces_open)))
    ranking = ranking[ranking["open_tasks"] > 0] if len(provinces_open) else ranking.head(0)
    if ranking.empty:
        return para("Tất cả 34 tỉnh, thành phố đã hoàn thành mọi nhiệm vụ.")
    if len(ranking) <= FEW_LAGGARDS:
        listed = "; ".join(f"{name_of(f, c)}: {n} nhiệm vụ ({ids})" for c, n, ids in zip(ranking["province_code"], ranking["open_tasks"], ranking["open_task_ids"]))
        return para(f"Các tỉnh còn nhiệm vụ chưa xong: {listed}.", cite)
    return figure(
        open_tasks_by_province_plot(ranking.assign(short_name=ranking["province_code"].map(name_getter(f)))),
        alt="Số nhiệm vụ chưa hoàn thành theo tỉnh",
        caption=f"Số nhiệm vụ chưa hoàn thành theo tỉnh, {vn_date(f.report_date)} (tỉnh chậm nhất ở trên cùng)",
        cite=cite,
        source=f"{document_name(DAILY, f.report_date)}, {TASKS_PART}",
    )


def _overdue(f: DateFacts, cite: Html) -> Html:
    overdue, due_today = f.overdue, f.due_today
    due = ""
    if len(due_today):
        per_task = due_today.groupby("task_id").size()
        due = " Đến hạn trong ngày báo cáo mà chưa xong: " + "; ".join(f"nhiệm vụ {t} ({n} tỉnh)" for t, n in per_task.items()) + "."
    if overdue.empty:
        return para(f"Không có nhiệm vụ nào quá hạn tại thời điểm báo cáo: mọi nhiệm vụ có thời hạn trước {vn_date(f.report_date)} đều đã hoàn thành ở cả 34 tỉnh.", due, cite)
    return join(
        [
            para(f"{len(overdue)} lượt tỉnh × nhiệm vụ đã quá hạn mà chưa hoàn thành:", cite, cls="warning"),
            table(
                overdue.assign(name=overdue["province_code"].map(name_getter(f)), deadline_vi=overdue["deadline"].map(vn_date)),
                [("task_id", "Nhiệm vụ", f_text), ("name", "Tỉnh", f_text), ("deadline_vi", "Thời hạn", f_text), ("days_overdue", "Số ngày quá hạn", f_int)],
                numeric=("days_overdue",),
            ),
        ]
    )
