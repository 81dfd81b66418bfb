"""The charts as the reader gets them: in every built briefing inline SVG (no PNG, no image
file), each with its source line and CSV link; on a 390 px phone no chart text below
11 px and no sideways scrolling, measured in Chromium."""

from __future__ import annotations

import re

import pytest

from test_leadership_pages import DATES, _browser

# The rendered size of each chart text: its font-size times the scale from the SVG's user
# units to CSS pixels (getScreenCTM includes every transform and the viewBox).
SIZES_JS = """() => [...document.querySelectorAll('figure.chart svg.chart-svg text')].map(t => {
    const m = t.getScreenCTM();
    return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
})"""


@pytest.mark.slow
@pytest.mark.parametrize("date", DATES)
def test_briefing_charts_are_inline_svg_with_source_and_csv(built_project, date):
    html = (built_project / "outputs" / date / "briefing.html").read_text(encoding="utf-8")
    assert "data:image/png" not in html and not re.search(r"<img[^>]+src=\"(?!data:)", html)
    figures = re.findall(r'<figure[^>]*class="chart[^"]*"[^>]*>.*?</figure>', html, flags=re.S)
    assert figures, "no chart in the briefing"
    for fig in figures:
        assert "<svg" in fig and "<img" not in fig
        assert "Nguồn: " in fig and 'href="data:text/csv;charset=utf-8;base64,' in fig and "Tải dữ liệu (CSV)" in fig


@pytest.mark.slow
@pytest.mark.browser
def test_chart_text_is_at_least_11px_on_a_390px_phone(built_project):
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for date in DATES:
            page.goto((built_project / "outputs" / date / "briefing.html").as_uri())
            sizes = page.evaluate(SIZES_JS)
            assert sizes, f"{date}: no chart text"
            small = [(t, round(s, 2)) for t, s in sizes if s < 11.0]
            assert not small, f"{date}: chart text under 11 px at 390 px: {small[:5]}"
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    finally:
        browser.close()
        pw.stop()
