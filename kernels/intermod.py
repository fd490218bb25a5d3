"""Intermodulation kernels: product enumeration, band matching, product levels.

Products of n signals ``sum(c_m f_m)`` with integer coefficients, ``sum(c_m) = 1`` (the products
that land near the fundamentals) and ``sum(|c_m|) = order``:

- 2 signals, 3rd order: (2, -1); 5th order: (3, -2);
- 3 signals, 3rd order: (1, 1, -1); 5th order: (3, -1, -1) and (2, 1, -2).

Levels follow a memoryless power series: a product of the carrier of the generating transmitter
and injected signals scales with each injected signal's level times its |coefficient|, and the
multinomial coefficient of the term sets its level relative to the two-signal product of the
same order (+6.02 dB for (1,1,-1), +6.02 dB for (3,-1,-1), +9.54 dB for (2,1,-2)).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit


@jit
def _emit(k, fill, i, j, l, ci, cj, cl, order, f, bw, out_idx, out_c, out_f, out_bw, out_order):
    fp = ci * f[i] + cj * f[j] + (cl * f[l] if l >= 0 else 0.0)
    if fp <= 0.0:
        return k
    if fill:
        out_idx[k, 0] = i
        out_idx[k, 1] = j
        out_idx[k, 2] = l
        out_c[k, 0] = ci
        out_c[k, 1] = cj
        out_c[k, 2] = cl
        out_f[k] = fp
        out_bw[k] = abs(ci) * bw[i] + abs(cj) * bw[j] + (abs(cl) * bw[l] if l >= 0 else 0.0)
        out_order[k] = order
    return k + 1


@jit
def products(f, bw, third, fifth, three_signal, fill, out_idx, out_c, out_f, out_bw, out_order):
    """Enumerate intermodulation products of signals ``f`` (bandwidths ``bw``, same unit).

    ``fill = False`` counts (returns the number); ``True`` also writes, for product k, the
    signal indices ``out_idx[k] = (i, j, l)`` (l = -1 for two-signal products), coefficients
    ``out_c[k]``, frequency ``out_f[k]``, bandwidth ``out_bw[k] = sum |c| bw`` and order."""
    n = f.size
    k = 0
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            if third:
                k = _emit(k, fill, i, j, -1, 2.0, -1.0, 0.0, 3, f, bw, out_idx, out_c, out_f, out_bw, out_order)
            if fifth:
                k = _emit(k, fill, i, j, -1, 3.0, -2.0, 0.0, 5, f, bw, out_idx, out_c, out_f, out_bw, out_order)
    if three_signal:
        for i in range(n):
            for j in range(n):
                if j == i:
                    continue
                for l in range(n):
                    if l == i or l == j:
                        continue
                    if third and i < j:
                        k = _emit(k, fill, i, j, l, 1.0, 1.0, -1.0, 3, f, bw, out_idx, out_c, out_f, out_bw,
                                  out_order)
                    if fifth:
                        if j < l:
                            k = _emit(k, fill, i, j, l, 3.0, -1.0, -1.0, 5, f, bw, out_idx, out_c, out_f, out_bw,
                                      out_order)
                        k = _emit(k, fill, i, j, l, 2.0, 1.0, -2.0, 5, f, bw, out_idx, out_c, out_f, out_bw,
                                  out_order)
    return k


@jit
def band_hits(p_lo, p_hi, r_lo_sorted, r_hi_sorted, max_r_bw, fill, out_p, out_r):
    """Pairs (product, receiver) whose bands overlap. Receivers sorted by their lower band edge
    ``r_lo_sorted`` (``r_hi_sorted`` in the same order), ``max_r_bw`` the widest receiver band.
    Two passes as :func:`products` (``fill``); ``out_r`` indexes the sorted receivers."""
    k = 0
    m = r_lo_sorted.size
    for p in range(p_lo.size):
        a = np.searchsorted(r_lo_sorted, p_lo[p] - max_r_bw)
        for r in range(a, m):
            if r_lo_sorted[r] > p_hi[p]:
                break
            if r_hi_sorted[r] >= p_lo[p]:
                if fill:
                    out_p[k] = p
                    out_r[k] = r
                k += 1
    return k


@jit
def tx_im_levels(idx, coef, order, p_out_dbw, coupling_db, k3_db, k5_db, out_gen, out_level):
    """Conducted power [dBW] of each transmitter intermodulation product and the transmitter
    generating it (the worst over the transmitters with a positive coefficient).

    In generator g with carrier power P_g, the signals m != g arrive at P_m - L(m, g)
    (``coupling_db[m, g]``); the product's level is

        sum_{m != g} |c_m| (P_m - L(m, g)) - (sum_{m != g} |c_m| - 1) P_g - K_order + M

    with K_order the conversion loss of the order (``k3_db``, ``k5_db``: injected signal to
    product for a two-signal product) and M = 20 log10(multinomial / multinomial of the
    two-signal product of that order)."""
    for k in range(order.size):
        best = -np.inf
        gbest = -1
        n_sig = 3 if idx[k, 2] >= 0 else 2
        # multinomial coefficient of |c| over the signals, relative to the 2-signal product
        tot = 0
        fact = 1.0
        for s in range(n_sig):
            a = int(abs(coef[k, s]))
            tot += a
            fact *= math.gamma(a + 1.0)
        multi = math.gamma(tot + 1.0) / fact
        ref = 3.0 if order[k] == 3 else 10.0
        gain_m = 20.0 * math.log10(multi / ref)
        kc = k3_db if order[k] == 3 else k5_db
        for s in range(n_sig):
            if coef[k, s] <= 0.0:
                continue
            g = idx[k, s]
            lev = 0.0
            w = 0.0
            for t in range(n_sig):
                if t == s:
                    continue
                m = idx[k, t]
                a = abs(coef[k, t])
                lev += a * (p_out_dbw[m] - coupling_db[m, g])
                w += a
            lev = lev - (w - 1.0) * p_out_dbw[g] - kc + gain_m
            if lev > best:
                best = lev
                gbest = g
        out_gen[k] = gbest
        out_level[k] = best
