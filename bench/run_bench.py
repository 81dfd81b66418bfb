"""Benchmark of the briefing build (``make bench``; ``--quick`` for a short run).

Every measurement runs the public commands (``briefings``, ``papermill``,
``jupyter nbconvert``) as subprocesses in temporary project roots
(``BRIEFINGS_ROOT``), so the project's own ``data/processed`` and ``outputs/``
are never touched. Results: ``bench/results/bench-<timestamp>.json`` and a
summary in ``bench/results/latest.md`` (the folder is gitignored).

What is measured (targets from the performance issue):

(a) Whole build of every date, ``briefings build`` (ingest + every date's two
    notebooks, HTML export) in a fresh copy of the project, against the plain
    workflow on the same notebooks and data in another fresh copy: ``briefings
    ingest`` (both need the tables), then for one date after another ``papermill``
    (the date's parameters, as the engine injects them, in a YAML file) and
    ``jupyter nbconvert --to html --no-input`` for each notebook. The two alternate
    within each repeat (ours first on even repeats) so that both see the same
    machine; medians over the repeats, and the ratio of the medians. Target <= 0.6.
(b) No-op rebuild: ``briefings build`` again with nothing changed (ingest finds the
    tables up to date, every date is skipped); wall time of the whole command,
    median. Target <= 1 s.
(c) Scale: the project with N synthetic reporting dates added, made by perturbing
    the 22/9 plan-02 report (see :func:`synthetic_report`: other report date in the
    heading and body, appendix 4 colours, appendix 5 percentages and appendix 8
    cumulative dossier counts changed consistently, so that the parsers accept the
    copies; the body text is not rewritten, so its figures now contradict the moved
    appendices and each copy carries a few more data-quality findings), written to
    ``data/raw`` and put through the real ``briefings build`` (ingest included).
    The real reports stay, so the build has N + 3 dates. One run per size (a run
    of 100 dates is minutes). Wall time, peak memory, CPU time; a straight-line
    fit of wall time against dates shows whether it grows linearly (the marginal
    seconds per date between sizes stay within 25%). Target: 100 dates
    <= 180 s on 2 cores, peak memory < 1 GB, growing linearly.
(d) Size of every HTML file of the build of (a) and, per size, the largest of (c).
    Target <= 2 MB.
(e) The daily run at each size of (c), in the root (c) built: a no-op ``briefings
    build`` (median of 3; target < 0.3 s at 100 dates), a forced run of the newest
    date (``briefings run --date D --force``), then one more synthetic report added to
    ``data/raw`` and ``briefings build`` (ingest included; target <= 1.5 x the forced
    single-date run + 1.5 s, and only the new date built). It must not grow with the
    number of dates.
(f) Ingest of 100 reports: the five real ones and 95 next-day plan-02 reports,
    ``briefings ingest --force`` (a cold command: parsing, checks across consecutive
    reports, validation, writing; median of at least 3). Target <= 5 s on 2 cores.
    Then the incremental case: one more report added and ``briefings ingest`` (only it
    is parsed, only its pair and date checked; the rest comes from the parse cache), a
    no-op ``briefings ingest``, and the start-up alone (``briefings --version``).

Memory: a sampler thread reads ``/proc/<pid>/smaps_rollup`` of the ``briefings``
process and all its descendants (workers, kernel template, kernels) every 0.5 s;
the peak of the sum of PSS (proportional set size: a page shared by n processes
counts 1/n in each, so forked processes are not counted twice) is the memory
figure; the peak of the sum of RSS (shared pages counted in every process, an
upper bound) is reported next to it. CPU time: ``getrusage(RUSAGE_CHILDREN)``
before and after each command (user + system of every process of the tree, the
kernels included: the kernel template reaps them). Machine load: the 1-minute
load average and the share of all CPUs busy during each command (from
``/proc/stat``), since other work on the machine slows every figure down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
BRIEFINGS = [sys.executable, "-m", "helpers"]
NOTEBOOKS = ("briefing", "province_drilldown")
SOURCE_PLAN02 = "plan02_report_2025-09-22.txt"
SOURCE_DATE = dt.date(2025, 9, 22)
# Memory samples: every 0.5 s. Each sample reads smaps_rollup of every process of the
# tree, which costs the machine CPU time (the kernel walks each process's page tables):
# at 0.1 s it slowed a 100-date build on 2 cores by ~20%. The sampler's CPU is reported.
SAMPLE_INTERVAL_S = 0.5
TARGETS = {"a_ratio": 0.6, "b_noop_s": 1.0, "c_100_s": 180.0, "c_peak_mb": 1024.0, "d_html_mb": 2.0, "e_noop_100_s": 0.3, "e_add_factor": 1.5, "e_add_extra_s": 1.5, "f_ingest_100_s": 5.0}
INGEST_REPORTS = 100  # (f): the five real reports and 95 next-day plan-02 reports


# --------------------------------------------------------------------------- projects


def make_project(target: Path, synthetic: int = 0, seed: int = 1) -> Path:
    """A project root for BRIEFINGS_ROOT: data/raw (+ ``synthetic`` perturbed plan-02
    reports), params, notebooks; empty data/processed and outputs."""
    (target / "data" / "processed").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "raw", target / "data" / "raw")
    for path in (target / "data" / "raw").iterdir():
        path.chmod(0o644)
    shutil.copytree(ROOT / "params", target / "params")
    shutil.copytree(ROOT / "notebooks", target / "notebooks")
    (target / "outputs").mkdir()
    if synthetic:
        text = (ROOT / "data" / "raw" / SOURCE_PLAN02).read_text(encoding="utf-8")
        rng = random.Random(seed)
        for i in range(1, synthetic + 1):
            day = SOURCE_DATE + dt.timedelta(days=i)
            path = target / "data" / "raw" / f"plan02_report_{day.isoformat()}.txt"
            path.write_text(synthetic_report(text, day, rng), encoding="utf-8")
    return target


# The synthetic plan-02 reports come from the tests' next-day generators (one generator
# for the suite and the benchmark).
sys.path.insert(0, str(ROOT / "tests"))
from generators.next_day import next_plan02 as synthetic_report  # noqa: E402


# --------------------------------------------------------------------------- measuring


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _tree(pid: int) -> list[int]:
    children = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _mem_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _cpu_busy() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


class Sampler(threading.Thread):
    """Peak PSS / RSS sums and process count of a process tree, every ``interval`` s."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL_S):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss = self.peak_rss = self.peak_procs = 0
        self.cpu_s = 0.0  # the sampler's own CPU time (reading smaps_rollup makes the kernel walk page tables)
        self._halt = threading.Event()

    def run(self) -> None:
        started = time.thread_time()
        try:
            self._sample_until_halted()
        finally:
            self.cpu_s = time.thread_time() - started

    def _sample_until_halted(self) -> None:
        while not self._halt.is_set():
            pids = _tree(self.pid)
            rss = pss = 0
            for p in pids:
                r, s = _mem_kb(p)
                rss += r
                pss += s
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run(cmd: list[str], root: Path, sample: bool = False, cwd: Path | None = None, check: bool = True) -> dict:
    """Run ``cmd`` with BRIEFINGS_ROOT=root; wall time, CPU time of the tree, peak memory."""
    env = {**os.environ, "BRIEFINGS_ROOT": str(root), "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy0, total0 = _cpu_busy()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=str(cwd or root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if sampler:
        sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, total1 = _cpu_busy()
    if check and proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out[-4000:]}\n{err[-4000:]}")
    result = {
        "wall_s": round(wall, 3),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "load1_before": round(load, 2),
        "machine_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "returncode": proc.returncode,
        "stdout_tail": out[-600:],
        "stdout_tail_full": out,
    }
    if sampler:
        result.update(
            peak_pss_mb=round(sampler.peak_pss / 1024, 1),
            peak_rss_sum_mb=round(sampler.peak_rss / 1024, 1),
            peak_processes=sampler.peak_procs,
            sampler_cpu_s=round(sampler.cpu_s, 2),
        )
    return result


def _ingest_seconds(stdout: str) -> float | None:
    """The ingest time `briefings build` reports ('ingest: data/processed rebuilt from 105 reports in 10.47 s')."""
    found = re.findall(r"^ingest: data/processed rebuilt from \d+ reports in ([0-9.]+) s$", stdout, flags=re.M)
    return float(found[-1]) if found else None


def linearity(runs: list[dict]) -> dict | None:
    """Least-squares fit wall = a + b * dates over the scale runs, its R², and the
    marginal seconds per date between consecutive sizes (constant when linear)."""
    points = sorted((r["dates"], r["wall_s"]) for r in runs)
    if len(points) < 2:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in points)
    marginal = [round((y2 - y1) / (x2 - x1), 3) for (x1, y1), (x2, y2) in zip(points, points[1:])]
    return {
        "intercept_s": round(intercept, 2),
        "s_per_date": round(slope, 3),
        "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0,
        "marginal_s_per_date": marginal,
        # linear: the cost of one more date does not grow with the number of dates
        "linear": max(marginal) <= 1.25 * min(marginal) if all(m > 0 for m in marginal) else False,
    }


def html_sizes(root: Path) -> dict[str, int]:
    out = {}
    for path in sorted((root / "outputs").glob("*/*.html")):
        out[f"{path.parent.name}/{path.name}"] = path.stat().st_size
    return out


def output_digest(root: Path) -> dict[str, str]:
    import hashlib

    out = {}
    for path in sorted((root / "outputs").glob("*/*")):
        # published files only: outputs/.cache/ holds caches keyed by file identity (inodes)
        if path.is_file() and path.suffix in (".html", ".ipynb", ".json") and not path.parent.name.startswith("."):
            out[f"{path.parent.name}/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# --------------------------------------------------------------------------- the workflows


def ours(root: Path) -> dict:
    result = run([*BRIEFINGS, "build"], root, sample=True)
    result.pop("stdout_tail_full", None)
    return result


def plain(root: Path) -> dict:
    """``briefings ingest``, then papermill + nbconvert per notebook, one date after another."""
    import yaml

    sys.path.insert(0, str(ROOT / "src"))
    env_root = os.environ.get("BRIEFINGS_ROOT")
    steps = [run([*BRIEFINGS, "ingest"], root)]
    os.environ["BRIEFINGS_ROOT"] = str(root)
    try:
        from helpers import config, tables as datastore
        from helpers.params import load_params

        available = datastore.available_dates()
        params = {d: load_params(d, available=available).notebook_parameters() for d in sorted(available)}
        processed = str(config.processed_dir())
    finally:
        if env_root is None:
            os.environ.pop("BRIEFINGS_ROOT", None)
        else:
            os.environ["BRIEFINGS_ROOT"] = env_root
    out_root = root / "plain-outputs"
    for date, p in params.items():
        out = out_root / date
        out.mkdir(parents=True)
        pfile = out / "parameters.yaml"
        pfile.write_text(yaml.safe_dump({**p, "processed_dir": processed, "output_dir": str(out)}, allow_unicode=True), encoding="utf-8")
        for name in NOTEBOOKS:
            nb = out / f"{name}.ipynb"
            steps.append(run([str(VENV_BIN / "papermill"), str(root / "notebooks" / f"{name}.ipynb"), str(nb), "-f", str(pfile), "--cwd", str(root / "notebooks"), "--no-progress-bar"], root))
            steps.append(run([str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], root))
    return {
        "wall_s": round(sum(s["wall_s"] for s in steps), 3),
        "cpu_s": round(sum(s["cpu_s"] for s in steps), 2),
        "commands": len(steps),
        "html_sizes": {f"{p.parent.name}/{p.name}": p.stat().st_size for p in sorted(out_root.glob("*/*.html"))},
    }


def add_synthetic_day(root: Path, days: int, seed: int) -> str:
    """One more perturbed plan-02 report, ``days`` after 22/9, into the root's data/raw."""
    day = SOURCE_DATE + dt.timedelta(days=days)
    text = (root / "data" / "raw" / SOURCE_PLAN02).read_text(encoding="utf-8")
    (root / "data" / "raw" / f"plan02_report_{day.isoformat()}.txt").write_text(synthetic_report(text, day, random.Random(seed)), encoding="utf-8")
    return day.isoformat()


def daily_run(root: Path, synthetic: int) -> dict:
    """(e): no-op build, forced single-date run, and build after adding tomorrow's report."""
    # A daily run's no-op comes long after the build: wait until the build's files are older
    # than the no-op stamp's window of doubt (helpers.publish.noop.RACY_NS), then one no-op
    # checks everything and leaves the stamp, and the three measured ones use it.
    time.sleep(3.5)
    first = run([*BRIEFINGS, "build", "--quiet"], root)
    noops = []
    for _ in range(3):
        n = run([*BRIEFINGS, "build", "--quiet"], root)
        noops.append(n["wall_s"])
    newest = (SOURCE_DATE + dt.timedelta(days=synthetic)).isoformat()
    forced = run([*BRIEFINGS, "run", "--date", newest, "--force"], root)
    added_date = add_synthetic_day(root, synthetic + 1, seed=synthetic + 1)
    added = run([*BRIEFINGS, "build"], root)
    built = re.findall(r"^(\d{4}-\d{2}-\d{2}): building", added["stdout_tail_full"], flags=re.M)
    budget = TARGETS["e_add_factor"] * forced["wall_s"] + TARGETS["e_add_extra_s"]
    return {
        "noop_full_check_s": first["wall_s"],
        "noop_runs_s": noops,
        "noop_median_s": _median(noops),
        "forced_one_date_s": forced["wall_s"],
        "add_one_report_s": added["wall_s"],
        "add_one_report_ingest_s": _ingest_seconds(added["stdout_tail_full"]),
        "add_budget_s": round(budget, 3),
        "added_date": added_date,
        "dates_built": built,
        "only_new_date_built": built == [added_date],
    }


# --------------------------------------------------------------------------- main


def _median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1 repeat of (a)/(b) and scale sizes 10 and 30 only")
    ap.add_argument("--repeats", type=int, default=None, help="repeats of (a) and (b) (default 3, quick 1)")
    ap.add_argument("--scale", default=None, help="synthetic date counts for (c), comma-separated (default 10,30,100; quick 10,30; '' for none)")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain papermill + nbconvert workflow of (a)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project roots (their path is printed)")
    ap.add_argument("--no-daily", action="store_true", help="skip (e), the daily run after each scale build")
    args = ap.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    scale_text = args.scale if args.scale is not None else ("10,30" if args.quick else "10,30,100")
    scale = [int(x) for x in scale_text.split(",") if x.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="briefings-bench-"))
    started = dt.datetime.now().astimezone()
    results: dict = {
        "started": started.isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "platform": platform.platform(), "load1_at_start": round(os.getloadavg()[0], 2)},
        "git": _git(),
        "options": {"repeats": repeats, "scale": scale, "plain": not args.no_plain, "quick": args.quick},
        "targets": TARGETS,
    }
    print(f"bench: temporary roots in {tmp}", flush=True)
    try:
        # (a), (b), (d)
        a_ours, a_plain, noops, digests = [], [], [], []
        for i in range(repeats):
            order = ("ours", "plain") if i % 2 == 0 else ("plain", "ours")
            for which in order:
                if which == "plain" and args.no_plain:
                    continue
                root = make_project(tmp / f"a{i}-{which}")
                if which == "ours":
                    res = ours(root)
                    res["html_sizes"] = html_sizes(root)
                    digests.append(output_digest(root))
                    a_ours.append(res)
                    print(f"(a) repeat {i + 1}: briefings build {res['wall_s']:.1f} s (cpu {res['cpu_s']:.1f} s, peak PSS {res['peak_pss_mb']:.0f} MB, load {res['load1_before']})", flush=True)
                    for _ in range(repeats):
                        n = run([*BRIEFINGS, "build"], root)
                        n.pop("stdout_tail_full", None)
                        noops.append(n)
                        print(f"(b) no-op rebuild {n['wall_s']:.2f} s", flush=True)
                else:
                    res = plain(root)
                    a_plain.append(res)
                    print(f"(a) repeat {i + 1}: plain papermill + nbconvert {res['wall_s']:.1f} s (cpu {res['cpu_s']:.1f} s, {res['commands']} commands)", flush=True)
                if not args.keep:
                    shutil.rmtree(root, ignore_errors=True)
        ours_med = _median([r["wall_s"] for r in a_ours])
        plain_med = _median([r["wall_s"] for r in a_plain]) if a_plain else None
        results["a"] = {
            "ours": a_ours,
            "plain": a_plain,
            "ours_median_s": ours_med,
            "plain_median_s": plain_med,
            "ratio": round(ours_med / plain_med, 3) if plain_med else None,
            "ours_cpu_median_s": _median([r["cpu_s"] for r in a_ours]),
            "plain_cpu_median_s": _median([r["cpu_s"] for r in a_plain]) if a_plain else None,
            "identical_outputs_across_repeats": all(d == digests[0] for d in digests),
        }
        results["b"] = {"runs_s": [n["wall_s"] for n in noops], "median_s": _median([n["wall_s"] for n in noops])}
        results["d"] = {"html_sizes": a_ours[0]["html_sizes"] if a_ours else {}, "max_bytes": max(a_ours[0]["html_sizes"].values()) if a_ours else None}
        # (c)
        results["c"] = []
        for n in scale:
            root = make_project(tmp / f"c{n}", synthetic=n)
            # the whole scheduled job: `briefings build` = ingest of every report, then every date
            res = run([*BRIEFINGS, "build"], root, sample=True)
            sizes = html_sizes(root)
            dates = len({k.split("/")[0] for k in sizes})
            entry = {
                "synthetic": n,
                "dates": dates,
                **{k: v for k, v in res.items() if k != "stdout_tail"},
                "ingest_s": _ingest_seconds(res["stdout_tail_full"]),
                "s_per_date": round(res["wall_s"] / max(1, dates), 3),
                "max_html_bytes": max(sizes.values()) if sizes else None,
                "max_html_file": max(sizes, key=sizes.get) if sizes else None,
            }
            entry.pop("stdout_tail_full", None)
            if not args.no_daily:
                entry["daily"] = daily_run(root, n)
                e = entry["daily"]
                print(
                    f"(e) {dates} dates: no-op {e['noop_median_s']:.2f} s; forced one date {e['forced_one_date_s']:.1f} s; "
                    f"adding one report {e['add_one_report_s']:.1f} s (ingest {e['add_one_report_ingest_s']} s; budget {e['add_budget_s']:.1f} s); built {e['dates_built']}",
                    flush=True,
                )
            results["c"].append(entry)
            print(
                f"(c) {n} synthetic ({dates} dates): briefings build {res['wall_s']:.1f} s (ingest {entry['ingest_s']} s), {entry['s_per_date']:.2f} s/date, "
                f"cpu {res['cpu_s']:.0f} s, peak PSS {res['peak_pss_mb']:.0f} MB (RSS sum {res['peak_rss_sum_mb']:.0f} MB), load {res['load1_before']}",
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
        results["c_linearity"] = linearity(results["c"])
        # (f) ingest of 100 reports: `briefings ingest --force` (cold command, parsing and checks)
        root = make_project(tmp / "f", synthetic=INGEST_REPORTS - 5)
        # at least 3 forced runs even in --quick: one cold command is too noisy a figure to hold a target to
        runs = [run([*BRIEFINGS, "ingest", "--force"], root) for _ in range(max(3, repeats))]
        results["f"] = {
            "reports": INGEST_REPORTS, "runs_s": [r["wall_s"] for r in runs], "median_s": _median([r["wall_s"] for r in runs]),
            "cpu_s": [r["cpu_s"] for r in runs], "load1_before": [r["load1_before"] for r in runs],
        }
        print(f"(f) ingest of {INGEST_REPORTS} reports: {results['f']['median_s']:.2f} s (median of {len(runs)}), cpu {runs[0]['cpu_s']:.1f} s, load {runs[0]['load1_before']}", flush=True)
        # incremental ingest (parse cache): tomorrow's report added, then `briefings ingest`;
        # then a no-op `briefings ingest`; and the start-up alone (`briefings --version`) to compare
        add_synthetic_day(root, INGEST_REPORTS - 4, seed=INGEST_REPORTS)
        added = run([*BRIEFINGS, "ingest"], root)
        noops = [run([*BRIEFINGS, "ingest"], root) for _ in range(3)]
        startup = [run([*BRIEFINGS, "--version"], root) for _ in range(3)]
        results["f"].update(
            add_one_s=added["wall_s"], add_one_cpu_s=added["cpu_s"], add_one_load1=added["load1_before"],
            noop_median_s=_median([n["wall_s"] for n in noops]), startup_median_s=_median([n["wall_s"] for n in startup]),
        )
        print(f"(f) adding one report to {INGEST_REPORTS}: `briefings ingest` {added['wall_s']:.2f} s (cpu {added['cpu_s']:.1f} s); no-op {results['f']['noop_median_s']:.2f} s; start-up {results['f']['startup_median_s']:.2f} s", flush=True)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    results["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md = summary_markdown(results, f"bench-{stamp}.json")
    (RESULTS / "latest.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


def _git() -> dict:
    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def _ok(value, target, less=True) -> str:
    if value is None:
        return "—"
    return "yes" if (value <= target if less else value >= target) else "**no**"


def summary_markdown(r: dict, json_name: str) -> str:
    t = r["targets"]
    a, b, d = r.get("a", {}), r.get("b", {}), r.get("d", {})
    lines = [
        f"# Benchmark {r['started']}",
        "",
        f"Commit {r['git'].get('commit')}{' (with uncommitted changes)' if r['git'].get('dirty') else ''}; Python {r['machine']['python']}, "
        f"{r['machine']['affinity']} CPUs; load average at start {r['machine']['load1_at_start']}; "
        f"{r['options']['repeats']} repeat(s); raw results: `{json_name}`.",
        "",
        "| | measured | target | met |",
        "|---|---|---|---|",
    ]
    if a.get("ratio") is not None:
        lines.append(f"| (a) `briefings build` / plain papermill + nbconvert (median wall) | {a['ours_median_s']:.1f} s / {a['plain_median_s']:.1f} s = **{a['ratio']:.2f}** | ≤ {t['a_ratio']} | {_ok(a['ratio'], t['a_ratio'])} |")
    elif a.get("ours_median_s") is not None:
        lines.append(f"| (a) `briefings build` (median wall; plain workflow skipped) | {a['ours_median_s']:.1f} s | — | — |")
    if b.get("median_s") is not None:
        lines.append(f"| (b) no-op rebuild (median wall of the command) | **{b['median_s']:.2f} s** | ≤ {t['b_noop_s']} s | {_ok(b['median_s'], t['b_noop_s'])} |")
    for c in r.get("c", []):
        target = f"≤ {t['c_100_s']:.0f} s, < {t['c_peak_mb']:.0f} MB" if c["synthetic"] == 100 else "linear"
        met = f"{_ok(c['wall_s'], t['c_100_s'])} / {_ok(c['peak_pss_mb'], t['c_peak_mb'])}" if c["synthetic"] == 100 else ""
        lines.append(
            f"| (c) {c['synthetic']} synthetic dates ({c['dates']} built): `briefings build` | **{c['wall_s']:.1f} s** (ingest {c['ingest_s']} s; {c['s_per_date']:.2f} s/date), "
            f"peak **{c['peak_pss_mb']:.0f} MB** PSS ({c['peak_rss_sum_mb']:.0f} MB RSS sum) | {target} | {met} |"
        )
    lin = r.get("c_linearity")
    if lin:
        lines.append(
            f"| (c) growth: wall = {lin['intercept_s']} s + {lin['s_per_date']} s × dates (R² {lin['r2']}) | marginal s/date between sizes: "
            f"{', '.join(str(m) for m in lin['marginal_s_per_date'])} | linear (marginal within 25%) | {'yes' if lin['linear'] else '**no**'} |"
        )
    for c in r.get("c", []):
        e = c.get("daily")
        if not e:
            continue
        noop_target = f"< {t['e_noop_100_s']} s" if c["synthetic"] == 100 else "flat"
        noop_met = _ok(e["noop_median_s"], t["e_noop_100_s"]) if c["synthetic"] == 100 else ""
        lines.append(f"| (e) {c['dates']} dates: no-op `briefings build` (median of 3) | **{e['noop_median_s']:.2f} s** | {noop_target} | {noop_met} |")
        lines.append(
            f"| (e) {c['dates']} dates: adding one report, `briefings build` (ingest {e['add_one_report_ingest_s']} s) vs forced run of one date {e['forced_one_date_s']:.1f} s | "
            f"**{e['add_one_report_s']:.1f} s**; dates built: {', '.join(e['dates_built']) or 'none'} | ≤ {t['e_add_factor']} × {e['forced_one_date_s']:.1f} + {t['e_add_extra_s']} = {e['add_budget_s']:.1f} s, only the new date | "
            f"{_ok(e['add_one_report_s'], e['add_budget_s'])}{'' if e['only_new_date_built'] else ' **(other dates rebuilt)**'} |"
        )
    if d.get("max_bytes") is not None:
        biggest = max(d["html_sizes"], key=d["html_sizes"].get)
        lines.append(f"| (d) largest HTML of the build | **{d['max_bytes'] / 1048576:.2f} MB** ({biggest}) | ≤ {t['d_html_mb']} MB | {_ok(d['max_bytes'] / 1048576, t['d_html_mb'])} |")
    ingest_f = r.get("f") or {}
    if ingest_f.get("median_s") is not None:
        lines.append(f"| (f) ingest of {ingest_f['reports']} reports (`briefings ingest --force`, median wall) | **{ingest_f['median_s']:.2f} s** | ≤ {t['f_ingest_100_s']} s | {_ok(ingest_f['median_s'], t['f_ingest_100_s'])} |")
        if ingest_f.get("add_one_s") is not None:
            lines.append(
                f"| (f) one report added to {ingest_f['reports']}, `briefings ingest` (parse cache; start-up alone {ingest_f['startup_median_s']:.2f} s) | "
                f"**{ingest_f['add_one_s']:.2f} s**; no-op {ingest_f['noop_median_s']:.2f} s | a fraction of a second beyond start-up | — |"
            )
    lines += ["", "## Details", ""]
    if a.get("ours"):
        walls = ", ".join(f"{x['wall_s']:.1f} s" for x in a["ours"])
        peaks = ", ".join(f"{x['peak_pss_mb']:.0f}" for x in a["ours"])
        loads = ", ".join(str(x["load1_before"]) for x in a["ours"])
        busy = ", ".join(f"{x['machine_busy_pct']:.0f}%" for x in a["ours"])
        lines.append(f"(a) `briefings build` wall per repeat: {walls}; CPU (whole process tree) median {a['ours_cpu_median_s']} s; peak PSS {peaks} MB; load average before each: {loads}; all CPUs of the machine busy during each: {busy}.")
        lines.append(f"Outputs byte-identical across the repeats: {a.get('identical_outputs_across_repeats')}.")
    if a.get("plain"):
        walls = ", ".join(f"{x['wall_s']:.1f} s" for x in a["plain"])
        lines.append(f"(a) plain workflow wall per repeat: {walls}; CPU median {a['plain_cpu_median_s']} s.")
    if b.get("runs_s"):
        lines.append("(b) no-op runs: " + ", ".join(f"{x:.2f}" for x in b["runs_s"]) + " s.")
    for c in r.get("c", []):
        lines.append(
            f"(c) {c['synthetic']}: CPU {c['cpu_s']:.0f} s, load average before {c['load1_before']}, machine busy {c['machine_busy_pct']:.0f}%, up to {c['peak_processes']} processes, "
            f"memory sampler's own CPU {c.get('sampler_cpu_s')} s; largest HTML {c['max_html_bytes'] / 1048576:.2f} MB ({c['max_html_file']})."
        )
    if d.get("html_sizes"):
        lines.append("")
        lines.append("(d) HTML sizes of the build: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in d["html_sizes"].items()) + ".")
        if a.get("plain") and a["plain"][0].get("html_sizes"):
            lines.append("Plain nbconvert HTML of the same notebooks: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in a["plain"][0]["html_sizes"].items()) + ".")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
