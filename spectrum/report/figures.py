"""Figures of a decision report (matplotlib, Agg, no network): the map (terrain, stations, the
candidate's interference contour) and path profiles of the worst cases with the first Fresnel zone.

Figures are :class:`matplotlib.figure.Figure` objects made without pyplot (no global state, safe
off the GUI thread). Profiles use :func:`spectrum.terrain.profile` and
:func:`spectrum.terrain.line_of_sight` (Earth bulge with k = 4/3, first Fresnel radius of
Rec. ITU-R P.526-16 §2 Eq. (2)).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .content import DECISION_COLOURS, STATUS_COLOURS, ReportData, finite

#: largest terrain raster drawn on the map [pixels per side]; the DEM is decimated to it
MAP_MAX_PX = 500
#: default receiver height when a registered station's height is not known [m]
DEFAULT_H_M = 10.0


def _figure(w_in: float, h_in: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(w_in, h_in), dpi=100)


def _pts(rows, key_lat="lat", key_lon="lon"):
    la = np.array([float(r[key_lat]) if finite(r.get(key_lat)) else np.nan for r in rows], dtype=float)
    lo = np.array([float(r[key_lon]) if finite(r.get(key_lon)) else np.nan for r in rows], dtype=float)
    return la, lo


def map_extent(data: ReportData, contour=None, margin: float = 0.08) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lon_min, lon_max) holding the candidate, every station and the contour map."""
    lats, lons = [], []
    for end in ("tx", "rx"):
        t = data.request.get(end)
        if isinstance(t, Mapping) and finite(t.get("lat")):
            lats.append(float(t["lat"]))
            lons.append(float(t["lon"]))
    for rows in (data.victim_rows, data.interferer_rows):
        la, lo = _pts(rows)
        lats += list(la[np.isfinite(la)])
        lons += list(lo[np.isfinite(lo)])
    if contour is not None:
        lats += [float(contour.lat.min()), float(contour.lat.max())]
        lons += [float(contour.lon.min()), float(contour.lon.max())]
    if not lats:
        return (-1.0, 1.0, -1.0, 1.0)
    la0, la1, lo0, lo1 = min(lats), max(lats), min(lons), max(lons)
    pad_la = max(margin * (la1 - la0), 0.02)
    pad_lo = max(margin * (lo1 - lo0), 0.02)
    return (max(la0 - pad_la, -90.0), min(la1 + pad_la, 90.0), lo0 - pad_lo, lo1 + pad_lo)


def _terrain_grid(dem, extent):
    """The DEM grid over ``extent`` = (lat_min, lat_max, lon_min, lon_max): a slice of a DataArray,
    or for a tile :class:`~spectrum.terrain.Catalogue` (a ``--dem`` folder, ``$SPECTRUM_TERRAIN``)
    the crop read from its tiles (:func:`spectrum.terrain.crop_dem`), no finer than the map draws
    (``MAP_MAX_PX`` per side); None where the catalogue has no tile in the box."""
    from ..terrain import crop_dem
    from ..terrain.grid import _is_cat

    if _is_cat(dem):
        if not dem.touched_box(extent).size:
            return None
        la0, la1, lo0, lo1 = extent
        res = max(dem.dlat, max(la1 - la0, lo1 - lo0) / MAP_MAX_PX)
        # posts from the south-west corner every res, through the north-east corner (a zoom smaller
        # than two posts still gets a covering 2 x 2 grid, drawn bilinear)
        box = (la0, la0 + max(math.ceil((la1 - la0) / res - 1e-9), 1) * res,
               lo0, lo0 + max(math.ceil((lo1 - lo0) / res - 1e-9), 1) * res)
        return crop_dem(dem, box) if res == dem.dlat else dem.read(box, res_deg=res)
    asc = bool(dem.lat[0] < dem.lat[-1])
    return dem.sel(lat=slice(extent[0], extent[1]) if asc else slice(extent[1], extent[0]),
                   lon=slice(extent[2], extent[3]))


def _terrain(ax, dem, extent) -> bool:
    """Hill-shaded terrain of ``dem`` inside ``extent`` on ``ax``; False if the DEM does not cover it."""
    import matplotlib
    from matplotlib.colors import LightSource

    try:
        sub = _terrain_grid(dem, extent)
    except Exception:  # noqa: BLE001 - any DEM we cannot slice is drawn without terrain
        return False
    if sub is None or sub.size == 0 or min(sub.shape) < 2 or not np.isfinite(np.asarray(sub.values, float)).any():
        return False
    sy = max(1, math.ceil(sub.shape[0] / MAP_MAX_PX))
    sx = max(1, math.ceil(sub.shape[1] / MAP_MAX_PX))
    sub = sub.isel(lat=slice(None, None, sy), lon=slice(None, None, sx))
    z = np.asarray(sub.values, dtype=float)
    lat = sub.lat.values
    if lat[0] < lat[-1]:
        z, lat = z[::-1], lat[::-1]
    zf = np.where(np.isfinite(z), z, 0.0)
    top = max(float(np.max(zf)), 20.0)
    # the terrain colour map's sea (blue) spans its lowest 22 %: put 0 m there
    vmin = min(float(np.min(zf)), -0.22 / 0.78 * top)
    rgb = LightSource(azdeg=315, altdeg=45).shade(zf, cmap=matplotlib.colormaps["terrain"], vert_exag=0.05,
                                                  blend_mode="soft", vmin=vmin, vmax=top)
    ax.imshow(rgb, extent=(sub.lon.values[0], sub.lon.values[-1], lat[-1], lat[0]), origin="upper",
              interpolation="bilinear", zorder=0, aspect="auto", alpha=0.8)
    return True


def _contour_bbox(contour, level):
    z = np.asarray(contour.values, dtype=float)
    with np.errstate(invalid="ignore"):
        m = z >= level
    if not m.any():
        return None
    la = contour.lat.values[m.any(axis=1)]
    lo = contour.lon.values[m.any(axis=0)]
    return float(la.min()), float(la.max()), float(lo.min()), float(lo.max())


def _draw_layers(ax, data: ReportData, contour, level, extent, n_lines: int, small: bool = False) -> list:
    """Everything but the terrain on ``ax``; the legend handles."""
    from matplotlib.patches import Patch

    handles = []
    k = 0.6 if small else 1.0
    if contour is not None and level is not None:
        z = np.asarray(contour.values, dtype=float)
        if np.isfinite(z).any() and np.nanmax(z) >= level:
            zz = np.where(np.isfinite(z), z, -np.inf)
            ax.contourf(contour.lon.values, contour.lat.values, zz, levels=[level, np.inf], colors=["#d62728"],
                        alpha=0.22, zorder=2)
            ax.contour(contour.lon.values, contour.lat.values, zz, levels=[level], colors=["#d62728"],
                       linewidths=1.4 * k, zorder=3)
        handles.append(Patch(facecolor="#d62728", alpha=0.3, edgecolor="#d62728",
                             label=f"the candidate's interference contour ({level:.1f} dBW, see below)"))
    tx = data.request.get("tx") if isinstance(data.request.get("tx"), Mapping) else None
    rx = data.request.get("rx") if isinstance(data.request.get("rx"), Mapping) else None
    worst_v = sorted((r for r in data.victim_rows if finite(r.get("margin_db"))),
                     key=lambda r: float(r["margin_db"]))[:n_lines]
    if tx is not None:
        for r in worst_v:
            ax.plot([tx["lon"], r["lon"]], [tx["lat"], r["lat"]], color=STATUS_COLOURS.get(str(r.get("status")), "k"),
                    lw=0.9 * k, ls="--", zorder=4)
    la, lo = _pts(data.interferer_rows)
    if la.size:
        handles.append(ax.scatter(lo, la, marker="^", s=38 * k, c="#1f77b4", edgecolors="white", linewidths=0.6,
                                  zorder=5, label=f"registered transmitters ({la.size})"))
    by_status: dict[str, list] = {}
    for r in data.victim_rows:
        by_status.setdefault(str(r.get("status", "")), []).append(r)
    for st in ("ok", "uncertain", "marginal", "harmful"):
        rows = by_status.pop(st, [])
        if rows:
            la, lo = _pts(rows)
            handles.append(ax.scatter(lo, la, marker="o", s=(30 if st == "ok" else 46) * k, c=STATUS_COLOURS[st],
                                      edgecolors="white", linewidths=0.6, zorder=6,
                                      label=f"registered receivers: {st} ({len(rows)})"))
    for st, rows in by_status.items():
        la, lo = _pts(rows)
        handles.append(ax.scatter(lo, la, marker="o", s=30 * k, c="#9467bd", zorder=6,
                                  label=f"registered receivers: {st or 'unknown'} ({len(rows)})"))
    colour = DECISION_COLOURS.get(data.decision, "k")
    for end, mk, name in ((tx, "*", "candidate transmitter"), (rx, "P", "candidate receiver")):
        if end is not None and finite(end.get("lat")):
            handles.append(ax.scatter([end["lon"]], [end["lat"]], marker=mk, s=(260 if mk == "*" else 120) * k,
                                      c=colour, edgecolors="black", linewidths=0.9, zorder=8, label=name))
    ax.set_xlim(extent[2], extent[3])
    ax.set_ylim(extent[0], extent[1])
    ax.set_aspect(1.0 / max(math.cos(math.radians(0.5 * (extent[0] + extent[1]))), 1e-3))
    ax.grid(True, lw=0.3, alpha=0.5)
    return handles


def map_figure(data: ReportData, dem=None, contour=None, contour_level: float | None = None,
               contour_label: str | None = None, n_lines: int = 3):
    """Map: terrain (hill-shaded), registered victims coloured by status, interferers, the candidate
    transmitter and receiver, lines to the worst victims, and the candidate's interference contour
    (with a zoomed inset when the contour is small on the map)."""
    import textwrap

    fig = _figure(8.27, 9.5)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.75))
    extent = map_extent(data, None)
    drew_terrain = dem is not None and _terrain(ax, dem, extent)
    handles = _draw_layers(ax, data, contour, contour_level, extent, n_lines)
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.set_xlabel("longitude [deg E]")
    ax.set_ylabel("latitude [deg N]")
    ax.set_title(f"{data.title}: {data.decision.upper()}" + ("" if drew_terrain else "  (no terrain data)"),
                 fontsize=10)
    bb = None if contour is None or contour_level is None else _contour_bbox(contour, contour_level)
    if bb is not None and (bb[1] - bb[0]) < 0.3 * (extent[1] - extent[0]) \
            and (bb[3] - bb[2]) < 0.3 * (extent[3] - extent[2]):
        # zoom on the contour (and the candidate) in the emptiest corner of the map
        tx = data.request.get("tx") or {}
        la0, la1 = min(bb[0], tx.get("lat", bb[0])), max(bb[1], tx.get("lat", bb[1]))
        lo0, lo1 = min(bb[2], tx.get("lon", bb[2])), max(bb[3], tx.get("lon", bb[3]))
        half = 0.65 * max(la1 - la0, (lo1 - lo0) * math.cos(math.radians(0.5 * (la0 + la1))), 0.01)
        cla, clo = 0.5 * (la0 + la1), 0.5 * (lo0 + lo1)
        zext = (cla - half, cla + half, clo - half / math.cos(math.radians(cla)), clo + half / math.cos(math.radians(cla)))
        la, lo = _pts(data.victim_rows + data.interferer_rows)
        mid_la, mid_lo = 0.5 * (extent[0] + extent[1]), 0.5 * (extent[2] + extent[3])
        corners = {(0.61, 0.61): (la > mid_la) & (lo > mid_lo), (0.01, 0.61): (la > mid_la) & (lo <= mid_lo),
                   (0.61, 0.01): (la <= mid_la) & (lo > mid_lo), (0.01, 0.01): (la <= mid_la) & (lo <= mid_lo)}
        corner = min(corners, key=lambda c: int(np.sum(corners[c])))
        ins = ax.inset_axes((corner[0], corner[1], 0.38, 0.38))
        if dem is not None:
            _terrain(ins, dem, zext)
        _draw_layers(ins, data, contour, contour_level, zext, n_lines, small=True)
        ins.tick_params(labelsize=6)
        ins.ticklabel_format(useOffset=False, style="plain")
        ins.set_title("zoom on the contour", fontsize=7, pad=2)
        ax.indicate_inset_zoom(ins, edgecolor="#444444")
    if handles:
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.075), ncol=2, fontsize=7.5,
                   frameon=False)
    if contour_label:
        fig.text(0.06, 0.06, textwrap.fill("Interference contour: " + contour_label, 130), fontsize=7, va="top")
    return fig


# --------------------------------------------------------------------------------------------
# the candidate's interference contour
# --------------------------------------------------------------------------------------------
@dataclass
class Contour:
    """Co-channel interference power of the candidate transmitter at every pixel, and the level."""

    map: Any
    level_dbw: float
    label: str
    radius_km: float


def _interference_level(data: ReportData) -> tuple[float, str] | None:
    """Threshold of received power into a 0 dBi antenna [dBW]: the lowest N + I/N + FDR over the
    registered I/N victims (the most exposed one, frequency separation included), else the
    candidate's own N + I/N (co-channel)."""
    thr = [(float(r["n_dbw"]) + float(r["protection_db"]) + (float(r["fdr_db"]) if finite(r.get("fdr_db")) else 0.0),
            r) for r in data.victim_rows
           if str(r.get("criterion")) == "I/N" and finite(r.get("n_dbw")) and finite(r.get("protection_db"))]
    if thr:
        level, r = min(thr, key=lambda t: t[0])
        fdr = float(r["fdr_db"]) if finite(r.get("fdr_db")) else 0.0
        return level, (f"N + I/N + FDR of the most exposed victim, {r.get('licence_number', '')} "
                       f"{r.get('station_name', '')}: {float(r['n_dbw']):.1f} {float(r['protection_db']):+g} "
                       f"+ {fdr:.1f} dB").replace("  ", " ")
    req = data.request
    if finite(req.get("bw_khz")) and finite(req.get("noise_figure_db")) and req.get("protection", "I/N") == "I/N":
        from ..interference import noise_dbw

        n = float(noise_dbw(float(req["bw_khz"]), float(req["noise_figure_db"])))
        return n + float(req.get("protection_db", -10.0)), "co-channel, the candidate's own N + I/N"
    return None


def interference_contour(data: ReportData, dem, *, register=None, radius_km: float | None = None,
                         shape: tuple[int, int] = (121, 121), hrg_m: float = 10.0, n_radials: int = 180):
    """The candidate transmitter's co-channel interference map (received power into a 0 dBi antenna
    at ``hrg_m``, at the long-term time percentage, the evaluation's model) and the level of the
    victims' threshold; None when there is no transmitter, no usable model or no threshold.

    The map is :func:`spectrum.coverage.field_strength_map` with ``quantity="pr_dbw"``; it ignores the
    frequency separation (FDR) of each victim, so it is the area where a co-channel receiver would
    be interfered with, a worst case to read beside the victims table.
    """
    tx = data.request.get("tx")
    if not isinstance(tx, Mapping) or not finite(data.request.get("eirp_dbw")) or dem is None:
        return None
    model = str(data.inputs_raw.get("model", "p452"))
    if model not in ("p452", "p1812", "itm"):
        model = "p452"
    lev = _interference_level(data)
    if lev is None:
        return None
    p = float(data.inputs_raw.get("p_long_percent", 20.0)) if finite(data.inputs_raw.get("p_long_percent")) else 20.0
    if radius_km is None:
        d = [float(r["d_km"]) for r in data.victim_rows if finite(r.get("d_km")) and finite(r.get("margin_db"))
             and float(r["margin_db"]) < float(data.inputs_raw.get("coordination_margin_db", 3.0) or 3.0) + 10.0]
        radius_km = float(np.clip(1.3 * max(d, default=10.0), 5.0, 60.0))
    from ..coverage import field_strength_map

    station = {"lat": tx["lat"], "lon": tx["lon"], "h_agl_m": tx.get("h_agl_m", 10.0),
               "f_mhz": data.request.get("f_mhz"), "eirp_dbw": data.request["eirp_dbw"],
               "g_dbi": tx.get("g_dbi", 0.0), "azimuth_deg": tx.get("azimuth_deg", 0.0),
               "tilt_deg": tx.get("tilt_deg", 0.0), "polarisation": data.request.get("polarisation", "v")}
    pattern = tx.get("antenna_pattern")
    if pattern is not None and (register is not None or not isinstance(pattern, str)):
        station["antenna_pattern"] = pattern
    kw = {"p": p}
    if model == "p1812":
        kw["p"] = max(p, 1.0)
    da = field_strength_map(dem, station, model, quantity="pr_dbw", radius_km=radius_km, shape=shape, hrg_m=hrg_m,
                            n_radials=n_radials, register=register, **kw)
    level, why = lev
    ant = "its antenna pattern" if "antenna_pattern" in station else f"omni {fmt_g(station['g_dbi'])} dBi"
    label = (f"received power ≥ {level:.1f} dBW into a 0 dBi antenna at {hrg_m:g} m ({why}); p = {kw['p']:g} %, "
             f"{model.upper()}, candidate Tx with {ant}")
    return Contour(map=da, level_dbw=level, label=label, radius_km=radius_km)


def fmt_g(v) -> str:
    return f"{float(v):g}" if finite(v) else "–"


# --------------------------------------------------------------------------------------------
# path profiles of the worst cases
# --------------------------------------------------------------------------------------------
@dataclass
class ProfileCase:
    """One worst-case path and its line-of-sight geometry."""

    title: str
    direction: str
    a_label: str
    b_label: str
    f_mhz: float
    htg_m: float
    hrg_m: float
    los: Any
    h_m: np.ndarray
    note: str = ""


def _height(row: Mapping[str, Any], register) -> tuple[float, str]:
    if finite(row.get("h_agl_m")):
        return float(row["h_agl_m"]), ""
    if register is not None and finite(row.get("lat")) and row.get("station_id") is not None:
        try:
            for r in register.query(lat=float(row["lat"]), lon=float(row["lon"]), radius_km=0.05, status=None):
                if str(r.station_id) == str(row["station_id"]):
                    return float(r.h_agl_m), ""
        except Exception:  # noqa: BLE001 - a register that cannot answer: fall back to the default
            pass
    return DEFAULT_H_M, f"height of {row.get('station_name') or 'the station'} not in the evaluation: {DEFAULT_H_M:g} m assumed"


def worst_cases(data: ReportData, n_victims: int = 2, n_interferers: int = 2) -> list[tuple[str, dict]]:
    """The victims with the smallest computed margins and the interferers with the largest I."""
    v = sorted((r for r in data.victim_rows if finite(r.get("margin_db"))), key=lambda r: float(r["margin_db"]))
    i = sorted((r for r in data.interferer_rows if finite(r.get("i_long_dbw"))), key=lambda r: -float(r["i_long_dbw"]))
    return [("victim", r) for r in v[:n_victims]] + [("interferer", r) for r in i[:n_interferers]]


def profile_cases(data: ReportData, dem, *, register=None, n_victims: int = 2, n_interferers: int = 2,
                  step_m: float | None = None) -> list[ProfileCase]:
    """Terrain profiles of :func:`worst_cases` (skipping paths the DEM does not cover)."""
    from .. import terrain

    if dem is None:
        return []
    out = []
    tx, rx = data.request.get("tx"), data.request.get("rx")
    for kind, r in worst_cases(data, n_victims, n_interferers):
        h_row, note = _height(r, register)
        name = f"{r.get('licence_number', '')} {r.get('station_name', '')}".strip()
        if kind == "victim":
            if not isinstance(tx, Mapping):
                continue
            a, b = (float(tx["lat"]), float(tx["lon"])), (float(r["lat"]), float(r["lon"]))
            htg, hrg, f = float(tx.get("h_agl_m", 10.0)), h_row, float(data.request.get("f_mhz"))
            title = (f"Victim {name}: margin {float(r['margin_db']):+.1f} dB, {fmt_g(r.get('d_km'))} km"
                     if finite(r.get("d_km")) else f"Victim {name}: margin {float(r['margin_db']):+.1f} dB")
            labels = ("candidate Tx", name or "victim Rx")
        else:
            if not isinstance(rx, Mapping):
                continue
            a, b = (float(r["lat"]), float(r["lon"])), (float(rx["lat"]), float(rx["lon"]))
            htg, hrg = h_row, float(rx.get("h_agl_m", 10.0))
            f = float(r["f_mhz"]) if finite(r.get("f_mhz")) else float(data.request.get("f_mhz"))
            title = f"Interferer {name}: I = {float(r['i_long_dbw']):.1f} dBW (long-term)"
            labels = (name or "interferer Tx", "candidate Rx")
        if a == b:
            continue
        try:
            d_km, h_m = terrain.profile(dem, a, b, step_m=step_m)
            los = terrain.line_of_sight(d_km, h_m, htg, hrg, f_mhz=f)
        except ValueError as exc:
            out.append(ProfileCase(title=title, direction=kind, a_label=labels[0], b_label=labels[1], f_mhz=f,
                                   htg_m=htg, hrg_m=hrg, los=None, h_m=np.array([]), note=f"no profile: {exc}"))
            continue
        out.append(ProfileCase(title=title, direction=kind, a_label=labels[0], b_label=labels[1], f_mhz=f,
                               htg_m=htg, hrg_m=hrg, los=los, h_m=np.asarray(h_m), note=note))
    return out


def draw_profile(ax, case: ProfileCase) -> None:
    """Terrain with Earth bulge (k = 4/3), the ray between the antennas and the first Fresnel zone."""
    if case.los is None:
        ax.text(0.5, 0.5, case.note, ha="center", va="center", fontsize=8, wrap=True, transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(case.title, fontsize=9)
        return
    los = case.los
    d = los.d_km
    base = float(np.nanmin(los.terrain_m)) - 10.0
    ax.fill_between(d, base, los.terrain_m, color="#a0785a", alpha=0.85, lw=0, label="terrain + Earth bulge (k = 4/3)")
    ax.plot(d, los.ray_m, color="#d62728", lw=1.2, label="line of sight")
    if los.fresnel_m is not None:
        ax.plot(d, los.ray_m + los.fresnel_m, color="#1f77b4", lw=0.8, ls="--", label="first Fresnel zone")
        ax.plot(d, los.ray_m - los.fresnel_m, color="#1f77b4", lw=0.8, ls="--")
        ax.fill_between(d, los.ray_m - los.fresnel_m, los.ray_m + los.fresnel_m, color="#1f77b4", alpha=0.08, lw=0)
    ax.plot([d[0], d[0]], [los.terrain_m[0], los.ray_m[0]], color="k", lw=2)
    ax.plot([d[-1], d[-1]], [los.terrain_m[-1], los.ray_m[-1]], color="k", lw=2)
    ax.annotate(case.a_label, (d[0], los.ray_m[0]), xytext=(3, 4), textcoords="offset points", fontsize=7)
    ax.annotate(case.b_label, (d[-1], los.ray_m[-1]), xytext=(-3, 4), textcoords="offset points", fontsize=7,
                ha="right")
    ax.set_xlim(d[0], d[-1])
    ax.set_ylim(base, max(float(np.nanmax(los.ray_m + (los.fresnel_m if los.fresnel_m is not None else 0))),
                          float(np.nanmax(los.terrain_m))) + 20.0)
    ax.set_xlabel("distance [km]", fontsize=8)
    ax.set_ylabel("height [m]", fontsize=8)
    ax.tick_params(labelsize=7)
    clear = (f"min clearance {los.min_clearance_m:+.0f} m"
             + (f" ({los.min_clearance_f1:+.2f} F1)" if los.min_clearance_f1 is not None and
                math.isfinite(los.min_clearance_f1) else "") + f" at {los.d_min_km:.1f} km")
    ax.set_title(f"{case.title}\n{case.f_mhz:g} MHz, antennas {case.htg_m:g} m / {case.hrg_m:g} m agl; {clear}",
                 fontsize=8)
    ax.legend(fontsize=6, loc="lower center", ncol=3)
    if case.note:
        ax.text(0.01, 0.02, case.note, fontsize=6, transform=ax.transAxes, va="bottom")
    ax.grid(True, lw=0.3, alpha=0.5)


def profiles_figure(cases: list[ProfileCase], per_page: int = 2):
    """Profiles stacked ``per_page`` to an A4 figure; a list of figures."""
    figs = []
    for k in range(0, len(cases), per_page):
        chunk = cases[k:k + per_page]
        fig = _figure(8.27, 11.69 * len(chunk) / per_page if per_page else 5.0)
        for j, c in enumerate(chunk):
            draw_profile(fig.add_subplot(len(chunk), 1, j + 1), c)
        fig.tight_layout(h_pad=2.0)
        figs.append(fig)
    return figs


def png_bytes(fig, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes (Agg)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
