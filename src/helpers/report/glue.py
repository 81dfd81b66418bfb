"""Values a notebook hands to the engine through its outputs, the way scrapbook "glues" them.

The briefing notebook ends with ``show_summary(b.summary)``: the summary dict becomes a
display output of its own MIME type, :data:`SUMMARY_MIME`, kept in the executed
notebook (analysts see what the engine read). The engine takes it from there and
writes ``outputs/<date>/summary.json`` (the notebook writes only the province pages, into the
staging folder it is given as ``output_dir``). The output is
tagged :data:`MACHINE_OUTPUT_TAG`, which the HTML export leaves out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

SUMMARY_MIME = "application/vnd.vn-briefings.summary+json"
# Tag of an output that is for machines, not readers: the HTML export leaves it out.
MACHINE_OUTPUT_TAG = "machine-readable"


def show_summary(summary: Mapping[str, Any]) -> None:
    """Display ``summary`` (a JSON-able mapping) as the notebook's machine-readable summary."""
    from IPython.display import display

    # Refused here, in the notebook's own cell, rather than turned into something else by
    # the kernel's message encoder (a NaN or a numpy number would not survive as written).
    data = json.loads(json.dumps(dict(summary), ensure_ascii=False, allow_nan=False))
    display({SUMMARY_MIME: data}, raw=True, metadata={"tags": [MACHINE_OUTPUT_TAG]})


def show_tables(*tables) -> None:
    """Display each table that is not None, in order: an analyst cell that shows the table
    behind a section and the statistics beside it (a date without the data shows nothing)."""
    from IPython.display import display

    for table in tables:
        if table is not None:
            display(table)
