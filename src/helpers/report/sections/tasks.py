"""Sections of the June briefings (daily readiness reports of the Ministry of Science and Technology).

Every number comes from the ``task_progress`` and ``task_status`` tables through
:mod:`helpers.analysis.tasks` and :mod:`helpers.analysis.trends`; this module only words
and lays them out. Methods return :class:`Html`; a date without daily-readiness
data gets the section's heading and one line saying why it is left out.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from helpers.report.plots.tasks import open_tasks_by_province_plot, task_progress_plot
from helpers.analysis import corrections as C
from helpers.analysis import tasks as J
from helpers.analysis import trends as TR
from helpers.report.formats import fmt_int, fmt_pct
from helpers.report.render import Html, bullet_list, esc, f_int, f_pct1, f_text, figure, join, kpis, para, table
from helpers.report.sections.sources import OCR_MARK, vn_date, vn_day_month

DAILY = "daily_readiness"


class JuneSections:
    """Mixin of :class:`~helpers.report.document.Briefing` (needs table, has, sources, metric)."""

    # ---- data ------------------------------------------------------------------------
    @cached_property
    def _june_dates(self) -> list[str]:
        progress = self.table("task_progress")
        return sorted(d for d in progress["report_date"].unique() if d <= self.report_date)

    @cached_property
    def _clean_task_titles(self) -> dict[str, tuple[str, str]]:
        """task_id -> (title, date) from the latest report that is not an OCR extract.

        The 27/6 extract is OCR-damaged ('Hg ting DC/cloud'); the same task ids carry
        clean titles on 30/6. The briefing says where each title comes from.
        """
        reports = self.table("reports")
        ocr_dates = set(reports.loc[reports["file"].str.contains(OCR_MARK, regex=False) & (reports["kind"] == DAILY), "report_date"])
        progress = self.table("task_progress")
        clean = progress[~progress["report_date"].isin(ocr_dates)].sort_values("report_date")
        return {r["task_id"]: (r["task"], r["report_date"]) for r in clean.to_dict("records")}

    @cached_property
    def _clean_section_titles(self) -> dict[str, str]:
        """section id ('I') -> the section's title in the latest clean report (see _clean_task_titles)."""
        progress = self.table("task_progress")
        clean_dates = {d for _, d in self._clean_task_titles.values()}
        clean = progress[progress["report_date"].isin(clean_dates)].sort_values("report_date")
        return {J.section_id(t): sec for t, sec in zip(clean["task_id"], clean["section"])}

    @cached_property
    def _title_note(self) -> str:
        """Footnote marker when this date's task titles are taken from a clean report."""
        reports = self.reports_today
        is_ocr = bool(((reports["kind"] == DAILY) & reports["file"].str.contains(OCR_MARK, regex=False)).any())
        if not is_ocr:
            return ""
        dates = sorted({d for _, d in self._clean_task_titles.values()})
        if not dates:
            return ""
        return self.sources.cite(DAILY, "tên nhiệm vụ lấy theo bản sạch cùng số hiệu nhiệm vụ (bản 27/6 là bản quét OCR, chữ bị lỗi)", dates[-1])

    def _task_title(self, task_id: str, fallback: str) -> str:
        return self._clean_task_titles.get(task_id, (fallback, None))[0]

    # ---- sections -----------------------------------------------------------------------
    def june_readiness(self) -> Html:
        heading = "<h2>Tiến độ các nhiệm vụ sẵn sàng của 34 tỉnh, thành phố</h2>"
        if not self.has(DAILY):
            return Html("")  # data_available() says in one line that this section is left out
        progress, status = self.table("task_progress"), self.table("task_status")
        date = self.report_date
        overall = J.overall_completion(progress, date)
        completion = J.task_completion(progress, date)
        open_by_province = J.open_tasks_by_province(status, date, self.table("provinces"))
        overdue = C.overdue_as_stated(progress, status, self.table("deadline_terms"), date)  # "trước ngày X": X − 1 is the last day
        provinces_open = open_by_province[open_by_province["open_tasks"] > 0]
        cite_tasks = self.sources.cite(DAILY, "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", date)

        pct_done = 100 * overall.task_province_done / overall.task_province_total
        self.metric("tasks", overall.tasks)
        self.metric("tasks_complete", overall.tasks_complete, "Nhiệm vụ đã xong ở cả 34 tỉnh", f"{overall.tasks_complete}/{overall.tasks}")
        self.metric("task_province_done", overall.task_province_done)
        self.metric("task_province_total", overall.task_province_total)
        self.metric("task_province_done_pct", pct_done, "Lượt tỉnh × nhiệm vụ đã xong", fmt_pct(pct_done))
        self.metric("provinces_with_open_tasks", int(len(provinces_open)), "Tỉnh còn nhiệm vụ chưa xong", str(len(provinces_open)))
        self.metric("overdue_task_provinces", int(len(overdue)))

        cards = kpis(
            [
                ("nhiệm vụ đã hoàn thành ở cả 34 tỉnh", f"{overall.tasks_complete}/{overall.tasks}", cite_tasks),
                ("lượt tỉnh × nhiệm vụ đã hoàn thành", f"{fmt_int(overall.task_province_done)}/{fmt_int(overall.task_province_total)}", cite_tasks),
                ("tỷ lệ hoàn thành chung", fmt_pct(pct_done), cite_tasks),
                ("tỉnh còn nhiệm vụ chưa xong", str(len(provinces_open)), cite_tasks),
            ]
        )
        # A deadline stated in an earlier report still holds when this one does not repeat it.
        deadlines = J.effective_deadlines(progress, date).set_index("task_id")
        completion = completion.assign(
            deadline=completion["task_id"].map(deadlines["deadline"]),
            deadline_from=completion["task_id"].map(deadlines["deadline_stated_on"]),
        )
        frame = completion.assign(
            title=[self._task_title(t, title) for t, title in zip(completion["task_id"], completion["task"])],
            deadline_vi=[
                ("—" if not isinstance(d, str) or not d else vn_date(d) + ("" if src == date else f" (theo báo cáo {vn_day_month(src)})"))
                for d, src in zip(completion["deadline"], completion["deadline_from"])
            ],
            done_of=[f"{d}/{t}" for d, t in zip(completion["done_count"], completion["total"])],
            not_done_names=[self._not_done_names(status, date, t) for t in completion["task_id"]],
        )
        task_table = table(
            frame,
            [
                ("task_id", "Số hiệu", f_text),
                ("title", "Nhiệm vụ", f_text),
                ("deadline_vi", "Thời hạn", f_text),
                ("done_of", "Tỉnh đã xong", f_text),
                ("done_pct", "Tỷ lệ", f_pct1),
                ("not_done_names", "Tỉnh chưa xong", f_text),
            ],
            caption=f"Tiến độ từng nhiệm vụ đến {vn_date(date)}",
            cite=cite_tasks + self._title_note,
            numeric=("done_of", "done_pct"),
            # highlight what is late or due, not every unfinished task
            row_class=lambda r: "warn" if r["done_count"] < r["total"] and isinstance(r["deadline"], str) and r["deadline"] <= date else "",
        )
        due_today = C.overdue_as_stated(progress, status, self.table("deadline_terms"), date, include_due_today=True)
        due_today = due_today[~due_today.set_index(["task_id", "province_code"]).index.isin(overdue.set_index(["task_id", "province_code"]).index)]
        self.metric("due_today_task_provinces", int(len(due_today)))
        due_html = ""
        if len(due_today):
            per_task = due_today.groupby("task_id").size()
            due_html = esc(
                " Đến hạn trong ngày báo cáo mà chưa xong: "
                + "; ".join(f"nhiệm vụ {t} ({n} tỉnh)" for t, n in per_task.items())
                + "."
            )
        if overdue.empty:
            overdue_html = para(esc(f"Không có nhiệm vụ nào quá hạn tại thời điểm báo cáo: mọi nhiệm vụ có thời hạn trước {vn_date(date)} đều đã hoàn thành ở cả 34 tỉnh.") + due_html + cite_tasks)
        else:
            overdue_html = join(
                [
                    para(esc(f"{len(overdue)} lượt tỉnh × nhiệm vụ đã quá hạn mà chưa hoàn thành:") + cite_tasks, cls="warning"),
                    table(
                        overdue.assign(name=overdue["province_code"].map(self._short), deadline_vi=overdue["deadline"].map(vn_date)),
                        [("task_id", "Nhiệm vụ", f_text), ("name", "Tỉnh", f_text), ("deadline_vi", "Thời hạn", f_text), ("days_overdue", "Số ngày quá hạn", f_int)],
                        numeric=("days_overdue",),
                    ),
                ]
            )
        ranking = open_by_province.head(max(10, len(provinces_open)))
        ranking = ranking[ranking["open_tasks"] > 0] if len(provinces_open) else ranking.head(0)
        if ranking.empty:
            ranking_html = para(esc("Tất cả 34 tỉnh, thành phố đã hoàn thành mọi nhiệm vụ."))
        elif len(ranking) <= 5:  # a chart of a few short bars says less than one sentence
            ranking_html = para(
                esc("Các tỉnh còn nhiệm vụ chưa xong: " + "; ".join(f"{self._short(c)}: {n} nhiệm vụ ({ids})" for c, n, ids in zip(ranking["province_code"], ranking["open_tasks"], ranking["open_task_ids"])) + ".")
                + cite_tasks
            )
        else:
            ranking_html = join(
                [
                    figure(
                        open_tasks_by_province_plot(ranking),
                        alt="Số nhiệm vụ chưa hoàn thành theo tỉnh",
                        caption=f"Số nhiệm vụ chưa hoàn thành theo tỉnh, {vn_date(date)} (tỉnh chậm nhất ở trên cùng)",
                        cite=cite_tasks,
                    ),
                ]
            )
        return join(
            [
                heading,
                cards,
                para(esc(self._june_sentence(overall, provinces_open)) + cite_tasks),
                "<h3>Các tỉnh chậm tiến độ</h3>",
                ranking_html,
                "<h3>Nhiệm vụ quá hạn</h3>",
                overdue_html,
                "<h3>Tiến độ từng nhiệm vụ</h3>",
                task_table,
            ]
        )

    def _not_done_names(self, status: pd.DataFrame, date: str, task_id: str) -> str:
        rows = status[(status["report_date"] == date) & (status["task_id"] == task_id) & (~status["done"].astype(bool))]
        names = sorted(self._short(c) for c in rows["province_code"])
        if not names:
            return ""
        if len(names) > 8:
            return f"{len(names)} tỉnh, gồm: " + ", ".join(names)
        return ", ".join(names)

    def _june_sentence(self, overall, provinces_open: pd.DataFrame) -> str:
        date = vn_date(self.report_date)
        text = (
            f"Đến {date}, {overall.tasks_complete}/{overall.tasks} nhiệm vụ đã hoàn thành ở cả 34 tỉnh, thành phố; "
            f"tính theo từng tỉnh, {fmt_int(overall.task_province_done)}/{fmt_int(overall.task_province_total)} lượt "
            f"({fmt_pct(100 * overall.task_province_done / overall.task_province_total)}) đã xong."
        )
        if len(provinces_open):
            worst = provinces_open.head(3)
            names = ", ".join(f"{self._short(c)} ({n} nhiệm vụ)" for c, n in zip(worst["province_code"], worst["open_tasks"]))
            text += f" {len(provinces_open)} tỉnh còn nhiệm vụ chưa xong; chậm nhất: {names}."
        return text

    def june_trends(self) -> Html:
        heading = "<h2>Diễn biến tiến độ tháng 6</h2>"
        if not self.has(DAILY):
            return Html("")  # the September briefing shows June's laggards in its own trends section
        progress, status = self.table("task_progress"), self.table("task_status")
        progress = progress[progress["report_date"] <= self.report_date]
        status = status[status["report_date"] <= self.report_date]
        trend = TR.june_trend(progress)
        trend = trend.assign(
            task=[self._task_title(t, title) for t, title in zip(trend["task_id"], trend["task"])],
            section=[self._clean_section_titles.get(sid, sec) for sid, sec in zip(trend["section_id"], trend["section"])],
        )

        dates = sorted(trend["date"].unique())
        first, last = dates[0], dates[-1]
        by_date = trend.pivot_table(index="date", values="done_count", aggfunc="sum")["done_count"]
        reconstructed = sorted(trend.loc[trend["reconstructed"], "date"].unique())
        # The reconstructed day comes from the stated increases of the report of the day after it.
        stated_in = [d for d in dates if d not in reconstructed]
        cite_prev = self.sources.cite(DAILY, "mục “tăng … so với ngày hôm trước” của từng nhiệm vụ", stated_in[0]) if reconstructed else ""
        cite_prev += self.sources.cite(DAILY, "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", self.report_date)
        parts = [heading]
        sentence = (
            "Tổng số lượt tỉnh × nhiệm vụ đã hoàn thành: "
            + " → ".join(f"{fmt_int(by_date[d])} ({vn_date(d)}{'*' if d in reconstructed else ''})" for d in dates)
            + "."
        )
        if reconstructed:
            sentence += " (*) Ngày được dựng lại từ mức tăng so với ngày hôm trước mà báo cáo nêu."
        parts.append(para(esc(sentence) + cite_prev))
        self.metric("june_done_by_date", {d: int(by_date[d]) for d in dates})
        parts.append(
            figure(
                task_progress_plot(trend),
                alt="Số tỉnh đã hoàn thành từng nhiệm vụ theo ngày",
                caption=f"Số tỉnh đã hoàn thành từng nhiệm vụ, {vn_date(first)} → {vn_date(last)}",
                cite=cite_prev,
            )
        )
        province_trend = TR.june_province_trend(status, self.table("provinces"))
        if province_trend["report_date"].nunique() > 1:
            wide = province_trend.pivot_table(index=["province_code", "short_name"], columns="report_date", values="open_tasks").reset_index()
            cols = [c for c in wide.columns if isinstance(c, str) and c[:2] == "20"]
            wide = wide[(wide[cols] > 0).any(axis=1)].sort_values(cols[::-1], ascending=False)
            parts.append(
                table(
                    wide,
                    [("short_name", "Tỉnh", f_text)] + [(c, f"Chưa xong {vn_date(c)}", f_int) for c in cols],
                    caption="Số nhiệm vụ chưa hoàn thành theo tỉnh qua các ngày báo cáo",
                    cite=self.sources.cite(DAILY, "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", self.report_date),
                    numeric=cols,
                )
            )
        reopened = TR.reopened_tasks(status)
        if not reopened.empty:
            items = [
                esc(f"{self._short(r['province_code'])}: nhiệm vụ {r['task_id']} được báo là đã xong ngày {vn_date(r['done_on'])} nhưng lại nằm trong danh sách chưa xong ngày {vn_date(r['not_done_on'])}.")
                for r in reopened.to_dict("records")
            ]
            parts.append(para("<strong>Cần kiểm tra:</strong>", cls="warning"))
            parts.append(bullet_list(items))
            self.metric("reopened_task_provinces", int(len(reopened)))
        return join(parts)

    def directives(self) -> Html:
        if not self.has("directives_notice"):
            return Html("")
        items = self.table("directive_items")
        items = items[items["deadline"].notna() | items["provinces_listed"].notna()]
        if items.empty:
            return Html("")
        cite = self.sources.cite("directives_notice", "mục II", self.report_date)
        frame = items.assign(deadline_vi=items["deadline"].map(lambda d: vn_date(d) if isinstance(d, str) else "—"), provinces=items["provinces_listed"].fillna(""))
        return join(
            [
                "<h2>Chỉ đạo của Phó Thủ tướng có thời hạn hoặc nêu tên tỉnh</h2>",
                table(
                    frame,
                    [("directive_id", "Mục", f_text), ("directive", "Chỉ đạo", f_text), ("deadline_vi", "Thời hạn", f_text), ("provinces", "Tỉnh được nêu tên", f_text)],
                    caption="Các chỉ đạo tại cuộc họp ngày 30/6/2025",
                    cite=cite,
                ),
            ]
        )
