"""Broadcast coverage and interference maps with Rec. ITU-R P.1546-6.

* :func:`coverage_map` -- field strength of one station, the area where it reaches the minimum
  usable field strength of its system (BS.412 / BT.1368 / GE06, location-probability corrected),
  and that area's contour;
* :func:`interference_map` -- nuisance fields of interfering broadcast stations (field strength at
  ``t_int`` % time plus the protection ratio), the usable field strength by power sum with the
  minimum field strength, the service area that survives, and the stations that limit it.

Both return :class:`xarray.Dataset` on a regular WGS84 lat/lon grid (CF attributes, provenance);
:func:`save` writes NetCDF through :mod:`spectrum.io` or a PNG.

References
----------
Rec. ITU-R P.1546-6 (08/2019); Rec. ITU-R BS.412-9 (12/1998) §2 and Annex 1; Rec. ITU-R
BT.1368-13; GE06 Final Acts, Annex 2 Chapter 3 (power-sum method of the usable field strength).
"""
from __future__ import annotations

import json
import math

import numpy as np
import xarray as xr

from .. import __version__, terrain
from .. import coverage as _cov
from . import criteria
from ..propagation.p1546 import REVISION as _P1546_REVISION
from .fieldmap import _reach_box, contour_lines, grid_for, pixel_area_km2, station_field, station_fields

__all__ = ["coverage_map", "interference_map", "save", "power_sum_db"]


def power_sum_db(*fields) -> np.ndarray:
    """10 log10(sum 10^(x/10)) of field strengths or powers in dB (NaN terms ignored)."""
    import warnings

    st = np.stack([np.asarray(f, dtype=float) for f in fields])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pixels stay NaN
        m = np.nanmax(st, axis=0)
    m = np.where(np.isfinite(m), m, 0.0)
    s = np.nansum(10.0 ** ((st - m) / 10.0), axis=0)
    with np.errstate(divide="ignore"):
        out = m + 10.0 * np.log10(s)
    return np.where(np.all(np.isnan(st), axis=0), np.nan, out)


def _coords(lat, lon):
    return {"lat": xr.Variable("lat", lat, {"units": "degrees_north", "standard_name": "latitude", "axis": "Y"}),
            "lon": xr.Variable("lon", lon, {"units": "degrees_east", "standard_name": "longitude", "axis": "X"}),
            "crs": xr.Variable((), np.int32(0), dict(_cov._WGS84))}


def _var(values, units, long_name):
    return xr.Variable(("lat", "lon"), values, {"units": units, "long_name": long_name, "grid_mapping": "crs"})


def _setup(dem, stations, radius_km, grid, resolution_arcsec, shape, register):
    dem = terrain._as_dem(dem)
    txs = [s if isinstance(s, _cov._Tx) else _cov._station(s, register, who=f"stations[{k}]")
           for k, s in enumerate(stations)]
    if not txs:
        raise ValueError("no station given")
    lat, lon = grid_for(dem, txs, radius_km, grid, resolution_arcsec, shape)
    return dem, txs, lat, lon


def _sys_of(obj, default):
    s = getattr(obj, "system", None) if not isinstance(obj, dict) else obj.get("system")
    return criteria.system(s if s else default)


def coverage_map(dem, station, system="dvb-t", *, radius_km: float = 50.0, grid=None, resolution_arcsec=None,
                 shape=None, t: float = 50.0, pl: float | None = None, h2_m: float | None = None,
                 area: str = "rural", emin_dbuvm: float | None = None, zone: str = "inland", sea: str = "cold",
                 n_radials=None, step_m=None, interp: str = "bilinear", compat: str = "recommendation",
                 register=None, client=None, progress: bool = False, **system_kw) -> xr.Dataset:
    """Coverage of a broadcast station: P.1546-6 field strength against the minimum usable field strength.

    The station covers a pixel where its field strength at 50 % locations and ``t`` % time reaches
    E_req = the median minimum field strength of its system for ``pl`` % of locations
    (:func:`spectrum.broadcast.criteria.min_field_strength_dbuvm`; BS.412-9 for FM, the BT.1368 /
    GE06 link budget for DVB-T, DTMB and T-DAB), or ``emin_dbuvm`` if given.

    Parameters
    ----------
    dem : DataArray or path
        Terrain.
    station : Station, AssignmentRow, dict
        As :func:`spectrum.broadcast.fieldmap.station_field` (``erp_dbw`` or ``eirp_dbw``).
    system : str, System or dict
        "fm", "dvb-t", "dtmb", "dab" (:data:`spectrum.broadcast.criteria.SYSTEMS`), or the station's
        own ``system`` field when it has one.
    pl : float, optional
        Location probability [%] (default the system's: FM 50, DVB-T/DTMB 95, DAB 99).
    h2_m : float, optional
        Receiving height [m] (default the system's: 10 m fixed, 1.5 m DAB mobile).
    area, zone, sea, radius_km, grid, n_radials, step_m, interp, compat
        As :func:`spectrum.broadcast.fieldmap.station_field` / :func:`spectrum.coverage.field_strength_map`.
    client : distributed.Client, optional
        Compute the field on a dask cluster in tiles of rows (:func:`~.fieldmap.station_fields`);
        bit-identical to the single-process map.
    **system_kw
        System parameter overrides (``cn_db``, ``sigma_db``, ``fm_reception``, ``environment`` ...).

    Returns
    -------
    xarray.Dataset
        ``e_dbuvm`` (field strength), ``covered`` (1 inside the coverage area), ``margin_db``
        (E - E_req); attrs ``e_req_dbuvm``, ``area_km2``, ``contour_json`` (list of [[lat, lon], ...]
        iso-lines of E = E_req), provenance.
    """
    dem, txs, lat, lon = _setup(dem, [station], radius_km, grid, resolution_arcsec, shape, register)
    tx = txs[0]
    sysm = _sys_of(station, system) if system_kw == {} else criteria.system(system, **system_kw)
    if pl is not None:
        sysm = criteria.system(sysm, pl=pl)
    h2 = sysm.h2_m if h2_m is None else float(h2_m)
    e_req = criteria.min_field_strength_dbuvm(sysm, tx.f_mhz) if emin_dbuvm is None else float(emin_dbuvm)
    fkw = dict(t=t, q=50.0, h2_m=h2, area=area, radius_km=radius_km, zone=zone, sea=sea, n_radials=n_radials,
               step_m=step_m, interp=interp, compat=compat)
    if client is None:
        fm = station_field(dem, tx, lat, lon, **fkw)
        e, erp, inputs = fm.e_dbuvm, fm.erp_dbw, fm.polar.inputs
    else:
        e = station_fields(dem, [(tx, fkw)], lat, lon, client=client, progress=progress)[0]
        erp, inputs = _remote_inputs(dem, tx, lat, lon, fkw)
    covered = np.where(np.isfinite(e), (e >= e_req).astype(np.int8), np.int8(-1))
    area_km2 = float(np.sum(pixel_area_km2(lat, lon)[covered == 1]))
    contour = contour_lines(e, lat, lon, e_req)
    ds = xr.Dataset({"e_dbuvm": _var(e, "dB(uV/m)", "field strength (ITU-R P.1546-6)"),
                     "covered": xr.Variable(("lat", "lon"), covered,
                                            {"long_name": "inside the coverage area (1), outside (0), no data (-1)",
                                             "grid_mapping": "crs"}),
                     "margin_db": _var(e - e_req, "dB", "field strength minus the minimum usable field strength")},
                    coords=_coords(lat, lon))
    ds.attrs = _cov._clean_attrs({
        "title": f"coverage of {tx.name or 'station'} ({sysm.name})", "model": "ITU-R P.1546-6",
        "system": sysm.name, "e_req_dbuvm": e_req, "pl": sysm.pl, "t": float(t), "h2_m": h2, "area": area,
        "erp_dbw": erp, "f_mhz": tx.f_mhz, "area_km2": area_km2, "station_lat": tx.lat, "station_lon": tx.lon,
        "contour_json": json.dumps([np.round(c, 6).tolist() for c in contour]), "software": "spectrum",
        "software_version": __version__, "dem_source": str(dem.attrs.get("source", "")),
        "inputs_json": {"station": tx.to_dict(), "system": sysm.__dict__, **inputs}})
    return ds


def interference_map(dem, wanted, interferers, system="dvb-t", *, radius_km: float = 50.0, grid=None,
                     resolution_arcsec=None, shape=None, t_int: float = 1.0, kind: str = "tropospheric",
                     pl: float | None = None, h2_m: float | None = None, area: str = "rural",
                     emin_dbuvm: float | None = None, zone: str = "inland", n_radials=None, step_m=None,
                     interp: str = "bilinear", compat: str = "recommendation", register=None, client=None,
                     progress: bool = False, **system_kw) -> xr.Dataset:
    """Interference between broadcast stations: nuisance fields, usable field strength, surviving area.

    For each interferer j: nuisance field E_n,j = E_j(t_int % time) + PR_j (BS.412-9 Annex 1 for FM,
    with ``kind`` tropospheric at ``t_int`` and, for FM, also the steady ratio with E_j at 50 %,
    whichever is larger; BT.1368 / GE06 ratios for digital systems). The usable field strength is
    the power sum E_u = 10 log10(10^(E_min/10) + sum_j 10^(E_n,j/10)); the wanted station serves a
    pixel where its field strength (50 % time) reaches E_u.

    Parameters
    ----------
    wanted : station
        The wanted station (``system`` field or ``system``).
    interferers : sequence of stations
        Interfering stations (each may carry its own ``system``).
    t_int : float
        Time percentage of the interfering fields (1 % tropospheric, 50 % steady). [%]
    Other parameters
        As :func:`coverage_map`.

    Returns
    -------
    xarray.Dataset
        ``e_wanted_dbuvm``, ``e_usable_dbuvm``, ``covered_noise_limited`` and ``covered`` (0/1, -1 no data),
        ``limiting_station`` (index of the largest nuisance field, -1 none); attrs ``area_noise_limited_km2``,
        ``area_km2`` (surviving), ``limiting_stations_json`` (per interferer: area where it is the
        largest nuisance field inside the lost service area, km2, sorted).
    """
    dem, txs, lat, lon = _setup(dem, [wanted, *interferers], radius_km, grid, resolution_arcsec, shape, register)
    if len(txs) < 2:
        raise ValueError("interferers is empty: give at least one interfering station")
    if kind not in ("tropospheric", "steady"):
        raise ValueError(f"kind = {kind!r} must be 'tropospheric' or 'steady'")
    w = txs[0]
    sysm = _sys_of(wanted, system) if system_kw == {} else criteria.system(system, **system_kw)
    if pl is not None:
        sysm = criteria.system(sysm, pl=pl)
    h2 = sysm.h2_m if h2_m is None else float(h2_m)
    e_min = criteria.min_field_strength_dbuvm(sysm, w.f_mhz) if emin_dbuvm is None else float(emin_dbuvm)
    kw = dict(q=50.0, h2_m=h2, area=area, radius_km=radius_km, zone=zone, n_radials=n_radials, step_m=step_m,
              interp=interp, compat=compat)
    jobs = [(w, dict(kw, t=50.0))]   # every field first (here or on the cluster), then the budgets
    plan = []
    for k, (tx, obj) in enumerate(zip(txs[1:], interferers)):
        si = _sys_of(obj, sysm)
        df = (tx.f_mhz - w.f_mhz) * 1000.0
        reach = max(radius_km, float(np.max(_cov._pixel_polar(tx.lat, tx.lon, lat, lon)[0])) * 1.001 + 1e-3)
        kwi = dict(kw, radius_km=reach)
        pr = float(criteria.protection_ratio_db(sysm, si, df, kind=kind))
        jobs.append((tx, dict(kwi, t=t_int)))
        steady = None
        if sysm.name == "fm" and si.name == "fm" and kind == "tropospheric" and t_int != 50.0:
            steady = (len(jobs), float(criteria.protection_ratio_db(sysm, si, df, kind="steady")))
            jobs.append((tx, dict(kwi, t=50.0)))
        plan.append((k, tx, si, pr, len(jobs) - 1 - (steady is not None), steady))
    fields = station_fields(dem, jobs, lat, lon, client=client, progress=progress)
    e_w = fields[0]
    nuis = []
    rows = []
    for k, tx, si, pr, jt, steady in plan:
        en = fields[jt] + pr
        if steady is not None:
            en = np.fmax(en, fields[steady[0]] + steady[1])
        nuis.append(en)
        rows.append({"index": k, "name": tx.name, "f_mhz": tx.f_mhz, "system": si.name, "pr_db": pr})
    stack = np.stack(nuis)
    e_u = power_sum_db(np.full(e_w.shape, e_min), *nuis)
    ok = np.isfinite(e_w)
    cov0 = np.where(ok, (e_w >= e_min).astype(np.int8), np.int8(-1))
    cov = np.where(ok, (e_w >= e_u).astype(np.int8), np.int8(-1))
    with np.errstate(invalid="ignore"):
        lim = np.where(np.all(np.isnan(stack), axis=0), -1, np.nanargmax(np.where(np.isnan(stack), -np.inf, stack),
                                                                          axis=0))
    pa = pixel_area_km2(lat, lon)
    lost = (cov0 == 1) & (cov == 0)
    for r in rows:
        r["area_limited_km2"] = float(np.sum(pa[lost & (lim == r["index"])]))
        r["max_nuisance_dbuvm"] = float(np.nanmax(stack[r["index"]])) if np.isfinite(stack[r["index"]]).any() \
            else None
    rows.sort(key=lambda r: -r["area_limited_km2"])
    ds = xr.Dataset({
        "e_wanted_dbuvm": _var(e_w, "dB(uV/m)", "wanted field strength, 50 % time (ITU-R P.1546-6)"),
        "e_usable_dbuvm": _var(e_u, "dB(uV/m)", "usable field strength (power sum of E_min and nuisance fields)"),
        "covered_noise_limited": xr.Variable(("lat", "lon"), cov0, {"long_name": "E_wanted >= E_min",
                                                                   "grid_mapping": "crs"}),
        "covered": xr.Variable(("lat", "lon"), cov, {"long_name": "E_wanted >= E_usable", "grid_mapping": "crs"}),
        "limiting_station": xr.Variable(("lat", "lon"), lim.astype(np.int16),
                                        {"long_name": "index of the interferer with the largest nuisance field",
                                         "grid_mapping": "crs"}),
    }, coords=_coords(lat, lon))
    ds.attrs = _cov._clean_attrs({
        "title": f"interference to {w.name or 'station'} ({sysm.name})", "model": "ITU-R P.1546-6",
        "system": sysm.name, "e_min_dbuvm": e_min, "t_int": float(t_int), "kind": kind, "h2_m": h2,
        "area_noise_limited_km2": float(np.sum(pa[cov0 == 1])), "area_km2": float(np.sum(pa[cov == 1])),
        "limiting_stations_json": json.dumps(rows), "software": "spectrum", "software_version": __version__,
        "dem_source": str(dem.attrs.get("source", "")),
        "inputs_json": {"wanted": w.to_dict(), "interferers": [t.to_dict() for t in txs[1:]], "system": sysm.__dict__}})
    return ds


def _remote_inputs(dem, tx, lat, lon, fkw):
    """The e.r.p. and the polar inputs a distributed coverage map records (as station_field's)."""
    from .fieldmap import erp_dbw_of

    nr = None
    try:
        ia, ib, ja, jb = _reach_box(tx, lat, lon, fkw["radius_km"])
        la, lo = lat[ia:ib], lon[ja:jb]
        nr = _cov._resolve_radials(fkw["n_radials"], la, lo, _cov._pixel_polar(tx.lat, tx.lon, la, lo)[0],
                                   fkw["radius_km"])
    except ValueError:
        pass
    inputs = {"model": _P1546_REVISION, "t": float(fkw["t"]), "q": float(fkw["q"]), "h2_m": float(fkw["h2_m"]),
              "area": fkw["area"], "zone": fkw["zone"], "sea": fkw["sea"], "compat": fkw["compat"],
              "n_radials": None if nr is None else int(nr), "radius_km": float(fkw["radius_km"])}
    return erp_dbw_of(tx), inputs


def save(ds: xr.Dataset, path, variable: str | None = None) -> "Path":
    """Write a broadcast map: ``.nc`` NetCDF-4 (:func:`spectrum.io.write_netcdf`, atomic, provenance)
    or ``.png`` (the first variable or ``variable``, with the coverage contour if any)."""
    from pathlib import Path

    from .. import io

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".nc", ".nc4", ".netcdf"):
        return io.write_netcdf(ds, p, model=str(ds.attrs.get("model", "")) or None)
    if suffix != ".png":
        raise ValueError(f"{p}: unknown map file type {suffix!r} (use .nc or .png)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    name = variable or next(iter(ds.data_vars))
    if name not in ds:
        raise ValueError(f"variable = {name!r} is not in the map ({', '.join(ds.data_vars)})")
    da = ds[name]
    fig, ax = plt.subplots(figsize=(7, 6), dpi=110)
    im = ax.pcolormesh(ds["lon"], ds["lat"], da.values, shading="nearest", cmap="viridis")
    fig.colorbar(im, ax=ax, label=f"{da.attrs.get('long_name', name)} [{da.attrs.get('units', '')}]")
    for c in json.loads(ds.attrs.get("contour_json", "[]")):
        c = np.asarray(c)
        ax.plot(c[:, 1], c[:, 0], color="white", lw=1.0)
    ax.set_xlabel("longitude [deg]")
    ax.set_ylabel("latitude [deg]")
    ax.set_title(str(ds.attrs.get("title", name)))
    ax.set_aspect(1.0 / max(math.cos(math.radians(float(ds["lat"].mean()))), 1e-3))
    with io.atomic_path(p, suffix=".png") as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return p
