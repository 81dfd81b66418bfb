"""Leadership pages (index, briefings, province pages) in Vietnamese only, readable on a
390 px phone without sideways scrolling, and WCAG 2.1 AA colour contrast (axe-core)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from test_province_pages import parse

ROOT = Path(__file__).resolve().parent.parent
INGEST = ROOT / "src" / "helpers" / "ingest"
# axe-core: npm's (package.json; `npm ci`, which .ci/run runs where npm exists), else the copy
# the test extra axe-playwright-python ships (pip only: the CI machine may have no npm).
AXE_NPM = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _axe_script() -> Path | None:
    if AXE_NPM.is_file():
        return AXE_NPM
    try:
        import axe_playwright_python
    except ImportError:
        return None
    bundled = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    return bundled if bundled.is_file() else None
DATES = ("2025-06-27", "2025-06-30", "2025-09-22")


def check_ids_in_code(root: Path = INGEST) -> dict[str, str]:
    """Every data-quality check id the ingest code can record -> the file it is in.

    Found in the code, not in the data: the second argument of ``Finding(...)`` or of a
    local ``finding(...)`` helper, ``check=`` keywords, ``{"check": ...}`` dicts, string
    constants assigned to a variable named ``check``, the ``check`` element of the tuples
    a ``for ..., check, ... in (...)`` loop walks, and the ``check`` argument of ``expect(...)``."""
    ids: dict[str, str] = {}

    def add(node: ast.AST, path: Path) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                ids.setdefault(sub.value, path.name)

    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name.lower().lstrip("_") == "finding" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                    add(node.args[1], path)
                if name == "expect" and len(node.args) >= 4 and isinstance(node.args[3], ast.Constant):
                    add(node.args[3], path)
                for kw in node.keywords:
                    if kw.arg == "check" and isinstance(kw.value, ast.Constant):
                        add(kw.value, path)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "check" and isinstance(value, ast.Constant):
                        add(value, path)
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "check" for t in node.targets):
                add(node.value, path)
            elif isinstance(node, ast.For) and isinstance(node.target, ast.Tuple) and isinstance(node.iter, (ast.Tuple, ast.List)):
                names = [getattr(e, "id", None) for e in node.target.elts]
                if "check" in names:
                    k = names.index("check")
                    for item in node.iter.elts:
                        if isinstance(item, ast.Tuple) and len(item.elts) > k:
                            add(item.elts[k], path)
    return ids


def test_every_check_id_in_the_code_has_a_vietnamese_label():
    from helpers.report.wording import CHECK_LABELS_VI

    ids = check_ids_in_code()
    assert len(ids) > 50  # the collector finds the checks (it would pass vacuously otherwise)
    missing = {i: f for i, f in ids.items() if i not in CHECK_LABELS_VI}
    assert not missing, f"check ids without a Vietnamese label (helpers.report.wording): {missing}"
    for check, label in CHECK_LABELS_VI.items():
        assert re.search(r"[^\x00-\x7f]", label) and "_" not in label, f"{check}: {label!r} is not Vietnamese"


def test_the_collector_sees_ids_behind_variables(tmp_path):
    (tmp_path / "m.py").write_text(
        "check = 'a_if' if x else 'b_else'\n"
        "for n, check in (('x', 'in_loop'),):\n    pass\n"
        "Finding(src, 'direct', 'warning', d)\nexpect('fig', 1, src, 'via_expect', 'w')\nrow = {'check': 'in_dict'}\n",
        encoding="utf-8",
    )
    assert {"a_if", "b_else", "in_loop", "direct", "via_expect", "in_dict"} <= set(check_ids_in_code(tmp_path))


def leadership_pages(root: Path) -> list[Path]:
    out = root / "outputs"
    return [out / "index.html", *sorted(out.glob("*/briefing.html")), *sorted(out.glob("*/provinces/*.html"))]


def leak_pattern() -> re.Pattern:
    ids = "|".join(sorted(map(re.escape, check_ids_in_code()), key=len, reverse=True))
    return re.compile(
        r"\.txt\b|\.csv\b|\.ipynb\b|data/|outputs/|notebook|papermill|jupyter|\bNone\b|\bnan\b|sát nhập|Tỉ lệ|"
        r"(?<![\w/−+])-\d|(?-i:\b(?:" + ids + r")\b)",
        re.IGNORECASE,
    )


QUOTE = re.compile(r'<q class="source">.*?</q>', re.S)


def own_text(page: Path) -> str:
    """The page's visible text but the reports' words quoted as printed (the claims ledger's
    ``<q class="source">``: a quote keeps the source's spelling, e.g. 'tỉ lệ')."""
    from test_briefings import _parse

    return " ".join(_parse(QUOTE.sub("", page.read_text(encoding="utf-8"))).text)


@pytest.mark.slow
def test_leadership_pages_carry_no_internals_and_no_english(built_project):
    pattern = leak_pattern()
    pages = leadership_pages(built_project)
    assert len(pages) >= 1 + 3 + 3 * 34
    for page in pages:
        text = own_text(page)
        found = sorted({m.group(0) for m in pattern.finditer(text)})
        assert not found, f"{page.relative_to(built_project)}: {found}"


@pytest.mark.slow
def test_dates_are_d_m_yyyy_on_the_index(built_project):
    text = " ".join(parse(built_project / "outputs" / "index.html").text)
    assert "22/9/2025" in text and "30/6/2025" in text and not re.search(r"\b0\d/\d{2}/\d{4}\b", text)


def _browser():
    from helpers.publish.pdf import CHROMIUM_ARGS, chromium_path

    if not chromium_path().is_file():
        pytest.skip(f"no Chromium at {chromium_path()}")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=str(chromium_path()), args=list(CHROMIUM_ARGS))


def _sample(root: Path) -> list[Path]:
    out = root / "outputs"
    pages = [out / "index.html"]
    for date in DATES:
        pages += [out / date / "briefing.html", out / date / "provinces" / "index.html", out / date / "provinces" / "04.html", out / date / "provinces" / "79.html"]
    return pages


@pytest.mark.slow
@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_390px_phone(built_project):
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for path in _sample(built_project):
            page.goto(path.as_uri())
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{path.relative_to(built_project)}: {width} px wide at 390 px"
    finally:
        browser.close()
        pw.stop()


@pytest.mark.slow
@pytest.mark.browser
def test_table_captions_and_stacked_rows_stay_on_a_390px_screen(built_project):
    """A wide table scrolls inside itself, but its caption wraps within the screen (it would
    otherwise run as wide as the table, cut at the edge); a stacked table's cells all lie
    inside the screen."""
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        stacked = 0
        for path in _sample(built_project):
            page.goto(path.as_uri())
            captions = page.evaluate("[...document.querySelectorAll('caption')].map(c => [c.textContent.slice(0, 40), c.getBoundingClientRect().right])")
            for text, right in captions:
                assert right <= 390, f"{path.relative_to(built_project)}: caption {text!r} ends at {right:.0f} px"
            cells = page.evaluate("[...document.querySelectorAll('table.stack td')].map(td => td.getBoundingClientRect().right)")
            stacked += len(cells)
            assert all(right <= 390 for right in cells), f"{path.relative_to(built_project)}: a stacked cell ends past 390 px"
        assert stacked, "no stacked table in the sample"
    finally:
        browser.close()
        pw.stop()


@pytest.mark.slow
@pytest.mark.browser
def test_a_province_pages_figures_are_in_view_on_a_390px_phone(built_project):
    """The figures table stacks on a phone: every value cell lies inside the 390 px screen
    (a table scrolling inside itself would hide the values behind the long labels)."""
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for date in DATES:
            for code in ("04", "79"):
                path = built_project / "outputs" / date / "provinces" / f"{code}.html"
                page.goto(path.as_uri())
                edges = page.evaluate(
                    "[...document.querySelectorAll('table.stack td.num')].map(td => td.getBoundingClientRect().right)"
                )
                if not edges:
                    continue  # a date without figures for this province
                assert max(edges) <= 390, f"{path.relative_to(built_project)}: a figure ends at {max(edges):.0f} px"
    finally:
        browser.close()
        pw.stop()


@pytest.mark.slow
@pytest.mark.browser
def test_colour_contrast_meets_wcag_aa(built_project):
    axe = _axe_script()
    if axe is None:
        pytest.skip("axe-core is not installed: run `npm ci` (package.json) or install the test extra (axe-playwright-python)")
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path in _sample(built_project):
            page.goto(path.as_uri())
            page.add_script_tag(path=str(axe))
            result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})")
            bad = [(n["target"], n["any"][0]["message"] if n["any"] else "") for v in result["violations"] for n in v["nodes"]]
            assert not bad, f"{path.relative_to(built_project)}: {len(bad)} contrast failures, e.g. {bad[:3]}"
    finally:
        browser.close()
        pw.stop()


# --- issue "Leadership edition": TP. Hồ Chí Minh; issue "Analytical fidelity": no statistics for leaders

BARE_HCM = re.compile(r"(?<!TP\. )Hồ Chí Minh")
# in a quotation the source's own spelling stays: an explicit city form, never the bare name
SOURCE_FORM_HCM = re.compile(r"(?:TP\.?|[Tt]hành phố)\s*Hồ Chí Minh")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.mark.slow
def test_ho_chi_minh_city_is_tp_on_every_leadership_page(built_project):
    pages = leadership_pages(built_project)
    seen = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        outside = QUOTE.sub("", html)  # the whole page (titles, tile hover texts), but quotations
        assert not BARE_HCM.search(outside), f"{page.relative_to(built_project)}: {BARE_HCM.findall(outside)[:3]}"
        for quote in QUOTE.findall(html):
            assert len(re.findall("Hồ Chí Minh", quote)) == len(SOURCE_FORM_HCM.findall(quote)), quote
        seen += outside.count("TP. Hồ Chí Minh")
    assert seen >= 4 * len(DATES)  # not vacuous: each date's tile map, page 79 (title, heading) and list
    for date in DATES:
        assert "<title>TP. Hồ Chí Minh: " in (built_project / "outputs" / date / "briefing.html").read_text(encoding="utf-8")  # tile map
        page = parse(built_project / "outputs" / date / "provinces" / "79.html")
        assert "TP. Hồ Chí Minh" in " ".join(page.text)


@pytest.mark.slow
def test_ho_chi_minh_city_is_tp_in_the_pdfs(built_project):
    pdfs = sorted((built_project / "outputs").glob("*/briefing.pdf"))
    assert len(pdfs) == len(DATES)
    for pdf in pdfs:
        text = _pdf_text(pdf)
        assert "TP. Hồ Chí Minh" in text, pdf
        for m in re.finditer("Hồ Chí Minh", text):
            before = text[: m.start()]
            if before.endswith("TP. "):
                continue
            # else a quotation (“…” on paper) in the source's explicit city form
            quoted = before.rfind("“") > before.rfind("”")
            explicit = re.search(r"(?:TP\.?|[Tt]hành phố)\s*$", before)
            assert quoted and explicit, (pdf.name, text[max(0, m.start() - 60) : m.end()])


@pytest.mark.slow
def test_leadership_html_has_no_r2_rho_or_p_and_the_analyst_cells_have_them(built_project):
    import json

    for date in DATES:
        text = " ".join(parse(built_project / "outputs" / date / "briefing.html").text)
        found = re.findall(r"R²|ρ|\bp\s*=", text)
        assert not found, (date, found)
    text = " ".join(parse(built_project / "outputs" / "2025-09-22" / "briefing.html").text)
    assert "liên hệ" in text  # the link is worded instead
    cells = json.loads((built_project / "outputs" / "2025-09-22" / "briefing.ipynb").read_text(encoding="utf-8"))["cells"]
    analyst = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in cells
        if "analyst" in c.get("metadata", {}).get("tags", [])
        for o in c.get("outputs", [])
    )
    for figure in ("R² of the OLS fit", "Spearman ρ", "p (two-sided, ρ = 0)", "ρ bootstrap 95% interval, low"):
        assert figure in analyst, figure


def test_display_names_prefix_only_the_city_and_leave_matching_alone():
    from helpers.ingest.provinces import by_code, province_code, registry
    from helpers.report.names import display_full_name, display_name, display_text

    assert by_code(79).short_name == "Hồ Chí Minh" and by_code(79).name == "Thành phố Hồ Chí Minh"  # the registry's
    assert display_name(by_code(79).short_name) == "TP. Hồ Chí Minh"
    assert [display_name(p.short_name) for p in registry() if display_name(p.short_name) != p.short_name] == ["TP. Hồ Chí Minh"]
    assert display_name("Hà Nội") == "Hà Nội" and display_name("Huế") == "Huế"  # written bare in running text
    assert display_full_name("Thành phố Hồ Chí Minh") == "TP. Hồ Chí Minh"
    assert display_full_name("Thành phố Hà Nội") == "TP. Hà Nội" and display_full_name("Tỉnh Cao Bằng") == "Tỉnh Cao Bằng"
    # parsers still match every spelling, the display one included
    assert province_code("TP. Hồ Chí Minh") == province_code("Hồ Chí Minh") == 79
    # source text: the city's explicit forms become 'TP. Hồ Chí Minh'; a bare name may be the person's
    assert display_text("15 tỉnh (thành phố Hồ Chí Minh, Cần Thơ)") == "15 tỉnh (TP. Hồ Chí Minh, Cần Thơ)"
    assert display_text("01 tỉnh (TP Hồ Chí Minh); TP.HCM; TP. Hồ Chí Minh") == "01 tỉnh (TP. Hồ Chí Minh); TP. Hồ Chí Minh; TP. Hồ Chí Minh"
    assert display_text("theo tư tưởng Hồ Chí Minh") == "theo tư tưởng Hồ Chí Minh"
    assert display_text(3) == 3
