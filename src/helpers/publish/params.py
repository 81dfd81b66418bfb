"""Parameters of one briefing: ``params/<YYYY-MM-DD>.yaml`` over ``params/defaults.yaml``.

Validated (pydantic, unknown keys forbidden) before any kernel starts. Every
problem is one :class:`~helpers.errors.InputError` line naming the file and,
where the YAML tells us, the line: malformed YAML, unknown key, wrong type, a
reporting date without data (the message lists the dates that have data), or a
file whose name is not its ``report_date``.

A date file holds only what differs from ``defaults.yaml`` (mappings such as
``thresholds`` are merged key by key). A date that has data but no file of its
own runs with ``defaults.yaml`` and ``report_date`` filled in.

To add a parameter: add a field (with its default) to :class:`BriefingParams` or
:class:`Thresholds`, and the same default to ``params/defaults.yaml``.

Only PyYAML and pydantic are imported here: this runs on every no-op rebuild.
"""

from __future__ import annotations

import copy

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from helpers import config
from helpers.errors import InputError

DEFAULTS_FILE = "defaults.yaml"
DATE_FILE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Model):
    """Cut-offs the notebooks use to flag provinces; percentages are 0–100."""

    readiness_index_min: Percent = 80.0
    green_pct_min: Percent = 90.0
    # None: use the national cumulative online rate of the reporting date.
    online_rate_min_pct: Optional[Percent] = None
    volume_index_low: Annotated[float, Field(gt=0, strict=True)] = 0.5
    small_group_n: Annotated[int, Field(ge=1, strict=True)] = 3


class BriefingParams(_Model):
    report_date: IsoDate
    comparison_dates: list[IsoDate] = Field(default_factory=list)
    language: Literal["vi"] = "vi"
    thresholds: Thresholds = Field(default_factory=Thresholds)
    # Analyst notebook (province_drilldown): None lets the notebook choose.
    province: Optional[Annotated[str, Field(min_length=1, strict=True)]] = None
    # Printed on every page of the PDF when the date's reports carry no marking of their own.
    distribution_marking: Annotated[str, Field(min_length=1, max_length=200, strict=True)] = "Tài liệu phục vụ lãnh đạo, không phát hành rộng rãi."

    def notebook_parameters(self) -> dict[str, Any]:
        """Plain JSON-able dict (dates as ISO strings) for papermill (the PDF's marking is the engine's)."""
        return self.model_dump(mode="json", exclude={"distribution_marking"})


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


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings: the model parses them with a clear message."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def display_path(path: Path) -> str:
    """``params/2025-06-30.yaml`` rather than an absolute path, when under the project."""
    try:
        return Path(path).resolve().relative_to(config.project_root()).as_posix()
    except ValueError:
        return str(path)


def _read_yaml(path: Path) -> tuple[dict, yaml.Node | None]:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(shown, None, "a parameters file", "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(shown, None, "UTF-8 text", f"byte {exc.start}: {exc.reason}") from None
    parsed = _PARSED.get(text)
    if parsed is not None:  # the same text again (defaults.yaml, once per date without a file)
        return copy.deepcopy(parsed[0]), parsed[1]
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
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
    found_text = "null" if found is None else (found if isinstance(found, str) else repr(found))
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
    return ", ".join(sorted(available)) if available else "none: run 'briefings ingest'"


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
    if path.exists():
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
        if m and path.is_file():
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
