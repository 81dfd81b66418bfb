"""Figures of the daily readiness briefings (helpers.report.plots.tasks): they build, fit the page and show every task/province."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from analysis_tables import hand_tables  # noqa: E402

from helpers.report.plots.tasks import open_tasks_by_province_plot, task_progress_plot  # noqa: E402
from helpers.ingest.provinces import provinces_table  # noqa: E402
from helpers.analysis.tasks import open_tasks_by_province  # noqa: E402
from helpers.analysis.trends import task_trend  # noqa: E402


def _fits_a4(fig: Figure) -> None:
    width, height = fig.get_size_inches()
    assert width <= 7.5 and height <= 10.5
    assert fig.get_dpi() == 100


def test_task_progress_plot_has_every_task_and_date():
    trend = task_trend(hand_tables()["task_progress"])
    fig = task_progress_plot(trend)
    assert isinstance(fig, Figure)
    _fits_a4(fig)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 26 and labels[0].startswith("I.1 ") and labels[-1].startswith("IV.2 ")
    # one marker series per date (26/6 reconstructed, 27/6, 30/6), each with a point per task
    assert [len(c.get_offsets()) for c in ax.collections] == [26, 26, 26]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["26/6/2025 (tính lại từ mức tăng)", "27/6/2025", "30/6/2025"]
    # four section headers (I to IV) drawn as text
    assert len(ax.texts) == 4
    fig.savefig(__import__("io").BytesIO(), format="png")  # renders with Agg


def test_task_progress_plot_leaves_gaps_out():
    trend = task_trend(hand_tables()["task_progress"])
    trend.loc[(trend["task_id"] == "I.1") & (trend["date"] == "2025-06-30"), "done_count"] = pd.NA
    ax = task_progress_plot(trend).axes[0]
    assert [len(c.get_offsets()) for c in ax.collections] == [26, 26, 25]


def test_open_tasks_by_province_plot_one_bar_per_province():
    ranking = open_tasks_by_province(hand_tables()["task_status"], "2025-06-27", provinces_table())
    fig = open_tasks_by_province_plot(ranking)
    _fits_a4(fig)
    ax = fig.axes[0]
    assert len(ax.patches) == 34
    assert [t.get_text() for t in ax.get_yticklabels()][:4] == ["Sơn La", "Tây Ninh", "Cà Mau", "Cao Bằng"]
    assert [p.get_width() for p in ax.patches][:4] == [26, 26, 26, 17]
    assert "27/6/2025" in ax.get_title()
    top = open_tasks_by_province_plot(ranking.head(10).drop(columns="short_name"))
    assert len(top.axes[0].patches) == 10 and top.axes[0].get_yticklabels()[0].get_text() == "14"
