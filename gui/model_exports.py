"""The viewer model's exports: the last evaluation as a report, the path view, the filtered rows.

A mixin of :class:`spectrum.gui.model.ViewerModel`; every file goes through the atomic writer
of :mod:`spectrum.io` (nothing half-written, an input is never overwritten).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .workers import Task

REPORT_FORMATS = ("text", "json", "hdf5", "html", "pdf")


class ExportMixin:
    """``export_report``, ``export_report_task``, ``export_path``, ``export_rows`` of the viewer model."""

    def export_report(self, path, fmt: str | None = None) -> Path:
        """Write the last evaluation as text, JSON or HDF5 (from the file suffix unless ``fmt``)."""
        if self.evaluation is None:
            raise ValueError("no evaluation to export: run one first")
        p = Path(path)
        if fmt is None:
            suf = p.suffix.lower()
            fmt = {".txt": "text", ".json": "json", ".h5": "hdf5", ".hdf5": "hdf5", ".html": "html", ".htm": "html",
                   ".pdf": "pdf"}.get(suf)
            if fmt is None:
                raise ValueError(f"cannot tell the report format from {p.name!r}: use .txt, .json, .h5, .hdf5, "
                                 ".html or .pdf")
        if fmt not in REPORT_FORMATS:
            raise ValueError(f"fmt = {fmt!r} is not one of {', '.join(REPORT_FORMATS)}")
        from spectrum.io import write_text

        if fmt == "text":
            return Path(write_text(p, self.evaluation.report() + "\n"))
        if fmt == "json":
            return Path(write_text(p, self.evaluation.to_json() + "\n"))
        if fmt in ("html", "pdf"):  # the applicant-ready decision report (spectrum.report)
            from spectrum.report import write_reports

            return write_reports(self.evaluation, **{fmt: p}, dem=self.dem, register=self.register,
                                 register_state=getattr(self, "evaluation_register_state", None))[0]
        return Path(self.evaluation.to_hdf5(p))

    def export_report_task(self, path, fmt: str) -> Task:
        """Write the HTML or PDF decision report off the GUI thread (drawing the map, contour and
        profiles takes seconds); the task's ``finished`` signal carries the path written."""
        if self.evaluation is None:
            raise ValueError("no evaluation to export: run one first")
        if fmt not in ("html", "pdf"):
            raise ValueError(f"fmt = {fmt!r}: only the html and pdf reports are written in the background")
        from spectrum.report import write_reports

        kw = {fmt: Path(path), "dem": self.dem, "register": self.register,  # taken now, in the GUI thread
              "register_state": getattr(self, "evaluation_register_state", None)}
        ev = self.evaluation
        task = Task(lambda progress, cancelled: write_reports(ev, **kw)[0], name=f"{fmt} report")
        self._start(task)
        return task

    def export_path(self, path) -> Path:
        """Write the path view: ``.csv`` (profile with bulge, line of sight, R1) or ``.json`` (all of it)."""
        if self.path is None:
            raise ValueError("no path to export: pick one first")
        import json

        from spectrum.io import write_text

        pa = self.path
        p = Path(path)
        suf = p.suffix.lower()
        if suf == ".csv":
            lines = ["d_km,h_m,lat,lon,bulge_m,terrain_on_earth_m,los_m,fresnel_r1_m"]
            for row in zip(pa.d_km, pa.h_m, pa.lat, pa.lon, pa.bulge_m, pa.terrain_m, pa.los_m, pa.fresnel_m):
                lines.append("{:.6f},{:.3f},{:.7f},{:.7f},{:.3f},{:.3f},{:.3f},{:.3f}".format(*row))
            return Path(write_text(p, "\n".join(lines) + "\n"))
        if suf == ".json":
            doc = {"a": list(pa.a), "b": list(pa.b), "labels": list(pa.labels), "model": pa.model,
                   "f_mhz": pa.f_mhz, "p": pa.p, "htg_m": pa.htg_m, "hrg_m": pa.hrg_m, "pol": pa.pol,
                   "distance_km": pa.distance_km, "bearing_deg": pa.bearing_deg, "ae_km": pa.ae_km,
                   "clearance_r1": pa.clearance_r1 if np.isfinite(pa.clearance_r1) else None,
                   "free_space_db": pa.free_space_db, "error": pa.error,
                   "components": [{"key": k, "label": lbl, "value": v, "unit": u}
                                  for k, lbl, v, u in pa.components()],
                   "d_km": pa.d_km.tolist(), "h_m": pa.h_m.tolist(), "lat": pa.lat.tolist(), "lon": pa.lon.tolist()}
            return Path(write_text(p, json.dumps(doc, indent=1) + "\n"))
        raise ValueError(f"cannot tell the path export format from {p.name!r}: use .csv or .json")

    def export_rows(self, path) -> Path:
        """Write the filtered register rows (every ``AssignmentRow`` field) as CSV."""
        import csv
        import io

        from spectrum.io import write_text
        from spectrum.register import ASSIGNMENT_FIELDS

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(ASSIGNMENT_FIELDS)
        for r in self.rows:
            w.writerow(["" if getattr(r, k) is None else getattr(r, k) for k in ASSIGNMENT_FIELDS])
        return Path(write_text(Path(path), buf.getvalue()))
