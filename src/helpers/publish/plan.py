"""What to run: the notebooks, per-date input hashing, skip-if-unchanged.

A date is skipped when its last successful run (outputs/manifest.json) had the
same input hash and its outputs are still there. The hash covers:

* the rows of each table in data/processed that the date's notebooks can read: the
  rows of the date itself, of every earlier reporting date (the sections compare with
  the previous report of each kind, rebuild trends and task histories from all earlier
  rows, and name the previous briefing), of its ``comparison_dates``, and the rows
  without a date (provinces, the undated vendor summary); not whole CSVs. The standing
  documents' rows are dated by the document (``notice_date``, ``summary_date``, see
  :data:`DATE_COLUMNS`): a date reads only the notices and summaries dated on or before
  it. Rows of later dates are not inputs, so adding tomorrow's report (or notice, or
  vendor summary) rebuilds tomorrow (and the index) only; a corrected or back-dated
  report rebuilds its date and the dates after it;
* the parameters as run (params files and command-line overrides), the notebooks,
  every file of the package src/helpers/ (code and templates);
* the versions of the tools that shape the output (read from dist-info folder names,
  without importing anything) and the list of notebooks.

Per-date row digests are computed with the csv module once per table version and
cached in ``outputs/.cache/table-rows.json`` (keyed by the file's identity), so a
no-op build reads no table.

This module must stay cheap: no pandas, papermill or nbconvert.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import hashlib
import json
import os
import platform
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import config
from helpers.atomic import write_text_atomic
from helpers.errors import InputError
from helpers.params import LoadedParams, display_path
from helpers.publish import folders, hashing
from helpers.publish import manifest as manifests

# Notebooks run for every reporting date, in this order: notebooks/<name>.ipynb ->
# outputs/<date>/<name>.ipynb and <name>.html.
NOTEBOOKS: tuple[str, ...] = ("briefing", "province_drilldown")
# The notebook whose HTML must exist for a date to count as published.
MAIN_NOTEBOOK = "briefing"
KERNEL_NAME = "vn-briefings"  # the kernelspec the Makefile installs (the notebooks name it)

# Distributions whose versions are recorded in the manifest and hashed.
TOOLS: tuple[str, ...] = (
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "jupyter_client",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "scipy",
    "pandera",
    "pydantic",
    "PyYAML",
    "vietnam-provinces",
    "vn-two-level-briefings",
)

_DIST_RE = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)\.dist-info$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def tool_versions() -> dict[str, str]:
    """Python and :data:`TOOLS` versions from ``*.dist-info`` names on sys.path (~1 ms)."""
    wanted = {_norm(t): t for t in TOOLS}
    found: dict[str, str] = {}
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in names:
            m = _DIST_RE.match(name)
            if m:
                key = _norm(m.group("name"))
                if key in wanted and wanted[key] not in found:
                    found[wanted[key]] = m.group("version")
    return {"python": platform.python_version(), **dict(sorted(found.items()))}


def notebook_path(name: str) -> Path:
    return config.notebooks_dir() / f"{name}.ipynb"


def check_notebooks(notebooks: Sequence[str]) -> None:
    for name in notebooks:
        path = notebook_path(name)
        if not path.is_file():
            raise InputError(display_path(path), None, "a notebook (the engine runs: " + ", ".join(f"{n}.ipynb" for n in notebooks) + ")", "no such file")


def with_overrides(loaded: LoadedParams, overrides: Mapping[str, Any]) -> LoadedParams:
    """``loaded`` with command-line overrides (``thresholds.green_pct_min`` -> nested key) applied and validated."""
    from pydantic import ValidationError as PydanticValidationError

    data = loaded.params.model_dump(mode="json")
    for key, value in overrides.items():
        *parents, leaf = key.split(".")
        node = data
        for part in parents:
            if not isinstance(node.get(part), dict):
                raise InputError("-p", None, f"a known parameter (see params/defaults.yaml), not {key}", f"{key}={value}")
            node = node[part]
        node[leaf] = value
    try:
        params = type(loaded.params).model_validate(data)
    except PydanticValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        raise InputError("-p", None, f"{where}: {err.get('msg', 'a valid value')}", json.dumps(err.get("input"), ensure_ascii=False, default=str)) from None
    if params.report_date != loaded.params.report_date:
        raise InputError("-p", None, f"report_date {loaded.date} (use --date to choose the date)", params.report_date.isoformat())
    return dataclasses.replace(loaded, params=params)


def params_digest(loaded: LoadedParams) -> str:
    """Hash of the parameters the notebooks receive: files and command-line overrides alike."""
    text = json.dumps(loaded.notebook_parameters(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


ROW_CACHE = Path(".cache") / "table-rows.json"  # under outputs/
ROW_CACHE_VERSION = 2  # 2: rows grouped by DATE_COLUMNS (1: report_date only)
UNDATED = ""  # the group of rows (or whole tables) without a date
# The column that dates a table's rows, the first of these it has: the report's date, or a
# standing document's own (helpers.analysis.standing reads them as of a briefing's date).
DATE_COLUMNS = ("report_date", "notice_date", "summary_date")


def _file_identity(path: Path) -> list[int]:
    # ingest swaps in new files (new inode); any other write changes mtime or size
    st = path.stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def rows_by_date(path: Path) -> dict[str, str]:
    """Date (of the first of :data:`DATE_COLUMNS` the table has) -> SHA-256 of that date's
    rows (in file order, with the header); rows without a date, or every row of a table
    without such a column, under ``""``."""
    hashes: dict[str, Any] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        column = next((header.index(name) for name in DATE_COLUMNS if name in header), None)
        head = ("\x1f".join(header) + "\n").encode()
        for row in reader:
            key = row[column] if column is not None and column < len(row) else UNDATED
            h = hashes.get(key)
            if h is None:
                h = hashes[key] = hashlib.sha256(head)
            h.update(("\x1f".join(row) + "\n").encode())
    return {k: hashes[k].hexdigest() for k in sorted(hashes)}


class TableRows:
    """Per-date row digests of the processed tables, cached by file identity across builds."""

    def __init__(self, processed: Path | None = None, cache_path: Path | None = None):
        self.processed = processed or config.processed_dir()
        self.cache_path = cache_path or config.outputs_dir() / ROW_CACHE
        self._cache = self._read_cache()
        self._dirty = False
        self._prefixes: dict[str, tuple[list[str], list[str]]] = {}

    def _read_cache(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != ROW_CACHE_VERSION or not isinstance(data.get("tables"), dict):
            return {}
        return data["tables"]

    def tables(self) -> list[str]:
        if not self.processed.is_dir():
            return []
        return sorted(p.stem for p in self.processed.glob("*.csv"))

    def digests(self, name: str) -> dict[str, str]:
        path = self.processed / f"{name}.csv"
        identity = _file_identity(path)
        cached = self._cache.get(name)
        if isinstance(cached, dict) and cached.get("identity") == identity and isinstance(cached.get("dates"), dict):
            return cached["dates"]
        dates = rows_by_date(path)
        self._cache[name] = {"identity": identity, "dates": dates}
        self._dirty = True
        return dates

    def _prefix(self, name: str) -> tuple[list[str], list[str]]:
        """Sorted dates of the table and, for each, the digest of its rows and all earlier ones."""
        got = self._prefixes.get(name)
        if got is None:
            digests = self.digests(name)
            keys = sorted(digests)  # "" (undated) sorts first: every date includes it
            running = hashlib.sha256()
            chain = []
            for key in keys:
                running.update(f"{key}\t{digests[key]}\n".encode())
                chain.append(running.hexdigest())
            got = self._prefixes[name] = (keys, chain)
        return got

    def rows_digest(self, name: str, date: str, extra_dates: Sequence[str] = ()) -> str:
        """Digest of the rows of ``name`` a date's notebooks can read: undated rows, rows of
        ``date`` and every earlier date, and rows of ``extra_dates`` (comparison dates)."""
        keys, chain = self._prefix(name)
        i = bisect.bisect_right(keys, date)
        digest = chain[i - 1] if i else "none"
        later = [d for d in sorted(set(extra_dates)) if d > date]
        if later:
            digests = self.digests(name)
            h = hashlib.sha256(digest.encode())
            for d in later:
                h.update(f"{d}\t{digests.get(d, 'none')}\n".encode())
            digest = h.hexdigest()
        return digest

    def save(self) -> None:
        """Keep the digests for the next build (best effort: the cache only saves time)."""
        if not self._dirty:
            return
        present = set(self.tables())
        tables = {k: v for k, v in sorted(self._cache.items()) if k in present}
        try:
            write_text_atomic(self.cache_path, json.dumps({"version": ROW_CACHE_VERSION, "tables": tables}, sort_keys=True))
            self._dirty = False
        except OSError:
            pass


class InputHasher:
    """File hashes for one build, computed once and shared by every date."""

    def __init__(self, notebooks: Sequence[str], rows: TableRows | None = None, tables: Mapping[str, str] | None = None, tables_dir: Path | None = None):
        """``tables``: ``<table>.csv`` -> sha256 of the run's snapshot of the tables in
        ``tables_dir`` (see :mod:`.snapshot`), recorded in the manifest as what the run
        used; a date's input hash covers only its own rows of them (``rows``)."""
        self.notebooks = tuple(notebooks)
        self.tables = dict(tables) if tables is not None else None
        self.tables_dir = tables_dir if tables_dir is not None else config.processed_dir()
        self._cache: dict[Path, str] = {}
        self._shared: dict[str, str] | None = None
        self.rows = rows or TableRows(self.tables_dir)
        self.versions = tool_versions()

    def _sha(self, path: Path) -> str:
        sha = self._cache.get(path)
        if sha is None:
            sha = self._cache[path] = hashing.sha256_file(path)
        return sha

    def shared_inputs(self) -> dict[str, str]:
        if self._shared is None:
            files: dict[str, Path] = {}
            for name in self.notebooks:
                files[f"notebooks/{name}.ipynb"] = notebook_path(name)
            pkg = config.PACKAGE_DIR
            # the whole package, code and templates alike, found by walking it
            for p in pkg.rglob("*"):
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                    files[f"src/helpers/{p.relative_to(pkg).as_posix()}"] = p
            self._shared = dict(sorted((k, self._sha(files[k])) for k in files))
        return self._shared

    def date_inputs(self, loaded: LoadedParams) -> dict[str, str]:
        out = dict(self.shared_inputs())
        date = loaded.date
        comparisons = [d.isoformat() for d in loaded.params.comparison_dates]
        for name in self.rows.tables():
            out[f"data/processed/{name}.csv"] = self.rows.rows_digest(name, date, comparisons)
        for path in loaded.files:
            out[display_path(path)] = self._sha(Path(path))
        out["parameters (as run)"] = params_digest(loaded)
        return dict(sorted(out.items()))

    def input_hash(self, date: str, inputs: Mapping[str, str]) -> str:
        h = hashlib.sha256()
        h.update(f"date\t{date}\nkernel\t{KERNEL_NAME}\nnotebooks\t{','.join(self.notebooks)}\n".encode())
        for name, version in self.versions.items():
            h.update(f"version\t{name}\t{version}\n".encode())
        for key in sorted(inputs):
            h.update(f"file\t{key}\t{inputs[key]}\n".encode())
        return h.hexdigest()


@dataclass
class DatePlan:
    date: str
    loaded: LoadedParams
    input_hash: str
    inputs: dict[str, str] = field(repr=False)
    run: bool
    reason: str  # 'forced', 'new', 'inputs changed', 'last run failed', 'outputs missing', 'unchanged'


def up_to_date(entry: Mapping[str, Any], date: str, input_hash: str, notebooks: Sequence[str]) -> tuple[bool, str]:
    """(skip?, reason) from the date's manifest entry: skip only if the last run
    succeeded with the same input hash and its outputs are still there."""
    last = entry.get("last_success") or {}
    last_run = entry.get("last_run") or {}
    if not last:
        return False, "last run failed" if last_run else "new"
    if last.get("input_hash") != input_hash:
        return False, "inputs changed"
    if last_run.get("status") == "failed":
        # The last good build had these inputs but a later run failed (forced, or with
        # other inputs since reverted): run again, so that failed/ and the index's
        # warning do not outlive the problem.
        return False, "last run failed"
    # outputs still there? (a cheap existence check: hashes are in the manifest)
    recorded = last.get("outputs") or {}
    d = folders.date_dir(date)
    for name in notebooks:
        for f in (f"{name}.ipynb", f"{name}.html"):
            if f not in recorded:
                return False, "outputs missing"
    for f in recorded:
        if not (d / f).is_file():
            return False, "outputs missing"
    return True, "unchanged"


def make_plans(
    loaded: Mapping[str, LoadedParams],
    notebooks: Sequence[str] = NOTEBOOKS,
    force: bool = False,
    manifest: Mapping[str, Any] | None = None,
    hasher: InputHasher | None = None,
) -> list[DatePlan]:
    hasher = hasher or InputHasher(notebooks)
    manifest = manifest if manifest is not None else manifests.read_manifest()
    plans = []
    for date in sorted(loaded):
        inputs = hasher.date_inputs(loaded[date])
        digest = hasher.input_hash(date, inputs)
        skip, reason = up_to_date(manifests.date_entry(manifest, date), date, digest, notebooks)
        if force:
            skip, reason = False, "forced"
        plans.append(DatePlan(date=date, loaded=loaded[date], input_hash=digest, inputs=inputs, run=not skip, reason=reason))
    hasher.rows.save()
    return plans
