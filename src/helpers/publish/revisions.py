"""Revisions of a published briefing: the previous version is kept, the new one says so.

When a date is rebuilt and its briefing's content differs from the published one
(a corrected or back-dated report, new code), the published folder's files go to
``outputs/<date>/revisions/<n>/`` (the version that revision ``n`` replaced:
``revisions/1/`` is the first published briefing) and the new ``briefing.html``
opens with a note in Vietnamese: revision ``n``, when, and which headline figures
moved (before → after). ``summary.json`` gets a ``revision`` record with every
``metrics`` entry that differs. A rebuild whose briefing is byte-identical is no
revision. Earlier revisions are carried into each new build.

Works on the staging folder before it is swapped in (the caller holds the date's lock).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.publish import folders
from helpers.publish.summary import SUMMARY_FILE

REVISIONS_DIR = "revisions"
BRIEFING_FILE = "briefing.html"
NOTE_START = "<!-- revision-note -->"
NOTE_END = "<!-- /revision-note -->"
# the note as inserted: a newline, then the note between its markers (removing it restores the page)
_NOTE_RE = re.compile(r"\n" + re.escape(NOTE_START) + r".*?" + re.escape(NOTE_END), re.S)
VIETNAM = dt.timezone(dt.timedelta(hours=7))  # no daylight saving time
MAX_LISTED = 8  # figures named in the note; the rest are counted


@dataclass
class Revision:
    number: int
    at: str  # ISO 8601, UTC
    headline: list[dict[str, str]] = field(default_factory=list)  # label, before, after
    metrics: list[dict[str, Any]] = field(default_factory=list)  # name, before, after

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "at": self.at, "headline_changes": self.headline, "metric_changes": self.metrics}


def without_note(text: str) -> str:
    """The briefing's HTML as the notebook made it (a revision note taken out)."""
    return _NOTE_RE.sub("", text, count=1)


def revision_numbers(folder: Path) -> list[int]:
    root = folder / REVISIONS_DIR
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def headline_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, str]]:
    """Headline figures (Vietnamese labels) whose value differs, in the new briefing's order."""
    old = {str(i.get("label")): str(i.get("value")) for i in before.get("headline") or [] if isinstance(i, Mapping)}
    out = []
    for item in after.get("headline") or []:
        if not isinstance(item, Mapping):
            continue
        label, value = str(item.get("label")), str(item.get("value"))
        if label in old and old[label] != value:
            out.append({"label": label, "before": old[label], "after": value})
        elif label not in old:
            out.append({"label": label, "before": "—", "after": value})
    return out


def metric_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``metrics`` entries of summary.json that differ (added or removed ones too), by name."""
    old, new = before.get("metrics") or {}, after.get("metrics") or {}
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return []
    return [{"name": k, "before": old.get(k), "after": new.get(k)} for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


def vi_time(iso: str) -> str:
    when = dt.datetime.fromisoformat(iso).astimezone(VIETNAM)
    return f"{when.hour:02d}:{when.minute:02d} ngày {when.day}/{when.month}/{when.year}"


def note_html(rev: Revision) -> str:
    """The note at the top of a revised briefing (Vietnamese; every value escaped)."""
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    parts = [
        NOTE_START,
        '<aside class="revision-note" role="note" style="border:1px solid #8a5a00;border-left-width:4px;background:#fff8e6;padding:.5rem .8rem;margin:0 0 1rem">',
        f"<p><strong>Bản sửa đổi lần {rev.number}</strong>, cập nhật lúc {e(vi_time(rev.at))} (giờ Việt Nam). "
        f'<a href="{REVISIONS_DIR}/{rev.number}/{BRIEFING_FILE}">Bản trước</a> vẫn được lưu để đối chiếu.</p>',
    ]
    if rev.headline:
        shown = rev.headline[:MAX_LISTED]
        items = "".join(f"<li>{e(c['label'])}: {e(c['before'])} → {e(c['after'])}</li>" for c in shown)
        parts.append(f"<p>Số liệu chính thay đổi:</p><ul>{items}</ul>")
    others = len(rev.metrics)
    if others:
        parts.append(f"<p>Tổng cộng {others} chỉ số thống kê đã thay đổi so với bản trước.</p>")
    if not rev.headline and not others:
        parts.append("<p>Số liệu không đổi; nội dung trình bày đã được cập nhật.</p>")
    parts += ["</aside>", NOTE_END]
    return "\n".join(parts)


def _insert_note(text: str, note: str) -> str:
    """After the opening ``<main>`` tag (or ``<body>``), so it is the first thing read and printed."""
    for tag in ("<main", "<body"):
        start = text.find(tag)
        if start >= 0:
            end = text.find(">", start)
            if end >= 0:
                return text[: end + 1] + "\n" + note + text[end + 1 :]
    return "\n" + note + text


def _copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, copy_function=shutil.copy2, dirs_exist_ok=True)


def prepare(date: str, staging: Path, now: dt.datetime | None = None) -> Revision | None:
    """Carry the date's earlier revisions into ``staging``; if the staged briefing differs from
    the published one, keep the published version as the next revision and mark the new one.
    Returns the new revision, or None when the briefing did not change (or is the first)."""
    published = folders.date_dir(date)
    if (published / REVISIONS_DIR).is_dir():
        _copy_tree(published / REVISIONS_DIR, staging / REVISIONS_DIR)
    old_html = published / BRIEFING_FILE
    new_html = staging / BRIEFING_FILE
    if not old_html.is_file() or not new_html.is_file():
        return None
    new_text = new_html.read_text(encoding="utf-8")
    old_text = old_html.read_text(encoding="utf-8")
    if without_note(old_text) == new_text:
        _keep_current_note(old_text, published, staging)
        return None
    number = (revision_numbers(published)[-1] if revision_numbers(published) else 0) + 1
    kept = staging / REVISIONS_DIR / str(number)
    kept.mkdir(parents=True)
    for path in sorted(published.iterdir()):
        if path.name in (REVISIONS_DIR, folders.FAILED_DIR):
            continue
        if path.is_dir():
            _copy_tree(path, kept / path.name)
        else:
            shutil.copy2(path, kept / path.name)
    before = _read_json(published / SUMMARY_FILE)
    summary_path = staging / SUMMARY_FILE
    after = _read_json(summary_path)
    at = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()
    rev = Revision(number=number, at=at, headline=headline_changes(before, after), metrics=metric_changes(before, after))
    _write(new_html, _insert_note(new_text, note_html(rev)))
    if summary_path.is_file():
        _write(summary_path, json.dumps({**after, "revision": rev.as_dict()}, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return rev


def _keep_current_note(old_text: str, published: Path, staging: Path) -> None:
    """An unchanged rebuild of a revised briefing stays the same revision: same note, same record."""
    found = _NOTE_RE.search(old_text)
    if not found:
        return
    new_html = staging / BRIEFING_FILE
    _write(new_html, _insert_note(new_html.read_text(encoding="utf-8"), found.group(0)[1:]))
    record = _read_json(published / SUMMARY_FILE).get("revision")
    summary_path = staging / SUMMARY_FILE
    if record and summary_path.is_file():
        _write(summary_path, json.dumps({**_read_json(summary_path), "revision": record}, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
