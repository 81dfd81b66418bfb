"""Files the program wrote itself (the manifest, the ingest record, summaries), read as
defensively as user files: a broken one is moved aside with one warning line on stderr
and the caller goes on as if it were absent; never fatal, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import config
from helpers.errors import printable, shorten

MAX_BYTES = 64 * 1024 * 1024  # a manifest of 1,000 dates is ~20 MB


def _shown(path: Path) -> str:
    return printable(config.relative_to_root(path))


def move_aside(path: Path, problem: str) -> Path | None:
    """Rename ``path`` to a hidden ``.<name>.broken-<UTC time>`` beside it (kept for a
    post-mortem, out of what is published) and print one warning line."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f".{path.name}.broken-{stamp}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        print(f"warning: {_shown(path)}: {printable(shorten(problem))}; could not move it aside ({exc.strerror})", file=sys.stderr, flush=True)
        return None
    print(f"warning: {_shown(path)}: {printable(shorten(problem))}; moved aside to {_shown(aside)} and ignored", file=sys.stderr, flush=True)
    return aside


def read_json(path: Path, valid: Callable[[Any], bool] = lambda data: isinstance(data, dict)) -> Any | None:
    """The JSON document at ``path``; None when there is none. A file that is not a regular
    file, too big, not UTF-8 JSON, or fails ``valid`` is moved aside (:func:`move_aside`)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        print(f"warning: {_shown(path)}: unreadable ({exc.strerror}); ignored", file=sys.stderr, flush=True)
        return None
    import stat

    if not stat.S_ISREG(st.st_mode):
        move_aside(path, "not a regular file")
        return None
    if st.st_size > MAX_BYTES:
        move_aside(path, f"{st.st_size:,} bytes, more than this program ever writes")
        return None
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(MAX_BYTES + 1).decode("utf-8"))
    except OSError as exc:
        print(f"warning: {_shown(path)}: unreadable ({exc.strerror}); ignored", file=sys.stderr, flush=True)
        return None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        move_aside(path, f"not valid JSON ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
        return None
    if not valid(data):
        move_aside(path, "not the structure this program writes")
        return None
    return data
