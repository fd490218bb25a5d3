"""Register catalogues: named antenna patterns and spectrum masks resolved into
:class:`spectrum.antennas.Antenna` / :class:`spectrum.masks.Mask` objects, cached per run.

Used by the scenario stage (receiver selectivities) and the budget stage (gains, FDR).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ..antennas import Antenna
from ..masks import Mask

__all__ = ["MaskResolver", "AntennaResolver"]


class MaskResolver:
    """Resolve register mask names / dicts / None into :class:`Mask` objects, cached."""

    def __init__(self, reg):
        self.reg = reg
        self.cache: dict = {}

    def get(self, spec, bw_khz: float, kind: str) -> Mask:
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

    def gains(self, specs, g_dbi, azimuth, tilt, bearing, elevation, f_mhz) -> np.ndarray:
        """Gain of each row's antenna toward ``bearing``/``elevation`` (rows grouped by antenna)."""
        n = len(g_dbi)
        out = np.empty(n)
        groups: dict = {}
        for i in range(n):
            s = specs[i] if not isinstance(specs[i], Mapping) else id(specs[i])
            groups.setdefault((s, float(g_dbi[i]), float(tilt[i]), round(float(f_mhz[i]), 3)), []).append(i)
        for (s, g, t, f), idx in groups.items():
            idx = np.asarray(idx)
            spec = specs[idx[0]]
            ant = self.get(spec, g)
            if ant.kind == "omni":
                out[idx] = g
                continue
            az_off = ((bearing[idx] - azimuth[idx] + 180.0) % 360.0) - 180.0
            out[idx] = ant.gain_dbi(az_off, np.clip(elevation[idx], -90, 90), max(f, 100.0), tilt_deg=t)
        return out

