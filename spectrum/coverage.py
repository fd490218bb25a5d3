"""Coverage and interference maps over terrain: P.452-18, P.1812-6 or ITM 1.2.2 per pixel.

How a map is made (STYLE.md rule 8, pycraf's ``height_map_data`` / ``atten_map_fast`` idea):

1. Terrain profiles along ``n_radials`` great-circle radials from the station are sampled once
   (:func:`spectrum.terrain.radial_profiles`, bilinear, step = the DEM spacing by default).
2. The propagation model runs at every sample (node) of every radial, on the radial prefix
   from the station to that node -- the same profile the point-to-point API would use -- with
   the frequency / time independent work shared (:mod:`spectrum.kernels.coverage`), ``prange``
   over radials.
3. Antenna gains toward each node, EIRP and the requested quantity are applied in the polar
   domain, and map pixels are filled from the polar nodes by bilinear (default) or nearest
   lookup in (azimuth, distance).

Public functions: :func:`field_strength_map`, :func:`interference_map`, :func:`polar_map`
(the polar nodes themselves), :func:`save_map`; stations and receivers are described with
:class:`Station` and :class:`Receiver` or duck-typed objects / dicts such as
:class:`spectrum.register.AssignmentRow`.

Maps are :class:`xarray.DataArray` on a regular WGS84 latitude/longitude grid with CF
attributes (``units``, ``long_name``, coordinates ``lat``/``lon`` with standard names, a
``crs`` grid-mapping variable) and provenance (model, revision, inputs).

References
----------
Rec. ITU-R P.452-18 (10/2023); Rec. ITU-R P.1812-6 (08/2021); G. A. Hufford, The ITS Irregular
Terrain Model, version 1.2.2, the Algorithm (NTIA/ITS 1995); Rec. ITU-R P.525-4 (2019) §3
(field strength from EIRP); Rec. ITU-R SM.337-6 (2008) (interference budget, FDR);
Rec. ITU-R P.372-16 (2022) (kTB noise); CF Conventions 1.8 §5.6 (grid mappings).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import xarray as xr

from . import __version__, geo, terrain
from .antennas import elevation_deg, gain_toward_dbi
from .coverage_inputs import (_F_MHZ_RANGE, _P_RANGE, _WGS84, DEFAULT_MAX_RADIALS, MODELS,  # noqa: F401
                              QUANTITIES, Receiver, Station, _antenna, _fdr, _get, _grid_from, _num,
                              _station, _Tx, _victim, map_grid)
from .coverage_polar import (PolarMap, _check_interp, _clean_attrs, _pixel_polar,  # noqa: F401
                             _resolve_radials, _to_grid, _tx_gain_rel, _wrap, _zone_codes, polar_map)
from .kernels import coverage as _k

__all__ = ["Station", "Receiver", "PolarMap", "field_strength_map", "interference_map", "polar_map",
           "map_grid", "save_map", "MODELS", "QUANTITIES"]


def field_strength_map(dem, station, model: str = "p452", *, quantity: str = "e_dbuvm", radius_km: float = 50.0,
                       grid=None, resolution_arcsec: float | None = None, shape=None, f_mhz=None, p=50.0,
                       hrg_m: float = 10.0, n_radials: int | str | None = None, step_m: float | None = None,
                       interp: str = "bilinear", zone: str = "inland", rx_gain_dbi: float = 0.0,
                       rx_feeder_loss_db: float = 0.0, register=None, client=None, progress: bool = False,
                       _radials=None, _dem_source: str | None = None, **model_kw) -> xr.DataArray:
    """Coverage map: field strength (or loss / received power) at every pixel around a station.

    Basic transmission loss from Rec. ITU-R P.452-18 §4.6 Eq. (64) (``model="p452"``),
    Rec. ITU-R P.1812-6 §4.7 Eq. (64) (``"p1812"``) or ITM 1.2.2 point-to-point (``"itm"``),
    field strength E = EIRP + (G_t(az, el) - G_t,max) - L_b + 20 log10 f + 107.22
    (Rec. ITU-R P.525-4 §3, isotropic receiving antenna).

    Parameters
    ----------
    dem : DataArray or path
        Terrain (:func:`spectrum.terrain.load_dem`); e.g. ``spectrum.datasets.terrain.default_dem()``.
    station : Station, AssignmentRow, dict or object
        Needs ``lat``, ``lon``, ``h_agl_m``, ``f_mhz``; optional ``eirp_dbw`` (or ``erp_dbw``,
        default 0 dBW), ``antenna`` / ``antenna_pattern`` (Antenna, pattern dict, or register
        pattern name with ``register=``), ``g_dbi``, ``azimuth_deg``, ``tilt_deg``, ``polarisation``.
    model : {"p452", "p1812", "itm"}
    quantity : {"e_dbuvm", "lb_db", "pr_dbw", "pr_dbm"}
        Field strength [dB(uV/m)], basic transmission loss [dB], or received power [dBW / dBm]
        with ``rx_gain_dbi`` and ``rx_feeder_loss_db``.
    radius_km : float
        Radials' length and the half-width of the default grid. [km]
    grid : DataArray or (lat, lon), optional
        Pixel centres; default :func:`map_grid` (the DEM's spacing, or ``resolution_arcsec`` /
        ``shape``), cropped to the DEM.
    f_mhz : float or array_like, optional
        Frequencies (default the station's); several give an ``f_mhz`` dimension. [MHz]
    p : float or array_like
        Time percentage (P.452: 0.001-50, P.1812: 1-50, ITM: the time quantile in (0, 100));
        several give a ``p`` dimension. [%]
    hrg_m : float
        Receiver height above ground at every pixel (10 m for field-strength conventions). [m]
    n_radials : int, "auto" or None
        Radials (the first north, clockwise). Pixels between radials are interpolated;
        ``"auto"`` takes one radial per pixel width at the farthest pixel (2 pi r / pixel size,
        360 to 36000) -- with ``interp="nearest"`` every pixel is then its own model evaluation;
        None (default): ``"auto"`` but at most 720.
    step_m : float, optional
        Profile sample spacing. [m]; default the DEM spacing.
    interp : {"bilinear", "nearest"}
        Polar -> pixel lookup.
    zone : {"inland", "sea-level"}
        Radio-climatic zone along each profile: all inland, or sea where the DEM is <= 0 m
        (P.452 / P.1812 only).
    rx_gain_dbi, rx_feeder_loss_db : float
        Receiving antenna gain and feeder loss for ``pr_dbw`` / ``pr_dbm``. [dBi], [dB]
    register : Register, optional
        To resolve antenna pattern names of register rows.
    client : distributed.Client, optional
        Compute the map on a dask cluster, in tiles of pixel rows (the DEM scattered to every
        worker once); bit-identical to the map made in this process
        (:mod:`spectrum.distributed.maps`).
    progress : bool
        With ``client``: a progress bar over the tiles on stderr.
    **model_kw
        Model inputs: ``dn``, ``n0``, ``clutter_m`` (P.452 / P.1812); ``pl``, ``sigma_l``
        (P.1812); ``climate``, ``n_0``, ``epsilon``, ``sigma``, ``mdvar``, ``location``,
        ``situation`` (ITM).

    Returns
    -------
    xarray.DataArray
        Dims ``(lat, lon)`` (with ``f_mhz`` / ``p`` first when several are given), CF attributes,
        ``crs`` grid mapping (WGS84), provenance in ``attrs``; NaN off the DEM or beyond
        ``radius_km``.

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023); Rec. ITU-R P.1812-6 (08/2021); NTIA ITM 1.2.2;
    Rec. ITU-R P.525-4 (2019) §3.
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity = {quantity!r} must be one of {', '.join(QUANTITIES)}")
    if _radials is None:  # (a tile of a distributed map gets the radials, not the DEM)
        dem = terrain._as_dem(dem)
    tx = station if isinstance(station, _Tx) else _station(station, register)
    if grid is None:
        lat, lon = map_grid(dem, tx.lat, tx.lon, radius_km, resolution_arcsec=resolution_arcsec, shape=shape)
    else:
        lat, lon = _grid_from(grid)
    bil = _check_interp(interp)
    if client is not None:  # tiles of rows on the cluster, every grid-dependent choice fixed here
        # the tiles compute their own pixels' polar coordinates; "auto" radials need only the farthest
        # pixel, which lies on the grid's edge (a point's distance has no maximum inside a region
        # that does not hold its antipode, and a map reaching that far is capped at radius_km anyway)
        if n_radials is None or isinstance(n_radials, str):
            edge = np.concatenate([_pixel_polar(tx.lat, tx.lon, lat[[0, -1]], lon)[0].ravel(),
                                   _pixel_polar(tx.lat, tx.lon, lat, lon[[0, -1]])[0].ravel()])
            n_radials = _resolve_radials(n_radials, lat, lon, edge, radius_km)
        from .distributed.maps import map_tiles

        # the terrain radials are sampled once, here: the workers get them (MBs), not the DEM
        rad = _check_radials(n_radials) and terrain.radial_profiles(dem, tx.lat, tx.lon, radius_km, int(n_radials),
                                                                    step_m, outside="nan")
        kw = dict(station=tx, model=model, quantity=quantity, radius_km=radius_km, f_mhz=f_mhz, p=p, hrg_m=hrg_m,
                  n_radials=n_radials, step_m=step_m, interp=interp, zone=zone, rx_gain_dbi=rx_gain_dbi,
                  rx_feeder_loss_db=rx_feeder_loss_db, _dem_source=str(dem.attrs.get("source", "")), **model_kw)
        return map_tiles(client, _field_strength_tile, rad, lat, lon, kw, kind="coverage", progress=progress)
    pix = _pixel_polar(tx.lat, tx.lon, lat, lon)
    n_radials = _resolve_radials(n_radials, lat, lon, pix[0], radius_km)
    pm = polar_map(dem, None, model, radius_km=radius_km, f_mhz=f_mhz, p=p, hrg_m=hrg_m, n_radials=n_radials,
                   step_m=step_m, zone=zone, _tx=tx, _pixels=(*pix, bil), _radials=_radials, **model_kw)
    vals = pm.values
    if quantity != "lb_db":
        gains = np.stack([np.broadcast_to(_tx_gain_rel(tx, pm.radials, hrg_m, fj), vals.shape[2:]) for fj in pm.f_mhz])
        pr = tx.eirp + gains[:, None] - vals
        if quantity == "e_dbuvm":
            vals = pr + (20.0 * np.log10(pm.f_mhz) + 107.22)[:, None, None, None]
        else:
            vals = pr + float(rx_gain_dbi) - float(rx_feeder_loss_db) + (30.0 if quantity == "pr_dbm" else 0.0)
    out = _to_grid(vals, pm, lat, lon, interp, pix)
    units, long_name = QUANTITIES[quantity]
    attrs = _clean_attrs({
        "model": MODELS[model], "station_lat": tx.lat, "station_lon": tx.lon, "station_h_agl_m": tx.h,
        "station_name": tx.name, "eirp_dbw": tx.eirp, "hrg_m": float(hrg_m), "n_radials": pm.radials.n_radials,
        "radius_km": float(radius_km), "interp": interp, "software": "spectrum", "software_version": __version__,
        "dem_source": _dem_source if _dem_source is not None else str(dem.attrs.get("source", "")),
        "inputs_json": pm.inputs,
    })
    name = {"e_dbuvm": "e_dbuvm", "lb_db": "lb_db", "pr_dbw": "pr_dbw", "pr_dbm": "pr_dbm"}[quantity]
    return _wrap(out, pm.f_mhz, pm.p, lat, lon, name, units, f"{long_name} ({MODELS[model]})", attrs,
                 p_name="p" if model != "itm" else "time")


def interference_map(dem, victim_template, interferers: Sequence, model: str = "p452", *, p: float = 1.0,
                     radius_km: float | None = None, grid=None, resolution_arcsec: float | None = None, shape=None,
                     n_radials: int | str | None = None, step_m: float | None = None, interp: str = "bilinear",
                     zone: str = "inland", quantity: str = "i_n_db", register=None, client=None,
                     progress: bool = False, _radials=None, _dem_source: str | None = None,
                     **model_kw) -> xr.DataArray:
    """Aggregate interference-to-noise ratio I/N at a victim receiver placed at every pixel.

    For each interferer i (DESIGN.md convention, Rec. ITU-R SM.337-6):
    I_i = EIRP_i + (G_t,i(az, el) - G_t,i,max) - L_b,i(p) + G_r - L_feeder,r - FDR_i, with L_b,i
    from the interferer to the pixel (the radials are computed around each interferer, the
    victim height as receiver height); the aggregate is the power sum I = 10 log10(sum 10^(I_i/10))
    and N = 10 log10(k T0 B) + NF (Rec. ITU-R P.372-16).

    Parameters
    ----------
    dem : DataArray or path
        Terrain.
    victim_template : Receiver, dict or object
        ``h_agl_m``, ``f_mhz``, ``bw_khz``, ``noise_figure_db``; optional ``g_dbi``, ``antenna``,
        ``azimuth_deg`` (fixed boresight; otherwise the maximum gain faces every interferer),
        ``tilt_deg``, ``feeder_loss_db``, ``protection_db``.
    interferers : sequence of Station / AssignmentRow / dict
        Transmitters; ``fdr_db`` per interferer, or 0 dB for channels overlapping the victim's.
    model : {"p452", "p1812", "itm"}
    p : float
        Time percentage (interference: 1 % short term, 20 % long term). [%]
    radius_km : float, optional
        Radial length around each interferer, and half-width of the default grid around the
        first interferer (give ``grid`` for another area). [km]. Default: the grid is 30 km
        around the first interferer and each interferer's radials reach every pixel.
    quantity : {"i_n_db", "i_dbw"}
        I/N [dB] or the aggregate interference power I [dBW].
    client : distributed.Client, optional
        Compute the map on a dask cluster in tiles of pixel rows (each interferer's radials fixed
        from the whole grid first); bit-identical to the single-process map.
    Other parameters
        As :func:`field_strength_map`.

    Returns
    -------
    xarray.DataArray
        Dims ``(lat, lon)``; attrs include ``n_dbw`` (the noise power) and the I/N criterion.
        Pixels no interferer reaches are NaN.
    """
    if np.ndim(p) != 0:
        raise ValueError(f"p = {p!r} must be one time percentage for an interference map")
    if quantity not in ("i_n_db", "i_dbw"):
        raise ValueError(f"quantity = {quantity!r} must be 'i_n_db' or 'i_dbw'")
    if model not in MODELS:
        raise ValueError(f"model = {model!r} must be one of {', '.join(MODELS)}")
    if dem is not None or _radials is None:  # (a tile of a distributed map may get the radials only)
        dem = terrain._as_dem(dem)
    vic = _victim(victim_template, register)
    txs = [s if isinstance(s, _Tx) else _station(s, register, who=f"interferers[{k}]")
           for k, s in enumerate(interferers)]
    if not txs:
        raise ValueError("interferers is empty: give at least one interfering station")
    fdrs = model_kw.pop("_fdrs", None) or [_fdr(t, vic, k) for k, t in enumerate(txs)]
    bil = _check_interp(interp)
    if grid is None:
        lat, lon = map_grid(dem, txs[0].lat, txs[0].lon, 30.0 if radius_km is None else radius_km,
                            resolution_arcsec=resolution_arcsec, shape=shape)
    else:
        lat, lon = _grid_from(grid)
    if _radials is None:  # (reach, n_radials) of each interferer, from the whole grid
        _radials = []
        for tx in txs:
            dist = _pixel_polar(tx.lat, tx.lon, lat, lon)[0]
            reach = radius_km if radius_km is not None else float(np.max(dist)) * 1.001 + 1e-3
            _radials.append((reach, _resolve_radials(n_radials, lat, lon, dist, reach)))
    if client is not None:
        from .distributed.maps import map_tiles

        # each interferer's radials sampled once, here; the DEM travels only for a pointed victim antenna
        _radials = [(reach, nr, _check_radials(nr) and terrain.radial_profiles(dem, tx.lat, tx.lon, reach, int(nr),
                                                                               step_m, outside="nan"))
                    for (reach, nr), tx in zip(_radials, txs)]
        pointed = vic["antenna"] is not None and vic["azimuth"] is not None
        rx = Receiver(h_agl_m=vic["h"], f_mhz=vic["f_mhz"], bw_khz=vic["bw_khz"], noise_figure_db=vic["nf_db"],
                      g_dbi=vic["g_dbi"], antenna=vic["antenna"], azimuth_deg=vic["azimuth"], tilt_deg=vic["tilt"],
                      feeder_loss_db=vic["feeder"], protection_db=vic["protection_db"])
        kw = dict(victim_template=rx, interferers=txs, model=model, p=p, radius_km=radius_km,
                  step_m=step_m, interp=interp, zone=zone, quantity=quantity, _radials=_radials, _fdrs=fdrs,
                  _dem_source=str(dem.attrs.get("source", "")), **model_kw)
        return map_tiles(client, _interference_tile, dem if pointed else None, lat, lon, kw, kind="interference",
                         progress=progress)
    n_dbw = 10.0 * math.log10(1.380649e-23 * 290.0 * vic["bw_khz"] * 1e3) + vic["nf_db"]
    terms = np.empty((len(txs), lat.size * lon.size))
    if vic["antenna"] is not None and vic["azimuth"] is not None:
        glat, glon = np.meshgrid(lat, lon, indexing="ij")
        hpix = terrain.elevation_m(dem, np.clip(glat, *terrain.dem_bounds(dem)[:2]),
                                   np.clip(glon, *terrain.dem_bounds(dem)[2:]))
    radials_used = []
    for k, tx in enumerate(txs):
        pix = _pixel_polar(tx.lat, tx.lon, lat, lon)
        reach, nr_k = _radials[k][:2]
        radials_used.append(nr_k)
        pm = polar_map(dem, None, model, radius_km=reach, f_mhz=tx.f_mhz, p=p, hrg_m=vic["h"],
                       n_radials=nr_k, step_m=step_m, zone=zone, _tx=tx, _pixels=(*pix, bil),
                       _radials=_radials[k][2] if len(_radials[k]) > 2 else None, **model_kw)
        gt = np.broadcast_to(_tx_gain_rel(tx, pm.radials, vic["h"], tx.f_mhz), pm.values.shape[2:])
        i_polar = tx.eirp + gt - pm.values[0, 0] - vic["feeder"] - fdrs[k]
        ik = _to_grid(i_polar[None], pm, lat, lon, interp, pix)[0]
        if vic["antenna"] is not None and vic["azimuth"] is not None:
            brg = geo.bearing_deg(glat, glon, tx.lat, tx.lon)
            dkm = geo.distance_km(glat, glon, tx.lat, tx.lon)
            hts = float(terrain.elevation_m(dem, tx.lat, tx.lon)) + tx.h
            el = np.clip(np.nan_to_num(elevation_deg(dkm, hpix + vic["h"], hts)), -90.0, 90.0)
            ik = ik + gain_toward_dbi(vic["antenna"], vic["azimuth"], vic["tilt"], brg, el, tx.f_mhz)
        else:
            ik = ik + vic["g_dbi"]
        terms[k] = ik.ravel()
    agg = np.empty(lat.size * lon.size)
    _k.power_sum_db(terms, agg)
    agg = agg.reshape(lat.size, lon.size)
    vals = agg - n_dbw if quantity == "i_n_db" else agg
    units, long_name = ("dB", "aggregate interference-to-noise ratio I/N") if quantity == "i_n_db" else \
        ("dBW", "aggregate interference power at the receiver input")
    attrs = _clean_attrs({
        "model": MODELS[model], "n_dbw": n_dbw, "victim_h_agl_m": vic["h"], "victim_f_mhz": vic["f_mhz"],
        "victim_bw_khz": vic["bw_khz"], "victim_noise_figure_db": vic["nf_db"], "victim_g_dbi": vic["g_dbi"],
        "protection_i_n_db": vic["protection_db"], "n_interferers": len(txs), "n_radials": max(radials_used),
        "radius_km": "to every pixel" if radius_km is None else float(radius_km), "interp": interp,
        "software": "spectrum", "software_version": __version__,
        "dem_source": _dem_source if _dem_source is not None else str(dem.attrs.get("source", "")),
        "inputs_json": {"interferers": [t.to_dict() for t in txs], "fdr_db": fdrs, "p": float(p), "model": model,
                        "n_radials": radials_used,
                        "victim": {k: v for k, v in vic.items() if k != "antenna"}},
    })
    return _wrap(vals[None, None], np.array([vic["f_mhz"]]), np.array([float(p)]), lat, lon, quantity, units,
                 f"{long_name} ({MODELS[model]})", attrs)


def _check_radials(n_radials) -> bool:
    if isinstance(n_radials, (str, type(None))) or int(n_radials) != n_radials or not 4 <= n_radials <= 36000:
        raise ValueError(f"n_radials = {n_radials!r} must be an integer in [4, 36000], 'auto' or None")
    return True


def _field_strength_tile(rad, kw, lat, lon):
    """One tile of a distributed :func:`field_strength_map` (runs on a worker, from the radials)."""
    return field_strength_map(None, grid=(lat, lon), _radials=rad, **kw)


def _interference_tile(dem, kw, lat, lon):
    """One tile of a distributed :func:`interference_map` (runs on a worker)."""
    return interference_map(dem, grid=(lat, lon), **kw)


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------

def save_map(da: xr.DataArray, path) -> "Path":
    """Write a map to NetCDF-4 (``.nc``) or HDF5 (``.h5`` / ``.hdf5``) through :mod:`spectrum.io`
    (atomic, with provenance)."""
    from pathlib import Path

    from . import io

    p = Path(path)
    model = str(da.attrs.get("model", "")) or None
    suffix = p.suffix.lower()
    if suffix in (".nc", ".nc4", ".netcdf"):
        return io.write_netcdf(da, p, model=model)
    if suffix in (".h5", ".hdf5", ".he5"):
        return io.write_dataarray_hdf5(da, p, model=model)
    raise ValueError(f"{p}: unknown map file type {suffix!r} (use .nc or .h5)")
