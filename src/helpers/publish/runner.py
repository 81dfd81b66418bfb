"""A build: validate params -> plan (skip unchanged dates) -> lock -> run notebooks in
parallel -> export -> swap outputs/<date>/ in -> manifest -> index.

Work is shared: papermill, nbconvert and the compiled template are loaded once in
this process, then worker processes are forked with all of it warm (one kernel
per date-notebook, exported in the worker that ran it). Kernels are forked from a
kernel template that has ipykernel, the notebooks' libraries and the data tables
loaded (:mod:`.forkserver`; ``BRIEFINGS_WARM_KERNELS=0`` starts every kernel cold,
with the same results). Nothing heavy is imported when every date is up to date.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import config
from helpers.errors import BriefingsError, ExitCode, InputError
from helpers.parallel import fork_pool, usable_cpus
from helpers.publish.params import LoadedParams, display_path, load_all, load_params
from helpers.publish import site as index
from helpers.publish import store as outputs
from helpers.publish import plan



def default_jobs() -> int:
    return usable_cpus()


@dataclass
class Reporter:
    """Where progress (stdout) and problems (stderr) go; tests pass lists."""

    out: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    err: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))


@dataclass
class RunSummary:
    planned: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # the one-line summaries
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        if self.failed:
            return ExitCode.NOTEBOOK_FAILED
        if self.locked:
            return ExitCode.LOCKED
        return ExitCode.OK


# --------------------------------------------------------------------------- worker side


def _noop() -> None:
    return None


def _worker_init() -> None:
    # The CLI raises the collector's thresholds for the short ingest process; a worker runs
    # a hundred notebooks, and their reference cycles (executed notebooks of ~0.5 MB) must
    # not pile up until a full collection that those thresholds put off for ever.
    gc.set_threshold(700, 10, 10)
    gc.freeze()  # what the worker inherited (papermill, nbconvert, the template) is not its garbage


def run_task_collected(task: dict[str, Any]) -> dict[str, Any]:
    """:func:`run_task`, then the notebook's garbage collected (a worker's memory stays flat)."""
    try:
        return run_task(task)
    finally:
        gc.collect()


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook for one date and export it (in a worker or in-process).

    Writes ``<staging>/<name>.ipynb`` and ``<name>.html``; on failure the executed
    notebook goes to ``<staging>/failed/<name>.ipynb`` instead. Never raises for a
    notebook or export problem: the result says what happened."""
    from helpers.publish import execute
    from helpers.publish import export

    staging = Path(task["staging"])
    name = task["name"]
    nb_path = staging / f"{name}.ipynb"
    result: dict[str, Any] = {"date": task["date"], "name": name, "execute": None, "export": None, "failure": None, "detail": None, "kept": None}
    res = execute.run_notebook(
        Path(task["source"]),
        nb_path,
        task["parameters"],
        cwd=Path(task["cwd"]),
        source_rel=task["source_rel"],
        output_rel=task["output_rel"],
        kernel_name=task["kernel_name"],
        path_aliases=task.get("path_aliases"),
    )
    result["execute"] = round(res.seconds, 3)
    if res.ok:
        try:
            ex = export.export_file(res.nb, staging / f"{name}.html", name=name)
            result["export"] = round(ex.seconds, 3)
            result["html_bytes"] = ex.bytes
            return result
        except Exception as exc:  # noqa: BLE001 - reported as this notebook's failure
            text = str(exc) if isinstance(exc, BriefingsError) else f"{type(exc).__name__}: {exc}"
            result["failure"] = f"export failed: {text}"
            result["detail"] = {"ename": type(exc).__name__, "evalue": str(exc), "stage": "export"}
    else:
        result["failure"] = res.failure.describe()
        result["detail"] = {**res.failure.as_dict(), "stage": "execute"}
    if nb_path.exists():
        failed = staging / outputs.FAILED_DIR / nb_path.name
        failed.parent.mkdir(exist_ok=True)
        os.replace(nb_path, failed)
        result["kept"] = str(failed)
    return result


# --------------------------------------------------------------------------- planning


def resolve_params(dates: Sequence[str] | None, all_dates: bool, available: Mapping[str, Any] | None = None) -> dict[str, LoadedParams]:
    """Validated params of the requested dates (raises InputError before anything runs)."""
    if available is None:
        from helpers import tables as datastore

        available = datastore.available_dates()
    if all_dates:
        loaded = load_all(available=available)
        if not loaded:
            raise InputError(display_path(config.processed_dir()), None, "reporting dates with data (run 'briefings ingest' first)", "none")
        return loaded
    if not dates:
        raise InputError("briefings run", None, "--date YYYY-MM-DD or --all")
    return {d: load_params(d, available=available) for d in dict.fromkeys(dates)}


def _record(p: plan.DatePlan, hasher: plan.InputHasher, notebooks: Sequence[str], results: list[dict], status: str, seconds: float, out_hashes=None) -> dict:
    return {
        "status": status,
        "input_hash": p.input_hash,
        "inputs": p.inputs,
        "params_file": display_path(p.loaded.path),
        "used_defaults": p.loaded.used_defaults,
        "notebooks": list(notebooks),
        "kernel": plan.KERNEL_NAME,
        "versions": hasher.versions,
        "timings": {
            "total": round(seconds, 3),
            **{r["name"]: {"execute": r["execute"], "export": r["export"]} for r in results},
        },
        "outputs": out_hashes or {},
        "errors": {r["name"]: {"summary": r["failure"], **(r["detail"] or {})} for r in results if r["failure"]},
        "finished_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
    }


# --------------------------------------------------------------------------- the build


def run_dates(
    dates: Sequence[str] | None = None,
    *,
    all_dates: bool = False,
    force: bool = False,
    jobs: int | None = None,
    wait: bool = True,
    notebooks: Sequence[str] | None = None,
    available: Mapping[str, Any] | None = None,
    reporter: Reporter | None = None,
) -> RunSummary:
    """Build the briefings of ``dates`` (or every date with data). Raises
    :class:`~helpers.errors.BriefingsError` for bad input before any kernel starts;
    notebook failures and locks are in the returned summary (see ``exit_code``)."""
    started = time.perf_counter()
    rep = reporter or Reporter()
    notebooks = tuple(notebooks or plan.NOTEBOOKS)
    summary = RunSummary()

    loaded = resolve_params(dates, all_dates, available)
    plan.check_notebooks(notebooks)
    for date, lp in loaded.items():
        if lp.used_defaults:
            rep.out(f"{date}: no params/{date}.yaml, using params/defaults.yaml")
    hasher = plan.InputHasher(notebooks)
    plans = plan.make_plans(loaded, notebooks, force=force, hasher=hasher)
    for p in plans:
        if not p.run:
            summary.skipped.append(p.date)
            rep.out(f"{p.date}: up to date, skipped (inputs {p.input_hash[:12]} unchanged; --force to rebuild)")
    todo = [p for p in plans if p.run]
    if not todo:
        _update_index()
        summary.seconds = time.perf_counter() - started
        return summary

    # Something runs. Start the kernel template first (it imports what kernels need while
    # this process loads papermill/nbconvert and compiles the HTML template once, here,
    # so forked workers start warm).
    from helpers.publish import execute  # noqa: F401
    from helpers.publish import export

    execute._quiet()
    template = start_template(notebooks)
    try:
        import papermill  # noqa: F401

        export.warm_up()
    except BaseException:
        if template is not None:
            template.stop()
        raise
    n_tasks = len(todo) * len(notebooks)
    workers = max(1, min(jobs or default_jobs(), n_tasks))
    pool = None

    def on_wait(date: str, holder: str) -> None:
        rep.out(f"{date}: another run ({holder}) is building this date; waiting for it to finish...")

    try:
        if workers > 1:
            pool = fork_pool(workers, initializer=_worker_init)
            pool.submit(_noop).result()  # fork every worker now, before the lock files are opened
        with outputs.locked_dates([p.date for p in todo], wait=wait, on_wait=on_wait) as (got, busy):
            for date in busy:
                summary.locked.append(date)
                rep.err(f"{date}: locked by another run ({outputs.date_lock(date).holder()}); not waiting (--no-wait)")
            manifest = outputs.read_manifest()  # another run may have built a date meanwhile
            runnable = []
            for p in todo:
                if p.date not in got:
                    continue
                if not force:
                    skip, _ = plan.up_to_date(outputs.date_entry(manifest, p.date), p.date, p.input_hash, notebooks)
                    if skip:
                        summary.skipped.append(p.date)
                        rep.out(f"{p.date}: built by the other run meanwhile, skipped")
                        continue
                runnable.append(p)
            if runnable:
                _run_plans(runnable, notebooks, hasher, pool, rep, summary)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if template is not None:
            template.stop()
        _PDF.close()
    _update_index()
    summary.seconds = time.perf_counter() - started
    return summary


def warm_kernels_enabled() -> bool:
    """Kernels forked from a warm template (default, on Linux), unless BRIEFINGS_WARM_KERNELS=0."""
    if os.environ.get("BRIEFINGS_WARM_KERNELS", "1").strip().lower() in ("0", "no", "false", "off"):
        return False
    from helpers.publish import forkserver

    return forkserver.supported()


def start_template(notebooks: Sequence[str]):
    """The build's kernel template (see :mod:`.forkserver`), or None when disabled."""
    if not warm_kernels_enabled():
        return None
    from helpers.publish import forkserver

    modules = forkserver.notebook_imports(plan.notebook_path(name) for name in notebooks)
    template = forkserver.Template(modules, cwd=config.notebooks_dir())
    template.start()
    return template


def _tasks(p: plan.DatePlan, notebooks: Sequence[str], staging: Path) -> list[dict[str, Any]]:
    params = p.loaded.notebook_parameters()
    params["processed_dir"] = str(config.processed_dir())
    params["output_dir"] = str(staging)
    tasks = []
    for name in notebooks:
        source = plan.notebook_path(name)
        tasks.append(
            {
                "date": p.date,
                "name": name,
                "source": str(source),
                "source_rel": f"notebooks/{name}.ipynb",
                "output_rel": f"outputs/{p.date}/{name}.ipynb",
                "staging": str(staging),
                "parameters": params,
                # how the executed notebook records the paths it was given: the staging
                # folder is published as outputs/<date>, the tables are under the root
                "path_aliases": {str(staging): f"outputs/{p.date}", params["processed_dir"]: config.relative_to_root(params["processed_dir"])},
                "cwd": str(config.notebooks_dir()),
                "kernel_name": plan.KERNEL_NAME,
            }
        )
    return tasks


def _run_plans(plans: list[plan.DatePlan], notebooks: Sequence[str], hasher: plan.InputHasher, pool, rep: Reporter, summary: RunSummary) -> None:
    by_date = {p.date: p for p in plans}
    pending: dict[str, int] = {}
    results: dict[str, list[dict]] = {}
    date_started: dict[str, float] = {}
    tasks = []
    for p in plans:
        rep.out(f"{p.date}: building ({p.reason})")
        staging = outputs.prepare_staging(p.date)
        tasks += _tasks(p, notebooks, staging)
        pending[p.date] = len(notebooks)
        results[p.date] = []
        summary.planned.append(p.date)
    total = len(tasks)
    done = 0

    def handle(result: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        date, name = result["date"], result["name"]
        if result["failure"]:
            rep.out(f"[{done}/{total}] {date} {name}.ipynb FAILED after {result['execute'] or 0:.1f} s")
        else:
            rep.out(f"[{done}/{total}] {date} {name}.ipynb executed in {result['execute']:.1f} s, exported in {result['export']:.2f} s")
        results[date].append(result)
        pending[date] -= 1
        if pending[date] == 0:
            _finalize(by_date[date], notebooks, hasher, results[date], time.perf_counter() - date_started[date], rep, summary)

    now = time.perf_counter()
    for p in plans:
        date_started[p.date] = now
    try:
        if pool is None:
            for task in tasks:
                handle(run_task(task))
        else:
            from concurrent.futures import as_completed

            futures = {pool.submit(run_task_collected, task): task for task in tasks}
            for fut in as_completed(futures):
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died: count it as that notebook failing
                    task = futures[fut]
                    result = {"date": task["date"], "name": task["name"], "execute": None, "export": None, "kept": None,
                              "failure": f"worker crashed: {type(exc).__name__}: {exc}", "detail": {"ename": type(exc).__name__, "evalue": str(exc), "stage": "worker"}}
                handle(result)
    finally:
        for p in plans:
            if pending.get(p.date):  # interrupted: never leave a half-built staging folder behind
                outputs.discard_staging(p.date)


def _finalize(p: plan.DatePlan, notebooks: Sequence[str], hasher: plan.InputHasher, results: list[dict], seconds: float, rep: Reporter, summary: RunSummary) -> None:
    order = {n: i for i, n in enumerate(notebooks)}
    results.sort(key=lambda r: order[r["name"]])
    staging = outputs.staging_path(p.date)
    failures = [r for r in results if r["failure"]]
    if not failures:
        _province_pages(p, staging)
        _PDF.print(p, staging, rep)
        out_hashes = outputs.file_hashes(staging)
        outputs.commit(p.date, staging)
        outputs.record_run(p.date, _record(p, hasher, notebooks, results, "ok", seconds, out_hashes))
        summary.ran.append(p.date)
        files = ", ".join(f for f in out_hashes if f.endswith(".html") and "/" not in f)
        pages = sum(1 for f in out_hashes if f.startswith("provinces/"))
        files += f", {pages} province pages" if pages else ""
        rep.out(f"{p.date}: published outputs/{p.date}/ ({files}) in {seconds:.1f} s")
        return
    had_good = outputs.has_briefing(p.date, (f"{plan.MAIN_NOTEBOOK}.html",))
    kept = outputs.keep_failed(p.date, {r["name"]: Path(r["kept"]) for r in failures if r["kept"]})
    outputs.discard_staging(p.date)
    outputs.record_run(p.date, _record(p, hasher, notebooks, results, "failed", seconds))
    summary.failed.append(p.date)
    previous = "the last good briefing is kept" if had_good else "no earlier briefing for this date"
    for r in failures:
        where = f"; executed notebook: {outputs.rel(kept[r['name']])}" if r["name"] in kept else ""
        line = f"FAILED {p.date} {r['name']}.ipynb: {r['failure']}{where} ({previous})"
        summary.failures.append(line)
        rep.err(line)
    ok = [r["name"] for r in results if not r["failure"]]
    if ok:
        rep.err(f"{p.date}: not published ({', '.join(n + '.ipynb' for n in ok)} succeeded but a date is published whole)")


class _PdfStage:
    """The build's one Chromium, started when the first date is published; once it is
    known to be missing, the build says so in one line and publishes HTML only."""

    def __init__(self) -> None:
        self.printer = None
        self.unavailable: str | None = None

    def print(self, p: plan.DatePlan, staging: Path, rep: Reporter) -> None:
        if os.environ.get("BRIEFINGS_PDF", "1").strip().lower() in ("0", "no", "false", "off") or self.unavailable:
            return
        from helpers.publish import pdf

        if self.printer is None:
            self.printer = pdf.PdfPrinter()
        try:
            self.printer.start()
        except pdf.PdfUnavailable as exc:
            self.unavailable = str(exc)
            rep.err(f"warning: PDF briefings not printed: {exc}; the HTML briefings are published")
            return
        html_path = staging / f"{plan.MAIN_NOTEBOOK}.html"
        self.printer.print(html_path, staging / f"{plan.MAIN_NOTEBOOK}.pdf", marking=_marking(p), date_label=f"Bản tin ngày {_vn_date(p.date)}", stamp=p.date)

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()
            self.printer = None


_PDF = _PdfStage()


def _province_pages(p: plan.DatePlan, staging: Path) -> None:
    """outputs/<date>/provinces/<code>.html for the 34 provinces, from the tables (no kernel)."""
    from helpers.report.province_page import write_province_pages

    write_province_pages(p.date, staging, thresholds=p.loaded.params.thresholds.model_dump(), marking=_marking(p))


def _vn_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day}/{month}/{year}"


def _marking(p: plan.DatePlan) -> str:
    """The distribution marking the date's own reports print, else the params' default."""
    import csv

    from helpers.tables import table_path

    notices = []
    with table_path("reports").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):  # a minimal reports table may have no notice column
            notice = (row.get("notice") or "").strip()
            if row.get("report_date") == p.date and notice and notice not in notices:
                notices.append(notice)
    return notices[0] if notices else p.loaded.params.distribution_marking


def _update_index() -> None:
    with outputs.manifest_lock():
        index.write_index(outputs.read_manifest())
