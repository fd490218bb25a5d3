"""Propagation models the evaluation registers beyond P.452 / P.1812 / ITM / free space
(:func:`register_builtin`): Rec. ITU-R P.1546-6 (broadcasting) and Rec. ITU-R P.2001-4
(wide-range, with its climate inputs from :mod:`.climate`).

Each has the loss registry's two forms: a batch function
``fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol, lat, zone, ...) -> Lb`` and a *preparer*
that does the frequency- and time-independent path work once for every (f, p) of an evaluation
or a channel sweep.

References
----------
Rec. ITU-R P.1546-6 (08/2019); Rec. ITU-R P.2001-4 (09/2021).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

__all__ = ["register_builtin", "p2001_prepare", "p2001_loss_fn", "p2001_inputs", "P2001_RAIN_KEYS",
           "P2001_OTHER_KEYS"]

#: P.2001-4 rain inputs (P.837-5 Mt, β, Pr6; P.839 h0): from the maps when installed
P2001_RAIN_KEYS = ("mt_mm", "beta", "pr6_pct", "h0_km")
#: P.2001-4 map values no package we may use carries: explicit (or ``climate="typical"``)
P2001_OTHER_KEYS = ("dn_sup", "dn_sub", "nd65m1", "wvsur_gm3", "ztropo", "foes_mhz")


def _zone_2001(zone, shape) -> np.ndarray:
    """P.452 zone codes (1 coastal land, 2 inland, 3 sea) -> P.2001 (3 coastal, 4 inland, 1 sea)."""
    if zone is None:
        return np.full(shape, 4.0)
    z = np.asarray(zone, dtype=np.int64)
    return np.choose(np.clip(z, 1, 3) - 1, [3.0, 4.0, 1.0]).astype(float)


def p2001_inputs(climate: dict | None, maps_ok: bool) -> dict:
    """The P.2001-4 climate keyword values of the evaluation: explicit ``climate`` values, else
    :data:`spectrum.propagation.p2001.TYPICAL_CLIMATE` with ``climate="typical"``; the rain
    inputs are left to the maps (None) when they are installed and not given.

    Raises ValueError naming what is missing."""
    from ..propagation.p2001 import TYPICAL_CLIMATE

    c = dict(climate or {})
    typical = bool(c.pop("typical", False))
    out = {}
    missing = []
    for k in P2001_OTHER_KEYS:
        if k in c:
            out[k] = c[k]
        elif typical:
            out[k] = TYPICAL_CLIMATE[k]
        else:
            missing.append(k)
    rain = [k for k in P2001_RAIN_KEYS if k in c]
    if rain and len(rain) != len(P2001_RAIN_KEYS):
        raise ValueError(f"climate: give all four P.2001 rain inputs {', '.join(P2001_RAIN_KEYS)} or none "
                         f"(got {', '.join(rain)})")
    for k in P2001_RAIN_KEYS:
        if k in c:
            out[k] = c[k]
        elif typical and not maps_ok:
            out[k] = TYPICAL_CLIMATE[k]
        elif not maps_ok:
            missing.append(k)
    if "nd1km50" in c:
        out["nd1km50"] = c["nd1km50"]
    elif "dn" in c:
        out["nd1km50"] = -float(c["dn"])
    elif typical and not maps_ok:
        out["nd1km50"] = TYPICAL_CLIMATE["nd1km50"]
    elif not maps_ok:
        missing.append("nd1km50 (or dn)")
    if missing:
        raise ValueError("model 'p2001' needs the ITU-R P.2001-4 map values " + ", ".join(missing)
                         + (" (the [maps] extra gives Nd1km50 and the rain inputs)" if not maps_ok else "")
                         + ": give them with climate={...} (spectrum evaluate --climate KEY=VALUE), or "
                           "climate='typical' for the placeholder values of spectrum.propagation.p2001.TYPICAL_CLIMATE")
    return out


class _P2001Prepared:
    def __init__(self, path, kw):
        self.path, self.kw = path, kw

    def loss(self, f_ghz, p, *, pol="v", **_):
        from ..propagation.p2001 import foes_from_maps

        kw = dict(self.kw)
        foes = np.asarray(foes_from_maps(p, *kw.pop("foes_mhz")), dtype=float)
        wv = kw.pop("wvsur_gm3")
        nd50 = kw.pop("nd1km50")
        pols = np.atleast_1d(np.asarray(pol, dtype=object))
        r = self.path.loss(f_ghz, p, foes1_mhz=foes, foes2_mhz=foes, wvsur_mid_gm3=wv, wvsur_tx_gm3=wv,
                           wvsur_rx_gm3=wv, nd1km50=nd50, pol=pols if pols.size > 1 else str(pols[0]), **kw)
        return SimpleNamespace(lb=np.asarray(r.lb, dtype=float))


def p2001_prepare(d_km, h_m, htg_m, hrg_m, *, n, zone=None, lat_t=None, lon_t=None, lat_r=None, lon_r=None,
                  dn=None, climate=None, **_):
    """Preparer of the evaluation's loss registry for Rec. ITU-R P.2001-4 (geometry once).

    Nd1km50 at the path mid-point is ``climate["nd1km50"]``, else ``-dn`` (ΔN at the path centre
    from :func:`.climate.refractivity`, the P.453 map when installed)."""
    from ..propagation import p2001
    from .climate import maps_available

    d = np.asarray(d_km, dtype=float)
    kw = p2001_inputs(climate, maps_available())
    if "nd1km50" not in kw:
        kw["nd1km50"] = -np.asarray(dn, dtype=float)
    path = p2001.prepare_path(d, h_m, _zone_2001(zone, d.shape), htg_m, hrg_m, lat_t=lat_t, lon_t=lon_t,
                              lat_r=lat_r, lon_r=lon_r, nd1km50=kw["nd1km50"], n=n)
    return _P2001Prepared(path, kw)


def p2001_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", zone=None, lat_t=None, lon_t=None,
                  lat_r=None, lon_r=None, dn=None, climate=None, **_) -> np.ndarray:
    """Basic transmission loss by Rec. ITU-R P.2001-4 §5 Eq. (5.2.1) over padded profiles. [dB]"""
    prep = p2001_prepare(d_km, h_m, htg_m, hrg_m, n=n, zone=zone, lat_t=lat_t, lon_t=lon_t, lat_r=lat_r,
                         lon_r=lon_r, dn=dn, climate=climate)
    return prep.loss(f_ghz, p, pol=pol).lb


def p1546_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **kw) -> np.ndarray:
    """:func:`spectrum.broadcast.evaluation.p1546_loss_fn` (imported when first used). [dB]"""
    from ..broadcast.evaluation import p1546_loss_fn as fn

    return fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **kw)


def p1546_prepare(d_km, h_m, htg_m, hrg_m, *, n, zone=None, **_):
    """:func:`spectrum.broadcast.evaluation.p1546_prepare` (imported when first used)."""
    from ..broadcast.evaluation import p1546_prepare as prep

    return prep(d_km, h_m, htg_m, hrg_m, n=n, zone=zone)


def register_builtin(register) -> None:
    """Register P.1546-6 and P.2001-4 with ``register`` (:func:`.losses.register_loss_model`)."""
    register("p1546", p1546_loss_fn, f_range_mhz=(30.0, 4000.0), version="ITU-R P.1546-6",
             prepare=p1546_prepare, module="p1546", d_km_range=(0.04, 1000.0), h_m_range=(1.0, 3000.0),
             p_range=(1.0, 50.0))
    register("p2001", p2001_loss_fn, f_range_mhz=(30.0, 50000.0), version="ITU-R P.2001-4",
             prepare=p2001_prepare, module="p2001", d_km_range=(1e-3, 1e5), h_m_range=(1e-6, 1e5),
             p_range=(0.00001, 99.99999))
