"""The ingest cache: what was parsed and checked before, so that a new report costs one parse.

In ``data/processed/.cache/`` (carried into each new ``data/processed`` an ingest swaps in):

* ``reports/<key>.json``: one report's :class:`~helpers.ingest.piece.ReportPiece`, keyed by
  the code version, the file name and the SHA-256 of its bytes (the name appears in the
  tables and findings, the bytes are what was parsed);
* ``checks.json``: findings of the checks that span reports, keyed by the pieces they read:
  each pair of consecutive reports (``checks``) and each report date (``consistency``).

The code version covers every file of the ingest stage and the registry packages, so a
change to a parser or a check invalidates every entry. ``briefings ingest --force``
parses everything again (and rewrites the entries).

The cache is a file this program wrote, but nothing stops an edit, a crash of the disk
or a copy from elsewhere: an entry is JSON (loading it runs no code), carries the SHA-256
of its body (a truncated or altered entry fails it), names the key it was written under
and is checked for shape; its tables then meet the lax schema like freshly parsed ones.
An entry that fails any of this is moved to ``set-aside/`` with a one-line warning and
the report is parsed again; a bad cache never stops an ingest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from helpers.errors import printable
from helpers.ingest.piece import ReportPiece

CACHE_DIR = ".cache"
FORMAT = 1
STAGE_DIR = Path(__file__).resolve().parent
# Packages whose data or behaviour the parsers read: province names and former names, matching.
PACKAGES = ("vietnam-provinces", "vietnamadminunits", "rapidfuzz")
KEEP_SET_ASIDE = 20  # broken entries kept for a look, newest first


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of every module of the ingest stage (found by walking the package, so a new
    module is covered without editing a list) and the versions of :data:`PACKAGES`."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in sorted(STAGE_DIR.rglob("*.py")):
        digest.update(f"code {path.relative_to(STAGE_DIR).as_posix()} ".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in PACKAGES:
        digest.update(f"{package} {version(package)}\n".encode())
    return digest.hexdigest()


def cache_dir(processed: Path) -> Path:
    return processed / CACHE_DIR


def piece_key(file: str, sha256: str) -> str:
    return hashlib.sha256(f"piece\0{code_version()}\0{file}\0{sha256}".encode()).hexdigest()


def findings_key(*pieces: ReportPiece) -> str:
    """Key of a check's findings over ``pieces`` (in the order the check reads them)."""
    parts = "\0".join(f"{p.file}\0{p.sha256}" for p in pieces)
    return hashlib.sha256(f"findings\0{code_version()}\0{parts}".encode()).hexdigest()


def _write(path: Path, body: dict) -> None:
    """Header line (format, SHA-256 of the body line), body line; via a temporary file and a
    rename, so a reader sees the old entry or the new one. No fsync: an entry a crash left
    short fails its digest and is parsed again, which is all a cache needs."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    data = text.encode("utf-8")
    header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(data).hexdigest()}).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(header + b"\n" + data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BadEntry(Exception):
    """A cache entry that cannot be trusted (the message says why, in a few words)."""


def _read(path: Path) -> dict:
    """The body of an entry written by :func:`_write`; BadEntry if anything is off."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadEntry(f"unreadable ({exc.strerror})") from None
    header, sep, body = data.partition(b"\n")
    try:
        head = json.loads(header)
    except ValueError:
        raise BadEntry("no header line") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT or not sep:
        raise BadEntry("not an entry of this format")
    if hashlib.sha256(body).hexdigest() != head.get("sha256"):
        raise BadEntry("its content does not match its digest (truncated or edited)")
    try:
        obj = json.loads(body)
    except ValueError:
        raise BadEntry("not JSON") from None
    if not isinstance(obj, dict):
        raise BadEntry("not a JSON object")
    return obj


class IngestCache:
    """The cache directory of one ``data/processed``. ``warnings`` collects the one-line
    warnings printed for entries set aside."""

    def __init__(self, root: Path, refresh: bool = False):
        self.root = root
        self.refresh = refresh  # read nothing (--force): every report parsed, every check run
        self.warnings: list[str] = []
        self._checks: dict[str, dict] | None = None
        self._checks_used: dict[str, set[str]] = {}
        self._checks_dirty = False

    # --- reports ----------------------------------------------------------------------

    def _piece_path(self, file: str, sha256: str) -> Path:
        return self.root / "reports" / f"{piece_key(file, sha256)}.json"

    def load_piece(self, file: str, sha256: str) -> ReportPiece | None:
        """The cached piece of ``file`` with these bytes, or None (absent or set aside)."""
        path = self._piece_path(file, sha256)
        if not path.exists():
            return None
        try:
            obj = _read(path)
            if obj.get("code") != code_version() or obj.get("key") != path.stem:
                raise BadEntry("written under another key")
            piece = ReportPiece.from_json(obj.get("piece"))
            if piece.file != file or piece.sha256 != sha256:
                raise BadEntry("it is the entry of another file")
        except (BadEntry, ValueError, TypeError) as exc:
            self.set_aside(path, str(exc) if isinstance(exc, BadEntry) else f"malformed ({exc})", file)
            return None
        return piece

    def store_piece(self, piece: ReportPiece) -> None:
        path = self._piece_path(piece.file, piece.sha256)
        _write(path, {"code": code_version(), "key": path.stem, "piece": piece.to_json()})

    def discard_piece(self, piece: ReportPiece, why: str) -> None:
        path = self._piece_path(piece.file, piece.sha256)
        if path.exists():
            self.set_aside(path, why, piece.file)

    # --- findings of checks across reports --------------------------------------------

    def _load_checks(self) -> dict[str, dict]:
        if self._checks is None:
            self._checks = {}
            path = self.root / "checks.json"
            if path.exists():
                try:
                    obj = _read(path)
                    if obj.get("code") != code_version():
                        raise BadEntry("written by another code version")
                    self._checks = _checked_findings(obj.get("findings"))
                except BadEntry as exc:
                    self.set_aside(path, str(exc), None)
        return self._checks

    def findings(self, check: str, key: str):
        """Cached rows of ``check`` for ``key`` (None if not cached)."""
        self._checks_used.setdefault(check, set()).add(key)
        if self.refresh:
            self._checks = self._checks or {}
            return None
        return self._load_checks().get(check, {}).get(key)

    def store_findings(self, check: str, key: str, rows) -> None:
        checks = self._checks if self.refresh and self._checks is not None else self._load_checks()
        checks.setdefault(check, {})[key] = rows
        self._checks_used.setdefault(check, set()).add(key)
        self._checks_dirty = True

    # --- upkeep -----------------------------------------------------------------------

    def move_into(self, staged: Path) -> None:
        """Move the cache into the new ``data/processed`` before it is swapped in (a rename:
        the cache keeps its path once the swap is done)."""
        if self.root.is_dir():
            os.replace(self.root, staged / self.root.name)

    def set_aside(self, path: Path, why: str, file: str | None) -> None:
        """Move a bad entry to ``set-aside/`` and say so in one line (never fatal)."""
        aside = self.root / "set-aside"
        again = f"; {printable(file)} is parsed again" if file else "; the checks are run again"
        try:
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(path, aside / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}")
            where = f"moved to {printable(aside)}/"
        except OSError as exc:
            where = f"could not be moved aside ({exc.strerror})"
        message = f"warning: ingest cache entry {printable(path)} is not trusted: {why}; {where}{again}"
        self.warnings.append(message)
        print(message, file=sys.stderr)
        entries = sorted(aside.glob("*"), reverse=True) if aside.is_dir() else []
        for old in entries[KEEP_SET_ASIDE:]:
            old.unlink(missing_ok=True)

    def finish(self, live_pieces: list[ReportPiece]) -> None:
        """After a successful ingest: write the findings of the checks and drop every entry
        this ingest did not use (removed or superseded reports, older code)."""
        if self._checks is not None:
            kept = {check: {k: v for k, v in rows.items() if k in self._checks_used.get(check, ())} for check, rows in self._checks.items()}
            if self._checks_dirty or kept != self._checks:
                _write(self.root / "checks.json", {"code": code_version(), "findings": kept})
        live = {f"{piece_key(p.file, p.sha256)}.json" for p in live_pieces}
        reports = self.root / "reports"
        if reports.is_dir():
            for path in reports.iterdir():
                if path.name not in live:
                    path.unlink(missing_ok=True)


_FINDING_KEYS = {"report_date", "source", "check", "severity", "detail"}


def _checked_findings(obj) -> dict[str, dict]:
    """The ``findings`` object of checks.json: {check: {key: rows}} where rows is a list of
    data_quality rows or a list of such lists (one per part of a check)."""
    if not isinstance(obj, dict):
        raise BadEntry("findings is not an object")

    def rows_ok(rows) -> bool:
        return isinstance(rows, list) and all(
            isinstance(r, dict) and set(r) == _FINDING_KEYS and all(isinstance(r[k], str) for k in _FINDING_KEYS - {"report_date"})
            and (r["report_date"] is None or isinstance(r["report_date"], str))
            for r in rows
        )

    for check, by_key in obj.items():
        if not isinstance(by_key, dict):
            raise BadEntry(f"the findings of {check!r} are not an object")
        for rows in by_key.values():
            if not (rows_ok(rows) or (isinstance(rows, list) and all(rows_ok(part) for part in rows))):
                raise BadEntry(f"a finding of {check!r} is not a data_quality row")
    return obj
