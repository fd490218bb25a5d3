"""Applicant-ready decision reports of a licence-request evaluation: one self-contained HTML file
and a multi-page PDF, with the request, the decision and its rule, the victims and interferers,
a map (terrain, stations, the candidate's interference contour), path profiles of the worst cases
with the first Fresnel zone, the models and their versions, the time percentages, and the register
state (audit head) the decision was taken on.

    >>> from spectrum.report import write_reports, register_state
    >>> state = register_state(reg)                    # before evaluating
    >>> ev = evaluate_request(reg, request, dem=dem)
    >>> write_reports(ev, html="report.html", pdf="report.pdf", dem=dem, register=reg, register_state=state)

The report works from the evaluation's public form (``Evaluation.to_dict()``; see
:mod:`spectrum.report.content`), so fields an evaluation lacks are left out and fields the report
does not know are shown generically. Figures are drawn with matplotlib (Agg), no network needed.
Files are written through :mod:`spectrum.io` (temporary file, then renamed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .content import ReportData, gather

__all__ = ["Report", "build_report", "write_html", "write_pdf", "write_reports", "register_state", "gather",
           "ReportData"]


def register_state(reg) -> dict:
    """The register's state to quote in a report: the audit log's head (id, time, hash of the last
    row of the hash chain), the number of audit rows and licences by status, and where it is.

    Take it *before* evaluating with ``store=True`` (storing adds an audit row)."""
    state: dict[str, Any] = {}
    url = getattr(getattr(reg, "backend", None), "url", None)
    if url is not None:
        state["register"] = str(url)
    try:
        last = reg.audit(limit=1)
    except Exception:  # noqa: BLE001 - a register without audit support: say so
        last = []
    if last:
        row = last[-1]
        state.update({"audit_head_id": row.get("id"), "audit_head_utc": row.get("at_utc"),
                      "audit_head_hash": row.get("hash")})
    else:
        state["audit_head_id"] = None
    try:
        c = reg.counts()
        state["audit_rows"] = c.get("audit")
        state["licences_by_status"] = c.get("by_status")
        state["stations"] = c.get("station")
        state["assignments"] = c.get("assignment")
    except Exception:  # noqa: BLE001
        pass
    try:
        state["schema_version"] = reg.schema_version
    except Exception:  # noqa: BLE001
        pass
    return state


@dataclass
class Report:
    """A built report: its content, figures and notes; render with :meth:`html` / :meth:`write_pdf`."""

    data: ReportData
    map_fig: Any = None
    profile_figs: list = field(default_factory=list)
    contour: Any = None
    notes: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    @property
    def contour_label(self) -> str | None:
        return None if self.contour is None else self.contour.label

    def html(self) -> str:
        from .figures import png_bytes
        from .html import render_html

        return render_html(self.data, map_png=None if self.map_fig is None else png_bytes(self.map_fig),
                           profile_pngs=[png_bytes(f, dpi=90) for f in self.profile_figs],
                           contour_label=self.contour_label, notes=self.notes, provenance=self.provenance)

    def write_html(self, path) -> Path:
        from ..io import write_text

        return Path(write_text(path, self.html()))

    def write_pdf(self, path) -> Path:
        from ..io import atomic_path
        from .pdf import render_pdf

        with atomic_path(path, suffix=".pdf") as tmp:
            render_pdf(tmp, self.data, map_fig=self.map_fig, profile_figs=self.profile_figs,
                       contour_label=self.contour_label, notes=self.notes, provenance=self.provenance)
        return Path(path)


def build_report(ev, *, dem=None, register=None, register_state: Mapping[str, Any] | None = None,
                 contour: bool | Any = True, n_profiles: int = 2, max_rows: int = 40) -> Report:
    """Gather a report's content and draw its figures.

    Parameters
    ----------
    ev : Evaluation or dict
        The evaluation (or ``to_dict()``, or a stored evaluation ``Register.evaluation(id)``).
    dem : xarray.DataArray, optional
        Terrain for the map, the profiles and the contour; without it the map has no terrain and
        there are no profiles or contour (the report says so).
    register : Register, optional
        Resolves the candidate's antenna pattern by name and the registered stations' antenna
        heights for the profiles (10 m is assumed, and said, without it).
    register_state : mapping, optional
        From :func:`register_state`, taken before the evaluation; else what the evaluation records.
    contour : bool or figures.Contour
        Compute the candidate's interference contour (True), skip it (False), or use this one.
    n_profiles : int
        Worst victims and strongest interferers profiled (each).
    max_rows : int
        Rows of the victims / interferers tables (the rest are in the JSON export).
    """
    import matplotlib

    # names and reasons are user text: a "$" must print as a dollar sign, never start mathtext
    with matplotlib.rc_context({"text.parse_math": False}):
        return _build(ev, dem, register, register_state, contour, n_profiles, max_rows)


def _build(ev, dem, register, register_state, contour, n_profiles, max_rows) -> Report:
    from .. import __version__
    from . import figures

    data = gather(ev, register_state=register_state, max_rows=max_rows)
    notes = []
    cont = None
    if contour is True:
        if dem is None:
            notes.append("No terrain given: no interference contour and no path profiles.")
        else:
            try:
                cont = figures.interference_contour(data, dem, register=register)
            except (ValueError, KeyError, TypeError) as exc:  # an optional figure never stops the report
                notes.append(f"Interference contour not drawn: {exc}")
            if cont is None and not notes:
                notes.append("Interference contour not drawn: no candidate transmitter or no I/N threshold.")
    elif contour not in (False, None):
        cont = contour
    cases = figures.profile_cases(data, dem, register=register, n_victims=n_profiles, n_interferers=n_profiles)
    for c in cases:
        if c.note:
            notes.append(f"{c.title}: {c.note}")
    map_fig = figures.map_figure(data, dem, None if cont is None else cont.map,
                                 None if cont is None else cont.level_dbw, None if cont is None else cont.label)
    dem_src = None if dem is None else str(getattr(dem, "attrs", {}).get("source", "DEM"))
    prov = {"software": f"spectrum {__version__}"}
    if data.created_utc:
        prov["evaluated_utc"] = data.created_utc
    head = data.register.rows and dict((r[0], r[1]) for r in data.register.rows).get("audit_head_hash")
    if head and head != "–":
        prov["audit_head"] = head[:16]
    if dem_src:
        notes.append(f"Terrain for the map and profiles: {dem_src}")
    return Report(data=data, map_fig=map_fig, profile_figs=figures.profiles_figure(cases), contour=cont, notes=notes,
                  provenance=prov)


def write_html(ev, path, **kw) -> Path:
    """Build (:func:`build_report`) and write the self-contained HTML report."""
    return build_report(ev, **kw).write_html(path)


def write_pdf(ev, path, **kw) -> Path:
    """Build (:func:`build_report`) and write the PDF report."""
    return build_report(ev, **kw).write_pdf(path)


def write_reports(ev, *, html=None, pdf=None, **kw) -> list[Path]:
    """Build the report once and write it as HTML and/or PDF; the paths written."""
    if not html and not pdf:
        return []
    rep = build_report(ev, **kw)
    out = []
    if html:
        out.append(rep.write_html(html))
    if pdf:
        out.append(rep.write_pdf(pdf))
    return out
