"""Best-server and C/I maps of a broadcast network on a channel plan (Rec. ITU-R P.1546-6).

Every station's field strength is computed once on the common grid
(:func:`spectrum.broadcast.fieldmap.station_field`); per pixel:

* the best server: the station with the largest field strength among those that reach the minimum
  usable field strength of the system (-1: none does), its field, the margin over the minimum and
  the margin over the second-best server (the handover margin);
* C/I: C the best server's field, I the power sum of the other stations' fields weighted by their
  protection ratios relative to co-channel (PR(df) - PR_co, BT.1368 / GE06 / BS.412), so a
  co-channel interferer counts fully and an adjacent-channel one is discounted by its rejection;
  ``protection_margin_db`` = C/I - PR_co. Multi-frequency network: stations on one channel are
  interferers of each other (single-frequency-network gain is not modelled).

References
----------
Rec. ITU-R P.1546-6 (08/2019); Rec. ITU-R BT.1368-13; Rec. ITU-R BS.412-9; GE06 Annex 2 Chapter 3.
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .. import __version__
from .. import coverage as _cov
from .._validate import check_range
from . import criteria
from .coverage import _coords, _setup, _sys_of, _var, power_sum_db
from .fieldmap import pixel_area_km2, station_fields

__all__ = ["best_server_map"]


def best_server_map(dem, stations, system="dvb-t", *, radius_km: float = 50.0, grid=None, resolution_arcsec=None,
                    shape=None, t: float = 50.0, pl: float | None = None, h2_m: float | None = None,
                    area: str = "rural", emin_dbuvm: float | None = None, zone: str = "inland", n_radials=None,
                    step_m=None, interp: str = "bilinear", compat: str = "recommendation", register=None,
                    client=None, progress: bool = False, **system_kw) -> xr.Dataset:
    """Serving station per pixel with margins, and the C/I map, for a network of broadcast stations.

    Parameters
    ----------
    stations : sequence of stations
        Transmitters (``lat``, ``lon``, ``h_agl_m``, ``f_mhz`` = the channel plan, ``erp_dbw``, optional
        antenna, ``name``, ``system``).
    system : str, System or dict
        The network's system (minimum field strength, protection ratios).
    radius_km : float
        Radial length around each station (the default grid covers the stations plus this). [km]
    client : distributed.Client, optional
        Compute the stations' fields on a dask cluster (tiles of rows per station); bit-identical.
    Other parameters
        As :func:`spectrum.broadcast.coverage.coverage_map`.

    Returns
    -------
    xarray.Dataset
        ``server`` (index into ``stations``, -1 none), ``e_best_dbuvm``, ``margin_db`` (over E_req),
        ``handover_margin_db`` (best minus second best), ``ci_db``, ``protection_margin_db``; attrs
        ``e_req_dbuvm``, ``pr_co_db``, ``stations_json`` (per station: name, f_mhz, served area km2).
    """
    dem, txs, lat, lon = _setup(dem, stations, radius_km, grid, resolution_arcsec, shape, register)
    sysm = criteria.system(system, **system_kw) if system_kw else criteria.system(system)
    if pl is not None:
        sysm = criteria.system(sysm, pl=pl)
    h2 = sysm.h2_m if h2_m is None else float(h2_m)
    for k, t_ in enumerate(txs):  # before the median, so that an error names the station's own value
        check_range(f"stations[{k}].f_mhz", t_.f_mhz, 30.0, 4000.0, "MHz")
    f_ref = float(np.median([t_.f_mhz for t_ in txs]))
    e_req = criteria.min_field_strength_dbuvm(sysm, f_ref) if emin_dbuvm is None else float(emin_dbuvm)
    n = len(txs)
    fkw = dict(t=t, q=50.0, h2_m=h2, area=area, radius_km=radius_km, zone=zone, n_radials=n_radials, step_m=step_m,
               interp=interp, compat=compat)
    fields = np.empty((n, lat.size, lon.size))
    for k, e in enumerate(station_fields(dem, [(tx, fkw) for tx in txs], lat, lon, client=client, progress=progress)):
        fields[k] = e
    filled = np.where(np.isnan(fields), -np.inf, fields)
    best = np.argmax(filled, axis=0)
    e_best = np.take_along_axis(filled, best[None], axis=0)[0]
    if n > 1:
        np.put_along_axis(filled, best[None], -np.inf, axis=0)
        e_second = filled.max(axis=0)
    else:
        e_second = np.full(best.shape, -np.inf)
    del filled
    have = np.isfinite(e_best)
    served = have & (e_best >= e_req)
    server = np.where(served, best, -1).astype(np.int16)
    e_best = np.where(have, e_best, np.nan)
    with np.errstate(invalid="ignore"):
        handover = np.where(have & np.isfinite(e_second), e_best - e_second, np.nan)
    # C/I: interferers weighted by PR(df) - PR_co against the serving station's channel
    systems = [_sys_of(s, sysm) for s in stations]
    f = np.array([t_.f_mhz for t_ in txs])
    w = np.empty((n, n))
    for a in range(n):
        for b in range(n):
            w[a, b] = float(criteria.protection_ratio_db(sysm, systems[b], (f[b] - f[a]) * 1000.0)) - sysm.pr_co_db \
                if a != b else np.nan
    ci = np.full(best.shape, np.nan)
    for a in range(n):
        m = have & (best == a)
        if not m.any() or n == 1:
            continue
        terms = [fields[b][m] + w[a, b] for b in range(n) if b != a]
        ci[m] = e_best[m] - power_sum_db(*terms)
    pa = pixel_area_km2(lat, lon)
    rows = [{"index": k, "name": tx.name, "f_mhz": tx.f_mhz, "served_km2": float(np.sum(pa[server == k]))}
            for k, tx in enumerate(txs)]
    ds = xr.Dataset({
        "server": xr.Variable(("lat", "lon"), server, {"long_name": "serving station index (-1: not served)",
                                                      "grid_mapping": "crs"}),
        "e_best_dbuvm": _var(e_best, "dB(uV/m)", "field strength of the strongest station (ITU-R P.1546-6)"),
        "margin_db": _var(e_best - e_req, "dB", "best field strength minus the minimum usable field strength"),
        "handover_margin_db": _var(handover, "dB", "best minus second-best field strength"),
        "ci_db": _var(ci, "dB", "carrier-to-interference ratio (protection-ratio weighted)"),
        "protection_margin_db": _var(ci - sysm.pr_co_db, "dB", "C/I minus the co-channel protection ratio"),
    }, coords=_coords(lat, lon))
    ds.attrs = _cov._clean_attrs({
        "title": f"best server, {n} stations ({sysm.name})", "model": "ITU-R P.1546-6", "system": sysm.name,
        "e_req_dbuvm": e_req, "pr_co_db": sysm.pr_co_db, "t": float(t), "h2_m": h2, "area": area,
        "served_km2": float(np.sum(pa[server >= 0])), "stations_json": json.dumps(rows), "software": "spectrum",
        "software_version": __version__, "dem_source": str(dem.attrs.get("source", "")),
        "inputs_json": {"stations": [t_.to_dict() for t_ in txs], "system": sysm.__dict__}})
    return ds
