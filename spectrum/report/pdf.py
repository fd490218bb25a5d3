"""The decision report as a multi-page A4 PDF with matplotlib's ``PdfPages``.

Why matplotlib: it is already a dependency, installs from PyPI as a wheel on every platform,
needs no network, no system library and no browser, embeds its own DejaVu fonts (the report's
symbols ≥, −, µ, ∞ render everywhere), and draws the map and profiles natively as vector
graphics. reportlab or fpdf2 would give finer text flow, but add a dependency for tables that
matplotlib lays out well enough; HTML-to-PDF converters (WeasyPrint, wkhtmltopdf) need system
libraries or a browser.
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.patches import Rectangle

from .content import DECISION_COLOURS, STATUS_COLOURS, ReportData, Table

A4 = (8.27, 11.69)
A4_LANDSCAPE = (11.69, 8.27)
ROWS_PER_PAGE = 32


def _page(size=A4):
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100)
    return fig


class _Cursor:
    """Top-down text placement on a page in figure coordinates."""

    def __init__(self, fig, top: float = 0.95, left: float = 0.07):
        self.fig, self.y, self.left = fig, top, left
        self.h_in = fig.get_figheight()
        self.width = 0.86 if left >= 0.05 else 0.94

    def text(self, s: str, size: float = 9, weight: str = "normal", colour: str = "#222", width: int = 105,
             gap: float = 0.004, family: str = "DejaVu Sans", indent: float = 0.0) -> None:
        lines = textwrap.wrap(s, width=width) or [""]
        for ln in lines:
            self.fig.text(self.left + indent, self.y, ln, fontsize=size, weight=weight, color=colour, va="top",
                          family=family)
            self.y -= size / 72.0 / self.h_in * 1.35
        self.y -= gap

    def table(self, t: Table | None, kv: bool = False, col_widths=None, size: float = 7.0) -> None:
        if t is None:
            return
        if t.title:
            self.text(t.title, size=10, weight="bold")
        if not t.rows:
            self.text("(none)", size=8, colour="#666")
            return
        n = len(t.rows) + (0 if kv else 1)
        row_h = size / 72.0 / self.h_in * 1.9
        h = n * row_h
        cells = [[c if len(c) <= 60 else c[:57] + "…" for c in r] for r in t.rows]
        ax = self.fig.add_axes((self.left, self.y - h, self.width, h))
        ax.set_axis_off()
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(n, 0.0)
        if col_widths is None:
            w = [max([len(str(h)) for h in ([] if kv else [t.header[j]])] + [len(r[j]) for r in cells]) + 2
                 for j in range(len(cells[0]))]
            col_widths = [x / sum(w) for x in w]
        edges = np.concatenate([[0.0], np.cumsum(col_widths)])
        edges = edges / edges[-1]
        lines = [] if kv else [list(t.header)]
        lines += cells
        fills = {"harmful": "#fbdcdc", "marginal": "#fdebd3", "uncertain": "#eeeeee"}
        for i in range(n):
            row = i - (0 if kv else 1)
            colour = None
            if not kv and i == 0:
                colour = "#eeeeee"
            elif 0 <= row < len(t.status) and t.status[row] in fills:
                colour = fills[t.status[row]]
            if colour:
                ax.add_patch(Rectangle((0.0, i), 1.0, 1.0, facecolor=colour, edgecolor="none", zorder=0))
            if kv:
                ax.add_patch(Rectangle((0.0, i), edges[1], 1.0, facecolor="#f7f7f7", edgecolor="none", zorder=0))
            for j, text in enumerate(lines[i]):
                ax.text(edges[j] + 0.004, i + 0.5, text, fontsize=size, va="center", ha="left", clip_on=False,
                        weight="bold" if (not kv and i == 0) else "normal", zorder=2)
        ax.hlines(np.arange(n + 1), 0.0, 1.0, colors="#bbbbbb", linewidth=0.3, zorder=1)
        ax.vlines(edges, 0.0, n, colors="#bbbbbb", linewidth=0.3, zorder=1)
        self.y -= h + 0.012
        if t.note:
            self.text(t.note, size=7, colour="#666")

    def room(self) -> float:
        return self.y - 0.05


def _chunks(t: Table, n: int):
    for k in range(0, max(len(t.rows), 1), n):
        yield Table(title=t.title + (" (continued)" if k else ""), header=t.header, rows=t.rows[k:k + n],
                    status=t.status[k:k + n], note=t.note if k + n >= len(t.rows) else "")


def render_pdf(pdf_path, data: ReportData, **kw) -> None:
    """Write the report to ``pdf_path`` (a temporary path: :func:`spectrum.report.write_pdf` renames it).

    Mathtext is off (``text.parse_math``): a "$" in a station name or a reason prints as itself."""
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        _render_pdf(pdf_path, data, **kw)


def _render_pdf(pdf_path, data: ReportData, *, map_fig=None, profile_figs=(), contour_label: str | None = None,
                notes=(), provenance: dict | None = None) -> None:
    from matplotlib.backends.backend_pdf import PdfPages

    prov = provenance or {}
    meta = {"Title": data.title, "Author": "spectrum", "Subject": f"decision: {data.decision}",
            "Keywords": "; ".join(f"{k}={v}" for k, v in prov.items()), "Creator": "spectrum (matplotlib PdfPages)"}
    footer = " · ".join(f"{k}: {v}" for k, v in prov.items())
    pages = []

    # page 1: summary, decision, rule, time percentages, models, register state
    fig = _page()
    c = _Cursor(fig)
    c.text(data.title, size=15, weight="bold", gap=0.01)
    colour = DECISION_COLOURS.get(data.decision, "#555555")
    fig.text(c.left, c.y, f"  {data.decision.upper()}  ", fontsize=15, weight="bold", color="white", va="top",
             bbox={"facecolor": colour, "edgecolor": colour, "boxstyle": "round,pad=0.3"})
    c.y -= 0.045
    for r in data.reasons:
        c.text("• " + r, size=9)
    c.text("Rule", size=10, weight="bold")
    for r in data.rule:
        c.text("– " + r, size=8, colour="#333")
    c.table(data.summary, kv=True, col_widths=[0.35, 0.65])
    c.table(data.time, kv=True, col_widths=[0.35, 0.65])
    c.table(data.models, kv=True, col_widths=[0.35, 0.65])
    c.table(data.register, kv=True, col_widths=[0.35, 0.65])
    pages.append(fig)

    # page 2: the request
    fig = _page()
    c = _Cursor(fig)
    c.text("Request", size=13, weight="bold")
    for t in (data.request_table, data.tx_table, data.rx_table):
        c.table(t, kv=True, col_widths=[0.35, 0.65])
    pages.append(fig)

    if map_fig is not None:
        pages.append(map_fig)

    for t in [data.victims] + ([data.interferers] if data.interferers is not None else []):
        for part in _chunks(t, ROWS_PER_PAGE):
            fig = _page(A4_LANDSCAPE)
            c = _Cursor(fig, left=0.03)
            c.table(part, size=6.5)
            if t is data.interferers and part.note == t.note and data.aggregate is not None:
                c.table(data.aggregate, kv=True, col_widths=[0.35, 0.65])
            pages.append(fig)
    pages.extend(profile_figs)

    fig = _page()
    c = _Cursor(fig)
    for t in data.extras:
        if c.room() < 0.25:
            pages.append(fig)
            fig = _page()
            c = _Cursor(fig)
        c.table(t, kv=t.header == ["", ""], col_widths=[0.35, 0.65] if t.header == ["", ""] else None, size=6.5)
    if c.room() < 0.3:
        pages.append(fig)
        fig = _page()
        c = _Cursor(fig)
    c.table(data.inputs, kv=True, col_widths=[0.35, 0.65])
    for n in notes:
        c.text(n, size=7, colour="#555")
    pages.append(fig)

    import matplotlib

    # TrueType (Type 42) fonts: the text of the PDF can be searched, copied and read aloud
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(pdf_path, metadata=meta) as pdf:
        for k, f in enumerate(pages):
            f.text(0.5, 0.008, f"{footer}   page {k + 1}/{len(pages)}", fontsize=6, color="#777", ha="center",
                   va="bottom")
            pdf.savefig(f)
