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

from helpers.analysis.themes import THEME_ORDER, themes_of

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


def holdout_scores() -> tuple[pd.DataFrame, int]:
    """Per-theme scores on the held-out labelled texts (never used to change the rule), and their number."""
    labels = load_labels()
    holdout = labels[labels["split"] == "holdout"]
    return theme_scores(holdout), len(holdout)
