"""Frequency-dependent rejection kernel, Rec. ITU-R SM.337-6 Annex 1 §2, Eq. (1)-(3).

FDR(df) = 10 log10( integral P(f) df / integral P(f) H(f + df) df ), with P the transmitter
power spectral density (from the Tx mask) and H the receiver selectivity, both given as
piecewise-linear attenuation in dB versus offset from their centre frequencies. The integrals
are evaluated numerically over the Tx mask span on the merged grid of the Tx and the
(shifted) Rx breakpoints: between two breakpoints both attenuations are linear in frequency, so
P(f) H(f + df) is an exponential and its integral over the segment is evaluated in closed form
(:func:`fdr`). :func:`fdr_grid` is the plain trapezoidal rule on a uniform fine grid, kept as the
slow, obvious oracle the tests compare against.
"""
from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def _interp_db(x, xp, fp):
    """Linear interpolation in dB, clamped to the end values outside the table."""
    n = xp.size
    if x <= xp[0]:
        return fp[0]
    if x >= xp[n - 1]:
        return fp[n - 1]
    j = np.searchsorted(xp, x, side="right") - 1
    if j >= n - 1:
        return fp[n - 1]
    dx = xp[j + 1] - xp[j]
    if dx <= 0.0:
        return fp[j + 1]
    return fp[j] + (x - xp[j]) / dx * (fp[j + 1] - fp[j])


@jit
def _seg(w, l1, l2):
    """Integral of 10^(-L/10) over a segment of width w where L goes linearly l1 -> l2."""
    if w <= 0.0:
        return 0.0
    d = l2 - l1
    p1 = 10.0 ** (-l1 / 10.0)
    c = d * np.log(10.0) / 10.0
    if abs(c) < 1e-9:
        return w * p1 * (1.0 - 0.5 * c)
    return w * p1 * (-np.expm1(-c)) / c


@jit
def fdr(tx_off, tx_att, rx_off, rx_att, df):
    """FDR for each receiver tuning offset ``df`` (Rx centre minus Tx centre), integrated
    segment by segment in closed form. [dB]

    ``tx_off``/``rx_off`` ascending two-sided offsets (same unit as ``df``), ``tx_att``/``rx_att``
    attenuations [dB] (>= 0); the Tx spectrum is zero outside its mask span, the Rx attenuation
    is held at its end values. Returns +inf where no power reaches the receiver.
    """
    nt = tx_off.size
    nr = rx_off.size
    lo = tx_off[0]
    hi = tx_off[nt - 1]
    total = 0.0
    for i in range(nt - 1):
        total += _seg(tx_off[i + 1] - tx_off[i], tx_att[i], tx_att[i + 1])
    out = np.empty(df.size)
    x = np.empty(nt + nr)
    for k in range(df.size):
        m = 0
        for i in range(nt):
            x[m] = tx_off[i]
            m += 1
        for i in range(nr):
            v = rx_off[i] + df[k]
            if v > lo and v < hi:
                x[m] = v
                m += 1
        xs = np.sort(x[:m])
        s = 0.0
        for i in range(m - 1):
            a = xs[i]
            b = xs[i + 1]
            if b <= a:
                continue
            # evaluate just inside the segment: a table may hold a vertical step (repeated
            # offset) at either end, and inside the segment both attenuations are linear
            e = 1e-9 * (b - a)
            l1 = _interp_db(a + e, tx_off, tx_att) + _interp_db(a + e - df[k], rx_off, rx_att)
            l2 = _interp_db(b - e, tx_off, tx_att) + _interp_db(b - e - df[k], rx_off, rx_att)
            s += _seg(b - a, l1, l2)
        out[k] = 10.0 * np.log10(total / s) if s > 0.0 else np.inf
    return out


@jit
def fdr_grid(tx_off, tx_att, rx_off, rx_att, df, n_grid):
    """FDR by the trapezoidal rule (the slow oracle for :func:`fdr`; same conventions). [dB]

    The nodes are ``n_grid`` uniform points over the Tx span plus every breakpoint of the Tx
    mask and of the Rx selectivity shifted by ``df`` that falls inside the span, so the
    integrand is smooth between nodes (masks may hold near-vertical steps: a uniform grid alone
    converges only to first order across them)."""
    lo = tx_off[0]
    hi = tx_off[tx_off.size - 1]
    step = (hi - lo) / (n_grid - 1)
    out = np.empty(df.size)
    for k in range(df.size):
        f = np.empty(n_grid + tx_off.size + rx_off.size)
        m = 0
        for i in range(n_grid):
            f[m] = lo + i * step
            m += 1
        for i in range(tx_off.size):
            f[m] = tx_off[i]
            m += 1
        for i in range(rx_off.size):
            x = rx_off[i] + df[k]
            if lo < x < hi:
                f[m] = x
                m += 1
        f = np.sort(f[:m])
        total = 0.0
        s = 0.0
        prev_p = 0.0
        prev_s = 0.0
        for i in range(m):
            p = 10.0 ** (-_interp_db(f[i], tx_off, tx_att) / 10.0)
            ps = p * 10.0 ** (-_interp_db(f[i] - df[k], rx_off, rx_att) / 10.0)
            if i > 0:
                h = f[i] - f[i - 1]
                total += 0.5 * h * (p + prev_p)
                s += 0.5 * h * (ps + prev_s)
            prev_p = p
            prev_s = ps
        out[k] = 10.0 * np.log10(total / s) if s > 0.0 else np.inf
    return out
