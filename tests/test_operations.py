"""Daily operation: the options a scheduler and an analyst reach for.

Dates as 2025-09-23 or 23/9/2025, ``-p key=value`` and ``--province`` overrides,
global flags after the subcommand, ``--version``, ``list --json``, ``--quiet``
(a no-op run prints nothing), ``--log`` (timestamped lines, folder created),
``--on-failure`` (given the date and the one-line error), exit codes documented,
and the README's cron line run as written in a fresh project root.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project_copy, run_cli
from helpers import cli
from helpers.errors import ExitCode, InputError
from helpers.publish import commands, plan
from helpers.publish.logs import Operation
from helpers.params import load_params

TIMESTAMPED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00 ")


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "text, iso",
    [("2025-09-23", "2025-09-23"), ("23/9/2025", "2025-09-23"), ("01/07/2025", "2025-07-01"), (" 1/7/2025 ", "2025-07-01")],
)
def test_dates_are_accepted_in_iso_and_vietnamese_order(text, iso):
    assert commands.report_date(text) == iso


@pytest.mark.parametrize("text", ["2025-13-01", "31/2/2025", "23.9.2025", "9/23/2025", "yesterday", "2025-9-23"])
def test_impossible_or_unknown_dates_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError, match="expected a date"):
        commands.report_date(text)


def test_parameter_overrides_are_read_as_yaml():
    assert commands._override("thresholds.green_pct_min=85") == ("thresholds.green_pct_min", 85)
    assert commands._override("province=Lạng Sơn") == ("province", "Lạng Sơn")
    assert commands._override("thresholds.online_rate_min_pct=null") == ("thresholds.online_rate_min_pct", None)
    assert commands._override("comparison_dates=[2025-06-27]") == ("comparison_dates", ["2025-06-27"])
    for bad in ("green_pct_min", "=3", "a..b=1", "1x=2"):
        with pytest.raises(argparse.ArgumentTypeError, match="key=value"):
            commands._override(bad)


@pytest.fixture()
def params_root(tmp_path, monkeypatch) -> Path:
    (tmp_path / "params").mkdir()
    shutil.copy(ROOT / "params" / "defaults.yaml", tmp_path / "params" / "defaults.yaml")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    monkeypatch.setenv("BRIEFINGS_ROOT", str(tmp_path))
    return tmp_path


def test_overrides_change_the_parameters_and_the_input_hash(params_root):
    lp = load_params("2025-09-22", available={"2025-09-22": ["plan02"]})
    changed = plan.with_overrides(lp, {"thresholds.green_pct_min": 85, "province": "Lạng Sơn"})
    assert changed.params.thresholds.green_pct_min == 85 and changed.params.province == "Lạng Sơn"
    assert changed.params.thresholds.readiness_index_min == lp.params.thresholds.readiness_index_min
    hasher = plan.InputHasher(plan.NOTEBOOKS)
    assert hasher.date_inputs(changed) != hasher.date_inputs(lp)
    assert plan.with_overrides(lp, {"thresholds.green_pct_min": lp.params.thresholds.green_pct_min}).params == lp.params


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"thresholds.green_pct_min": 185}, "less than or equal to 100"),
        ({"nonsense": 1}, "nonsense"),
        ({"language.x": 1}, "a known parameter"),
        ({"report_date": "2025-06-30"}, "use --date"),
    ],
)
def test_bad_overrides_are_one_line_input_errors(params_root, overrides, expected):
    lp = load_params("2025-09-22", available={"2025-09-22": ["plan02"], "2025-06-30": ["daily_readiness"]})
    with pytest.raises(InputError, match=re.escape(expected)) as err:
        plan.with_overrides(lp, overrides)
    assert str(err.value).startswith("-p: expected") and "\n" not in str(err.value)


# ----------------------------------------------------------------------------- the parser


def test_global_flags_are_accepted_before_and_after_the_subcommand():
    parser = cli.build_parser()
    for argv in (["--debug", "--quiet", "build"], ["build", "--debug", "--quiet"], ["build", "-q", "--debug"]):
        args = parser.parse_args(argv)
        assert args.debug and args.quiet and args.command == "build", argv
    args = parser.parse_args(["list"])
    assert not args.debug and not args.quiet and args.log is None and args.on_failure is None
    args = parser.parse_args(["run", "--date", "22/9/2025", "--log", "x.log", "-p", "province=20", "--province", "Huế"])
    assert args.date == ["2025-09-22"] and args.log == "x.log" and args.overrides == [("province", 20)] and args.province == ["Huế"]
    args = parser.parse_args(["run", "--date", "22/9/2025", "--province", "Huế", "--province", "Cao Bằng"])
    assert args.province == ["Huế", "Cao Bằng"]


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.build_parser().parse_args(["--version"])
    assert done.value.code == 0
    assert re.match(r"^briefings \d+\.\d+\S* \(Python 3\.\d+", capsys.readouterr().out)


def test_every_exit_code_is_documented_in_help_and_readme():
    parser = cli.build_parser()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit codes") :]
    helps = [parser.format_help()] + [p.format_help() for p in parser._subparsers._group_actions[0].choices.values()]
    for code in ExitCode:
        assert re.search(rf"\b{int(code)} ", ExitCode.help_text()), code
        assert all(re.search(rf"\b{int(code)} ", " ".join(h.split())) for h in helps), code
        assert re.search(rf"^\| `{int(code)}` \|", section, re.M), f"README lacks exit code {int(code)}"


# ----------------------------------------------------------------------------- log and hook


def test_log_lines_carry_timestamps_and_the_folder_is_created(tmp_path, capsys):
    log = tmp_path / "logs" / "deep" / "briefings.log"
    with Operation(log=str(log)):
        print("first line")
        print("two\nlines", end="")
        print(" and the end")
        print("a problem", file=sys.stderr)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [TIMESTAMPED.sub("", line) for line in lines] == ["first line", "two", "lines and the end", "a problem"]
    assert all(TIMESTAMPED.match(line) for line in lines)
    seen = capsys.readouterr()
    assert seen.out == "" and seen.err == "a problem\n"  # cron mails stderr only


def hook_script(tmp_path: Path) -> tuple[str, Path]:
    record = tmp_path / "hook.jsonl"
    script = tmp_path / "hook.py"
    script.write_text(
        "import json, os, sys\n"
        f"with open({str(record)!r}, 'a', encoding='utf-8') as fh:\n"
        "    fh.write(json.dumps({'argv': sys.argv[1:], 'date': os.environ['BRIEFINGS_FAILED_DATE'], 'error': os.environ['BRIEFINGS_ERROR']}) + '\\n')\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}", record


def test_failure_hook_gets_each_failed_date_and_its_line(tmp_path, capsys):
    cmd, record = hook_script(tmp_path)
    with Operation(on_failure=cmd) as op:
        print("FAILED 2025-09-22 briefing.ipynb: cell 4 raised ValueError: boom (the last good briefing is kept)", file=sys.stderr)
        print("2025-06-30: locked by another run (pid 12); not waiting (--no-wait)", file=sys.stderr)
        print("error: 2 date(s) failed", file=sys.stderr)
    op.notify(ExitCode.NOTEBOOK_FAILED)
    calls = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [c["date"] for c in calls] == ["2025-09-22", "2025-06-30"]
    assert calls[0]["argv"] == [calls[0]["date"], calls[0]["error"]] and "ValueError: boom" in calls[0]["error"]
    op.notify(ExitCode.OK)  # success: no call
    assert len(record.read_text(encoding="utf-8").splitlines()) == 2


def test_failure_hook_without_a_date_gets_a_dash_and_the_error(tmp_path):
    cmd, record = hook_script(tmp_path)
    with Operation(on_failure=cmd) as op:
        print("error: params/2025-09-22.yaml:3: expected a number", file=sys.stderr)
    op.notify(ExitCode.BAD_INPUT)
    (call,) = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert call["argv"] == ["-", "error: params/2025-09-22.yaml:3: expected a number"]


def test_a_failing_hook_is_reported_not_fatal(tmp_path, capsys):
    with Operation(on_failure=f"{sys.executable} -c 'raise SystemExit(5)'") as op:
        print("error: boom", file=sys.stderr)
    op.notify(ExitCode.BAD_INPUT)
    assert "--on-failure command failed (exit 5)" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the commands on a project


@pytest.fixture(scope="module")
def ingested_root(tmp_path_factory) -> Path:
    root = make_project_copy(tmp_path_factory.mktemp("ops") / "root")
    done = run_cli(root, "ingest")
    assert done.returncode == 0, done.stderr
    return root


def test_list_json_describes_every_date(ingested_root):
    done = run_cli(ingested_root, "list", "--json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [r["date"] for r in records] == ["2025-09-22", "2025-06-30", "2025-06-27"]
    assert records[0]["data"] == ["plan02"] and records[0]["last_run"] is None and records[0]["published"] is False
    assert set(records[0]) >= {"date", "data", "params", "last_run", "last_run_at", "error", "published", "up_to_date"}


def test_bad_province_and_parameter_exit_2_before_anything_runs(ingested_root):
    done = run_cli(ingested_root, "run", "--date", "22/9/2025", "--province", "Atlantis")
    assert done.returncode == 2 and done.stderr.strip().splitlines() == ["error: --province: expected a province name (e.g. 'Lạng Sơn') or official code, found 'Atlantis'"]
    done = run_cli(ingested_root, "run", "--date", "22/9/2025", "-p", "thresholds.green_pct_min=abc")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "green_pct_min" in done.stderr
    assert not any((ingested_root / "outputs").iterdir())


@pytest.mark.slow
def test_readme_cron_line_runs_twice_on_a_fresh_root_the_second_quietly(tmp_path):
    """The README's cron line, as written, in a fresh project root (no logs/): the first run
    builds and logs timestamped lines; the second is a no-op that prints and logs nothing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("```cron") :].split("```")[1]
    line = next(ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#") and not ln.startswith("cron"))
    command = " ".join(line.split()[5:])
    assert command.startswith("cd ") and "logs/" in command, command
    root = make_project_copy(tmp_path / "root")
    (root / ".venv").symlink_to(Path(sys.executable).resolve().parent.parent if not (ROOT / ".venv").exists() else ROOT / ".venv")
    command = re.sub(r"^cd \S+", f"cd {root}", command)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BRIEFINGS_ROOT": str(root), "SHELL": "/bin/sh"}
    first = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, env=env, timeout=900)
    assert first.returncode == 0, first.stdout + first.stderr
    log = root / "logs" / "briefings.log"
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines and all(TIMESTAMPED.match(ln) for ln in lines), lines
    assert sum("published" in ln for ln in lines) == 3
    second = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0 and second.stdout == second.stderr == ""
    assert log.read_text(encoding="utf-8").splitlines() == lines
