"""Hooks for the licence-request evaluation: P.1546-6 losses and broadcast protection ratios.

* :func:`p1546_loss_fn` has the evaluation's loss-function signature
  (``fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **kw) -> Lb``, padded 2-D profiles plus lengths) and
  returns the P.1546-6 equivalent basic transmission loss of every path (profile form:
  h1, clearance angles, land/sea lengths and slope distance from each profile);
* :func:`broadcast_protection_db` is the criterion of a broadcasting victim: the radio-frequency
  protection ratio C/I it needs against an interferer (BS.412-9 for FM, BT.1368 / GE06 otherwise).

References
----------
Rec. ITU-R P.1546-6 (08/2019); Rec. ITU-R BS.412-9; Rec. ITU-R BT.1368-13; GE06.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..propagation import p1546
from . import criteria

__all__ = ["p1546_loss_fn", "p1546_prepare", "P1546Paths", "broadcast_protection_db", "broadcast_protection_pairs",
           "is_broadcast", "system_for_service"]


class P1546Paths:
    """P.1546-6 inputs of a batch of profiles taken once (h1, clearance angles, land/sea lengths,
    terminal terrain heights), for any number of (f, t) evaluations (:meth:`loss`).

    Paths for which P.1546-6 gives no value (e.g. h1 below 1 m over the sea part of a mixed path,
    heff above 3 000 m, Annex 5 §3.3) come out as NaN in :meth:`loss` instead of an error: the
    evaluation then takes free space for them and records why.
    """

    _KEYS = ("heff_m", "hb_m", "tca_deg", "eff1_deg", "d_land_km", "d_sea_km", "htter_m", "hrter_m")

    def __init__(self, d_km, h_m, n, htg_m, hrg_m, *, zone=None, area="rural", compat="recommendation"):
        d = np.atleast_2d(np.asarray(d_km, dtype=float))
        h = np.atleast_2d(np.asarray(h_m, dtype=float))
        nn = np.asarray(n, dtype=np.int64).ravel()
        npath = d.shape[0]
        self.n_paths = npath
        self.ht = np.array(np.broadcast_to(np.asarray(htg_m, dtype=float), (npath,)))
        self.hr = np.array(np.broadcast_to(np.asarray(hrg_m, dtype=float), (npath,)))
        self.cols = {k: np.empty(npath) for k in self._KEYS}
        rx_sea = np.zeros(npath, dtype=bool)
        zz_all = None if zone is None else np.asarray(zone)
        slow = np.arange(npath)
        if npath and d.ndim == 2 and d.shape == h.shape and d.shape[1] >= 2:
            # one kernel pass over the batch (the values of p1546.profile_inputs, path by path)
            from ..kernels.evaluation_paths import p1546_profile_inputs

            out = np.empty((npath, 10))
            zarr = np.zeros((1, 1)) if zz_all is None else np.ascontiguousarray(zz_all, dtype=float)
            p1546_profile_inputs(np.ascontiguousarray(d), np.ascontiguousarray(h), nn, zarr, zz_all is not None,
                                 np.ascontiguousarray(self.ht), np.ascontiguousarray(self.hr), out)
            for j, key in enumerate(self._KEYS):
                self.cols[key] = out[:, j].copy()
            rx_sea = out[:, 8] > 0.5
            slow = np.flatnonzero(out[:, 9] > 0.5)
        for i in slow:  # path by path: profiles the kernel does not take raise profile_inputs' errors
            k = int(nn[i])
            z = None
            if zz_all is not None:
                zz = zz_all[i, :k]
                z = np.where((zz == 1) | (zz == 3), 1.0, 4.0)
                rx_sea[i] = zz[-1] == 3  # receiver over the sea: adjacent to sea (§9)
            g = p1546.profile_inputs(d[i, :k], h[i, :k], self.ht[i], self.hr[i], zone=z)
            for key in self.cols:
                self.cols[key][i] = g[key]
        # the land / sea split sums sample weights: clear the rounding (-4e-15 km of land)
        tot = self.cols["d_land_km"] + self.cols["d_sea_km"]
        self.cols["d_land_km"] = np.where(self.cols["d_land_km"] < 1e-9, 0.0, self.cols["d_land_km"])
        self.cols["d_sea_km"] = np.where(self.cols["d_sea_km"] < 1e-9, 0.0, tot - self.cols["d_land_km"])
        self.sea_rx = (self.cols["d_land_km"] == 0.0) | rx_sea
        self.area = np.where(self.sea_rx, 0.0, float(p1546.AREAS[area]))
        self.h2 = np.where(self.sea_rx, np.maximum(self.hr, 3.0), self.hr)
        self.compat = compat

    def _one(self, f, t, sel) -> np.ndarray:
        c = self.cols
        r = p1546.field_strength(f[sel], t[sel], c["heff_m"][sel], self.h2[sel], d_land_km=c["d_land_km"][sel],
                                 d_sea_km=c["d_sea_km"][sel], area=self.area[sel], ha_m=self.ht[sel],
                                 hb_m=c["hb_m"][sel], tca_deg=c["tca_deg"][sel], eff1_deg=c["eff1_deg"][sel],
                                 eff2_deg=c["tca_deg"][sel], htter_m=c["htter_m"][sel], hrter_m=c["hrter_m"][sel],
                                 terrain_info=True, compat=self.compat)
        return np.atleast_1d(np.asarray(r.lb_db, dtype=float))

    def lb(self, f_ghz, p) -> np.ndarray:
        """Equivalent basic transmission loss, Annex 5 §17 Eq. (40), per path (NaN where P.1546-6
        gives no value). [dB]"""
        npath = self.n_paths
        f = np.broadcast_to(np.asarray(f_ghz, dtype=float) * 1000.0, (npath,))
        t = np.broadcast_to(np.asarray(p, dtype=float), (npath,))
        if not npath:
            return np.zeros(0)
        try:
            return self._one(f, t, np.arange(npath))
        except ValueError:
            out = np.full(npath, np.nan)   # path by path: the paths P.1546 cannot take stay NaN
            for i in range(npath):
                try:
                    out[i] = self._one(f, t, np.array([i]))[0]
                except ValueError:
                    pass
            return out

    def loss(self, f_ghz, p, **_):
        """The evaluation's preparer protocol: an object with ``.lb``."""
        return SimpleNamespace(lb=self.lb(f_ghz, p))


def p1546_prepare(d_km, h_m, htg_m, hrg_m, *, n, zone=None, **_) -> P1546Paths:
    """Preparer of the evaluation's loss registry (:data:`spectrum.evaluation.losses.PREPARERS`)."""
    return P1546Paths(d_km, h_m, n, htg_m, hrg_m, zone=zone)


def p1546_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, zone=None, area="rural", compat="recommendation",
                  **_) -> np.ndarray:
    """Equivalent basic transmission loss of each path by Rec. ITU-R P.1546-6 Annex 5 §17 Eq. (40). [dB]

    Parameters
    ----------
    d_km, h_m : (n_paths, n_max) arrays
        Padded profiles (distance from the transmitter [km], terrain [m]).
    n : (n_paths,) int
        Valid samples per path.
    f_ghz, p, htg_m, hrg_m : array_like (broadcast to n_paths)
        Frequency [GHz] (0.03-4), time percentage [%] (1-50), antenna heights above ground [m].
    zone : (n_paths, n_max) array, optional
        Radio-climatic zone codes as the evaluation passes them (P.452: 1 coastal land, 2 inland,
        3 sea); coastal land and sea count as the sea part of the path (§8).
    area : str
        Receiver surroundings (§9).

    Returns
    -------
    ndarray
        Lb per path; NaN where P.1546-6 gives no value (see :class:`P1546Paths`).
    """
    return P1546Paths(d_km, h_m, n, htg_m, hrg_m, zone=zone, area=area, compat=compat).lb(f_ghz, p)


def is_broadcast(service) -> bool:
    """A register service name of the broadcasting service (sound or television)."""
    s = str(service or "").lower()
    return any(b in s for b in ("broadcast", "fm", "tv", "dab", "dvb", "dtmb"))


def system_for_service(service: str, f_mhz: float) -> str:
    """Broadcast system preset for a register service name and frequency (FM band -> "fm", Band III
    "dab" when the service says DAB, else "dvb-t" / "dtmb" by name)."""
    s = str(service).lower()
    if "dab" in s:
        return "dab"
    if "dtmb" in s:
        return "dtmb"
    if "fm" in s or 87.5 <= float(f_mhz) <= 108.0:
        return "fm"
    return "dvb-t"


def broadcast_protection_db(victim_service: str, victim_f_mhz: float, interferer_service: str,
                            interferer_f_mhz: float, *, kind: str = "tropospheric") -> float:
    """Protection ratio C/I [dB] a broadcasting victim needs against one interferer (criterion of
    the evaluation: the victim is protected where C - I >= this value)."""
    v = system_for_service(victim_service, victim_f_mhz)
    i = system_for_service(interferer_service, interferer_f_mhz)
    return float(criteria.protection_ratio_db(v, i, (interferer_f_mhz - victim_f_mhz) * 1000.0, kind=kind))


def broadcast_protection_pairs(victim_services, victim_f_mhz, interferer_service: str, interferer_f_mhz,
                               *, kind: str = "tropospheric") -> np.ndarray:
    """:func:`broadcast_protection_db` for many victims (one interferer frequency or one per
    victim); computed once per distinct (victim system, offset). [dB]"""
    vs = [system_for_service(s, f) for s, f in zip(victim_services, np.atleast_1d(victim_f_mhz))]
    vf = np.atleast_1d(np.asarray(victim_f_mhz, dtype=float))
    fi = np.broadcast_to(np.asarray(interferer_f_mhz, dtype=float), vf.shape)
    i = system_for_service(interferer_service, float(fi[0]) if fi.size else 0.0)
    out = np.empty(vf.size)
    memo: dict = {}
    for k in range(vf.size):
        key = (vs[k], round(float(fi[k] - vf[k]) * 1000.0, 6))
        if key not in memo:
            memo[key] = float(criteria.protection_ratio_db(vs[k], i, key[1], kind=kind))
        out[k] = memo[key]
    return out
