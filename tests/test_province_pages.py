"""A page per province and reporting date: outputs/<date>/provinces/<code:02d>.html."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag

import pandas as pd
import pytest

from helpers.analysis.profiles import task_done_pct
from helpers.ingest.provinces import registry
from helpers.report import Briefing
from helpers.report.formats import signed
from helpers.report.province_page import render_page
from test_briefings import _parse

DATES = ("2025-06-27", "2025-06-30", "2025-09-22")
# What must never reach a leadership page: file names, paths, notebook talk, internal ids,
# English words of the tables (system, kind and flag ids), Python's empty values.
LEAKS = re.compile(
    r"\.txt\b|\.csv\b|\.ipynb\b|data/|outputs/|notebook|papermill|jupyter|\bNone\b|\bnan\b|"
    r"(?-i:\b(province|obstacle|proposal|tthc|document_management|online_meetings|reporting|ready_but_low|green_below_half|open_tasks)\b)",
    re.IGNORECASE,
)


@dataclass
class Page:
    hrefs: list[str]
    text: list[str]


def parse(path: Path) -> Page:
    """The page's link targets (href, src) and visible text (the briefing tests' parser)."""
    parsed = _parse(path.read_text(encoding="utf-8"))
    return Page([a.get("href") or a.get("src") for _, a in parsed.tags if a.get("href") or a.get("src")], parsed.text)


def assert_links_resolve(path: Path) -> None:
    for href in parse(path).hrefs:
        url, _ = urldefrag(href)
        if not url or href.startswith("#") or url.startswith("data:"):
            continue
        assert "://" not in url, f"{path}: external link {href}"
        assert (path.parent / url).resolve().is_file(), f"{path}: link {href} does not resolve"


def facts(ingested, date):
    return Briefing(date, {}, ingested).facts


def test_every_province_has_a_profile_with_ranks_among_the_34(ingested):
    codes = {p.code for p in registry()}
    for date in DATES:
        profiles = facts(ingested, date).profiles
        assert set(profiles) == codes
        for key in {f.key for p in profiles.values() for f in p.figures}:
            figures = [f for p in profiles.values() for f in p.figures if f.key == key]
            assert len(figures) == 34 and {f.of for f in figures} == {34}
            best = max(figures, key=lambda f: f.value)
            assert best.rank == 1 and min(f.rank for f in figures) == 1


def test_profiles_take_their_figures_from_the_date_facts(ingested):
    f = facts(ingested, "2025-09-22")
    green = f.coverage.by_province.set_index("province_code")["green_pct"]
    online = f.rates_all.set_index("province_code")["online_rate_pct"]
    for code, profile in f.profiles.items():
        assert profile.figure("green_pct").value == pytest.approx(green[code])
        assert profile.figure("online_rate_pct").value == pytest.approx(online[code])
    assert {c for c, p in f.profiles.items() if p.has_flag("ready_but_low")} == set(f.flagged["province_code"])
    assert f.profiles is f.profiles  # computed once per date


def test_change_is_since_the_previous_report_of_the_same_kind(ingested):
    # 30/6 is compared with 27/6 (both daily readiness); 22/9 (plan 02) has no earlier plan-02 report
    f = facts(ingested, "2025-06-30")
    now, before = task_done_pct(f), task_done_pct(f.on("2025-06-27"))
    for code, profile in f.profiles.items():
        figure = profile.figure("task_done_pct")
        assert figure.previous_date == "2025-06-27"
        assert figure.change == pytest.approx(now[code] - before[code])
    assert all(fig.change is None for p in facts(ingested, "2025-09-22").profiles.values() for fig in p.figures)


def test_flags_follow_the_briefing_rules(ingested):
    f = facts(ingested, "2025-09-22")
    status = f.today("commune_status").set_index("province_code")
    below_half = {c for c, p in f.profiles.items() if p.has_flag("green_below_half")}
    assert below_half == set(status.index[status["green_pct"] < 50])
    for code, profile in facts(ingested, "2025-06-27").profiles.items():
        opened = [fl for fl in profile.flags if fl.key == "open_tasks"]
        assert len(profile.open_tasks) == (opened[0].values["open"] if opened else 0)


def test_report_text_is_escaped(ingested):
    f = facts(ingested, "2025-09-22")
    profile = f.profiles[4]
    profile.obstacles.append(("obstacle", "<script>alert(1)</script>"))
    page = render_page(profile, f.short_names, f.full_names)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_signed_changes_use_plus_and_the_minus_sign():
    assert signed(3.24) == "+3,2 điểm %"
    assert signed(-1.04) == "\u22121,0 điểm %"
    assert signed(0.01) == "0 điểm %"


@pytest.mark.slow
def test_34_pages_per_date_linked_from_the_briefing_resolving_and_in_vietnamese(built_project):
    codes = sorted(p.code for p in registry())
    for date in DATES:
        folder = built_project / "outputs" / date
        pages = sorted((folder / "provinces").glob("[0-9]*.html"))
        assert [p.name for p in pages] == [f"{c:02d}.html" for c in codes]
        listing = folder / "provinces" / "index.html"
        assert {h for h in parse(listing).hrefs if h[0].isdigit()} == {p.name for p in pages}
        pages.append(listing)
        linked = {h for h in parse(folder / "briefing.html").hrefs if h.startswith("provinces/")}
        assert linked == {f"provinces/{c:02d}.html" for c in codes}, f"{date}: the briefing does not link every province page"
        for page in pages:
            assert_links_resolve(page)
            text = " ".join(parse(page).text)
            leak = LEAKS.search(text)
            assert leak is None, f"{page}: {leak.group(0)!r} on a leadership page"


def test_tables_link_province_names_to_their_pages():
    from helpers.report.render import f_pct, f_text, table

    frame = pd.DataFrame({"province_code": [4, 79], "name": ["Cao Bằng", "TP. <Hồ Chí Minh>"], "green_pct": [10.71, 100.0]})
    html = table(frame, [("name", "Tỉnh", f_text), ("green_pct", "% XANH", f_pct)]).body
    assert '<a class="prov" href="provinces/04.html">Cao Bằng</a>' in html
    assert '<a class="prov" href="provinces/79.html">TP. &lt;Hồ Chí Minh&gt;</a>' in html
    plain = table(frame.drop(columns="province_code"), [("name", "Tỉnh", f_text)]).body
    assert "<a " not in plain
