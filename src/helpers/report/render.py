"""HTML of the briefings, from the Jinja2 templates in ``report/templates/fragments``.

Report text (province obstacles, task titles) is untrusted. The templates' environment
escapes every value it prints unless the value is already :class:`Html` (a rendered
fragment, a footnote marker), so ``<script>`` in a report shows as text and no caller
has to remember to escape. Plain text and fragments mix with :func:`inline`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from helpers.report.formats import fmt_int, fmt_num, fmt_pct

TEMPLATES = "fragments"


def esc(value: Any) -> str:
    """The one escape of the briefings (``&quot;`` and ``&#x27;`` for quotes, as the published pages have them)."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Html:
    """An HTML fragment that Jupyter displays as HTML (and nbconvert keeps)."""

    body: str

    def __html__(self) -> str:  # Jinja prints it as it is
        return self.body

    def _repr_html_(self) -> str:
        # Adjacent footnote markers ("¹²") read as one number: separate them with a comma.
        return self.body.replace('</sup><sup class="fn">', '</sup><sup class="fn sep">')

    def __repr__(self) -> str:  # the notebook's text/plain copy stays short; HTML is what shows
        return f"<Html: {len(self.body):,} characters>"

    def __add__(self, other: "Html | str") -> "Html":
        return inline(self, other)

    def __bool__(self) -> bool:
        return bool(self.body)

    def __str__(self) -> str:
        return self.body


EMPTY = Html("")


def _escaped(value: Any) -> Html:
    # Jinja calls this on every printed value: fragments pass, everything else is
    # escaped here (markupsafe's own escape writes quotes as &#34;/&#39;, which would
    # change every published page that quotes a report).
    return value if hasattr(value, "__html__") else Html(esc(value))


def _environment():
    from importlib.resources import files

    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("helpers.report") / "templates" / TEMPLATES)),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # package files: no stat of each template on each use
    )
    env.globals["zip"] = zip
    # Compiled here, once per process: warm kernels fork from a process that imported
    # this module, so they render without compiling (~0.2 s a kernel otherwise).
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
    return env


ENVIRONMENT = _environment()


def render(template: str, **context: Any) -> Html:
    """``templates/fragments/<template>.html.j2`` with ``context``."""
    return Html(ENVIRONMENT.get_template(f"{template}.html.j2").render(**context))


def inline(*pieces: Html | str | None) -> Html:
    """Text and fragments in a row: text is escaped, fragments kept."""
    return Html("".join(_escaped(p).__html__() for p in pieces if p is not None))


def join(parts: Iterable[Html]) -> Html:
    return inline(*parts)


def heading(level: int, text: str) -> Html:
    return render("heading", level=level, text=text)


def para(*pieces: Html | str, cls: str = "") -> Html:
    """A paragraph of text (escaped) and fragments (footnote markers ...)."""
    return render("paragraph", content=inline(*pieces), cls=cls)


def absent(reason: str) -> Html:
    """The one line that replaces a section a date has no data for."""
    return para(reason, cls="absent")


def bullet_list(items: Sequence[Html | str], cls: str = "") -> Html:
    return render("list", items=items, cls=cls)


Formatter = Callable[[Any], str]


def f_int(value: Any) -> str:
    return fmt_int(value)


def f_pct(value: Any) -> str:
    return fmt_pct(value)


def f_pct1(value: Any) -> str:
    return fmt_pct(value, 1)


def f_num2(value: Any) -> str:
    return fmt_num(value, 2)


def f_auto(value: Any) -> str:
    """Whole numbers as counts (18.072.849), others with two decimals (84,94)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return f_text(value)
    if number != number:  # NaN
        return "—"
    return fmt_int(int(number)) if number.is_integer() else fmt_num(number, 2)


def f_text(value: Any) -> str:
    return "" if value is None else str(value)


def table(
    frame,
    columns: Sequence[tuple[str, str, Formatter]],
    caption: str = "",
    cite: Html = EMPTY,
    numeric: Sequence[str] = (),
    cls: str = "data",
    row_class: Callable[[Any], str] | None = None,
) -> Html:
    """A table: ``columns`` = (column, header, formatter); ``cite`` is a footnote marker after the caption.
    A province's name (:data:`helpers.report.links.NAME_COLUMNS`, with its code in the frame)
    links to the province's page."""
    from helpers.report.links import NAME_COLUMNS, province_link

    def cell(record: dict, col: str, fmt: Callable[[Any], str]) -> Html | str:
        code = record.get(NAME_COLUMNS.get(col, ""))
        if code is not None and code == code:  # a province's name (the code is not NaN)
            return Html(province_link(int(code), fmt(record[col])))
        return fmt(record[col])

    heads = [{"header": header, "numeric": col in numeric} for col, header, _ in columns]
    rows = [
        {"cls": row_class(record) if row_class else "", "cells": [cell(record, col, fmt) for col, _, fmt in columns]}
        for record in frame.to_dict("records")
    ]
    return render("table", columns=heads, rows=rows, caption=caption, cite=cite, cls=cls)


def heat_table(
    values,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    caption: str = "",
    cite: Html = EMPTY,
    vmin: float = 0.0,
    vmax: float = 100.0,
    cmap: str = "cividis",
    fmt: Formatter = lambda v: "100" if v == 100 else fmt_num(v, 1),
    legend: str = "",
    note: str = "",
    row_classes: Sequence[str] = (),
    flagged_rows: Sequence[bool] = (),
    source: str = "",
    csv=None,
) -> Html:
    """A heat map as a table: each cell coloured by its value (matplotlib's ``cmap``
    over ``vmin``..``vmax``), its number printed on it in black or white, whichever
    contrasts more (WCAG AA), column headings set vertically, and a colour scale.

    A table rather than an image: the numbers stay text (searchable, copyable, sharp
    when printed, read by screen readers), and it costs a few milliseconds instead of
    the ~0.7 s matplotlib spent laying out and drawing 500 small labels for each
    briefing. ``values`` is a 2-D array (rows x columns); NaN shows as an empty cell.
    ``row_classes`` gives rows a class ('collapsed': a row that stands for several
    provinces), ``note`` is a line under the map (which provinces that row stands for);
    ``flagged_rows`` marks rows whose province is in the flagged group (its name in the
    charts' flagged colour); ``source`` and ``csv`` (a DataFrame, downloaded through a
    data: URI) are the source line and the data link every chart has.
    """
    from helpers.report.plots.svg import FLAG, csv_data_uri
    from helpers.report.wording import CHART_DOWNLOAD_VI, CHART_SOURCE_VI

    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize, to_hex

    data = np.asarray(values, dtype=float)
    colormap, norm = colormaps[cmap], Normalize(vmin=vmin, vmax=vmax)
    rgba = colormap(norm(np.nan_to_num(data, nan=vmin)))
    linear = np.where(rgba[..., :3] <= 0.03928, rgba[..., :3] / 12.92, ((rgba[..., :3] + 0.055) / 1.055) ** 2.4)
    # black or white, whichever contrasts more with the cell (WCAG): they tie at luminance
    # 0.179, where each still has 4.58:1, so every number passes AA (4.5:1)
    dark_text = (linear @ np.array([0.2126, 0.7152, 0.0722])) > 0.179
    rows = [
        {
            "label": name,
            "flagged": bool(flagged_rows[i]) if i < len(flagged_rows) else False,
            "cls": row_classes[i] if i < len(row_classes) else "",
            "cells": [
                None
                if data[i, j] != data[i, j]  # NaN
                else {"background": to_hex(rgba[i, j]), "color": "#000" if dark_text[i, j] else "#fff", "text": fmt(data[i, j])}
                for j in range(data.shape[1])
            ],
        }
        for i, name in enumerate(row_labels)
    ]
    return render(
        "heat_table",
        rows=rows,
        column_labels=column_labels,
        caption=caption,
        cite=cite,
        vmin=fmt_num(vmin, 0),
        vmax=fmt_num(vmax, 0),
        stops=", ".join(to_hex(colormap(x)) for x in np.linspace(0, 1, 11)),
        legend=legend,
        note=note,
        flag_colour=FLAG,
        source=source,
        source_label=CHART_SOURCE_VI,
        csv_uri=csv_data_uri(csv) if csv is not None else "",
        download_label=CHART_DOWNLOAD_VI,
    )


def kpis(items: Sequence[tuple[str, str, Html]]) -> Html:
    """Headline figures: (label, value, footnote marker)."""
    return render("kpis", items=[{"label": label, "value": value, "cite": cite} for label, value, cite in items])


def figure(chart, alt: str, caption: str = "", cite: Html = EMPTY, source: str = "") -> Html:
    """A chart of :mod:`helpers.report.plots` (a :class:`~helpers.report.plots.svg.Chart`) as
    inline SVG, with its finding as title, its legend, ``caption`` (how to read it),
    ``source`` with the footnote marker ``cite``, and a link that downloads the chart's
    data as CSV from a ``data:`` URI (the page stays one self-contained file)."""
    from helpers.report.plots.svg import swatch
    from helpers.report.wording import CHART_DOWNLOAD_VI, CHART_SOURCE_VI

    return render(
        "figure",
        alt=alt,
        title=chart.title,
        svg=Html(chart.svg),
        legend=[{"swatch": Html(swatch(item)), "label": item.label} for item in chart.legend],
        caption=caption,
        source=source,
        source_label=CHART_SOURCE_VI,
        cite=cite,
        csv_name=chart.csv_name,
        csv_uri=chart.csv_uri(),
        download_label=CHART_DOWNLOAD_VI,
        tall=chart.tall,
        ranking=chart.ranking,
    )
