"""How well the obstacle-theme keyword rule (``helpers.analysis.themes``) agrees with
obstacle texts labelled by reading them.

``data/obstacle_theme_labels.csv`` (next to this module; ``tests/data`` links to it) holds
obstacle texts of the 22/9 report (appendices 6, 13, 15, 17, 19, 22–25) with the themes a
reader gives them (';'-joined; ``none`` = the text states no obstacle, ``other`` = none of
the themes). ``split``: ``dev`` texts were read while correcting the rule (their scores
are optimistic); ``holdout`` texts were labelled after it and never used to change it:
the briefing quotes those. Per theme: precision = texts the rule and the reader both give the theme /
texts the rule gives it; recall = the same / texts the reader gives it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from helpers.analysis.themes import THEME_LABELS_VI, THEME_ORDER, themes_of

LABELS_PATH = Path(__file__).resolve().parent / "data" / "obstacle_theme_labels.csv"


def load_labels(path: Path | str | None = None) -> pd.DataFrame:
    frame = pd.read_csv(path or LABELS_PATH, dtype={"text": str, "themes": str})
    unknown = {t for ts in frame["themes"] for t in ts.split(";")} - set(THEME_ORDER)
    if unknown:
        raise ValueError(f"unknown themes in the labels: {sorted(unknown)}")
    return frame


def theme_scores(labels: pd.DataFrame, rule: Callable[[str], tuple[str, ...]] = themes_of) -> pd.DataFrame:
    """One row per theme: labelled (reader), predicted (rule), agreed, precision, recall (NaN when undefined)."""
    gold = [set(ts.split(";")) for ts in labels["themes"]]
    predicted = [set(rule(text)) for text in labels["text"]]
    rows = []
    for theme in THEME_ORDER:
        labelled = sum(theme in g for g in gold)
        given = sum(theme in p for p in predicted)
        agreed = sum(theme in g and theme in p for g, p in zip(gold, predicted))
        rows.append({
            "theme": theme,
            "label_vi": THEME_LABELS_VI[theme],
            "labelled": labelled,
            "predicted": given,
            "agreed": agreed,
            "precision": agreed / given if given else float("nan"),
            "recall": agreed / labelled if labelled else float("nan"),
        })
    return pd.DataFrame(rows)


def disagreements(labels: pd.DataFrame, rule: Callable[[str], tuple[str, ...]] = themes_of) -> pd.DataFrame:
    """The labelled texts where the rule gives other themes than the reader (for analysts)."""
    out = labels.assign(rule=[";".join(rule(t)) for t in labels["text"]])
    same = [set(a.split(";")) == set(b.split(";")) for a, b in zip(out["themes"], out["rule"])]
    return out[[not s for s in same]].reset_index(drop=True)


def method_note_vi(scores: pd.DataFrame, texts: int) -> str:
    """The sentence for the briefing's method note: precision and recall of each theme, in words leaders read."""
    parts = []
    for row in scores.itertuples():
        if row.labelled == 0 or row.theme in ("none", "other"):
            continue
        precision = "—" if pd.isna(row.precision) else f"{row.precision * 100:.0f}%".replace(".", ",")
        parts.append(f"{row.label_vi.lower()}: đúng {precision}, tìm thấy {row.recall * 100:.0f}%")
    return (
        f"Kiểm tra quy tắc gom nhóm trên {texts} ý vướng mắc được đọc và gán nhóm bằng tay, không dùng khi xây dựng quy tắc "
        f"(“đúng” = tỷ lệ ý quy tắc xếp vào nhóm mà người đọc cũng xếp; “tìm thấy” = tỷ lệ ý người đọc xếp vào nhóm mà quy tắc cũng tìm ra): "
        + "; ".join(parts) + "."
    )


def rule_quality_note_vi() -> str:
    """The method note's sentence on how well the rule did on the labelled texts (computed now, from the labels)."""
    labels = load_labels()
    holdout = labels[labels["split"] == "holdout"]
    return method_note_vi(theme_scores(holdout), len(holdout))
