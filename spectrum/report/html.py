"""The decision report as one self-contained HTML file: inline CSS, figures inlined as base64 PNG,
no script, no external link -- it opens offline and can be mailed or filed as it is."""
from __future__ import annotations

import base64
from html import escape

from .content import DECISION_COLOURS, STATUS_COLOURS, ReportData, Table

CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:13px;color:#222;max-width:1100px;margin:24px auto;padding:0 16px}
h1{font-size:20px;margin-bottom:4px} h2{font-size:16px;border-bottom:1px solid #ccc;padding-bottom:3px;margin-top:26px}
h3{font-size:14px;margin:14px 0 6px}
.decision{display:inline-block;color:#fff;font-weight:bold;font-size:18px;padding:6px 14px;border-radius:4px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:12px}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0} td.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv td:first-child{background:#fafafa;font-weight:bold}
tr.harmful td{background:#fbdcdc} tr.marginal td{background:#fdebd3} tr.uncertain td{background:#eeeeee}
.note{color:#666;font-size:11px} img{max-width:100%;border:1px solid #ddd}
.grid{display:flex;flex-wrap:wrap;gap:16px} .grid>div{flex:1 1 330px}
footer{margin-top:30px;color:#777;font-size:11px;border-top:1px solid #ddd;padding-top:6px}
"""


def _is_num(s: str) -> bool:
    t = s.replace("−", "-").replace("+", "").replace(".", "", 1).replace("-", "", 1)
    return t.isdigit() or s in ("–", "∞", "−∞")


def table_html(t: Table | None, kv: bool = False) -> str:
    if t is None:
        return ""
    out = [f"<h3>{escape(t.title)}</h3>"] if t.title else []
    if not t.rows:
        out.append('<p class="note">(none)</p>')
        return "\n".join(out)
    out.append(f'<table class="{"kv" if kv else "rows"}">')
    if not kv:
        out.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in t.header) + "</tr>")
    for i, r in enumerate(t.rows):
        st = t.status[i] if i < len(t.status) else ""
        cls = f' class="{escape(st)}"' if st in STATUS_COLOURS else ""
        cells = "".join(f'<td class="num">{escape(c)}</td>' if (not kv and _is_num(c)) else f"<td>{escape(c)}</td>"
                        for c in r)
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</table>")
    if t.note:
        out.append(f'<p class="note">{escape(t.note)}</p>')
    return "\n".join(out)


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def render_html(data: ReportData, *, map_png: bytes | None = None, profile_pngs=(), contour_label: str | None = None,
                notes=(), provenance: dict | None = None) -> str:
    """The report as HTML text (see the module docstring)."""
    colour = DECISION_COLOURS.get(data.decision, "#555")
    p = []
    p.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{escape(data.title)}</title><style>{CSS}</style></head><body>")
    p.append(f"<h1>{escape(data.title)}</h1>")
    p.append(f'<p><span class="decision" style="background:{colour}">{escape(data.decision.upper())}</span></p>')
    p.append("<h2>Decision</h2><ul>" + "".join(f"<li>{escape(r)}</li>" for r in data.reasons) + "</ul>")
    p.append("<h3>Rule</h3><ul>" + "".join(f"<li>{escape(r)}</li>" for r in data.rule) + "</ul>")
    p.append('<div class="grid"><div>' + table_html(data.summary, kv=True) + table_html(data.time, kv=True)
             + "</div><div>" + table_html(data.models, kv=True) + table_html(data.register, kv=True) + "</div></div>")
    p.append("<h2>Request</h2><div class=\"grid\"><div>" + table_html(data.request_table, kv=True) + "</div><div>"
             + table_html(data.tx_table, kv=True) + table_html(data.rx_table, kv=True) + "</div></div>")
    if map_png:
        p.append("<h2>Map</h2>" + _img(map_png, "map: terrain, stations and the candidate's interference contour"))
        if contour_label:
            p.append(f'<p class="note">Shaded red: {escape(contour_label)}.</p>')
    p.append("<h2>Victims</h2>" + table_html(data.victims))
    if data.interferers is not None:
        p.append("<h2>Interferers</h2>" + table_html(data.interferers) + table_html(data.aggregate, kv=True))
    if profile_pngs:
        p.append("<h2>Path profiles of the worst cases</h2>")
        p.extend(_img(png, "path profile") for png in profile_pngs)
    if data.extras:
        p.append("<h2>Additional results</h2>" + "".join(
            table_html(t, kv=t.header == ["", ""]) for t in data.extras))
    p.append("<h2>Inputs</h2>" + table_html(data.inputs, kv=True))
    if notes:
        p.append("<ul class=\"note\">" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
    prov = provenance or {}
    p.append("<footer>" + escape(" · ".join(f"{k}: {v}" for k, v in prov.items())) + "</footer>")
    p.append("</body></html>\n")
    return "\n".join(p)
