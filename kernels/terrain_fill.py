"""Void filling kernel: successive over-relaxation of Laplace's equation on the void cells.

The valid cells are fixed (Dirichlet); each void cell converges to the mean of its (up to
four) neighbours, i.e. the harmonic interpolant of the surrounding terrain, which is exact
for planar terrain. Grid edges are treated as reflecting (a missing neighbour is dropped).
"""
from __future__ import annotations

from ._jit import jit


@jit
def sor_fill(z, iv, jv, omega, max_iter, tol):
    """Relax ``z`` in place at the void cells ``(iv[k], jv[k])``; returns the sweeps used.

    Stops when the largest change in a sweep is below ``tol`` [m] or after ``max_iter`` sweeps.
    """
    ny, nx = z.shape
    n = iv.shape[0]
    for it in range(max_iter):
        big = 0.0
        for k in range(n):
            i = iv[k]
            j = jv[k]
            s = 0.0
            c = 0
            if i > 0:
                s += z[i - 1, j]
                c += 1
            if i < ny - 1:
                s += z[i + 1, j]
                c += 1
            if j > 0:
                s += z[i, j - 1]
                c += 1
            if j < nx - 1:
                s += z[i, j + 1]
                c += 1
            if c == 0:
                continue
            new = z[i, j] + omega * (s / c - z[i, j])
            d = abs(new - z[i, j])
            if d > big:
                big = d
            z[i, j] = new
        if big < tol:
            return it + 1
    return max_iter
