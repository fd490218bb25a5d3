"""Kernels of the evaluation's paths stage: terrain profiles and the radio-climatic zone of every
sample in one pass over the paths (no padded latitude / longitude arrays in memory).

Each path is sampled exactly as :func:`spectrum.kernels.profile.sample_paths` does (the same
:func:`~spectrum.kernels.profile.sample_path`), and each sample takes the zone of the nearest
cell of the zone map and the distances over land to the coast as
:func:`spectrum.kernels.interference.zones_along` gives them (Rec. ITU-R P.452-18 §3.2.1 Table 3,
§4.5 dct / dcr).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import pjit, prange
from .profile import sample_path


@pjit
def sample_paths_zones(z, lat0, dlat, lon0, dlon, zmap, zlat0, zdlat, zlon0, zdlon, lat1, lon1, lat2, lon2, npts,
                       d_out, h_out, zone_out, dct_out, dcr_out, bad, void):
    """Profiles of paths ``i`` (``npts[i]`` samples, great circle, bilinear heights from ``z``) into
    ``d_out[i]``, ``h_out[i]``; zone codes of the nearest ``zmap`` cell into ``zone_out[i]`` (2 beyond
    ``npts[i]``); dct / dcr (distance from each end to the first sea sample, 500 km without sea);
    ``bad[i]`` / ``void[i]`` as ``sample_paths``. ``prange`` over paths."""
    ny, nx = zmap.shape
    width = d_out.shape[1]
    for i in prange(lat1.shape[0]):
        m = npts[i]
        la = np.empty(max(m, 1))
        lo = np.empty(max(m, 1))
        b, v = sample_path(z, lat0, dlat, lon0, dlon, lat1[i], lon1[i], lat2[i], lon2[i], m, d_out[i], h_out[i],
                           la, lo, True)
        bad[i] = b
        void[i] = v
        first = -1
        last = -1
        for k in range(width):
            if k < m:
                r = int(math.floor((la[k] - zlat0) / zdlat + 0.5))
                c = int(math.floor((lo[k] - zlon0) / zdlon + 0.5))
                r = min(max(r, 0), ny - 1)
                c = min(max(c, 0), nx - 1)
                zc = float(zmap[r, c])
                zone_out[i, k] = zc
                if zc == 3.0:
                    if first < 0:
                        first = k
                    last = k
            else:
                zone_out[i, k] = 2.0
        if first < 0:
            dct_out[i] = 500.0
            dcr_out[i] = 500.0
        else:
            dct_out[i] = d_out[i, first]
            dcr_out[i] = d_out[i, m - 1] - d_out[i, last]
