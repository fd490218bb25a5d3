"""Register catalogues: named antenna patterns and spectrum masks resolved into
:class:`spectrum.antennas.Antenna` / :class:`spectrum.masks.Mask` objects, cached per run.

Used by the scenario stage (receiver selectivities) and the budget stage (gains, FDR).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ..antennas import Antenna
from ..masks import Mask

__all__ = ["MaskResolver", "MaskList", "AntennaResolver"]


class MaskList(list):
    """The masks of a station table, one per row, with ``by_object``: ``[(mask, rows), ...]`` per
    distinct mask object in order of first appearance (:func:`~.budgets.by_mask` starts from it)."""

    by_object: list | None = None


class MaskResolver:
    """Resolve register mask names / dicts / None into :class:`Mask` objects, cached."""

    def __init__(self, reg):
        self.reg = reg
        self.cache: dict = {}

    def get(self, spec, bw_khz: float, kind: str) -> Mask:
        if not (spec is None or type(spec) is str):  # names and None (the common case) skip the ABC checks
            if isinstance(spec, Mask):
                return spec
            if isinstance(spec, Mapping):
                return Mask.from_register({**spec, "kind": spec.get("kind", kind)})
        key = (spec, float(bw_khz), kind) if spec in (None, "") else (spec, kind)
        m = self.cache.get(key)
        if m is None:
            if spec in (None, ""):
                m = Mask.generic_tx(bw_khz) if kind == "tx" else Mask.generic_rx(bw_khz)
            else:
                m = Mask.from_register({**self.reg.spectrum_mask(spec), "kind": kind})
            self.cache[key] = m
        return m


    def get_many(self, specs, bw_khz, kind: str) -> list:
        """:meth:`get` for every row (each distinct (spec, bandwidth) resolved once)."""
        sp_list = list(specs)
        bw_list = np.asarray(bw_khz, dtype=float).tolist()
        if all(sp is None or type(sp) is str for sp in sp_list):
            # names and None: resolve each distinct (name, bandwidth) once, then map the rows (C loops)
            keys = list(zip(sp_list, bw_list))
            code = {k: c for c, k in enumerate(dict.fromkeys(keys))}
            masks = [self.get(sp, bw, kind) for sp, bw in code]
            ci = np.fromiter(map(code.__getitem__, keys), dtype=np.int64, count=len(keys))
            out = MaskList(map(masks.__getitem__, ci.tolist()))
            order = np.argsort(ci, kind="stable")
            bounds = np.flatnonzero(np.diff(ci[order])) + 1
            rows: dict = {}
            for grp in np.split(order, bounds) if order.size else []:
                mk = masks[int(ci[grp[0]])]
                e = rows.get(id(mk))
                if e is None:
                    rows[id(mk)] = (mk, [grp])
                else:
                    e[1].append(grp)
            first = {id(mk): int(min(g.min() for g in parts)) for mk, parts in rows.values()}
            out.by_object = [(mk, np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0])
                             for mk, parts in sorted(rows.values(), key=lambda e: first[id(e[0])])]
            return out
        out = MaskList()
        rows = {}   # id(mask) -> (mask, row indices): the by_mask grouping, made in the same pass
        for i, (sp, bw) in enumerate(zip(sp_list, bw_list)):
            mk = self.get(sp, bw, kind)
            out.append(mk)
            e = rows.get(id(mk))
            if e is None:
                e = rows[id(mk)] = (mk, [])
            e[1].append(i)
        out.by_object = list(rows.values())
        return out


class AntennaResolver:
    """Resolve register pattern names / dicts / None into :class:`Antenna` objects, cached."""

    def __init__(self, reg):
        self.reg = reg
        self.patterns: dict = {}
        self.objects: dict = {}

    def get(self, spec, g_dbi: float) -> Antenna:
        if isinstance(spec, Antenna):
            return spec
        if spec is None or spec == "":
            return Antenna("omni", float(g_dbi))
        if isinstance(spec, Mapping):
            return Antenna.from_pattern(spec, g_dbi)
        key = (spec, float(g_dbi))
        ant = self.objects.get(key)
        if ant is None:
            p = self.patterns.get(spec)
            if p is None:
                p = self.reg.antenna_pattern(spec)
                self.patterns[spec] = p
            ant = Antenna.from_pattern(p, g_dbi)
            self.objects[key] = ant
        return ant

    def gains_one(self, spec, g_dbi: float, azimuth_deg: float, tilt_deg: float, bearing, elevation,
                  f_mhz: float) -> np.ndarray:
        """Gain of one antenna (the candidate's) toward each ``bearing``/``elevation``; the same
        values as :meth:`gains` with that antenna on every row."""
        b = np.asarray(bearing, dtype=float)
        ant = self.get(spec, float(g_dbi))
        if ant.kind == "omni" or not b.size:
            return np.full(b.shape, float(g_dbi))
        az_off = ((b - float(azimuth_deg) + 180.0) % 360.0) - 180.0
        f = round(float(f_mhz), 3)
        return np.asarray(ant.gain_dbi(az_off, np.clip(np.asarray(elevation, float), -90, 90), max(f, 100.0),
                                       tilt_deg=float(tilt_deg)), dtype=float)

    def gains(self, specs, g_dbi, azimuth, tilt, bearing, elevation, f_mhz) -> np.ndarray:
        """Gain of each row's antenna toward ``bearing``/``elevation`` (rows grouped by antenna,
        gain, tilt and frequency; each group's pattern is evaluated once, vectorised)."""
        n = len(g_dbi)
        out = np.empty(n)
        if not n:
            return out
        codes: dict = {}
        first: dict = {}
        sc = np.empty(n, np.int64)
        for i, sp in enumerate(specs):  # one cheap pass: names / None hash, pattern dicts by identity
            k = sp if (sp is None or type(sp) is str) else (
                id(sp) if (type(sp) is dict or isinstance(sp, Mapping)) else sp)
            c = codes.get(k)
            if c is None:
                c = codes[k] = len(codes)
                first[c] = i
            sc[i] = c
        g = np.asarray(g_dbi, dtype=float)
        t = np.asarray(tilt, dtype=float)
        f = np.round(np.asarray(f_mhz, dtype=float), 3)
        order = np.lexsort((f, t, g, sc))
        keys = np.stack([sc[order].astype(float), g[order], t[order], f[order]], axis=1)
        starts = np.concatenate([[0], np.flatnonzero(np.any(keys[1:] != keys[:-1], axis=1)) + 1, [n]])
        for a, b in zip(starts[:-1], starts[1:]):
            idx = order[a:b]
            i0 = int(idx[0])
            ant = self.get(specs[first[int(sc[i0])]], float(g[i0]))
            if ant.kind == "omni":
                out[idx] = g[i0]
                continue
            az_off = ((bearing[idx] - azimuth[idx] + 180.0) % 360.0) - 180.0
            out[idx] = ant.gain_dbi(az_off, np.clip(elevation[idx], -90, 90), max(float(f[i0]), 100.0),
                                    tilt_deg=float(t[i0]))
        return out
