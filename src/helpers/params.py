"""Parameters of one briefing: ``params/<YYYY-MM-DD>.yaml`` over ``params/defaults.yaml``.

Validated (pydantic, unknown keys forbidden) before any kernel starts. Every
problem is one :class:`~helpers.errors.InputError` line naming the file and,
where the YAML tells us, the line: malformed YAML, unknown key, wrong type, a
reporting date without data (the message lists the dates that have data), a
file whose name is not its ``report_date``, an unknown ``province``.

Params files are untrusted: a path that is not a regular file (a directory, a FIFO,
a link that leads nowhere or out of the project), a file over :data:`MAX_BYTES`, YAML
nested deeper than :data:`MAX_DEPTH`, aliases (``*a``: the "billion laughs"
expansion), explicit tags and duplicate keys are refused, each with its line. Every
value is bounded by the model.

A date file holds only what differs from ``defaults.yaml`` (mappings such as
``thresholds`` are merged key by key). A date that has data but no file of its
own runs with ``defaults.yaml`` and ``report_date`` filled in.

To add a parameter: add a field to :class:`BriefingParams` or :class:`Thresholds`
and its default, documented, to ``params/defaults.yaml``: the defaults are written
there only (the model has none, so a missing one is an error naming the key).

Only PyYAML and pydantic are imported here: this runs on every no-op rebuild.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional, Union

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from helpers import config
from helpers.errors import InputError, shorten

DEFAULTS_FILE = "defaults.yaml"
DATE_FILE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_BYTES = 64 * 1024  # a params file is a few hundred bytes
MAX_DEPTH = 4  # mappings and lists inside each other (the schema needs 2)
MAX_DATES_SHOWN = 12  # available dates listed in a message
# Keys for the engine, not for the notebooks (not passed as notebook parameters).
ENGINE_KEYS = frozenset({"cell_timeout_s"})


# --------------------------------------------------------------------------- model


def _iso_date(value: Any) -> Any:
    """Dates are written YYYY-MM-DD (the YAML loader keeps them as strings)."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date YYYY-MM-DD without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("a real calendar date YYYY-MM-DD") from None
    raise ValueError("a date YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Percent = Annotated[float, Field(ge=0, le=100, strict=True)]


class _Model(BaseModel):
    # allow_inf_nan: a YAML .nan or .inf passes every comparison of a bound
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Thresholds(_Model):
    """Cut-offs the notebooks use to flag provinces; percentages are 0–100.
    Defaults and their meaning: params/defaults.yaml."""

    readiness_index_min: Percent
    green_pct_min: Percent
    online_rate_min_pct: Optional[Percent]
    # a ratio to the national average: 1.0 is average, 10 would flag every province
    volume_index_low: Annotated[float, Field(gt=0, le=10, strict=True)]
    # groups of provinces (34 in all)
    small_group_n: Annotated[int, Field(ge=1, le=34, strict=True)]


ProvinceRef = Union[Annotated[int, Field(strict=True)], Annotated[str, Field(min_length=1, max_length=100, strict=True)]]


class BriefingParams(_Model):
    report_date: IsoDate
    comparison_dates: Annotated[list[IsoDate], Field(max_length=31)]
    thresholds: Thresholds
    # Analyst notebook (province_drilldown): a name in any spelling the matcher knows, or
    # the official code, or a list of them (at most the 34); None (or []) lets the notebook
    # take the provinces the date flags.
    province: Optional[Union[ProvinceRef, Annotated[list[ProvinceRef], Field(max_length=34)]]]
    # Seconds one notebook cell may run before the run counts as failed.
    cell_timeout_s: Annotated[int, Field(ge=10, le=3600, strict=True)]
    # Printed on every page of the PDF when the date's reports carry no marking of their own.
    distribution_marking: Annotated[str, Field(min_length=1, max_length=200, strict=True)]

    @field_validator("province")
    @classmethod
    def _known_province(cls, value):
        """Resolved here, before any kernel starts (the notebook would fail with exit 1)."""
        if value is None:
            return value
        from helpers.ingest.provinces import by_code, lookup

        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, int) or one.strip().isdigit():
                try:
                    by_code(int(one))
                except KeyError:
                    raise ValueError("an official province code (vietnam-provinces, 1-96)") from None
            elif lookup(one) is None:
                raise ValueError("one of the 34 province names (e.g. Lạng Sơn) or its official code")
        return value

    @property
    def provinces(self) -> list:
        """``province`` as the drill-down notebook's ``provinces`` list (empty: the notebook chooses)."""
        if self.province is None:
            return []
        return list(self.province) if isinstance(self.province, list) else [self.province]

    def notebook_parameters(self) -> dict[str, Any]:
        """Plain JSON-able dict (dates as ISO strings) for papermill (engine keys left out)."""
        return self.model_dump(mode="json", exclude=set(ENGINE_KEYS))


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class LoadedParams:
    params: BriefingParams
    path: Path  # the date's file, or defaults.yaml when the date has none
    files: tuple[Path, ...]  # every file that contributed (defaults first)
    used_defaults: bool

    @property
    def date(self) -> str:
        return self.params.report_date.isoformat()

    def notebook_parameters(self) -> dict[str, Any]:
        return self.params.notebook_parameters()

    @property
    def cell_timeout_s(self) -> int:
        return self.params.cell_timeout_s

    @property
    def distribution_marking(self) -> str:
        return self.params.distribution_marking


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings: the model parses them with a clear message."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def display_path(path: Path) -> str:
    """``params/2025-06-30.yaml`` rather than an absolute path, when under the project."""
    # absolute(), not resolve(): a link is named as the user wrote it, not by its target
    for candidate in (Path(path).absolute(), Path(path).resolve()):
        try:
            return candidate.relative_to(config.project_root()).as_posix()
        except ValueError:
            continue
    return str(path)


_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _check_regular_file(path: Path, shown: str) -> None:
    """``path`` is a regular file of at most :data:`MAX_BYTES`; a link is followed only
    inside the project. Checked before opening: opening a FIFO would block for ever."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        found = "a link that leads nowhere" if os.path.islink(path) else "no such file"
        raise InputError(shown, None, "a parameters file", found) from None
    except OSError as exc:
        raise InputError(shown, None, "a readable parameters file", exc.strerror) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(shown, None, "a regular file", _KINDS.get(stat.S_IFMT(st.st_mode), "a special file"))
    if os.path.islink(path) or path.resolve() != path.absolute():
        root = config.project_root().resolve()
        if not path.resolve().is_relative_to(root):
            raise InputError(shown, None, "a file inside the project (links are followed only within it)", f"a link to {path.resolve()}")
    if st.st_size > MAX_BYTES:
        raise InputError(shown, None, f"a parameters file of at most {MAX_BYTES // 1024} KiB", f"{st.st_size:,} bytes")


def _check_events(text: str, shown: str) -> None:
    """Refuse what a params file never needs and a hostile one uses: aliases (exponential
    expansion), explicit tags, nesting deeper than :data:`MAX_DEPTH`."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise InputError(shown, line, "plain values (YAML aliases are not supported)", f"*{event.anchor}")
        if getattr(event, "anchor", None) is not None:
            raise InputError(shown, line, "plain values (YAML anchors are not supported)", f"&{event.anchor}")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        if tag is not None and not (implicit is True or (isinstance(implicit, tuple) and any(implicit))):
            raise InputError(shown, line, "plain values (YAML tags are not supported)", tag)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(shown, line, f"at most {MAX_DEPTH} levels of nesting", f"level {depth}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_duplicate_keys(node: yaml.Node, shown: str) -> None:
    """PyYAML keeps the last of two equal keys; a params file saying a thing twice is refused."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise InputError(shown, line, f"each key once (first at line {seen[key.value]})", key.value)
                    seen[key.value] = line
                todo += [key, value]
        elif isinstance(current, yaml.SequenceNode):
            todo += current.value


def _read_yaml(path: Path) -> tuple[dict, yaml.Node | None]:
    shown = display_path(path)
    _check_regular_file(path, shown)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(shown, None, "a readable parameters file", exc.strerror) from None
    if len(raw) > MAX_BYTES:  # grew since it was checked
        raise InputError(shown, None, f"a parameters file of at most {MAX_BYTES // 1024} KiB", "a larger file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(shown, line, "UTF-8 text", f"byte {exc.start}: {exc.reason}") from None
    parsed = _PARSED.get(text)
    if parsed is not None:  # the same text again (defaults.yaml, once per date without a file)
        return copy.deepcopy(parsed[0]), parsed[1]
    try:
        _check_events(text, shown)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_duplicate_keys(node, shown)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = str(exc.problem or exc.context)
        if exc.context and exc.problem:
            context = re.sub(r"^while (parsing|scanning) ", "in ", str(exc.context))
            where = f" started at line {exc.context_mark.line + 1}" if exc.context_mark else ""
            problem += f" ({context}{where})"
        raise InputError(shown, line, f"valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(shown, None, "valid YAML", str(exc).splitlines()[0]) from None
    except RecursionError:  # the nesting check runs first; this is a second net
        raise InputError(shown, None, f"at most {MAX_DEPTH} levels of nesting", "deeper") from None
    if data is None:
        return {}, node
    if not isinstance(data, dict):
        raise InputError(shown, node.start_mark.line + 1 if node else None, "a mapping of parameter: value", type(data).__name__)
    if len(_PARSED) < 256:
        _PARSED[text] = (copy.deepcopy(data), node)
    return data, node


# Parsed YAML texts of this process: text -> (data, node). A no-op rebuild of 100 dates
# without params files otherwise parses defaults.yaml (pure-Python YAML) 100 times.
_PARSED: dict[str, tuple[dict, yaml.Node | None]] = {}


def _line_of(node: yaml.Node | None, loc: tuple, key: bool = False) -> int | None:
    """Line (1-based) of the YAML node at ``loc``; the key's line when ``key``."""
    if node is None:
        return None
    best = node.start_mark.line + 1
    for i, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    last = i == len(loc) - 1
                    node = k if (key and last) else v
                    break
            else:
                return best
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return best
        best = node.start_mark.line + 1
    return best


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] = BriefingParams
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = getattr(field, "annotation", None)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            return None
    return model


def _raise_validation(exc: PydanticValidationError, path: Path, node: yaml.Node | None, data: Mapping) -> None:
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "constrained-"))))
    shown = display_path(path)
    dotted = ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        parent = _model_at(loc[:-1])
        known = ", ".join(parent.model_fields) if parent else "?"
        where = f"in {'.'.join(map(str, loc[:-1]))} " if len(loc) > 1 else ""
        raise InputError(shown, _line_of(node, loc, key=True), f"a known key {where}({known})", str(loc[-1])) from None
    if err["type"] == "missing":
        raise InputError(shown, _line_of(node, loc[:-1]), f"the key {dotted}", "nothing") from None
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    msg = msg[0].lower() + msg[1:]
    found = err.get("input")
    found_text = "null" if found is None else (found if isinstance(found, str) else shorten(repr(found)))
    raise InputError(shown, _line_of(node, loc), f"{dotted}: {msg}", found_text) from None


def _merge(base: Mapping, over: Mapping) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _validate(data: Mapping, path: Path, node: yaml.Node | None) -> BriefingParams:
    try:
        return BriefingParams.model_validate(data)
    except PydanticValidationError as exc:
        _raise_validation(exc, path, node, data)
        raise  # unreachable


def _available(available: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if available is not None:
        return available
    from helpers import tables as datastore  # looked up at call time so tests can monkeypatch it

    return datastore.available_dates()


def _dates_text(available: Mapping[str, Any]) -> str:
    if not available:
        return "none: run 'briefings ingest'"
    dates = sorted(available)
    if len(dates) <= MAX_DATES_SHOWN:
        return ", ".join(dates)
    return f"{', '.join(dates[:3])}, ... {', '.join(dates[-3:])} ({len(dates)} dates; 'briefings list' shows them)"


def _load_defaults(params_dir: Path, report_date: str) -> tuple[dict, Path, yaml.Node | None, BriefingParams]:
    path = params_dir / DEFAULTS_FILE
    data, node = _read_yaml(path)
    if "report_date" in data:
        raise InputError(display_path(path), _line_of(node, ("report_date",), key=True), "no report_date in the defaults (it comes from the date)", "report_date")
    return data, path, node, _validate({**data, "report_date": report_date}, path, node)


def _check_has_data(p: BriefingParams, path: Path, node: yaml.Node | None, available: Mapping[str, Any]) -> None:
    date = p.report_date.isoformat()
    if date not in available:
        raise InputError(display_path(path), _line_of(node, ("report_date",)), f"a reporting date with data (available: {_dates_text(available)})", date)
    for i, d in enumerate(p.comparison_dates):
        if d.isoformat() not in available:
            raise InputError(
                display_path(path), _line_of(node, ("comparison_dates", i)), f"comparison dates with data (available: {_dates_text(available)})", d.isoformat()
            )


def load_params_file(path: Path | str, *, available: Mapping[str, Any] | None = None, params_dir: Path | None = None) -> LoadedParams:
    """Validate ``params/<YYYY-MM-DD>.yaml`` (merged over ``defaults.yaml``)."""
    path = Path(path)
    params_dir = params_dir or path.parent
    shown = display_path(path)
    match = DATE_FILE_RE.match(path.name)
    if not match:
        raise InputError(shown, None, "a file name YYYY-MM-DD.yaml (or defaults.yaml)", path.name)
    file_date = match.group(1)
    try:
        dt.date.fromisoformat(file_date)
    except ValueError:
        raise InputError(shown, None, "a file name that is a real date YYYY-MM-DD.yaml", path.name) from None
    data, node = _read_yaml(path)
    defaults, defaults_path, _, _ = _load_defaults(params_dir, file_date)
    if "report_date" not in data:
        raise InputError(shown, None, f"the key report_date: {file_date}", "nothing")
    merged = _merge(defaults, data)
    p = _validate(merged, path, node)
    if p.report_date.isoformat() != file_date:
        raise InputError(shown, _line_of(node, ("report_date",)), f"report_date {file_date} (the file's name)", p.report_date.isoformat())
    _check_has_data(p, path, node, _available(available))
    return LoadedParams(params=p, path=path, files=(defaults_path, path), used_defaults=False)


def load_params(date: str | dt.date, *, available: Mapping[str, Any] | None = None, params_dir: Path | None = None) -> LoadedParams:
    """The validated parameters for one reporting date (its file, or the defaults)."""
    date = date.isoformat() if isinstance(date, dt.date) else str(date)
    params_dir = params_dir or config.params_dir()
    available = _available(available)
    try:
        if not _ISO_DATE_RE.match(date):
            raise ValueError
        dt.date.fromisoformat(date)
    except ValueError:
        raise InputError("--date", None, "a date YYYY-MM-DD", date) from None
    path = params_dir / f"{date}.yaml"
    if path.exists() or path.is_symlink():  # a dangling link is an error, not "no file"
        return load_params_file(path, available=available, params_dir=params_dir)
    if date not in available:
        raise InputError(display_path(config.processed_dir()), None, f"a reporting date with data (available: {_dates_text(available)})", date)
    _, defaults_path, node, p = _load_defaults(params_dir, date)
    _check_has_data(p, defaults_path, node, available)
    return LoadedParams(params=p, path=defaults_path, files=(defaults_path,), used_defaults=True)


def params_files(params_dir: Path | None = None) -> dict[str, Path]:
    """Date -> ``params/<date>.yaml`` for every date file present."""
    params_dir = params_dir or config.params_dir()
    if not params_dir.is_dir():
        return {}
    out = {}
    for path in sorted(params_dir.iterdir()):
        m = DATE_FILE_RE.match(path.name)
        if m:  # a directory or a special file by that name is an error when loaded
            out[m.group(1)] = path
    return out


def load_all(*, available: Mapping[str, Any] | None = None, params_dir: Path | None = None) -> dict[str, LoadedParams]:
    """Parameters of every date with data; also validates every date file (one without data is an error)."""
    params_dir = params_dir or config.params_dir()
    available = _available(available)
    for date, path in params_files(params_dir).items():
        if date not in available:
            load_params_file(path, available=available, params_dir=params_dir)  # raises: no data
    for path in sorted(params_dir.glob("*.yml")):
        raise InputError(display_path(path), None, "the extension .yaml (files named .yml are not read)", path.name)
    return {date: load_params(date, available=available, params_dir=params_dir) for date in sorted(available)}
