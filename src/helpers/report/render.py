"""Small HTML renderers. Every piece of text from the data is escaped here.

Report text (province obstacles, task titles) is untrusted: it reaches the HTML
only through :func:`esc`, so ``<script>`` in a report shows as text.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from helpers.report.formats import fmt_int, fmt_num, fmt_pct


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Html:
    """An HTML fragment that Jupyter displays as HTML (and nbconvert keeps)."""

    body: str

    def _repr_html_(self) -> str:
        # Adjacent footnote markers ("¹²") read as one number: separate them with a comma.
        return self.body.replace('</sup><sup class="fn">', '</sup><sup class="fn sep">')

    def __repr__(self) -> str:  # the notebook's text/plain copy stays short; HTML is what shows
        return f"<Html: {len(self.body):,} characters>"

    def __add__(self, other: "Html") -> "Html":
        return Html(self.body + other.body)

    def __str__(self) -> str:
        return self.body


def join(parts: Iterable[Html | str]) -> Html:
    return Html("".join(p.body if isinstance(p, Html) else p for p in parts))


def para(text_html: str, cls: str = "") -> Html:
    cls_attr = f' class="{cls}"' if cls else ""
    return Html(f"<p{cls_attr}>{text_html}</p>")


def absent(reason: str) -> Html:
    """The one line that replaces a section a date has no data for."""
    return Html(f'<p class="absent">{esc(reason)}</p>')


def bullet_list(items: Sequence[str], cls: str = "") -> Html:
    """Items are HTML already (callers escape data inside them)."""
    cls_attr = f' class="{cls}"' if cls else ""
    return Html(f"<ul{cls_attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


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
    cite: str = "",
    numeric: Sequence[str] = (),
    cls: str = "data",
    row_class: Callable[[Any], str] | None = None,
) -> Html:
    """A table: ``columns`` = (column, header, formatter). Cells are escaped after formatting;
    a province's name (:data:`helpers.report.links.NAME_COLUMNS`) links to its page.

    ``cite`` is a footnote marker (HTML) appended to the caption.
    """
    head = "".join(f'<th class="{"num" if col in numeric else ""}">{esc(header)}</th>' for col, header, _ in columns)
    from helpers.report.links import NAME_COLUMNS, province_link

    def cell(record, col, fmt) -> str:
        code = record.get(NAME_COLUMNS.get(col, ""))
        if code is not None and code == code:  # a province's name: link to its page (not NaN)
            return province_link(int(code), fmt(record[col]))
        return esc(fmt(record[col]))

    rows = []
    for record in frame.to_dict("records"):
        cells = "".join(f'<td class="{"num" if col in numeric else ""}">{cell(record, col, fmt)}</td>' for col, _, fmt in columns)
        rc = row_class(record) if row_class else ""
        rows.append(f'<tr class="{rc}">{cells}</tr>' if rc else f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}{cite}</caption>" if caption or cite else ""
    return Html(f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def heat_table(
    values,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    caption: str = "",
    cite: str = "",
    vmin: float = 0.0,
    vmax: float = 100.0,
    cmap: str = "cividis",
    fmt: Formatter = lambda v: "100" if v == 100 else fmt_num(v, 1),
    legend: str = "",
) -> Html:
    """A heat map as a table: each cell coloured by its value (matplotlib's ``cmap``
    over ``vmin``..``vmax``), its number printed on it in black or white, whichever
    contrasts more (WCAG AA), column headings set vertically, and a colour scale.

    A table rather than an image: the numbers stay text (searchable, copyable, sharp
    when printed, read by screen readers), and it costs a few milliseconds instead of
    the ~0.7 s matplotlib spent laying out and drawing 500 small labels for each
    briefing. ``values`` is a 2-D array (rows x columns); NaN shows as an empty cell.
    """
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
    head = '<th class="row"></th>' + "".join(f'<th class="col"><span>{esc(label)}</span></th>' for label in column_labels)
    rows = []
    for i, name in enumerate(row_labels):
        cells = []
        for j in range(data.shape[1]):
            value = data[i, j]
            if value != value:  # NaN
                cells.append('<td class="v na"></td>')
                continue
            colour = "#000" if dark_text[i, j] else "#fff"
            cells.append(f'<td class="v" style="background:{to_hex(rgba[i, j])};color:{colour}">{esc(fmt(value))}</td>')
        rows.append(f'<tr><th class="row">{esc(name)}</th>{"".join(cells)}</tr>')
    cap = f"<caption>{esc(caption)}{cite}</caption>" if caption or cite else ""
    stops = ", ".join(to_hex(colormap(x)) for x in np.linspace(0, 1, 11))
    scale = (
        f'<div class="heat-scale"><span>{esc(fmt_num(vmin, 0))}</span><span class="bar" style="background:linear-gradient(to right, {stops})"></span>'
        f"<span>{esc(fmt_num(vmax, 0))}</span>{('<span>— ' + esc(legend) + '</span>') if legend else ''}</div>"
    )
    return Html(f'<div class="heat-wrap"><table class="heat">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{scale}</div>')


def kpis(items: Sequence[tuple[str, str, str]]) -> Html:
    """Headline figures: (label, value, footnote marker html)."""
    cards = "".join(
        f'<div class="kpi"><div class="kpi-value">{esc(value)}{cite}</div><div class="kpi-label">{esc(label)}</div></div>'
        for label, value, cite in items
    )
    return Html(f'<div class="kpis">{cards}</div>')


def figure(fig, alt: str, caption: str = "", cite: str = "") -> Html:
    """A matplotlib figure as an inline PNG (deterministic: no metadata timestamps).

    The figures lay themselves out (constrained layout keeps every label inside the
    figure), so the whole figure is saved: cropping it to its tight bounding box
    would lay out and measure every text once more (~0.2 s a figure)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches=None if fig.get_layout_engine() is not None else "tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{esc(caption)}{cite}</figcaption>" if caption or cite else ""
    return Html(f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}"/>{cap}</figure>')

