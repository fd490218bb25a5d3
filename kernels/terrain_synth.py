"""Kernels of the synthetic terrain generator (:func:`spectrum.terrain.synthetic_dem`).

Spectral synthesis of a 1/k^β random field (amplitude k^(-β/2) on random complex spectral
coefficients) and the fused point-wise shaping of two such fields into plains, hills, valleys
and sea. One pass over the grid each, ``prange`` over rows.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange


@pjit
def shape_spectrum(raw, ky, kx, beta, kmin2, spec):
    """``spec[i, j] = (u1 - 0.5 + i (u2 - 0.5)) * max(k², kmin²)^(-β/4)``, 0 at k = 0, where
    u1, u2 in [0, 1) are the low and high 32 bits of the random word ``raw[i, j]`` (uint64)."""
    ny, nx = spec.shape
    e = -beta / 4.0
    scale = 1.0 / 4294967296.0
    for i in prange(ny):
        for j in range(nx):
            if i == 0 and j == 0:
                spec[i, j] = 0.0
                continue
            k2 = ky[i] * ky[i] + kx[j] * kx[j]
            if k2 < kmin2:
                k2 = kmin2
            a = k2 ** e
            r = raw[i, j]
            u1 = (r & np.uint64(0xFFFFFFFF)) * scale
            u2 = (r >> np.uint64(32)) * scale
            spec[i, j] = complex((u1 - 0.5) * a, (u2 - 0.5) * a)


@jit
def _moments(f):
    """Mean and standard deviation of the real and imaginary parts of a complex 2-D array."""
    ny, nx = f.shape
    sa = 0.0
    sb = 0.0
    for i in range(ny):
        for j in range(nx):
            sa += f[i, j].real
            sb += f[i, j].imag
    n = ny * nx
    ma = sa / n
    mb = sb / n
    va = 0.0
    vb = 0.0
    for i in range(ny):
        for j in range(nx):
            da = f[i, j].real - ma
            db = f[i, j].imag - mb
            va += da * da
            vb += db * db
    return ma, math.sqrt(va / n) + 1e-30, mb, math.sqrt(vb / n) + 1e-30


@jit
def _smooth(x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return x * x * (3.0 - 2.0 * x)


@pjit
def shape_terrain(f, relief_m, plain_m, hill_mode, cu, cv, coast_mode, sea_fraction, shore, out):
    """Heights [m] from the two fields in ``f`` (real part: relief, imaginary part: valleys/plain).

    hill_mode: 0 no hills, 1 hills everywhere, 2 hills towards corner (cu, cv) in unit
    coordinates (u east, v north). coast_mode: 0 none, 1 east, 2 west, 3 north, 4 south;
    ``shore`` is the coastline wiggle along the coast (per row for east/west, per column else).
    """
    ny, nx = f.shape
    ma, sa, mb, sb = _moments(f)
    for i in prange(ny):
        v = i / (ny - 1.0)
        for j in range(nx):
            u = j / (nx - 1.0)
            a = (f[i, j].real - ma) / sa
            b = (f[i, j].imag - mb) / sb
            if hill_mode == 0:
                w = 0.0
            elif hill_mode == 1:
                w = 1.0
            else:
                r = math.sqrt((u - cu) ** 2 + (v - cv) ** 2) / 0.75
                w = 1.0 - _smooth(r)
            hill = a + 0.3
            hill = hill ** 1.4 if hill > 0.0 else 0.0
            h = relief_m / 2.5 * w * hill
            if a > 2.2:  # isolated low hills on the plain
                h += relief_m * 0.25 * (a - 2.2) * (1.0 - w)
            h *= 0.3 + 0.7 * _smooth(abs(b) / 0.18)  # river valleys along the zero lines of b
            plain = plain_m * (1.0 + 0.35 * b)
            if plain < 0.3 * plain_m:
                plain = 0.3 * plain_m
            h += plain
            if coast_mode != 0:
                if coast_mode == 1:
                    t = 1.0 - u
                    s = shore[i]
                elif coast_mode == 2:
                    t = u
                    s = shore[i]
                elif coast_mode == 3:
                    t = 1.0 - v
                    s = shore[j]
                else:
                    t = v
                    s = shore[j]
                inland = t - (sea_fraction + s)
                if inland < 0.0:
                    h = 0.0
                else:
                    h *= 0.15 + 0.85 * _smooth(inland / 0.15)
            out[i, j] = h
