"""Antenna patterns, spectrum masks, stations and frequency assignments."""
from __future__ import annotations

import json
import unicodedata
from typing import Iterable

from .backend import NotFoundError, RegisterError
from .common import _ASSIGNMENT_COLS, _STATION_COLS, _dumps
from .models import (_text, check_assignment_fields, check_mask_fields, check_pattern_fields,
                     check_station_fields)


def _lookup(name):
    """A name as stored (NFC, stripped); anything else is looked up as given (and not found)."""
    return unicodedata.normalize("NFC", name).strip() if isinstance(name, str) else name


class StationMixin:
    """Pattern, mask, station and assignment methods of :class:`~spectrum.register.Register`."""

    def add_antenna_pattern(self, name: str, kind: str, *, g_max_dbi: float | None = None,
                            params: dict | None = None, h_az_deg=None, h_gain_db=None, v_el_deg=None,
                            v_gain_db=None, user: str | None = None) -> int:
        """Add a named antenna pattern.

        Parameters
        ----------
        kind : {"omni", "F.699", "F.1245", "F.1336", "table"}
            Reference patterns of Rec. ITU-R F.699-8 / F.1245-3 (point-to-point dishes) and
            F.1336-5 (sectoral / omni base-station antennas), or a measured ``table``.
        g_max_dbi : float
            Maximum gain. [dBi]
        params : dict
            Model parameters, e.g. ``{"d_lambda": 65}`` (F.699/F.1245), ``{"phi3_deg": 65, "k": 0.7}``
            (F.1336).
        h_az_deg, h_gain_db, v_el_deg, v_gain_db : sequences, optional
            Horizontal / vertical cuts, gain relative to the maximum (<= 0 dB).
        """
        who = self._who(user)
        d = check_pattern_fields(name, kind, g_max_dbi, params, h_az_deg, h_gain_db, v_el_deg, v_gain_db)
        with self.backend.write():
            if self._one("SELECT 1 FROM antenna_pattern WHERE name = ?", (d["name"],)):
                raise RegisterError(f"antenna pattern {d['name']!r} already exists")
            cur = self._x("INSERT INTO antenna_pattern (name, kind, g_max_dbi, params_json, h_az_json, h_gain_json, "
                          "v_el_json, v_gain_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (d["name"], d["kind"], d["g_max_dbi"], _dumps(d["params"]),
                           *(None if d[k] is None else _dumps(d[k])
                             for k in ("h_az_deg", "h_gain_db", "v_el_deg", "v_gain_db"))))
            self._audit(who, "create", "antenna_pattern", d["name"], after=d)
            return int(cur.lastrowid)

    def antenna_pattern(self, name: str) -> dict:
        """A named pattern: {name, kind, params, g_max_dbi, h_az_deg, h_gain_db, v_el_deg, v_gain_db}."""
        row = self._one("SELECT name, kind, g_max_dbi, params_json, h_az_json, h_gain_json, v_el_json, v_gain_json "
                        "FROM antenna_pattern WHERE name = ?", (_lookup(name),))
        if row is None:
            raise NotFoundError(f"antenna pattern {name!r} is not in the register")
        ld = [None if v is None else json.loads(v) for v in row[3:]]
        return {"name": row[0], "kind": row[1], "g_max_dbi": row[2], "params": ld[0], "h_az_deg": ld[1],
                "h_gain_db": ld[2], "v_el_deg": ld[3], "v_gain_db": ld[4]}

    def antenna_patterns(self) -> list[dict]:
        return [self.antenna_pattern(n) for (n,) in self._x("SELECT name FROM antenna_pattern ORDER BY name")]

    def add_spectrum_mask(self, name: str, kind: str, offset_khz, attenuation_db, *, user: str | None = None) -> int:
        """Add a named Tx emission mask (``kind="tx"``) or Rx selectivity (``"rx"``): attenuation
        [dB] relative to the in-band level at offsets [kHz] from the centre frequency, piecewise
        linear, symmetric (used for the frequency-dependent rejection of Rec. ITU-R SM.337-6)."""
        who = self._who(user)
        d = check_mask_fields(name, kind, offset_khz, attenuation_db)
        with self.backend.write():
            if self._one("SELECT 1 FROM spectrum_mask WHERE name = ?", (d["name"],)):
                raise RegisterError(f"spectrum mask {d['name']!r} already exists")
            cur = self._x("INSERT INTO spectrum_mask (name, kind, offset_khz_json, attenuation_db_json) "
                          "VALUES (?, ?, ?, ?)", (d["name"], d["kind"], _dumps(d["offset_khz"]),
                                                  _dumps(d["attenuation_db"])))
            self._audit(who, "create", "spectrum_mask", d["name"], after=d)
            return int(cur.lastrowid)

    def spectrum_mask(self, name: str) -> dict:
        """A named mask: {name, kind ("tx"|"rx"), offset_khz (list), attenuation_db (list)}."""
        row = self._one("SELECT name, kind, offset_khz_json, attenuation_db_json FROM spectrum_mask WHERE name = ?",
                        (_lookup(name),))
        if row is None:
            raise NotFoundError(f"spectrum mask {name!r} is not in the register")
        return {"name": row[0], "kind": row[1], "offset_khz": json.loads(row[2]),
                "attenuation_db": json.loads(row[3])}

    def spectrum_masks(self) -> list[dict]:
        return [self.spectrum_mask(n) for (n,) in self._x("SELECT name FROM spectrum_mask ORDER BY name")]

    # ------------------------------------------------------------------ stations & assignments
    def _check_station_refs(self, st: dict) -> dict:
        if st["antenna_pattern"] is not None:
            g = self._pattern_gain(st["antenna_pattern"])
            if st["g_dbi"] is None:
                st["g_dbi"] = g
        if st["g_dbi"] is None:
            raise RegisterError("g_dbi (maximum antenna gain) is required when no antenna_pattern is given")
        return st

    def _refuse_duplicate(self, station_id: int, a: dict, exclude: int | None = None) -> None:
        """A station holds a channel (frequency and bandwidth) once: a second identical assignment
        would count its power twice in every aggregate."""
        row = self._one("SELECT id FROM assignment WHERE station_id = ? AND f_mhz = ? AND bw_khz = ? AND id <> ?",
                        (station_id, a["f_mhz"], a["bw_khz"], -1 if exclude is None else int(exclude)))
        if row is not None:
            raise RegisterError(f"station {station_id} already has assignment {row[0]} on {a['f_mhz']:g} MHz / "
                                f"{a['bw_khz']:g} kHz: a station holds a channel once (duplicate row?)")

    def _check_assignment_refs(self, a: dict) -> None:
        for key, kind in (("tx_mask", "tx"), ("rx_selectivity", "rx")):
            if a[key] is not None:
                k = self._mask_kind(a[key])
                if k != kind:
                    raise RegisterError(f"{key} {a[key]!r} is a {k} mask; a {kind} mask is needed")

    def add_station(self, licence_number: str, *, name: str, role: str, lat: float, lon: float, h_agl_m: float,
                    g_dbi: float | None = None, antenna_pattern: str | None = None, azimuth_deg: float = 0.0,
                    tilt_deg: float = 0.0, polarisation: str = "v", feeder_loss_db: float = 0.0,
                    assignments: Iterable[dict] = (), user: str | None = None,
                    indoor: bool | None = None, building_type: str | None = None,
                    clutter_class: str | None = None) -> int:
        """Add a station (and optionally its assignments) to a licence; returns the station id.

        Parameters
        ----------
        role : {"tx", "rx"}
        lat, lon : float
            WGS84 position. [deg] (lon in [-180, 360), stored in [-180, 180))
        h_agl_m : float
            Antenna height above ground, 0-1000 m. [m]
        g_dbi : float, optional
            Maximum antenna gain (default: the pattern's). [dBi]
        antenna_pattern : str, optional
            Name of a pattern in the register.
        azimuth_deg, tilt_deg : float
            Boresight azimuth (0 = north, clockwise) and tilt (positive = up). [deg]
        polarisation : {"h", "v"}
        feeder_loss_db : float
            Feeder/cable loss between equipment and antenna. [dB]
        assignments : iterable of dict
            Keyword arguments of :meth:`add_assignment` (without station id).
        indoor, building_type, clutter_class : optional
            Surroundings used by the request evaluation: an indoor antenna ("traditional" or
            "thermally efficient" building, Rec. ITU-R P.2109) and the P.2108 clutter class.
        """
        who = self._who(user)
        st = check_station_fields(name=name, role=role, lat=lat, lon=lon, h_agl_m=h_agl_m, g_dbi=g_dbi,
                                  antenna_pattern=antenna_pattern, azimuth_deg=azimuth_deg, tilt_deg=tilt_deg,
                                  polarisation=polarisation, feeder_loss_db=feeder_loss_db, indoor=indoor,
                                  building_type=building_type, clutter_class=clutter_class)
        with self.backend.write():
            row = self._licence_row(str(licence_number).strip())
            lic = self._licence_dict(row)
            self._require_open(lic["number"], lic["status"], "add a station")
            self._check_station_refs(st)
            cols = [c for c in _STATION_COLS if c not in ("id", "licence_id")]
            cur = self._x(f"INSERT INTO station (licence_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                          (lic["id"], *(st[c] for c in cols)))
            sid = int(cur.lastrowid)
            self._audit(who, "create", "station", sid, after={"licence": lic["number"], **st})
            for a in assignments:
                self.add_assignment(sid, user=who, **a)
            return sid

    def add_assignment(self, station_id: int, *, f_mhz: float, bw_khz: float | None = None,
                       emission: str | None = None, eirp_dbw: float | None = None, tx_mask: str | None = None,
                       rx_selectivity: str | None = None, noise_figure_db: float | None = None,
                       protection: str | None = None, protection_db: float | None = None,
                       user: str | None = None, criterion: str | None = None,
                       criterion_db: float | None = None) -> int:
        """Add a frequency assignment to a station; returns its id.

        Parameters
        ----------
        f_mhz : float
            Centre frequency. [MHz]
        bw_khz : float, optional
            Assigned bandwidth (default: the necessary bandwidth of ``emission``). [kHz]
        emission : str, optional
            ITU emission designator (RR Appendix 1), e.g. ``"16K0F3E"``.
        eirp_dbw : float
            EIRP (transmitters only). [dBW]
        tx_mask, rx_selectivity : str, optional
            Names of spectrum masks (kind tx / rx).
        noise_figure_db : float, optional
            Receiver noise figure. [dB]
        protection : {"I/N", "C/I"}, optional
            Protection criterion with its threshold ``protection_db``. [dB]
        criterion : {"I/N", "C/I", "C/(N+I)", "(N+I)/N"}, optional
            Any SM.2028 criterion with its threshold ``criterion_db``; takes precedence over
            ``protection`` in the request evaluation. [dB]

        Raises
        ------
        AllocationRefusedError
            The occupied band ``[f - bw/2, f + bw/2]`` is outside the allocations to the
            licence's service; the message gives the reason.
        """
        who = self._who(user)
        with self.backend.write():
            st = self._station_dict(station_id)
            number, status, service = self._licence_of_station(station_id)
            self._require_open(number, status, "add an assignment")
            a = check_assignment_fields(role=st["role"], f_mhz=f_mhz, bw_khz=bw_khz, emission=emission,
                                        eirp_dbw=eirp_dbw, tx_mask=tx_mask, rx_selectivity=rx_selectivity,
                                        noise_figure_db=noise_figure_db, protection=protection,
                                        protection_db=protection_db, criterion=criterion,
                                        criterion_db=criterion_db)
            self._check_assignment_refs(a)
            self._refuse_duplicate(int(station_id), a)
            self._enforce_allocation(a["f_mhz"], a["bw_khz"], service)
            cols = [c for c in _ASSIGNMENT_COLS if c not in ("id", "station_id")]
            cur = self._x(f"INSERT INTO assignment (station_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                          (int(station_id), *(a[c] for c in cols)))
            aid = int(cur.lastrowid)
            self._audit(who, "create", "assignment", aid, after={"licence": number, "station_id": int(station_id), **a})
            return aid

    def update_station(self, station_id: int, *, reason: str, user: str | None = None, **changes) -> dict:
        """Change station fields (e.g. ``h_agl_m=45``); audited with before/after and the reason."""
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        unknown = set(changes) - (set(_STATION_COLS) - {"id", "licence_id"})
        if unknown:
            raise RegisterError(f"cannot change station field(s) {', '.join(sorted(unknown))}")
        with self.backend.write():
            before = self._station_dict(station_id)
            number, status, service = self._licence_of_station(station_id)
            self._require_open(number, status, "change a station")
            merged = {k: v for k, v in before.items() if k not in ("id", "licence_id")}
            merged.update(changes)
            st = self._check_station_refs(check_station_fields(**merged))
            if st["role"] != before["role"] and self._one("SELECT 1 FROM assignment WHERE station_id = ?",
                                                          (int(station_id),)):
                raise RegisterError(f"station {station_id} has assignments: its role cannot change")
            cols = list(st)
            self._x(f"UPDATE station SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                    (*(st[c] for c in cols), int(station_id)))
            after = self._station_dict(station_id)
            self._audit(who, "update", "station", station_id, {"licence": number, **before},
                        {"licence": number, **after}, why)
            return after

    def update_assignment(self, assignment_id: int, *, reason: str, user: str | None = None, **changes) -> dict:
        """Change assignment fields; re-validated (allocation included) and audited."""
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        unknown = set(changes) - (set(_ASSIGNMENT_COLS) - {"id", "station_id"})
        if unknown:
            raise RegisterError(f"cannot change assignment field(s) {', '.join(sorted(unknown))}")
        with self.backend.write():
            before = self._assignment_dict(assignment_id)
            st = self._station_dict(before["station_id"])
            number, status, service = self._licence_of_station(before["station_id"])
            self._require_open(number, status, "change an assignment")
            merged = {k: v for k, v in before.items() if k not in ("id", "station_id")}
            if "emission" in changes and "bw_khz" not in changes:
                merged["bw_khz"] = None
            merged.update(changes)
            a = check_assignment_fields(role=st["role"], **merged)
            self._check_assignment_refs(a)
            self._refuse_duplicate(before["station_id"], a, exclude=before["id"])
            self._enforce_allocation(a["f_mhz"], a["bw_khz"], service)
            self._x(f"UPDATE assignment SET {', '.join(c + ' = ?' for c in a)} WHERE id = ?",
                    (*a.values(), int(assignment_id)))
            after = self._assignment_dict(assignment_id)
            self._audit(who, "update", "assignment", assignment_id, {"licence": number, **before},
                        {"licence": number, **after}, why)
            return after

    def remove_assignment(self, assignment_id: int, *, reason: str, user: str | None = None) -> None:
        """Remove an assignment from a licence that is not closed; the audit keeps the record."""
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        with self.backend.write():
            before = self._assignment_dict(assignment_id)
            number, status, _ = self._licence_of_station(before["station_id"])
            self._require_open(number, status, "remove an assignment")
            self._x("DELETE FROM assignment WHERE id = ?", (int(assignment_id),))
            self._audit(who, "delete", "assignment", assignment_id, before={"licence": number, **before}, reason=why)
