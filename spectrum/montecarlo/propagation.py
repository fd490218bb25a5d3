"""Per-event path loss of a Monte Carlo path: free space, Hata, P.452, P.1812, P.2001, P.1546,
plus P.2108 clutter and a random variation.

* ``free-space``: Rec. ITU-R P.525-4 Eq. (7) (:func:`spectrum.kernels.mc.free_space_loss`).
* ``hata``: Okumura-Hata / COST-231 Hata median loss (:mod:`spectrum.kernels.hata`) with the
  higher antenna as the base station; below 1 km the loss is never less than free space
  (the median formula is not defined there: ``max(L_Hata(d), L_fs(d))``, as SEAMCAT's extended
  Hata keeps the loss above free space).
* ``p452`` / ``p1812`` over terrain: a polar grid of radial profiles around the path's fixed end
  (the victim receiver, typically) is sampled once from the DEM; each event's other end is
  snapped to the nearest grid node (azimuth step 360/n_azimuths, distance step ``step_m``), the
  radial's prefix is its profile and the P.452-18 / P.1812-6 kernels run per event
  (:mod:`spectrum.kernels.mc_terrain`); when the model's inputs are constant over the events the
  loss of each grid cell is computed once and memoised.
* ``p2001``: the same grid; P.2001-4 with the typical climate of
  :data:`spectrum.propagation.p2001.TYPICAL_CLIMATE` (rain parameters included, so results do not
  depend on whether the ``itur`` maps are installed); memoised per cell for constant inputs,
  else computed per event in chunks.
* ``p1546``: Rec. ITU-R P.1546-6 with the transmitting antenna's effective height over the
  terrain 3-15 km toward the receiver (0.2 d - d below 15 km; Annex 5 §3 / §4.3) from the grid,
  or its height above ground without terrain.

A ``variation_db`` distribution is added per event (e.g. a log-normal shadowing spread) and
``clutter`` adds Rec. ITU-R P.2108-1 §3.2 terrestrial clutter loss at one or both ends with the
location percentage drawn per event (paths shorter than 0.25 km take the 0.25 km value).
"""
from __future__ import annotations

import math

import numpy as np

from ..kernels import hata as _kh
from ..kernels import mc as _kmc
from ..kernels import mc_terrain as _kt
from ..kernels import p2108 as _k2108
from .positions import is_fixed, latlon_from_xy, max_extent_km
from .schema import Propagation, Workspace
from .streams import Streams

__all__ = ["PathModel", "terrain_dem"]

_DEM_CACHE: dict = {}
_P452_ZONE = {"coastal": 1.0, "inland": 2.0, "sea": 3.0}
_P1812_ZONE = {"sea": 1.0, "coastal": 3.0, "inland": 4.0}


def terrain_dem(ws: Workspace, radius_km: float):
    """The workspace's DEM (loaded or synthesised once per process) covering ``radius_km`` around the origin."""
    t = ws.terrain
    key = (repr(sorted(t.items(), key=lambda kv: kv[0])), ws.origin, round(radius_km, 3))
    hit = _DEM_CACHE.get(key)
    if hit is not None:
        return hit
    from .. import terrain

    if t.get("dem") is not None:
        dem = terrain.load_dem(t["dem"])
    else:
        s = dict(t["synthetic"])
        lat0, lon0 = ws.origin
        dlat = (radius_km + 5.0) / 111.0
        dlon = dlat / max(math.cos(math.radians(lat0)), 0.05)
        allowed = ("seed", "res_arcsec", "relief_m", "plain_m", "beta", "hills", "coast", "sea_fraction")
        bad = [k for k in s if k not in allowed]
        if bad:
            raise ValueError(f"terrain.synthetic.{bad[0]} is not a parameter (parameters: {', '.join(allowed)})")
        s.setdefault("res_arcsec", 3.0)
        dem = terrain.synthetic_dem(lat0 - dlat, lat0 + dlat, lon0 - dlon, lon0 + dlon, **s)
    _DEM_CACHE.clear()
    _DEM_CACHE[key] = dem
    return dem


def _free_space(d_km, f_mhz) -> np.ndarray:
    """P.525-4 Eq. (7) over arrays (NumPy's SIMD log10; :func:`spectrum.kernels.mc.free_space_loss`
    is the same formula as a kernel). [dB]"""
    f = np.asarray(f_mhz, float)
    if f.size == 1:
        return (_kmc.FS_CONST_DB + 20.0 * math.log10(float(f.reshape(-1)[0]))) + 20.0 * np.log10(d_km)
    return _kmc.FS_CONST_DB + 20.0 * np.log10(f) + 20.0 * np.log10(d_km)


def _check_bounds(label, dist_or_val, lo, hi, what, unit):
    b = dist_or_val.bounds() if hasattr(dist_or_val, "bounds") else (dist_or_val, dist_or_val)
    if b[0] < lo or b[1] > hi:
        raise ValueError(f"{label}: {what} spans [{b[0]:g}, {b[1]:g}] {unit}; the model needs [{lo:g}, {hi:g}] {unit}")


class PathModel:
    """The loss of one path of the scenario (``a`` transmitting to ``b``) per event.

    Parameters
    ----------
    ws : Workspace
    prop : Propagation
    a, b : str
        Element names of the transmitting and receiving ends.
    f_dist : Distribution
        Frequency of the path. [MHz]
    label : str
        Field path of the propagation spec, for messages and stream names.
    """

    def __init__(self, ws: Workspace, prop: Propagation, a: str, b: str, f_dist, label: str):
        self.ws, self.prop, self.a, self.b, self.label = ws, prop, a, b, label
        self.model = prop.model
        fb = f_dist.bounds()
        ha, hb = ws.element(a).height_m, ws.element(b).height_m
        self._const = f_dist.is_constant and all(not isinstance(h, str) and h.is_constant for h in (ha, hb)) and \
            all(d.is_constant for k, d in prop.params.items() if hasattr(d, "is_constant"))
        if self.model == "hata":
            _check_bounds(label, f_dist, 150.0, 2000.0, "the frequency", "MHz")
        if prop.clutter is not None:
            _check_bounds(f"{label}.clutter", f_dist, 500.0, 67000.0, "the frequency", "MHz")
        if self.model == "p452":
            _check_bounds(label, f_dist, 100.0, 50000.0, "the frequency", "MHz")
        if self.model == "p1812":
            _check_bounds(label, f_dist, 30.0, 6000.0, "the frequency", "MHz")
        if self.model == "p2001":
            _check_bounds(label, f_dist, 30.0, 50000.0, "the frequency", "MHz")
        if self.model == "p1546":
            _check_bounds(label, f_dist, 30.0, 4000.0, "the frequency", "MHz")
        for nm, h in ((a, ha), (b, hb)):
            if self.model in ("p452", "p1812", "p2001", "p1546") and not isinstance(h, str) and h.bounds()[0] <= 0:
                raise ValueError(f"{label}: {ws.element(nm).extra['path']}.height_m must be > 0 m for {self.model}")
        self.grid = None
        self.paths = None
        if prop.terrain and self.model != "p1546" or (self.model == "p1546" and ws.terrain is not None):
            self._prepare_grid()
        del fb

    # ------------------------------------------------------------------ terrain grid
    def _prepare_grid(self):
        ws, prop = self.ws, self.prop
        if is_fixed(ws, self.b):
            centre, other, rev = self.b, self.a, True
        elif is_fixed(ws, self.a):
            centre, other, rev = self.a, self.b, False
        else:  # both ends move: per-event great-circle profiles, sampled in batches
            radius = max_extent_km(ws, self.a) + max_extent_km(ws, self.b) + 1.0
            self.paths = {"dem": terrain_dem(ws, radius),
                          "step_m": prop.grid.get("step_m") or 100.0}
            return
        e = ws.element(centre)
        from .positions import place

        cx, cy, _ = place(_FixedOnly(ws, centre), Streams(0, 0, 1))[centre]
        radius = prop.grid.get("radius_km") or (max_extent_km(ws, other) + math.hypot(cx, cy) + 0.01)
        dem = terrain_dem(ws, max(radius + math.hypot(cx, cy), 1.0))
        from ..terrain import dem_resolution_m, radial_profiles

        step = prop.grid.get("step_m") or max(min(float(dem_resolution_m(dem)), 100.0), 30.0)
        naz = prop.grid.get("n_azimuths", 720)
        clat, clon = (float(v) for v in latlon_from_xy(ws.origin, cx, cy))
        rp = radial_profiles(dem, clat, clon, radius, naz, step)
        self.grid = {"centre": centre, "other": other, "reverse": rev, "cx": float(cx), "cy": float(cy),
                     "lat": clat, "lon": clon, "d": np.ascontiguousarray(rp.distances),
                     "h": np.ascontiguousarray(rp.heights), "naz": naz, "radius": radius,
                     "cache": np.full(rp.heights.shape, np.nan), "rp": rp}
        z = prop.params.get("zone", "inland")
        code = (_P1812_ZONE if self.model in ("p1812", "p2001") else _P452_ZONE)[z]
        self.grid["zone"] = np.full(rp.heights.shape, code)
        del e

    def cells(self, pos) -> tuple[np.ndarray, np.ndarray]:
        """(azimuth index, distance index) of each event's non-centre end on the grid."""
        g = self.grid
        x, y = pos[g["other"]][:2]
        n = self._n
        dx = np.broadcast_to(np.asarray(x, float) - g["cx"], (n,))
        dy = np.broadcast_to(np.asarray(y, float) - g["cy"], (n,))
        d = np.hypot(dx, dy)
        step = g["d"][1] - g["d"][0]
        j = np.rint(d / step).astype(np.int64)
        if j.max(initial=0) > g["d"].size - 1:
            k = int(np.argmax(j))
            raise ValueError(f"{self.label}: an event at {d[k]:.3f} km lies beyond the terrain grid radius "
                             f"{g['radius']:.3f} km (set grid.radius_km)")
        az = np.degrees(np.arctan2(dx, dy)) % 360.0
        a = np.rint(az / (360.0 / g["naz"])).astype(np.int64) % g["naz"]
        return a, j

    # ------------------------------------------------------------------ per event
    def loss(self, pos: dict, d_km: np.ndarray, f_mhz, streams: Streams) -> np.ndarray:
        """Loss of the path for the block's events, variation and clutter included. [dB]"""
        n = d_km.shape[0]
        self._n = n
        f = np.atleast_1d(np.asarray(f_mhz, float))
        ha, hb = pos[self.a][2], pos[self.b][2]
        prm = self.prop.params
        pre = f"{self.label}"
        out = np.empty(n)
        if self.model == "free-space":
            out = _free_space(d_km, f)
        elif self.model == "hata":
            hb_ = np.maximum(ha, hb) * np.ones(n)
            hm_ = np.minimum(ha, hb) * np.ones(n)
            big = 1.0 if prm["city"] == "large" else 0.0
            env = {"urban": 0.0, "suburban": 1.0, "open": 2.0}[prm["environment"]]
            ff = np.broadcast_to(f, (n,)).astype(float)
            _kh.median_loss_array(np.ascontiguousarray(ff), d_km, np.ascontiguousarray(hb_),
                                  np.ascontiguousarray(hm_), np.full(n, env), np.full(n, big),
                                  (ff > 1500.0).astype(float), out)
            fs = _free_space(d_km, f)
            out = np.where(d_km < 1.0, np.maximum(out, fs), out)
        elif self.paths is not None and self.model != "p1546":
            out = self._event_paths(pos, f, streams)
        elif self.model in ("p452", "p1812"):
            g = self.grid
            a, j = self.cells(pos)
            hc, ho = (hb, ha) if g["reverse"] else (ha, hb)
            vec = lambda v: np.ascontiguousarray(np.atleast_1d(np.asarray(v, float)))  # noqa: E731
            p = vec(streams.sample(prm["p"], f"{pre}.p"))
            if self.model == "p452":
                _kt.p452_polar(g["d"], g["h"], g["zone"], a, j, vec(f / 1000.0), p, vec(hc), vec(ho), prm["dn"],
                               prm["n0"], g["lat"], 0 if prm["pol"] == "h" else 1, 500.0, 500.0, 1013.25, 15.0,
                               self._const, g["cache"], out)
            else:
                pl = vec(streams.sample(prm["pl"], f"{pre}.pl"))
                _kt.p1812_polar(g["d"], g["h"], g["zone"], a, j, vec(f / 1000.0), p, pl, vec(hc), vec(ho),
                                prm["dn"], prm["n0"], g["lat"], 0 if prm["pol"] == "h" else 1, 500.0, 500.0,
                                self._const and prm["pl"].is_constant, g["cache"], out)
        elif self.model == "p2001":
            out = self._p2001(pos, f, streams)
        else:
            out = self._p1546(pos, d_km, f, ha, hb, streams)
        if self.prop.variation_db is not None:
            out = out + streams.sample(self.prop.variation_db, f"{pre}.variation_db")
        if self.prop.clutter is not None:
            c = self.prop.clutter
            for end in range(c["ends"]):
                pl = np.atleast_1d(streams.sample(c["pl"], f"{pre}.clutter.pl{end}")).astype(float)
                lc = np.empty(n)
                _k2108.terrestrial_loss_array(np.ascontiguousarray(np.broadcast_to(f / 1000.0, (n,))),
                                              np.ascontiguousarray(np.maximum(d_km, 0.25)),
                                              np.ascontiguousarray(np.broadcast_to(pl, (n,))), lc)
                out = out + lc
        return out

    def _event_paths(self, pos, f, streams):
        """Terrain models on paths with no fixed end: each event's great-circle profile from the DEM
        (:func:`spectrum.terrain.profiles`, in chunks of 4096 events), then the model's batch kernel."""
        from .. import terrain
        from ..kernels import p1812 as _k1812
        from ..kernels import p452 as _k452

        n = self._n
        prm = self.prop.params
        ws = self.ws
        la1, lo1 = latlon_from_xy(ws.origin, np.broadcast_to(pos[self.a][0], (n,)), np.broadcast_to(pos[self.a][1], (n,)))
        la2, lo2 = latlon_from_xy(ws.origin, np.broadcast_to(pos[self.b][0], (n,)), np.broadcast_to(pos[self.b][1], (n,)))
        ht = np.broadcast_to(np.asarray(pos[self.a][2], float), (n,))
        hr = np.broadcast_to(np.asarray(pos[self.b][2], float), (n,))
        ff = np.broadcast_to(np.asarray(f, float), (n,))
        p = np.broadcast_to(np.asarray(streams.sample(prm["p"], f"{self.label}.p"), float), (n,))
        pl = np.broadcast_to(np.asarray(streams.sample(prm["pl"], f"{self.label}.pl"), float), (n,)) \
            if self.model == "p1812" else None
        out = np.empty(n)
        zc = (_P1812_ZONE if self.model in ("p1812", "p2001") else _P452_ZONE)[prm.get("zone", "inland")]
        for s0 in range(0, n, 4096):
            sl = slice(s0, min(n, s0 + 4096))
            d, h, m = terrain.profiles(self.paths["dem"], la1[sl], lo1[sl], la2[sl], lo2[sl], self.paths["step_m"],
                                       fill=0.0, min_points=4, on_error="skip")
            k = m.size
            fs = _kmc.FS_CONST_DB + 20 * np.log10(ff[sl]) + 20 * np.log10(np.maximum(
                np.where(m > 0, d[np.arange(k), np.maximum(m - 1, 0)], 1e-3), 1e-3))
            dtot = np.where(m > 0, d[np.arange(k), np.maximum(m - 1, 0)], 0.0)
            ok = (m >= 4) & (dtot >= (0.25 if self.model == "p1812" else 0.1))
            res = fs.copy()
            if ok.any():
                idx = np.flatnonzero(ok)
                dd, hh, mm = np.ascontiguousarray(d[idx]), np.ascontiguousarray(h[idx]), m[idx].astype(np.int64)
                z = np.full(dd.shape, zc)
                one = np.ones(idx.size)
                lat_c = 0.5 * (la1[sl][idx] + la2[sl][idx])
                if self.model == "p452":
                    lb, _ = _k452.basic_transmission_loss_batch(
                        dd, hh, hh, z, mm, ff[sl][idx] / 1000.0, p[sl][idx], ht[sl][idx], hr[sl][idx],
                        prm["dn"] * one, prm["n0"] * one, lat_c, (0.0 if prm["pol"] == "h" else 1.0) * one,
                        500.0 * one, 500.0 * one, 1013.25 * one, 15.0 * one, 0 * one, 0 * one, 18, 0 * one,
                        0 * one, 0 * one, 0 * one)
                    res[idx] = lb[:, _k452.L_LB]
                elif self.model == "p1812":
                    sig = np.array([_k1812.location_std(fq / 1000.0, hq, 0.0, 100.0)
                                    for fq, hq in zip(ff[sl][idx], hr[sl][idx])])
                    r = _k1812.p1812_batch(dd, hh, np.zeros(dd.shape), z, mm, ff[sl][idx] / 1000.0, p[sl][idx],
                                           ht[sl][idx], hr[sl][idx], (0.0 if prm["pol"] == "h" else 1.0) * one,
                                           prm["dn"] * one, prm["n0"] * one, 500.0 * one, 500.0 * one, lat_c,
                                           pl[sl][idx], sig, False)
                    res[idx] = r[:, _k1812.I_LB]
                else:
                    res[idx] = self._p2001_batch(dd, hh, z, mm, ff[sl][idx], p[sl][idx], ht[sl][idx], hr[sl][idx],
                                                 la1[sl][idx], lo1[sl][idx], la2[sl][idx], lo2[sl][idx])
            out[sl] = res
        return out

    def _p2001_batch(self, d, h, z, m, f_mhz, p, htg, hrg, lat_t, lon_t, lat_r, lon_r):
        from ..propagation import p2001

        c = p2001.TYPICAL_CLIMATE
        path = p2001.prepare_path(d, h, z, htg, hrg, lat_t=lat_t, lon_t=lon_t, lat_r=lat_r, lon_r=lon_r,
                                  nd1km50=c["nd1km50"], n=m)
        foes = p2001.foes_from_maps(p, *c["foes_mhz"])
        res = path.loss(f_mhz / 1000.0, p, nd1km50=c["nd1km50"], dn_sup=c["dn_sup"], dn_sub=c["dn_sub"],
                        nd65m1=c["nd65m1"], wvsur_mid_gm3=c["wvsur_gm3"], wvsur_tx_gm3=c["wvsur_gm3"],
                        wvsur_rx_gm3=c["wvsur_gm3"], ztropo=c["ztropo"], foes1_mhz=foes, foes2_mhz=foes, pol="v",
                        mt_mm=c["mt_mm"], beta=c["beta"], pr6_pct=c["pr6_pct"], h0_km=c["h0_km"])
        return np.asarray(res.lb, float).reshape(-1)

    def _p2001(self, pos, f, streams):
        g = self.grid
        a, j = self.cells(pos)
        n = a.size
        ha, hb = pos[self.a][2], pos[self.b][2]
        hc, ho = (hb, ha) if g["reverse"] else (ha, hb)
        p = np.broadcast_to(np.asarray(streams.sample(self.prop.params["p"], f"{self.label}.p"), float), (n,))
        ff = np.broadcast_to(np.asarray(f, float), (n,))
        hc = np.broadcast_to(np.asarray(hc, float), (n,))
        ho = np.broadcast_to(np.asarray(ho, float), (n,))
        out = np.empty(n)
        if self._const:
            key = a * g["d"].size + j
            uniq, inv = np.unique(key, return_inverse=True)
            cache = g["cache"].reshape(-1)
            missing = uniq[np.isnan(cache[uniq])]
            if missing.size:
                cache[missing] = self._p2001_paths(missing // g["d"].size, missing % g["d"].size, ff[0], p[0], hc[0],
                                                   ho[0])
            return cache[uniq][inv]
        for s in range(0, n, 2048):
            sl = slice(s, min(n, s + 2048))
            out[sl] = self._p2001_paths(a[sl], j[sl], ff[sl], p[sl], hc[sl], ho[sl])
        return out

    def _p2001_paths(self, a, j, f_mhz, p, htg, hrg):
        g = self.grid
        m = j + 1
        short = m < 4
        out = np.empty(a.size)
        d = g["d"]
        fs = _kmc.FS_CONST_DB + 20 * np.log10(np.broadcast_to(f_mhz, a.shape)) + 20 * np.log10(np.maximum(d[j], 1e-3))
        out[short] = fs[short]
        k = np.flatnonzero(~short)
        if k.size:
            nmax = int(m[k].max())
            dd = np.broadcast_to(d[:nmax], (k.size, nmax)).copy()
            hh = g["h"][a[k], :nmax]
            zz = g["zone"][a[k], :nmax]
            rp = g["rp"]
            lat_r = rp.lat[a[k], j[k]]
            lon_r = rp.lon[a[k], j[k]]
            kk = k.size
            out[k] = self._p2001_batch(dd, hh, zz, m[k], np.broadcast_to(f_mhz, a.shape)[k],
                                       np.broadcast_to(p, a.shape)[k], np.broadcast_to(htg, a.shape)[k],
                                       np.broadcast_to(hrg, a.shape)[k], np.full(kk, g["lat"]), np.full(kk, g["lon"]),
                                       lat_r, lon_r)
        return out

    def _p1546(self, pos, d_km, f, ha, hb, streams):
        from ..propagation import p1546

        n = d_km.shape[0]
        prm = self.prop.params
        t = streams.sample(prm["t"], f"{self.label}.t")
        q = 50.0
        heff = np.broadcast_to(np.asarray(ha, float), (n,)).copy()
        if self.grid is not None:
            g = self.grid
            a, j = self.cells(pos)
            heff = heff + self._heff_terrain(a, j, g)
        heff = np.maximum(heff, 1.0)
        h2 = np.maximum(np.broadcast_to(np.asarray(hb, float), (n,)), 1.0)
        d = np.clip(d_km, 0.04, 1000.0)
        area = prm["area"]
        kw = {"area": "sea", "d_sea_km": d} if area == "sea" else {"area": area, "d_km": d}
        ha_m = np.maximum(np.broadcast_to(np.asarray(ha, float), (n,)), 1.0)
        return np.asarray(p1546.basic_transmission_loss(np.broadcast_to(f, (n,)), t, heff, h2, q=q, ha_m=ha_m, **kw),
                          float)

    def _heff_terrain(self, a, j, g):
        """Ground height at the transmitter minus the mean terrain 3-15 km from it toward the
        receiver (0.2 d to d for d < 15 km), P.1546-6 Annex 5 §3 / §4.3. [m]"""
        h = g["h"]
        step = g["d"][1] - g["d"][0]
        cs = np.concatenate([np.zeros((h.shape[0], 1)), np.cumsum(h, axis=1)], axis=1)
        if g["reverse"]:  # transmitter at the event end (distance index j), receiver at the centre
            ground = h[a, j]
            far = np.where(j * step >= 15.0, j - np.rint(15.0 / step), np.rint(0.0 * j)).astype(np.int64)
            near = np.where(j * step >= 15.0, j - np.rint(3.0 / step), np.rint(0.8 * j)).astype(np.int64)
            lo, hi = np.clip(np.minimum(far, near), 0, None), np.clip(np.maximum(far, near), 0, None)
        else:
            ground = h[a, 0]
            lo = np.where(j * step >= 15.0, np.rint(3.0 / step), np.rint(0.2 * j)).astype(np.int64)
            hi = np.where(j * step >= 15.0, np.rint(15.0 / step), j).astype(np.int64)
        hi = np.maximum(hi, lo)
        mean = (cs[a, hi + 1] - cs[a, lo]) / (hi - lo + 1)
        return ground - mean


class _FixedOnly:
    """A view of a workspace for placing one fixed element (no random draws needed)."""

    def __init__(self, ws, name):
        self._ws = ws
        chain = []
        n = name
        while n is not None:
            chain.append(n)
            n = ws.element(n).position.relative_to
        self.options = {"order": chain[::-1]}
        self.origin = ws.origin

    def elements(self):
        return self._ws.elements()
