"""Per-date briefings: the whole build, checked as a reader and a browser would see it.

* every notebook is executed for every reporting date through Papermill (the session
  fixture ``built_project`` runs ``briefings build`` once) and each date has its files;
* ``summary.json`` holds the figures read by hand from the reports in ``data/raw``
  (each constant says where; ``test_hand_read_values_are_in_the_reports`` checks that
  the report text really says so);
* every HTML file is self-contained, static, Vietnamese, without code or prompts, and
  shows the key figures in Vietnamese number format;
* the committed notebooks carry no outputs;
* Debian's Chromium opens each briefing from file:// with the network blocked: no
  request may fail or leave file:/data:, and a full-page screenshot is kept in
  ``tests/artifacts/screenshots/`` for people to look at.
"""

from __future__ import annotations

import html as html_lib
import json
import math
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from helpers.publish.pdf import CHROMIUM_ARGS as PDF_CHROMIUM_ARGS

from conftest import RAW, ROOT

DATES = ["2025-06-27", "2025-06-30", "2025-09-22"]
NOTEBOOKS = ["briefing", "province_drilldown"]
DATE_FILES = ["briefing.html", "province_drilldown.html", "briefing.ipynb", "province_drilldown.ipynb", "summary.json"]
MAX_HTML_BYTES = 2 * 1024 * 1024
CONFIDENTIAL = "Báo cáo này không đăng tải trên báo, đài và các mạng xã hội."

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
# Flags for headless Debian Chromium as root on a machine with no network: the build's
# own (helpers.publish.pdf), and for tests a proxy that catches any request the router misses.
CHROMIUM_ARGS = [
    "--headless",
    *PDF_CHROMIUM_ARGS,
    "--disable-default-apps",
    "--disable-extensions",
    # Anything that gets past the request router goes to a closed port on loopback.
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]

# ---------------------------------------------------------------------------
# Values read by hand from the reports in data/raw (file: line as of this writing).

# plan02_report_2025-09-22.txt, part III.2: "2.821/3.321 xã, phường (tương đương 84,94%) ...
# (ngày 21/9/2025 có 2.815 xã, phường đáp ứng chiếm 84,76%)"
SEPT_COMMUNES = 3321
SEPT_COMMUNES_GREEN = 2821
SEPT_BASIC_CONDITIONS_PREVIOUS = 2815
# Appendix 8, table III (1/7-21/9), row "Tổng": ... total 10218357 7854492 18072849, rates 76,34% 78% 77,06%
SEPT_DOSSIERS_TOTAL = 18072849
SEPT_RATE_ALL, SEPT_RATE_PROVINCE, SEPT_RATE_COMMUNE = 77.06, 76.34, 78.00
# Appendix 8, table III, row "34 Tỉnh Lạng Sơn ... 37,47% 30,78% 34,50%"; body III.1 "Lạng Sơn khoảng 34,5%"
LANG_SON_CODE, LANG_SON_RATE = 20, 34.50
# Appendix 8, table I (day 21/9): "1 Thành phố Hồ Chí Minh 334 1555 2643 1889 82,32% 17133",
# "Tổng 1412 13286 14780 14698 90,39% 93205" (last column: June daily average)
SEPT_DAY_TOTAL, SEPT_JUNE_DAILY_AVG = 14698, 93205
HCM_DAY, HCM_JUNE_AVG = 1889, 17133
# daily_readiness_2025-06-30.txt: 26 tasks; 25 say "Toàn bộ các tỉnh, thành phố đã hoàn thành.",
# SSO (III.2.e) "Số lượng tỉnh hoàn thành: 32/34" -> 25 * 34 + 32 = 882 of 26 * 34 = 884
JUNE_TASKS, JUNE_TASK_PROVINCES = 26, 884
JUNE30_TASKS_COMPLETE, JUNE30_DONE = 25, 882
# daily_readiness_2025-06-27_ocr.txt: 26 tasks "So luong tinh hoan thanh: N/34", N summing to 623
# (the largest N is 30, so no task is complete everywhere)
JUNE27_DONE, JUNE27_TASKS_COMPLETE = 623, 0

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- helpers


def _summary(root: Path, date: str) -> dict:
    return json.loads((root / "outputs" / date / "summary.json").read_text(encoding="utf-8"))


def _html_files(root: Path) -> list[Path]:
    return [root / "outputs" / "index.html"] + [root / "outputs" / d / f"{nb}.html" for d in DATES for nb in NOTEBOOKS]


class _TextAndTags(HTMLParser):
    """Visible text (no <style>/<script>/comments) and every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): (v or "") for k, v in attrs}))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(text: str) -> _TextAndTags:
    parser = _TextAndTags()
    parser.feed(text)
    parser.close()
    return parser


def _visible_text(text: str) -> str:
    return " ".join(" ".join(_parse(text).text).split())


_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, ftp://..., and //host
_CSS_REMOTE = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*((?:[a-z][a-z0-9+.-]*:)?//[^"')\s]*)""", re.I)
URL_ATTRS = ("src", "href", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href")


def remote_references(text: str) -> list[str]:
    """Every src/href/srcset/... value and CSS url()/@import that points off the machine."""
    found = []
    for tag, attrs in _parse(text).tags:
        for attr in URL_ATTRS:
            value = attrs.get(attr)
            if value is None:
                continue
            candidates = [c.strip().split()[0] for c in value.split(",") if c.strip()] if attr == "srcset" else [value]
            found += [f"<{tag} {attr}={c[:80]}>" for c in candidates if _REMOTE.match(c)]
        if "style" in attrs:
            found += [f"<{tag} style=url({u[:80]})>" for u in _CSS_REMOTE.findall(attrs["style"])]
    found += [f"css {u[:80]}" for u in _CSS_REMOTE.findall(text)]
    return found


def _cells(text: str) -> list[str]:
    """The HTML of each notebook cell (from one ``jp-Cell`` div to the next)."""
    starts = [m.start() for m in re.finditer(r'<div class="jp-Cell[ "]', text)]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


# --------------------------------------------------------------------------- 1. every date built


@pytest.mark.parametrize("date", DATES)
def test_every_date_has_its_files(built_project, date):
    out = built_project / "outputs" / date
    missing = [name for name in DATE_FILES if not (out / name).is_file()]
    assert not missing, f"{date}: missing {missing} (has {sorted(p.name for p in out.iterdir()) if out.is_dir() else 'no directory'})"
    for name in DATE_FILES:
        assert (out / name).stat().st_size > 0, f"{date}/{name} is empty"
    assert _summary(built_project, date)["report_date"] == date


@pytest.mark.parametrize("date", DATES)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_was_executed_by_papermill_for_the_date(built_project, date, notebook):
    nb = nbformat.read(built_project / "outputs" / date / f"{notebook}.ipynb", as_version=4)
    pm = nb.metadata.get("papermill")
    assert pm, f"{date}/{notebook}.ipynb was not executed by Papermill (no metadata.papermill)"
    assert pm.get("exception") in (None, False), f"{date}/{notebook}: Papermill recorded an exception"
    assert pm["parameters"]["report_date"] == date
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert sum("injected-parameters" in t for t in tags) == 1, "Papermill injects exactly one parameters cell"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for i, cell in enumerate(code):
        status = cell.metadata.get("papermill", {}).get("status")
        assert status == "completed", f"{date}/{notebook}: code cell {i} status {status!r}"
        assert cell.execution_count is not None, f"{date}/{notebook}: code cell {i} was not executed"
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{date}/{notebook}: code cell {i} raised {errors[0].get('ename')}: {errors[0].get('evalue')}"


def test_index_links_every_briefing_newest_first(built_project):
    outputs = built_project / "outputs"
    text = (outputs / "index.html").read_text(encoding="utf-8")
    hrefs = [attrs.get("href", "") for tag, attrs in _parse(text).tags if tag == "a"]
    briefings = [h for h in hrefs if re.fullmatch(r"\d{4}-\d{2}-\d{2}/briefing\.html", h)]
    assert briefings == [f"{d}/briefing.html" for d in sorted(DATES, reverse=True)], hrefs
    for href in hrefs:
        if not href.startswith("#"):
            assert (outputs / href).is_file(), f"index.html links {href}, which does not exist"
    for date in DATES:
        assert f"{date}/province_drilldown.html" in hrefs, f"index.html does not link the {date} drilldown"


# --------------------------------------------------------------------------- 2. figures from the reports


def test_hand_read_values_are_in_the_reports():
    """The constants above are what the reports say (guards against a typo in this file)."""
    sept = (RAW / "plan02_report_2025-09-22.txt").read_text(encoding="utf-8")
    assert "2.821/3.321 xã, phường (tương đương 84,94%)" in " ".join(sept.split())
    assert "ngày 21/9/2025 có 2.815 xã, phường" in " ".join(sept.split())
    assert re.search(r"^Tổng .* 18072849 76,34% 78% 77,06%\s*$", sept, re.M)
    assert re.search(r"^34 Tỉnh Lạng Sơn .* 37,47% 30,78% 34,50%\s*$", sept, re.M)
    assert re.search(r"^1 Thành phố Hồ Chí Minh 334 1555 2643 1889 82,32% 17133\s*$", sept, re.M)
    assert re.search(r"^Tổng 1412 13286 14780 14698 90,39% 93205\s*$", sept, re.M)
    assert CONFIDENTIAL in sept

    june30 = (RAW / "daily_readiness_2025-06-30.txt").read_text(encoding="utf-8")
    whole = len(re.findall(r"Toàn bộ các tỉnh, thành phố đã hoàn thành\.", june30))
    partial = [int(n) for n in re.findall(r"Số lượng tỉnh hoàn thành: (\d+)/34", june30)]
    assert (whole, partial) == (JUNE30_TASKS_COMPLETE, [32])
    assert whole + len(partial) == JUNE_TASKS and JUNE_TASKS * 34 == JUNE_TASK_PROVINCES
    assert whole * 34 + sum(partial) == JUNE30_DONE

    june27 = (RAW / "daily_readiness_2025-06-27_ocr.txt").read_text(encoding="utf-8")
    done = [int(n) for n in re.findall(r"hoan thanh: (\d+)/34", june27)]
    assert len(done) == JUNE_TASKS and sum(done) == JUNE27_DONE and max(done) < 34


def test_summary_2025_09_22_matches_the_report(built_project):
    summary = _summary(built_project, "2025-09-22")
    m = summary["metrics"]
    assert m["communes"] == SEPT_COMMUNES
    assert m["communes_green"] == SEPT_COMMUNES_GREEN
    assert m["communes_all_basic_conditions"] == SEPT_COMMUNES_GREEN
    assert m["communes_all_basic_conditions_previous"] == SEPT_BASIC_CONDITIONS_PREVIOUS
    assert math.isclose(m["communes_green_pct"], 84.94, abs_tol=0.005)
    assert m["dossiers_total"] == SEPT_DOSSIERS_TOTAL
    assert math.isclose(m["online_rate_national_all_pct"], SEPT_RATE_ALL, abs_tol=0.005)
    assert math.isclose(m["online_rate_national_province_pct"], SEPT_RATE_PROVINCE, abs_tol=0.005)
    assert math.isclose(m["online_rate_national_commune_pct"], SEPT_RATE_COMMUNE, abs_tol=0.005)
    # volume: the day (21/9) against June's daily average
    assert m["day_dossiers_total"] == SEPT_DAY_TOTAL
    assert m["june_daily_avg_total"] == SEPT_JUNE_DAILY_AVG
    assert math.isclose(m["volume_index_national"], SEPT_DAY_TOTAL / SEPT_JUNE_DAILY_AVG, abs_tol=5e-4)

    headline = {h["label"]: h["value"] for h in summary["headline"]}
    assert "2.821/3.321" in headline.values() and "18.072.849" in headline.values() and "77,06%" in headline.values(), headline


def test_ready_but_low_2025_09_22(built_project):
    summary = _summary(built_project, "2025-09-22")
    entries = summary["ready_but_low"]
    assert isinstance(entries, list) and entries
    assert summary["metrics"]["ready_but_low_count"] == len(entries)
    threshold = summary["metrics"]["ready_but_low_threshold_online_pct"]
    for entry in entries:
        for key in ("province_code", "province_name", "readiness", "online_rate_pct"):
            assert key in entry, f"ready_but_low entry without {key}: {entry}"
        assert isinstance(entry["province_code"], int) and entry["province_name"]
        assert isinstance(entry["readiness"], (int, float)) and isinstance(entry["online_rate_pct"], (int, float))
        assert entry["online_rate_pct"] < threshold, entry
    lang_son = [e for e in entries if e["province_code"] == LANG_SON_CODE]
    assert len(lang_son) == 1, f"Lạng Sơn (code {LANG_SON_CODE}) not in ready_but_low: {[e['province_name'] for e in entries]}"
    assert lang_son[0]["province_name"] == "Lạng Sơn"
    assert math.isclose(lang_son[0]["online_rate_pct"], LANG_SON_RATE, abs_tol=0.005)
    # the lowest rate of all 34 provinces (report, part III.1)
    assert min(e["online_rate_pct"] for e in entries) == lang_son[0]["online_rate_pct"]


def test_volume_table_2025_09_22_shows_hcm_day_and_june_average(built_project):
    text = (built_project / "outputs" / "2025-09-22" / "briefing.html").read_text(encoding="utf-8")
    rows = [re.sub(r"<[^>]+>", "|", r) for r in re.findall(r"<tr\b.*?</tr>", text, re.S)]
    hcm = [r for r in rows if "Hồ Chí Minh" in r and "|1.889|" in r]
    assert hcm, "no table row for Hồ Chí Minh with the day's 1.889 dossiers"
    assert any("|17.133|" in r for r in hcm), f"Hồ Chí Minh row without June's daily average 17.133: {hcm}"


def test_volume_table_2025_09_22_day_rate_is_the_reports(built_project):
    text = (built_project / "outputs" / "2025-09-22" / "briefing.html").read_text(encoding="utf-8")
    rows = [re.sub(r"<[^>]+>", "|", r) for r in re.findall(r"<tr\b.*?</tr>", text, re.S)]
    hcm = [r for r in rows if "Hồ Chí Minh" in r and "|1.889|" in r]
    assert hcm and "|82,32%|" in hcm[0], hcm  # appendix 8, table I: HCM 82,32% on 21/9


def test_summary_2025_06_30_matches_the_report(built_project):
    m = _summary(built_project, "2025-06-30")["metrics"]
    assert m["tasks"] == JUNE_TASKS
    assert m["tasks_complete"] == JUNE30_TASKS_COMPLETE
    assert m["task_province_done"] == JUNE30_DONE
    assert m["task_province_total"] == JUNE_TASK_PROVINCES
    assert m["provinces_with_open_tasks"] == 2  # SSO: "02 tỉnh chưa hoàn thành: Quảng Trị, Tuyên Quang"
    assert m["june_done_by_date"]["2025-06-30"] == JUNE30_DONE
    assert m["june_done_by_date"]["2025-06-27"] == JUNE27_DONE


def test_summary_2025_06_27_matches_the_report(built_project):
    m = _summary(built_project, "2025-06-27")["metrics"]
    assert m["tasks"] == JUNE_TASKS
    assert m["tasks_complete"] == JUNE27_TASKS_COMPLETE
    assert m["task_province_done"] == JUNE27_DONE
    assert m["task_province_total"] == JUNE_TASK_PROVINCES
    assert math.isclose(m["task_province_done_pct"], 100 * JUNE27_DONE / JUNE_TASK_PROVINCES, abs_tol=5e-4)


# --------------------------------------------------------------------------- 3. the HTML


def _html_ids():
    return ["index"] + [f"{d}/{nb}" for d in DATES for nb in NOTEBOOKS]


@pytest.fixture(params=range(1 + len(DATES) * len(NOTEBOOKS)), ids=_html_ids())
def html_file(request, built_project) -> Path:
    return _html_files(built_project)[request.param]


def test_html_is_self_contained_and_static(html_file):
    text = html_file.read_text(encoding="utf-8")
    refs = remote_references(text)
    assert not refs, f"{html_file.name} references the network: {refs[:5]}"
    assert not re.search(r"<script\b", text, re.I), f"{html_file.name} has a <script> tag"
    handlers = [f"<{tag} {name}>" for tag, attrs in _parse(text).tags for name in attrs if name.startswith("on")]
    assert not handlers, f"{html_file.name}: event handler attributes {handlers[:5]}"
    assert re.search(r"<html\b[^>]*\blang=\"vi\"", text), f"{html_file.name}: <html> is not lang=\"vi\""
    size = html_file.stat().st_size
    assert size <= MAX_HTML_BYTES, f"{html_file.name}: {size} bytes, over 2 MB"


def test_html_has_no_code_prompts_or_parameters(html_file):
    text = html_file.read_text(encoding="utf-8")
    visible = _visible_text(text)
    for prompt in ("In [", "In\xa0[", "Out[", "Out\xa0["):
        assert prompt not in visible, f"{html_file.name}: prompt {prompt!r} in the text"
    # papermill's injected parameters and the notebook's own parameters cell
    assigned = re.findall(r"\b(report_date|comparison_dates|processed_dir|output_dir|thresholds|language|province)\s*=\s*", visible)
    assert not assigned, f"{html_file.name}: parameter assignments in the text: {assigned}"
    for marker in ("# Parameters", "injected-parameters", "celltag_parameters"):
        assert marker not in text, f"{html_file.name}: {marker!r}"
    for marker in ("jp-InputArea-editor", "jp-CodeMirrorEditor", "cm-editor", 'class="highlight'):
        assert marker not in text, f"{html_file.name}: code editor markup {marker!r}"
    cells = _cells(text)
    if html_file.name == "index.html":
        assert not cells
        return
    code_cells = [c for c in cells if "jp-CodeCell" in c[: c.index(">")]]
    assert code_cells, f"{html_file.name}: no code cell outputs"
    for cell in code_cells:
        # markdown cells render in jp-InputArea; a code cell must have none
        assert "jp-InputArea" not in cell and "jp-Cell-inputWrapper" not in cell and "jp-InputPrompt" not in cell, (
            f"{html_file.name}: a code cell shows its input: {cell[:200]}"
        )
    for cell in cells:
        if "jp-Cell-inputWrapper" in cell:
            assert "jp-MarkdownCell" in cell[: cell.index(">")], f"{html_file.name}: input shown for {cell[:120]}"


# key figures as the reader sees them (Vietnamese format), and their English-format twins
KEY_FIGURES = {
    "2025-09-22/briefing": ["18.072.849", "34,50%", "2.821", "3.321", "2.815", "77,06%", "1.889", "17.133", "14.698", "93.205"],
    "2025-09-22/province_drilldown": ["34,50%"],
    "2025-06-30/briefing": ["25/26", "882", "884", "99,77%"],
    "2025-06-27/briefing": ["623", "884", "70,48%"],
}
ENGLISH_FORMAT = ["18,072,849", "18072849", "34.50%", "2,821", "77.06%", "17,133", "93,205", "99.77%", "70.48%"]


@pytest.mark.parametrize("page", sorted(KEY_FIGURES))
def test_key_figures_in_vietnamese_format(built_project, page):
    visible = _visible_text((built_project / "outputs" / f"{page}.html").read_text(encoding="utf-8"))
    missing = [f for f in KEY_FIGURES[page] if not re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", visible)]
    assert not missing, f"{page}: figures not shown: {missing}"
    english = [f for f in ENGLISH_FORMAT if re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", visible)]
    assert not english, f"{page}: numbers in English format: {english}"


def test_confidentiality_line_in_the_september_briefing(built_project):
    visible = _visible_text((built_project / "outputs" / "2025-09-22" / "briefing.html").read_text(encoding="utf-8"))
    assert CONFIDENTIAL in visible


def test_title_is_the_briefings(built_project):
    for date in DATES:
        text = (built_project / "outputs" / date / "briefing.html").read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        assert title and title.group(1).strip(), f"{date}: no <title>"
        d, m = int(date[8:]), int(date[5:7])
        assert f"{d}/{m}/{date[:4]}" in html_lib.unescape(title.group(1)), f"{date}: title {title.group(1)!r} without the date"


# --------------------------------------------------------------------------- 4. committed notebooks


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_committed_notebooks_have_no_outputs(notebook):
    nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{notebook}.ipynb: cell {i} has outputs"
            assert cell.execution_count is None, f"{notebook}.ipynb: cell {i} has execution_count {cell.execution_count}"
        assert "papermill" not in cell.metadata, f"{notebook}.ipynb: cell {i} carries papermill metadata"
        assert "execution" not in cell.metadata, f"{notebook}.ipynb: cell {i} carries execution timing"
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{notebook}.ipynb: cells tagged 'parameters': {tagged}"
    assert nb.cells[tagged[0]].cell_type == "code"
    assert "papermill" not in nb.metadata, f"{notebook}.ipynb is an executed copy (metadata.papermill)"


# --------------------------------------------------------------------------- 5. in a browser


class _Chromium:
    """Debian's Chromium through Playwright, started on first use inside a test (so a
    missing browser FAILS that test with a message rather than erroring or skipping)."""

    def __init__(self) -> None:
        self._playwright = None
        self.browser = None

    def get(self):
        if self.browser is None:
            if not (CHROMIUM.is_file() and shutil.which(str(CHROMIUM))):
                pytest.fail(
                    f"{CHROMIUM} not found: the browser test needs Debian's chromium "
                    "(`apt-get install -y chromium`; .ci/run installs it before `make test`)",
                    pytrace=False,
                )
            try:
                from playwright.sync_api import sync_playwright
            except ImportError as exc:  # pragma: no cover - pinned in the test extra
                pytest.fail(f"playwright is not installed ({exc}); run `make .venv/.installed`", pytrace=False)
            self._playwright = sync_playwright().start()
            # Never Playwright's own browser builds: Debian's binary only.
            self.browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        return self.browser

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
        if self._playwright is not None:
            self._playwright.stop()


@pytest.fixture(scope="module")
def chromium():
    session = _Chromium()
    yield session
    session.close()


def open_offline(browser, path: Path, screenshot: Path | None = None) -> dict:
    """Open ``path`` from file:// with every non-file/non-data request aborted and recorded."""
    url = path.resolve().as_uri()
    context = browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=1, service_workers="block", locale="vi-VN")
    seen = {"requests": [], "failed": [], "blocked": [], "page_errors": [], "console_errors": []}

    def route(r):
        request_url = r.request.url
        if request_url.startswith(("file:", "data:")):
            r.continue_()
        else:
            seen["blocked"].append(request_url)
            r.abort("blockedbyclient")

    try:
        context.route("**/*", route)
        context.on("request", lambda req: seen["requests"].append(req.url))
        context.on("requestfailed", lambda req: seen["failed"].append(f"{req.url[:120]} ({req.failure})"))
        page = context.new_page()
        page.on("pageerror", lambda exc: seen["page_errors"].append(str(exc)))
        page.on("console", lambda msg: seen["console_errors"].append(msg.text) if msg.type == "error" else None)
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=30_000)
        seen["url"] = url
        seen["broken_images"] = page.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => (i.alt || '') + ' ' + i.src.slice(0, 60))"
        )
        # figures are images or inline SVG charts (helpers.report.plots)
        seen["images"] = page.evaluate("document.images.length + document.querySelectorAll('figure svg').length")
        seen["overflow_px"] = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        seen["lang"] = page.evaluate("document.documentElement.lang")
        seen["body_text"] = page.evaluate("document.body.innerText.length")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True, animations="disabled", timeout=120_000)
    finally:
        context.close()
    return seen


@pytest.mark.browser
def test_the_network_probe_sees_remote_requests(chromium, tmp_path):
    """The probe itself: a page that loads from the network is caught (and nothing leaves)."""
    page = tmp_path / "remote.html"
    page.write_text(
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="http://example.invalid/a.css"></head><body>'
        '<img src="https://example.invalid/b.png" alt="b">'
        '<div style="width:10px;height:10px;background:url(https://example.invalid/c.png)"></div>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="d"></body></html>',
        encoding="utf-8",
    )
    seen = open_offline(chromium.get(), page)
    assert {"http://example.invalid/a.css", "https://example.invalid/b.png"} <= set(seen["blocked"]), seen
    assert seen["failed"], seen


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
@pytest.mark.parametrize("date", DATES)
def test_briefing_opens_offline_in_chromium(chromium, built_project, date, notebook):
    path = built_project / "outputs" / date / f"{notebook}.html"
    shot = SCREENSHOTS / (f"{date}.png" if notebook == "briefing" else f"{date}_{notebook}.png")
    seen = open_offline(chromium.get(), path, screenshot=shot)
    assert not seen["failed"], f"{date}/{notebook}: failed requests {seen['failed'][:5]}"
    assert not seen["blocked"], f"{date}/{notebook}: requests to the network {seen['blocked'][:5]}"
    outside = [u for u in seen["requests"] if not u.startswith(("file:", "data:"))]
    assert not outside, f"{date}/{notebook}: non-file requests {outside[:5]}"
    # self-contained: the only file it loads is itself
    other_files = [u for u in seen["requests"] if u.startswith("file:") and u != seen["url"]]
    assert not other_files, f"{date}/{notebook}: loads other files {other_files[:5]}"
    assert not seen["page_errors"] and not seen["console_errors"], (seen["page_errors"], seen["console_errors"])
    assert not seen["broken_images"], f"{date}/{notebook}: images that do not render {seen['broken_images']}"
    if notebook == "briefing":
        assert seen["images"] >= 1, f"{date}: the briefing has no figure"
    assert seen["lang"] == "vi"
    assert seen["body_text"] > 500, f"{date}/{notebook}: almost no text ({seen['body_text']} characters)"
    assert seen["overflow_px"] <= 0, f"{date}/{notebook}: the page is {seen['overflow_px']}px wider than the window"
    assert shot.is_file(), f"no screenshot at {shot}"
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{shot} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    assert width == 1200 and height > 900, f"{shot}: {width}x{height}, not a full page"
