"""A build: validate params -> plan (skip unchanged dates) -> lock -> run notebooks in
parallel (the briefing notebook also writes the date's province pages, from the facts it
briefed: no kernel per province, no tables in this process) -> export -> revision ->
A4 PDF of the briefing (one Chromium per build, :mod:`.pdf`) -> swap outputs/<date>/ in
-> manifest -> index.

Work is shared: papermill, nbconvert and the compiled template are loaded once in
this process, then worker processes are forked with all of it warm (one kernel
per date-notebook, exported in the worker that ran it). How kernels start is a
plug-in's business (:data:`KERNEL_POOLS`): the project's warm-kernel plug-in forks
them from a template with the libraries and tables loaded
(:mod:`.warm_kernels`; ``BRIEFINGS_WARM_KERNELS=0`` starts every kernel cold, with
the same results). Each date's summary.json is what its briefing notebook displayed
(:mod:`helpers.report.glue`). Nothing heavy is imported when every date is up to date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import config
from helpers.errors import BriefingsError, ExitCode, InputError, is_no_space, printable
from helpers.parallel import fork_pool, usable_cpus
from helpers.params import LoadedParams, display_path, load_all, load_params
from helpers.publish import history
from helpers.publish import revisions
from helpers.publish import site as index
from helpers.publish import folders, hashing, locks, snapshot
from helpers.publish import manifest as manifests
from helpers.publish import summary as summaries
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
    records: dict[str, dict] = field(default_factory=dict)  # date -> what was recorded of its run (manifest, history)

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
    from helpers import stopping

    stopping.reset_in_child()  # the parent stops the tree (helpers.stopping)
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
    notebook or export problem: the result says what happened. A full disk raises
    (an OSError naming the date and notebook): the run stops."""
    try:
        return _run_task(task)
    except OSError as exc:
        if is_no_space(exc) and task["date"] not in (exc.strerror or ""):
            raise _no_space(exc, f"{task['date']} {task['name']}.ipynb") from None
        raise


def _run_task(task: dict[str, Any]) -> dict[str, Any]:
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
        cell_timeout=task["cell_timeout"],
        path_aliases=task.get("path_aliases"),
        kernel_provisioner=task.get("kernel_provisioner"),
    )
    result["execute"] = round(res.seconds, 3)
    if res.failure is not None and res.failure.no_space is not None:
        # a full disk fails every date alike: the run stops (exit 74, helpers.cli), nothing kept
        raise _no_space(res.failure.no_space, f"{task['date']} {name}.ipynb" + (f", {res.failure.where()}" if res.failure.where() else ""))
    if res.ok and task.get("summary"):
        res = _publish_summary(res, staging)
    if res.ok:
        try:
            ex = export.export_file(res.nb, staging / f"{name}.html", name=name)
            result["export"] = round(ex.seconds, 3)
            result["html_bytes"] = ex.bytes
            return result
        except Exception as exc:  # noqa: BLE001 - reported as this notebook's failure
            if is_no_space(exc):
                raise _no_space(exc, f"{task['date']} {name}.html") from None
            text = str(exc) if isinstance(exc, BriefingsError) else f"{type(exc).__name__}: {exc}"
            result["failure"] = f"export failed: {text}"
            result["detail"] = {"ename": type(exc).__name__, "evalue": str(exc), "stage": "export"}
    else:
        result["failure"] = res.failure.describe()
        result["detail"] = {**res.failure.as_dict(), "stage": "execute"}
    if nb_path.exists():
        failed = staging / folders.FAILED_DIR / nb_path.name
        failed.parent.mkdir(exist_ok=True)
        os.replace(nb_path, failed)
        result["kept"] = str(failed)
    return result


def _no_space(exc: OSError, what: str) -> OSError:
    """``exc`` (a full disk, quota or file size limit) saying which notebook met it; an
    OSError with the same errno, so that it pickles from a worker and the CLI knows it."""
    text = exc.strerror or os.strerror(exc.errno)
    return OSError(exc.errno, f"{text}; {what}", exc.filename) if exc.filename else OSError(exc.errno, f"{text}; {what}")


def _publish_summary(res, staging: Path):
    """Write ``summary.json`` into ``staging`` from the summary the notebook displayed
    (:mod:`helpers.report.glue`); a notebook that displayed none fails."""
    from helpers.publish import execute
    from helpers.report.glue import SUMMARY_MIME

    summary = execute.notebook_summary(res.nb)
    if summary is None:
        res.failure = execute.Failure("NoSummary", f"the notebook displayed no {SUMMARY_MIME} output (its last cell calls helpers.report.glue.show_summary)")
        return res
    if not (staging / PROVINCES_DIR / "index.html").is_file():
        res.failure = execute.Failure("NoProvincePages", f"the notebook wrote no {PROVINCES_DIR}/index.html into its output_dir (its last cell calls b.write_province_pages(output_dir))")
        return res
    headline = summary.pop("headline", [])
    summaries.write_summary(staging, headline, **summary)
    return res


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
        "reason": p.reason,
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
    overrides: Mapping[str, Any] | None = None,
    ingested_tables: Mapping[str, str] | None = None,
) -> RunSummary:
    """Build the briefings of ``dates`` (or every date with data). Raises
    :class:`~helpers.errors.BriefingsError` for bad input before any kernel starts;
    notebook failures and locks are in the returned summary (see ``exit_code``).

    First removes what killed runs left (staging folders, table snapshots), then takes
    this run's snapshot of the tables (verified against the ingest record): every
    notebook reads it, and the manifest records its hashes. Before any kernel starts, the
    tables are checked against what data/raw parses to (:func:`.snapshot.verify_against_raw`),
    unless they are ``ingested_tables`` (``<table>.csv`` -> sha256 of the tables this
    process's ingest has just written) or the tables last found equal
    (:func:`.snapshot.already_verified`)."""
    folders.remove_stale_staging()
    snap = snapshot.take_snapshot()
    try:
        if available is None:
            from helpers import tables as datastore

            available = datastore.available_dates(snap.path)
        return _build(dates, snap, all_dates=all_dates, force=force, jobs=jobs, wait=wait, notebooks=notebooks, available=available, reporter=reporter,
                      overrides=overrides, ingested_tables=ingested_tables)
    finally:
        snap.release()


def _build(
    dates: Sequence[str] | None,
    snap: snapshot.TablesSnapshot,
    *,
    all_dates: bool,
    force: bool,
    jobs: int | None,
    wait: bool,
    notebooks: Sequence[str] | None,
    available: Mapping[str, Any],
    reporter: Reporter | None,
    overrides: Mapping[str, Any] | None = None,
    ingested_tables: Mapping[str, str] | None = None,
) -> RunSummary:
    started = time.perf_counter()
    started_at = history.now_iso()
    rep = reporter or Reporter()
    notebooks = tuple(notebooks or plan.NOTEBOOKS)
    summary = RunSummary()

    loaded = resolve_params(dates, all_dates, available)
    if overrides:
        loaded = {d: plan.with_overrides(lp, overrides) for d, lp in loaded.items()}
    plan.check_notebooks(notebooks)
    for date, lp in loaded.items():
        if lp.used_defaults:
            rep.out(f"{date}: no params/{date}.yaml, using params/defaults.yaml")
    hasher = plan.InputHasher(notebooks, tables=snap.hashes, tables_dir=snap.path)
    plans = plan.make_plans(loaded, notebooks, force=force, hasher=hasher)
    for p in plans:
        if not p.run:
            summary.skipped.append(p.date)
            rep.out(f"{p.date}: up to date, skipped (inputs {p.input_hash[:12]} unchanged; --force to rebuild)")
    todo = [p for p in plans if p.run]
    if not todo:
        _update_index()
        summary.seconds = time.perf_counter() - started
        history.append(history.run_record(started_at, summary, summary.records))
        return summary

    # Something runs: never from tables forged together with their hashes in the ingest
    # record (bad input, exit 2, before any kernel starts); a no-op run never pays for this.
    if ingested_tables is not None and dict(ingested_tables) == snap.hashes:
        snapshot.remember_verified(snap)  # parsed from data/raw by this process just now
    elif not snapshot.already_verified(snap):
        from helpers.parallel import call_in_forked_child

        # in a child process, so the parse's memory does not stay in this one (and in the
        # workers forked from it) for the whole build
        call_in_forked_child(snapshot.verify_against_raw, snap)
        snapshot.remember_verified(snap)

    # Start the kernel pool first, if a plug-in offers one (it prepares
    # kernels while this process loads papermill/nbconvert and compiles the HTML template
    # once, here, so forked workers start warm).
    from helpers.publish import execute
    from helpers.publish import export

    execute.check_kernel(plan.KERNEL_NAME)
    execute._quiet()
    # The CLI raises the collector's thresholds for short commands (helpers.cli); a build
    # publishes a date after another for minutes, and their reference cycles must go.
    gc.set_threshold(700, 10, 10)
    n_tasks = len(todo) * len(notebooks)
    workers = max(1, min(jobs or default_jobs(), n_tasks))
    pool = None

    def on_wait(date: str, holder: str) -> None:
        rep.out(f"{date}: another run ({holder}) is building this date; waiting for it to finish...")

    kernels = contextlib.ExitStack()  # the kernel pool, running until the workers are done
    kernel_provisioner = kernels.enter_context(kernel_pool(notebooks))
    try:
        import papermill  # noqa: F401

        export.warm_up()
    except BaseException:
        kernels.close()
        raise
    try:
        if workers > 1:
            pool = fork_pool(workers, initializer=_worker_init)
            pool.submit(_noop).result()  # fork every worker now, before the lock files are opened
        with locks.locked_dates([p.date for p in todo], wait=wait, on_wait=on_wait) as (got, busy):
            for date in busy:
                summary.locked.append(date)
                rep.err(f"{date}: locked by another run ({locks.date_lock(date).holder()}); not waiting (--no-wait)")
            manifest = manifests.read_manifest()  # another run may have built a date meanwhile
            runnable = []
            for p in todo:
                if p.date not in got:
                    continue
                if not force:
                    skip, _ = plan.up_to_date(manifests.date_entry(manifest, p.date), p.date, p.input_hash, notebooks)
                    if skip:
                        summary.skipped.append(p.date)
                        rep.out(f"{p.date}: built by the other run meanwhile, skipped")
                        continue
                runnable.append(p)
            if runnable:
                _run_plans(runnable, notebooks, hasher, pool, rep, summary, kernel_provisioner)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        kernels.close()
        _PDF.close()
    _update_index()
    summary.seconds = time.perf_counter() - started
    history.append(history.run_record(started_at, summary, summary.records))
    return summary


# Entry point group of kernel pool plug-ins. An entry point names a function
# ``pool(notebooks: list[Path], cwd: Path)`` returning a context manager: it keeps
# whatever it needs running for one build (started before the workers fork, stopped
# after them) and yields the ``kernel_provisioner`` stanza put into the kernel spec's
# metadata (jupyter_client's provisioner API selects the provisioner it names), or
# None. The project's own plug-in is helpers.publish.warm_kernels; without any, every
# kernel starts the ordinary way.
KERNEL_POOLS = "vn_briefings.kernel_pools"


@contextlib.contextmanager
def kernel_pool(notebooks: Sequence[str]) -> Iterator[Mapping[str, Any] | None]:
    """The first installed kernel pool plug-in, running for the build (see :data:`KERNEL_POOLS`)."""
    from importlib.metadata import entry_points

    for ep in sorted(entry_points(group=KERNEL_POOLS), key=lambda e: e.name):
        try:
            pool = ep.load()
        except ImportError:  # its package was removed but the installed entry point remains
            continue
        with pool([plan.notebook_path(name) for name in notebooks], config.notebooks_dir()) as stanza:
            yield stanza
        return
    yield None


def _tasks(p: plan.DatePlan, notebooks: Sequence[str], staging: Path, tables_dir: Path, kernel_provisioner: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    params = p.loaded.notebook_parameters()
    del params["province"]  # the drill-down notebook takes a list (params' one province or list)
    params["provinces"] = p.loaded.params.provinces
    params["processed_dir"] = str(tables_dir)
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
                "path_aliases": {str(staging): f"outputs/{p.date}", params["processed_dir"]: config.relative_to_root(config.processed_dir())},
                "cwd": str(config.notebooks_dir()),
                "kernel_name": plan.KERNEL_NAME,
                "kernel_provisioner": kernel_provisioner,
                "summary": name == plan.MAIN_NOTEBOOK,  # the date's summary.json comes from this notebook
                "cell_timeout": p.loaded.cell_timeout_s,
            }
        )
    return tasks


def _run_plans(plans: list[plan.DatePlan], notebooks: Sequence[str], hasher: plan.InputHasher, pool, rep: Reporter, summary: RunSummary, kernel_provisioner: Mapping[str, Any] | None = None) -> None:
    by_date = {p.date: p for p in plans}
    pending: dict[str, int] = {}
    results: dict[str, list[dict]] = {}
    date_started: dict[str, float] = {}
    tasks = []
    for p in plans:
        rep.out(f"{p.date}: building ({p.reason})")
        staging = folders.prepare_staging(p.date)
        tasks += _tasks(p, notebooks, staging, hasher.tables_dir, kernel_provisioner)
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
            try:
                _finalize(by_date[date], notebooks, hasher, results[date], time.perf_counter() - date_started[date], rep, summary)
            except OSError as exc:
                if is_no_space(exc) and date not in (exc.strerror or ""):
                    raise _no_space(exc, f"{date}, publishing") from None
                raise

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
                    if is_no_space(exc):  # every date would fail alike: stop, one line (helpers.cli)
                        raise
                    task = futures[fut]
                    result = {"date": task["date"], "name": task["name"], "execute": None, "export": None, "kept": None,
                              "failure": f"worker crashed: {type(exc).__name__}: {exc}", "detail": {"ename": type(exc).__name__, "evalue": str(exc), "stage": "worker"}}
                handle(result)
    finally:
        if pool is not None:  # stopped early (a full disk): no worker may write into a staging folder once it is removed
            pool.shutdown(wait=True, cancel_futures=True)
        for p in plans:  # interrupted, or the swap failed (a full disk): no half-built staging folder left
            folders.discard_staging(p.date)


def _finalize(p: plan.DatePlan, notebooks: Sequence[str], hasher: plan.InputHasher, results: list[dict], seconds: float, rep: Reporter, summary: RunSummary) -> None:
    order = {n: i for i, n in enumerate(notebooks)}
    results.sort(key=lambda r: order[r["name"]])
    staging = folders.staging_path(p.date)
    failures = [r for r in results if r["failure"]]
    if not failures:
        revision = revisions.prepare(p.date, staging)
        _PDF.print(p, staging, rep)  # the briefing as published, revision note included
        out_hashes = hashing.file_hashes(staging)
        folders.commit(p.date, staging)
        record = _record(p, hasher, notebooks, results, "ok", seconds, out_hashes)
        if revision is not None:
            record["revision"] = revision.as_dict()
        manifests.record_run(p.date, record)
        summary.records[p.date] = record
        summary.ran.append(p.date)
        files = ", ".join(f for f in out_hashes if f.endswith((".html", ".pdf")) and "/" not in f)
        pages = sum(1 for f in out_hashes if f.startswith(f"{PROVINCES_DIR}/") and f[len(PROVINCES_DIR) + 1 :].split(".")[0].isdigit())
        files += f", {pages} province pages" if pages else ""
        revised = f"; revision {revision.number}, the previous version kept in outputs/{p.date}/{revisions.REVISIONS_DIR}/{revision.number}/" if revision else ""
        rep.out(f"{p.date}: published outputs/{p.date}/ ({files}) in {seconds:.1f} s{revised}")
        return
    had_good = folders.has_briefing(p.date, (f"{plan.MAIN_NOTEBOOK}.html",))
    kept = folders.keep_failed(p.date, {r["name"]: Path(r["kept"]) for r in failures if r["kept"]})
    folders.discard_staging(p.date)
    record = _record(p, hasher, notebooks, results, "failed", seconds)
    manifests.record_run(p.date, record)
    summary.records[p.date] = record
    summary.failed.append(p.date)
    previous = "the last good briefing is kept" if had_good else "no earlier briefing for this date"
    for r in failures:
        where = f"; executed notebook: {folders.rel(kept[r['name']])}" if r["name"] in kept else ""
        line = printable(f"FAILED {p.date} {r['name']}.ipynb: {r['failure']}{where} ({previous})")
        summary.failures.append(line)
        rep.err(line)
    ok = [r["name"] for r in results if not r["failure"]]
    if ok:
        rep.err(f"{p.date}: not published ({', '.join(n + '.ipynb' for n in ok)} succeeded but a date is published whole)")


class _PdfStage:
    """The build's one Chromium, started when the first date is published; once it is
    known to be missing, the build says so in one line and publishes HTML only
    (``BRIEFINGS_PDF=0`` prints no PDF)."""

    def __init__(self) -> None:
        self.printer = None
        self.unavailable: str | None = None

    def print(self, p: plan.DatePlan, staging: Path, rep: Reporter) -> None:
        if os.environ.get("BRIEFINGS_PDF", "1").strip().lower() in ("0", "no", "false", "off") or self.unavailable:
            return
        from helpers.publish import pdf
        from helpers.report.formats import vn_date

        if self.printer is None:
            self.printer = pdf.PdfPrinter()
        try:
            self.printer.start()
        except pdf.PdfUnavailable as exc:
            self.unavailable = str(exc)
            rep.err(f"warning: PDF briefings not printed: {exc}; the HTML briefings are published")
            return
        html_path = staging / f"{plan.MAIN_NOTEBOOK}.html"
        marking = _marking(p, staging)
        self.printer.print(html_path, staging / f"{plan.MAIN_NOTEBOOK}.pdf", marking=marking, date_label=f"Bản tin ngày {vn_date(p.date)}", stamp=p.date)

    def close(self) -> None:
        """At the end of a build: the browser ends; the next build looks for Chromium again."""
        if self.printer is not None:
            self.printer.close()
            self.printer = None
        self.unavailable = None


_PDF = _PdfStage()
PROVINCES_DIR = "provinces"  # helpers.report.links.PROVINCES_DIR (not imported: nothing heavy on a no-op run)


def _marking(p: plan.DatePlan, staging: Path) -> str:
    """The PDF's distribution marking: the one the briefing notebook resolved (the date's own
    reports' line, else the params' ``distribution_marking``) and put in its summary."""
    import json

    try:
        marking = json.loads((staging / summaries.SUMMARY_FILE).read_text(encoding="utf-8")).get("distribution_marking")
    except (OSError, ValueError, AttributeError):
        marking = None
    return marking if isinstance(marking, str) and marking.strip() else p.loaded.distribution_marking


def _update_index() -> None:
    with locks.manifest_lock():
        index.write_index(manifests.read_manifest())
