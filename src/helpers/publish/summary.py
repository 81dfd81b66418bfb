"""outputs/<date>/summary.json: the briefing's headline figures, read by the index."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers import config, salvage
from helpers.publish.folders import date_dir, write_text_atomic

SUMMARY_FILE = "summary.json"


def write_summary(output_dir: str | Path, headline: Sequence[Mapping[str, Any] | tuple[str, Any]], **extra: Any) -> Path:
    """Write ``summary.json`` for the index.

    ``headline``: the figures shown under the briefing's link in outputs/index.html,
    as ``[{"label": "Tỉnh sẵn sàng", "value": "30/34"}, ...]`` or ``[(label, value), ...]``.
    ``extra``: anything else JSON-able. Written deterministically (sorted keys, UTF-8).
    """
    items = []
    for item in headline:
        label, value = (item["label"], item["value"]) if isinstance(item, Mapping) else item
        items.append({"label": str(label), "value": str(value)})
    path = config.resolve(output_dir) / SUMMARY_FILE
    write_text_atomic(path, json.dumps({**extra, "headline": items}, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path


def read_summary(date: str) -> dict[str, Any] | None:
    """The date's summary; None if absent (a broken one is moved aside, see :mod:`helpers.salvage`)."""
    return salvage.read_json(date_dir(date) / SUMMARY_FILE)
