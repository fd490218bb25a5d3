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

import numpy as np

from ..propagation import p1546
from . import criteria

__all__ = ["p1546_loss_fn", "broadcast_protection_db", "system_for_service"]


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
    """
    d = np.atleast_2d(np.asarray(d_km, dtype=float))
    h = np.atleast_2d(np.asarray(h_m, dtype=float))
    nn = np.asarray(n, dtype=np.int64).ravel()
    npath = d.shape[0]
    f = np.broadcast_to(np.asarray(f_ghz, dtype=float) * 1000.0, (npath,))
    t = np.broadcast_to(np.asarray(p, dtype=float), (npath,))
    ht = np.broadcast_to(np.asarray(htg_m, dtype=float), (npath,))
    hr = np.broadcast_to(np.asarray(hrg_m, dtype=float), (npath,))
    cols = {k: np.empty(npath) for k in ("heff_m", "hb_m", "tca_deg", "eff1_deg", "d_land_km", "d_sea_km",
                                         "htter_m", "hrter_m")}
    rx_sea = np.zeros(npath, dtype=bool)
    for i in range(npath):
        k = int(nn[i])
        z = None
        if zone is not None:
            zz = np.asarray(zone)[i, :k]
            z = np.where((zz == 1) | (zz == 3), 1.0, 4.0)
            rx_sea[i] = zz[-1] == 3  # receiver over the sea: adjacent to sea (§9)
        g = p1546.profile_inputs(d[i, :k], h[i, :k], ht[i], hr[i], zone=z)
        for key in cols:
            cols[key][i] = g[key]
    sea_rx = (cols["d_land_km"] == 0.0) | rx_sea
    ar = np.where(sea_rx, 0.0, float(p1546.AREAS[area]))
    r = p1546.field_strength(f, t, cols["heff_m"], np.where(sea_rx, np.maximum(hr, 3.0), hr),
                             d_land_km=cols["d_land_km"], d_sea_km=cols["d_sea_km"], area=ar,
                             ha_m=ht, hb_m=cols["hb_m"], tca_deg=cols["tca_deg"], eff1_deg=cols["eff1_deg"],
                             eff2_deg=cols["tca_deg"], htter_m=cols["htter_m"], hrter_m=cols["hrter_m"],
                             terrain_info=True, compat=compat)
    return np.asarray(r.lb_db, dtype=float)


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
