"""Register queries: assignments by area, frequency band, service, status and role.

The backend's prefilter (an R-tree on SQLite) selects candidates; distances and band edges are
then checked exactly here, so queries never miss an adjacent channel or a station near the edge.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .backend import RegisterError
from .common import _FLOAT_FIELDS, _INT_FIELDS, _QUERY_SQL, _gc_paused
from .geometry import _lon_boxes, gc_distance_km, radius_boxes
from .models import ASSIGNMENT_FIELDS, STATUSES, AssignmentRow, _choice, _num, _svc


class QueryMixin:
    """:meth:`query`, :meth:`query_arrays` and :meth:`counts` of :class:`~spectrum.register.Register`."""

    def _filters(self, lat, lon, radius_km, bbox, f_min_mhz, f_max_mhz, service, status, role):
        boxes = None
        if (lat is None) != (lon is None) or ((lat is None) != (radius_km is None)):
            raise RegisterError("a radius query needs lat, lon and radius_km together")
        if lat is not None:
            lat = _num("lat", lat, -90.0, 90.0, "deg")
            lon = _num("lon", lon, -180.0, 360.0, "deg", hi_open=True)
            lon = lon - 360.0 if lon >= 180.0 else lon
            radius_km = _num("radius_km", radius_km, 0.0, 20040.0, "km")
            boxes = radius_boxes(lat, lon, radius_km)
        if bbox is not None:
            try:
                la0, la1, lo0, lo1 = (float(v) for v in bbox)
            except (TypeError, ValueError):
                raise RegisterError(f"bbox = {bbox!r} must be (lat_min, lat_max, lon_min, lon_max)") from None
            la0 = _num("bbox lat_min", la0, -90.0, 90.0, "deg")
            la1 = _num("bbox lat_max", la1, -90.0, 90.0, "deg")
            lo0 = _num("bbox lon_min", lo0, -180.0, 360.0, "deg")
            lo1 = _num("bbox lon_max", lo1, -180.0, 360.0, "deg")
            if la1 < la0:
                raise RegisterError(f"bbox lat_max = {la1:g} is below lat_min = {la0:g}")
            span = (lo1 - lo0) % 360.0 if lo1 != lo0 + 360.0 else 360.0
            bb = _lon_boxes(la0, la1, lo0, lo0 + span)
            if boxes is None:
                boxes = bb
            else:  # intersect: keep the radius boxes; the bbox is applied exactly afterwards
                pass
            bbox = (la0, la1, lo0, lo0 + span)
        fmin = _num("f_min_mhz", f_min_mhz, 0.0, None, "MHz", allow_none=True)
        fmax = _num("f_max_mhz", f_max_mhz, 0.0, None, "MHz", allow_none=True)
        if fmin is not None and fmax is not None and fmax < fmin:
            raise RegisterError(f"f_max_mhz = {fmax:g} is below f_min_mhz = {fmin:g}")
        circle = (lat, lon, radius_km) if lat is not None else None
        src, where, params = self.backend.prefilter_sql(boxes, fmin, fmax, circle=circle)
        cond = [where]
        if status is not None:
            sts = [status] if isinstance(status, str) else list(status)
            if not sts:
                raise RegisterError("status = () names no status: give one or more, or None for all")
            for s in sts:
                _choice("status", s, STATUSES)
            cond.append(f"l.status IN ({', '.join('?' * len(sts))})")
            params += sts
        if service is not None:
            svcs = [service] if isinstance(service, str) else list(service)
            if not svcs or not all(isinstance(v, str) for v in svcs):
                raise RegisterError(f"service = {service!r} must be a service name or a list of them")
            cond.append(f"l.service IN ({', '.join('?' * len(svcs))})")
            params += [_svc(s) for s in svcs]  # validated like status: an unknown service is an error
        if role is not None:
            cond.append("s.role = ?")
            params.append(_choice("role", role, ("tx", "rx")))
        sql = _QUERY_SQL.format(src=src, where=" AND ".join(cond))
        return sql, params, (lat, lon, radius_km), bbox, fmin, fmax

    _I_LAT, _I_LON, _I_F, _I_BW = (ASSIGNMENT_FIELDS.index(k) for k in ("lat", "lon", "f_mhz", "bw_khz"))

    def _select_rows(self, *filters) -> list[tuple]:
        """Rows (in ASSIGNMENT_FIELDS order) from the indexed prefilter, refined exactly."""
        sql, params, circle, bbox, fmin, fmax = self._filters(*filters)
        rows = self._x(sql, params).fetchall()
        if not rows:
            return rows
        lat = np.array([r[self._I_LAT] for r in rows], dtype=np.float64)
        lon = np.array([r[self._I_LON] for r in rows], dtype=np.float64)
        f = np.array([r[self._I_F] for r in rows], dtype=np.float64)
        half = np.array([r[self._I_BW] for r in rows], dtype=np.float64) / 2000.0
        keep = np.ones(len(rows), dtype=bool)
        if fmin is not None:
            keep &= f + half >= fmin
        if fmax is not None:
            keep &= f - half <= fmax
        clat, clon, r = circle
        if clat is not None:
            keep &= gc_distance_km(clat, clon, lat, lon) <= r
        if bbox is not None:
            la0, la1, lo0, lo1 = bbox
            keep &= (lat >= la0) & (lat <= la1)
            keep &= ((lon - lo0) % 360.0) <= (lo1 - lo0)
        if keep.all():
            return rows
        return [rows[i] for i in np.flatnonzero(keep)]

    @staticmethod
    def _columns(rows: list[tuple]) -> dict:
        n = len(rows)
        grid = np.empty((n, len(ASSIGNMENT_FIELDS)), dtype=object)
        if n:
            grid[:] = rows  # one C-level pass over the row tuples
        arr = {}
        for j, name in enumerate(ASSIGNMENT_FIELDS):
            col = grid[:, j]
            if name in _FLOAT_FIELDS:
                arr[name] = np.array(col.tolist(), dtype=np.float64)  # None -> NaN
            elif name in _INT_FIELDS:
                arr[name] = col.astype(np.int64)
            else:
                arr[name] = col.copy()
        return arr

    def query(self, lat: float | None = None, lon: float | None = None, radius_km: float | None = None,
              bbox: Sequence[float] | None = None, f_min_mhz: float | None = None, f_max_mhz: float | None = None,
              service: str | Sequence[str] | None = None, status: str | Sequence[str] | None = ("granted",),
              role: str | None = None) -> list[AssignmentRow]:
        """Assignments matching all given filters, one row per (station, assignment).

        Parameters
        ----------
        lat, lon, radius_km : float, optional
            Stations within ``radius_km`` great-circle distance of (lat, lon). [deg, km]
        bbox : (lat_min, lat_max, lon_min, lon_max), optional
            Stations inside the box (lon_min > lon_max crosses the antimeridian). [deg]
        f_min_mhz, f_max_mhz : float, optional
            Assignments whose occupied band ``[f - bw/2, f + bw/2]`` overlaps
            ``[f_min_mhz, f_max_mhz]`` (edges touching count). [MHz]
        service : str or sequence, optional
            Licence service(s), exact names.
        status : str, sequence or None
            Licence status(es); default granted only; ``None`` for all.
        role : {"tx", "rx"}, optional

        Notes
        -----
        An R-tree over (lat, lon, frequency) selects candidates; distances and band edges are
        then checked exactly, so a 100 000-station register answers in milliseconds.
        """
        with _gc_paused():
            rows = self._select_rows(lat, lon, radius_km, bbox, f_min_mhz, f_max_mhz, service, status, role)
            make = AssignmentRow._from_row
            return [make(r) for r in rows]

    def query_arrays(self, lat: float | None = None, lon: float | None = None, radius_km: float | None = None,
                     bbox: Sequence[float] | None = None, f_min_mhz: float | None = None,
                     f_max_mhz: float | None = None, service=None, status=("granted",), role=None) -> dict:
        """Same filters as :meth:`query`, returned column-wise as numpy arrays (field names of
        :class:`AssignmentRow`; floats float64 with NaN for missing, ids int64, text object)."""
        with _gc_paused():
            return self._columns(self._select_rows(lat, lon, radius_km, bbox, f_min_mhz, f_max_mhz, service, status,
                                                   role))

    def counts(self) -> dict:
        """Number of licensees, licences (by status), stations, assignments, audit rows, evaluations."""
        c = {t: self._one(f"SELECT COUNT(*) FROM {t}")[0] for t in
             ("licensee", "licence", "station", "assignment", "antenna_pattern", "spectrum_mask", "audit",
              "evaluation")}
        c["by_status"] = dict(self._x("SELECT status, COUNT(*) FROM licence GROUP BY status ORDER BY status"))
        return c
