"""Antenna radiation patterns and the gain of a station toward a point.

Patterns (``kind``):

- ``"omni"``: constant gain ``g_dbi`` in every direction.
- ``"F.699"``: fixed-link peak reference pattern, Rec. ITU-R F.699-8 (2018) recommends 2.1-2.3.
- ``"F.1245"``: fixed-link average reference pattern, Rec. ITU-R F.1245-3 (2019) recommends 1.
- ``"F.1336"``: sectoral base-station pattern, Rec. ITU-R F.1336-5 (2019) §3.1.1 (peak
  side lobes, ``k_p``) or §3.1.2 (average side lobes, ``k_a``), with ``k_h``, ``k_v``,
  mechanical and electrical tilt.
- ``"table"``: horizontal and vertical patterns (dB relative to the maximum) interpolated
  linearly and combined by summation G = Gmax + H(az) + V(el), limited by the front-to-back ratio.
- ``"RPE"``: a radiation pattern envelope over the off-axis angle, co-polar and optionally
  cross-polar, in either of two forms: a data sheet's envelope, ``params`` ``co_deg``/``co_db`` and
  ``cx_deg``/``cx_db`` (attenuations relative to the maximum gain); or an ETSI EN 302 217-4 V2.2.1
  class, ``params`` ``etsi_class`` ("1" .. "4", "1A"/"1B"/"1C", "3A"/"3B"/"3C"; the range follows
  the frequency) and optionally ``polarisation`` ("h"/"v", for classes 3A-3C) and ``d_over_lambda``
  (main lobe inside the first envelope angle, F.699-8; from the gain otherwise). The class
  envelopes are absolute gains (dBi): see :mod:`spectrum.antennas_en302217` for their provenance.

Angles: ``azimuth_deg`` of the boresight clockwise from north; ``tilt_deg`` the mechanical
tilt of the boresight as the register stores it, **positive up** (a base station down-tilted by
6 deg has ``tilt_deg = -6``); elevations positive above the horizon. The F.1336 functions take
the Recommendation's own down-tilt angles (``tilt_m_deg``, ``tilt_e_deg``, positive down).

References
----------
Rec. ITU-R F.699-8 (01/2018), F.1245-3 (01/2019), F.1336-5 (01/2019).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ._validate import as_float_array, check_finite, check_positive, check_range
from .kernels import antennas as _k

KINDS = ("omni", "F.699", "F.1245", "F.1336", "table", "RPE")
C_M_S = 299_792_458.0


def d_over_lambda_from_gain(g_max_dbi) -> np.ndarray:
    """Diameter over wavelength from the maximum gain, Rec. ITU-R F.699-8 Note 1:
    20 log10(D/lambda) ~= Gmax - 7.7 dB.

    Parameters
    ----------
    g_max_dbi : array_like
        Maximum (boresight) antenna gain. [dBi]

    Returns
    -------
    numpy.ndarray or float
        D/lambda. [-]

    Raises
    ------
    ValueError
        If ``g_max_dbi`` is not numeric, NaN or infinite.

    References
    ----------
    Rec. ITU-R F.699-8 (2018), Note 1.
    """
    g = check_finite("g_max_dbi", g_max_dbi, "dBi")
    out = 10.0 ** ((g - 7.7) / 20.0)
    return out[()] if out.ndim == 0 else out


def _d_over_lambda(g_max_dbi, d_over_lambda) -> float:
    """D/lambda as given (checked > 0), else from the maximum gain (Note 1 of F.699 / F.1245)."""
    check_finite("g_max_dbi", g_max_dbi, "dBi")
    dl = float(d_over_lambda_from_gain(g_max_dbi) if d_over_lambda is None else d_over_lambda)
    check_positive("d_over_lambda", dl)
    return dl


def f699_gain_dbi(phi_deg, g_max_dbi: float, f_mhz: float, d_over_lambda: float | None = None) -> np.ndarray:
    """Fixed-link peak reference gain, Rec. ITU-R F.699-8 recommends 2.1 (D/lambda > 100),
    2.2 (D/lambda <= 100) and 2.3 (100 MHz - 1 GHz).

    Parameters
    ----------
    phi_deg : array_like
        Off-axis angle. [deg]
    g_max_dbi : float
        Maximum (boresight) gain. [dBi]
    f_mhz : float
        Frequency, 100 MHz - 86 GHz. [MHz]
    d_over_lambda : float, optional
        Antenna diameter over wavelength; from ``g_max_dbi`` (Note 1) if omitted.

    Returns
    -------
    numpy.ndarray
        Gain. [dBi]

    References
    ----------
    Rec. ITU-R F.699-8 (2018).
    """
    phi = as_float_array("phi_deg", phi_deg)
    check_range("f_mhz", f_mhz, 100.0, 86000.0, "MHz", "F.699-8")
    dl = _d_over_lambda(g_max_dbi, d_over_lambda)
    return _k.f699_gain(np.atleast_1d(phi), float(g_max_dbi), dl, float(f_mhz)).reshape(phi.shape)


def f1245_gain_dbi(phi_deg, g_max_dbi: float, f_mhz: float, d_over_lambda: float | None = None) -> np.ndarray:
    """Fixed-link average side-lobe reference gain, Rec. ITU-R F.1245-3 recommends 1.1
    (D/lambda > 100) and 1.2 (D/lambda <= 100), 1 - 86 GHz.

    Parameters as :func:`f699_gain_dbi`.

    References
    ----------
    Rec. ITU-R F.1245-3 (2019).
    """
    phi = as_float_array("phi_deg", phi_deg)
    check_range("f_mhz", f_mhz, 1000.0, 86000.0, "MHz", "F.1245-3")
    dl = _d_over_lambda(g_max_dbi, d_over_lambda)
    return _k.f1245_gain(np.atleast_1d(phi), float(g_max_dbi), dl).reshape(phi.shape)


def f1336_theta3_deg(g0_dbi: float, phi3_deg: float) -> float:
    """Vertical 3 dB beamwidth of a sectoral antenna, Rec. ITU-R F.1336-5 §3.1:
    theta3 = 31000 x 10^(-0.1 G0) / phi3. [deg]

    Parameters
    ----------
    g0_dbi : float
        Maximum gain. [dBi]
    phi3_deg : float
        Horizontal 3 dB beamwidth, in (0, 360]. [deg]

    Returns
    -------
    float
        Vertical 3 dB beamwidth theta3. [deg]

    Raises
    ------
    ValueError
        If ``g0_dbi`` is not finite or ``phi3_deg`` is outside (0, 360].

    References
    ----------
    Rec. ITU-R F.1336-5 (2019), §3.1.
    """
    g0 = float(check_finite("g0_dbi", g0_dbi, "dBi"))
    phi3 = float(check_range("phi3_deg", phi3_deg, 0.0, 360.0, "deg", "F.1336-5", lo_open=True))
    return 31000.0 * 10.0 ** (-0.1 * g0) / phi3


def f1336_sectoral_gain_dbi(az_deg, el_deg, g0_dbi: float, phi3_deg: float = 65.0,
                            theta3_deg: float | None = None, *, k_p: float = 0.7, k_h: float = 0.7,
                            k_v: float = 0.3, tilt_m_deg: float = 0.0, tilt_e_deg: float = 0.0,
                            sidelobe: str = "peak") -> np.ndarray:
    """Sectoral antenna gain, Rec. ITU-R F.1336-5 §3.1.1 (peak side lobes) / §3.1.2
    (average side lobes), G = G0 + G_hr(x_h) + R G_vr(x_v), with mechanical tilt
    (coordinate rotation) and electrical tilt (the elevation mapping of §3.1).

    Parameters
    ----------
    az_deg, el_deg : array_like
        Azimuth off boresight and elevation above horizontal. [deg]
    g0_dbi : float
        Maximum gain. [dBi]
    phi3_deg : float
        Horizontal 3 dB beamwidth. [deg]
    theta3_deg : float, optional
        Vertical 3 dB beamwidth; §3.1 from ``g0_dbi`` and ``phi3_deg`` if omitted. [deg]
    k_p, k_h, k_v : float
        Side-lobe factors (k_p is k_a for the average pattern); 0.7, 0.7, 0.3 are the
        typical values of §3.1.1.1-3.
    tilt_m_deg, tilt_e_deg : float
        Mechanical and electrical down-tilt. [deg]
    sidelobe : {"peak", "average"}

    Returns
    -------
    numpy.ndarray
        Gain. [dBi]

    References
    ----------
    Rec. ITU-R F.1336-5 (2019).
    """
    if sidelobe not in ("peak", "average"):
        raise ValueError(f"sidelobe = {sidelobe!r} must be 'peak' or 'average'")
    az = as_float_array("az_deg", az_deg)
    el = check_range("el_deg", el_deg, -90.0, 90.0, "deg")
    check_finite("g0_dbi", g0_dbi, "dBi")
    az, el = np.broadcast_arrays(az, el)
    check_range("phi3_deg", phi3_deg, 0.0, 360.0, "deg", "F.1336-5", lo_open=True)
    th3 = f1336_theta3_deg(g0_dbi, phi3_deg) if theta3_deg is None else float(theta3_deg)
    check_range("theta3_deg", th3, 0.0, 90.0, "deg", "F.1336-5", lo_open=True)
    for nm, v in (("k_p", k_p), ("k_h", k_h), ("k_v", k_v)):
        check_range(nm, v, 0.0, 1.0, "", "F.1336-5")
    check_range("tilt_m_deg", tilt_m_deg, -90.0, 90.0, "deg")
    check_range("tilt_e_deg", tilt_e_deg, -89.0, 89.0, "deg")
    g = _k.f1336_sectoral_gain(np.ascontiguousarray(az, dtype=float).ravel(),
                               np.ascontiguousarray(el, dtype=float).ravel(), float(g0_dbi),
                               float(phi3_deg), th3, float(k_p), float(k_h), float(k_v),
                               float(tilt_m_deg), float(tilt_e_deg), sidelobe == "average")
    return g.reshape(az.shape)


@dataclass(frozen=True)
class Antenna:
    """An antenna: pattern kind, maximum gain and pattern data.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    g_dbi : float
        Maximum gain. [dBi]
    params : dict
        Pattern parameters: F.699/F.1245 ``d_over_lambda`` (alias ``d_lambda``) or ``diameter_m``
        (optional; from the gain by F.699-8 Note 1 otherwise); F.1336 ``phi3_deg`` (default 65),
        ``theta3_deg``, ``k_p`` / ``k_a`` (alias ``k``), ``k_h``, ``k_v``, ``tilt_e_deg``,
        ``sidelobe`` ("peak"/"average").
    h_az_deg, h_gain_db, v_el_deg, v_gain_db : sequence, optional
        Tabulated patterns (``kind="table"``); gains in dB, normalised to their maxima.
    name : str, optional
    """

    kind: str = "omni"
    g_dbi: float = 0.0
    params: Mapping[str, Any] = field(default_factory=dict)
    h_az_deg: tuple | None = None
    h_gain_db: tuple | None = None
    v_el_deg: tuple | None = None
    v_gain_db: tuple | None = None
    name: str | None = None

    def __post_init__(self):
        kind = _normalise_kind(self.kind)
        object.__setattr__(self, "kind", kind)
        check_range("g_dbi", self.g_dbi, -30.0, 80.0, "dBi")
        if kind == "table":
            if self.h_az_deg is None or self.h_gain_db is None or len(self.h_az_deg) == 0:
                raise ValueError(f"antenna {self.name!r}: a 'table' pattern needs h_az_deg and h_gain_db")
            if len(self.h_az_deg) != len(self.h_gain_db):
                raise ValueError(f"antenna {self.name!r}: h_az_deg and h_gain_db differ in length")
            if (self.v_el_deg is None) != (self.v_gain_db is None) or (
                    self.v_el_deg is not None and len(self.v_el_deg) != len(self.v_gain_db)):
                raise ValueError(f"antenna {self.name!r}: v_el_deg and v_gain_db differ in length")
        if kind == "F.1336":
            phi3 = float(self.params.get("phi3_deg", 65.0))
            check_range("phi3_deg", phi3, 0.0, 360.0, "deg", "F.1336-5", lo_open=True)
        if kind == "RPE":
            if _etsi_class(self.params) is not None:
                _check_etsi_class(self.params, self.name)
            else:
                _envelope(self.params, "co", self.name, required=True)
                _envelope(self.params, "cx", self.name, required=False)

    @classmethod
    def from_pattern(cls, pattern: Mapping[str, Any] | None, g_dbi: float) -> "Antenna":
        """Build from a register pattern dict (``reg.antenna_pattern(name)``) and the maximum gain."""
        if pattern is None:
            return cls("omni", float(g_dbi))
        if g_dbi is None or not np.isfinite(g_dbi):
            g_dbi = pattern.get("g_max_dbi") or 0.0
        params = dict(pattern.get("params") or {})

        def tup(key):
            v = pattern.get(key)
            return None if v is None else tuple(float(x) for x in v)

        return cls(pattern.get("kind", "omni"), float(g_dbi), params, tup("h_az_deg"), tup("h_gain_db"),
                   tup("v_el_deg"), tup("v_gain_db"), pattern.get("name"))

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "g_dbi": self.g_dbi, "params": dict(self.params),
                "h_az_deg": self.h_az_deg, "h_gain_db": self.h_gain_db,
                "v_el_deg": self.v_el_deg, "v_gain_db": self.v_gain_db}

    def gain_dbi(self, az_off_deg, el_deg, f_mhz: float, tilt_deg: float = 0.0) -> np.ndarray:
        """Gain toward directions given relative to the antenna azimuth. [dBi]

        Parameters
        ----------
        az_off_deg : array_like
            Azimuth of the direction minus the boresight azimuth. [deg]
        el_deg : array_like
            Elevation of the direction above the horizontal. [deg]
        f_mhz : float
            Frequency (F.699 / F.1245 patterns scale with it through D/lambda). [MHz]
        tilt_deg : float
            Mechanical tilt of the boresight, positive up (register convention). [deg]
        """
        az = as_float_array("az_off_deg", az_off_deg)
        el = check_range("el_deg", el_deg, -90.0, 90.0, "deg")
        az, el = np.broadcast_arrays(az, el)
        shape = az.shape
        az = np.ascontiguousarray(az, dtype=float).ravel()
        el = np.ascontiguousarray(el, dtype=float).ravel()
        p = self.params
        g = self.g_dbi
        down = -float(tilt_deg)  # kernels take the down-tilt
        if self.kind == "omni":
            out = np.full(az.shape, g)
        elif self.kind in ("F.699", "F.1245"):
            phi = _k.off_axis_angle(az, el, down)
            if p.get("diameter_m") is not None:  # D/lambda at this frequency
                dl = float(p["diameter_m"]) * f_mhz * 1e6 / C_M_S
            else:
                dl = p.get("d_over_lambda", p.get("d_lambda"))
            fn = f699_gain_dbi if self.kind == "F.699" else f1245_gain_dbi
            out = fn(phi, g, f_mhz, dl)
        elif self.kind == "F.1336":
            side = p.get("sidelobe", "average" if "k_a" in p else "peak")
            k_pa = _param(p, ("k_a", "ka", "k"), 0.7) if side == "average" else _param(p, ("k_p", "kp", "k"), 0.7)
            out = f1336_sectoral_gain_dbi(az, el, g, float(p.get("phi3_deg", 65.0)), p.get("theta3_deg"),
                                          k_p=float(k_pa), k_h=float(_param(p, ("k_h", "kh"), 0.7)),
                                          k_v=float(_param(p, ("k_v", "kv"), 0.3)), tilt_m_deg=down,
                                          tilt_e_deg=float(p.get("tilt_e_deg", 0.0)), sidelobe=side)
        elif self.kind == "RPE" and _etsi_class(p) is not None:
            co_deg, co_dbi, _, _ = _etsi_envelopes(p, f_mhz)
            dl = _d_over_lambda(g, p.get("d_over_lambda", p.get("d_lambda")))
            out = _k.rpe_class_gain(_k.off_axis_angle(az, el, down), g, dl, co_deg, co_dbi, True)
        elif self.kind == "RPE":
            env_deg, env_db = _envelope(p, "co", self.name, required=True)
            out = _k.rpe_gain(_k.off_axis_angle(az, el, down), g, env_deg, env_db)
        else:
            out = _k.table_gain(az, el, g, *self._table_arrays(), down)
        return out.reshape(shape)

    def cross_polar_gain_dbi(self, az_off_deg, el_deg, f_mhz: float, tilt_deg: float = 0.0):
        """Cross-polar gain from the RPE's cross-polar envelope (``cx_deg``/``cx_db``, or the EN 302 217-4
        class's, its first value held inside the first angle); ``None`` when the antenna has none
        (callers then apply a cross-polar discrimination of their own). [dBi]"""
        etsi = self.kind == "RPE" and _etsi_class(self.params) is not None
        if self.kind != "RPE" or (not etsi and self.params.get("cx_deg") is None):
            return None
        az = as_float_array("az_off_deg", az_off_deg)
        el = check_range("el_deg", el_deg, -90.0, 90.0, "deg")
        az, el = np.broadcast_arrays(az, el)
        phi = _k.off_axis_angle(np.ascontiguousarray(az, float).ravel(), np.ascontiguousarray(el, float).ravel(),
                                -float(tilt_deg))
        if etsi:
            _, _, cx_deg, cx_dbi = _etsi_envelopes(self.params, f_mhz)
            return _k.rpe_class_gain(phi, self.g_dbi, 1.0, cx_deg, cx_dbi, False).reshape(az.shape)
        env_deg, env_db = _envelope(self.params, "cx", self.name, required=True)
        return _k.rpe_gain(phi, self.g_dbi, env_deg, env_db).reshape(az.shape)

    def _table_arrays(self):
        cached = self.__dict__.get("_tables")
        if cached is not None:
            return cached
        h_az = np.asarray(self.h_az_deg, float) % 360.0
        order = np.argsort(h_az, kind="stable")
        h_az, h_g = h_az[order], np.asarray(self.h_gain_db, float)[order]
        h_az, idx = np.unique(h_az, return_index=True)
        h_rel = h_g[idx] - h_g.max()
        if self.v_el_deg is not None and len(self.v_el_deg):
            v_el = np.asarray(self.v_el_deg, float)
            o = np.argsort(v_el, kind="stable")
            v_el, v_rel = v_el[o], np.asarray(self.v_gain_db, float)[o]
            v_rel = v_rel - v_rel.max()
            floor = min(h_rel.min(), v_rel.min())
        else:
            v_el, v_rel = np.empty(0), np.empty(0)
            floor = h_rel.min()
        out = (h_az, h_rel, v_el, v_rel, float(floor))
        object.__setattr__(self, "_tables", out)  # frozen dataclass: cache through __dict__
        return out


def _envelope(p: Mapping[str, Any], which: str, name, required: bool):
    """(angles, attenuations) of an RPE envelope ``which`` ("co"/"cx") as float64 arrays, checked:
    same length >= 2, angles ascending in [0, 180] deg, attenuations >= 0 dB."""
    a, v = p.get(f"{which}_deg"), p.get(f"{which}_db")
    label = f"antenna {name!r}: " if name else ""
    if a is None or v is None:
        if required or (a is None) != (v is None):
            raise ValueError(f"{label}an RPE pattern needs {which}_deg and {which}_db (envelope tables)")
        return None
    deg = as_float_array(f"{which}_deg", a).ravel()
    db = as_float_array(f"{which}_db", v).ravel()
    if deg.size < 2 or deg.size != db.size:
        raise ValueError(f"{label}{which}_deg and {which}_db must have the same length >= 2 "
                         f"(got {deg.size} and {db.size})")
    if np.any(np.diff(deg) <= 0) or deg[0] < 0 or deg[-1] > 180:
        raise ValueError(f"{label}{which}_deg = {deg.tolist()} must ascend strictly within [0, 180] deg")
    if np.any(db < 0):
        raise ValueError(f"{label}{which}_db = {db.min():g} must be >= 0 dB (attenuation below the maximum gain)")
    return np.ascontiguousarray(deg), np.ascontiguousarray(db)


def _etsi_class(p: Mapping[str, Any]):
    """The EN 302 217-4 class named in an RPE's params (``etsi_class``, alias ``rpe_class``), or None."""
    for k in ("etsi_class", "rpe_class"):
        if p.get(k) is not None:
            return p[k]
    return None


def _check_etsi_class(p: Mapping[str, Any], name):
    """The class name exists in some EN 302 217-4 range and ``polarisation`` is h/v (frequency-specific
    checks happen where the frequency is known)."""
    from . import antennas_en302217 as en

    label = f"antenna {name!r}: " if name else ""
    c = en._normalise_class(_etsi_class(p))
    if c not in {cc for (_, cc) in en.CLASSES}:
        raise ValueError(f"{label}etsi_class = {_etsi_class(p)!r} is not an EN 302 217-4 RPE class "
                         f"({', '.join(sorted({cc for (_, cc) in en.CLASSES}))})")
    pol = p.get("polarisation", p.get("polarization"))
    if pol is not None and str(pol).strip().lower()[:1] not in ("h", "v"):
        raise ValueError(f"{label}polarisation = {pol!r} must be 'h' or 'v'")


def _etsi_envelopes(p: Mapping[str, Any], f_mhz: float):
    """(co_deg, co_dbi, cx_deg, cx_dbi) of the RPE's EN 302 217-4 class at ``f_mhz``."""
    from . import antennas_en302217 as en

    f = check_range("f_mhz", f_mhz, 1000.0, 174800.0, "MHz", "EN 302 217-4 RPE classes")
    return en.rpe_class_envelope(float(f) / 1000.0, _etsi_class(p), p.get("polarisation", p.get("polarization")))


def _param(p: Mapping[str, Any], names, default):
    for n in names:
        if p.get(n) is not None:
            return p[n]
    return default


def _normalise_kind(kind: str) -> str:
    k = str(kind).strip()
    table = {"omni": "omni", "isotropic": "omni", "f.699": "F.699", "f699": "F.699", "f.1245": "F.1245",
             "f1245": "F.1245", "f.1336": "F.1336", "f1336": "F.1336", "sector": "F.1336",
             "table": "table", "tabulated": "table", "rpe": "RPE", "etsi": "RPE"}
    try:
        return table[k.lower()]
    except KeyError:
        raise ValueError(f"antenna kind = {kind!r} is not one of {', '.join(KINDS)}") from None


def gain_toward_dbi(antenna: Antenna, azimuth_deg: float, tilt_deg: float, bearing_deg, elevation_deg,
                    f_mhz: float) -> np.ndarray:
    """Gain of an antenna pointed at ``azimuth_deg`` (boresight tilted by ``tilt_deg``, positive up) toward
    points seen at ``bearing_deg`` (clockwise from north) and ``elevation_deg``. [dBi]"""
    b = as_float_array("bearing_deg", bearing_deg)
    return antenna.gain_dbi(((b - float(azimuth_deg) + 180.0) % 360.0) - 180.0, elevation_deg, f_mhz,
                            tilt_deg=float(tilt_deg))


def elevation_deg(d_km, h1_amsl_m, h2_amsl_m, k_factor: float = 4.0 / 3.0) -> np.ndarray:
    """Elevation angle from point 1 to point 2 over a smooth Earth, Rec. ITU-R P.452-18 Att. 2 §5.1.1.

    theta = atan((h2 - h1) / (1000 d) - d / (2 ae)), ae = k x 6371 km (the direct-path form of
    the horizon-elevation equation); 0 where ``d_km`` = 0.

    Parameters
    ----------
    d_km : array_like
        Great-circle distance from point 1 to point 2, >= 0. [km]
    h1_amsl_m, h2_amsl_m : array_like
        Heights of points 1 and 2 above mean sea level. [m]
    k_factor : float, optional
        Effective Earth-radius factor k. [-]

    Returns
    -------
    numpy.ndarray or float
        Elevation angle seen from point 1, positive above the horizontal. [deg]

    Raises
    ------
    ValueError
        If ``d_km`` is negative or any input is not numeric.

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), Attachment 2 §5.1.1.
    """
    try:
        d = np.asarray(d_km, float)
        h1 = np.asarray(h1_amsl_m, float)
        h2 = np.asarray(h2_amsl_m, float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"elevation_deg: non-numeric input ({exc})") from None
    neg = d < 0
    if np.any(neg):
        raise ValueError(f"d_km = {float(d[neg].ravel()[0]) if d.ndim else float(d):g} must be >= 0 km")
    if not (np.isfinite(k_factor) and k_factor > 0):
        raise ValueError(f"k_factor = {k_factor!r} must be a finite number > 0")
    ae = 6371.0 * k_factor
    with np.errstate(divide="ignore", invalid="ignore"):
        th = np.arctan((h2 - h1) / (d * 1000.0)
                       - d / (2.0 * ae))
    out = np.where(d > 0, np.degrees(th), 0.0)
    return out[()] if out.ndim == 0 else out


__all__ = ["Antenna", "KINDS", "d_over_lambda_from_gain", "f699_gain_dbi", "f1245_gain_dbi",
           "f1336_sectoral_gain_dbi", "f1336_theta3_deg", "gain_toward_dbi", "elevation_deg"]
