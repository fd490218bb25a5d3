"""ITM kernels: terrain-profile geometry [Algorithm §3; NTIA FindHorizons, LinearLeastSquaresFit,
ComputeDeltaH, QuickPfl].

Profiles are elevation arrays ``z`` of ``n_int + 1`` equally spaced samples ``xi`` metres
apart (NTIA's PFL array ``[np, xi, z_0 ... z_np]`` without its header, ``np = n_int``). Sums
run in NTIA's order and distances are accumulated as NTIA accumulates them (the Tx horizon
distance by adding ``xi``, the Rx one by subtracting ``xi`` from ``d``): where a fitting
window ``(d - 0.9 d_hzn) / xi`` lands on an integer, another rounding picks another sample.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .itm_core import c_fdim, c_max, c_min


@jit
def find_horizons(z, n_int, xi, h_0, h_1, a_e):
    """Horizon angles [rad] and distances [m] of both terminals [TN101 Eq. 6.15].

    theta = (z_i - z_terminal) / d_i - d_i / (2 a_e), maximised over the profile points with
    the line-of-sight angle as the start value, as NTIA's FindHorizons: one ascending scan,
    strict ``>`` (the first of equal maxima is kept), ``d_tx`` accumulated by ``+ xi`` and
    ``d_rx`` by ``- xi`` from ``d``. Each point is first compared through the numerators
    (no division); only where that comparison is within 1e-9 (relative) of a tie, or shows
    a new maximum, is NTIA's angle evaluated and compared exactly, so the decisions and the
    stored values are NTIA's. Returns ``(theta_0, theta_1, d_hzn_0, d_hzn_1)``.
    """
    d = n_int * xi
    z_tx = z[0] + h_0
    z_rx = z[n_int] + h_1
    two_a = 2.0 * a_e
    inv_two_a = 1.0 / two_a
    th0 = (z_rx - z_tx) / d - d / two_a
    th1 = -(z_rx - z_tx) / d - d / two_a
    dh0 = d
    dh1 = d
    d_tx = 0.0
    d_rx = d
    for i in range(1, n_int):
        d_tx = d_tx + xi
        d_rx = d_rx - xi
        zi = z[i]
        # Tx: theta_tx > th0  <=>  (zi - z_tx) - d_tx (th0 + d_tx / 2a) > 0   (d_tx > 0)
        num = zi - z_tx
        q = d_tx * inv_two_a
        if num - d_tx * (th0 + q) > -1e-9 * (abs(num) + d_tx * (abs(th0) + q)):
            t = (zi - z_tx) / d_tx - d_tx / two_a
            if t > th0:
                th0 = t
                dh0 = d_tx
        # Rx: theta_rx > th1  <=>  (zi - z_rx) - d_rx (th1 + d_rx / 2a) > 0  (d_rx > 0)
        num = zi - z_rx
        q = d_rx * inv_two_a
        if num - d_rx * (th1 + q) > -1e-9 * (abs(num) + d_rx * (abs(th1) + q)):
            t = -(z_rx - zi) / d_rx - d_rx / two_a
            if t > th1:
                th1 = t
                dh1 = d_rx
    return th0, th1, dh0, dh1


@jit
def least_squares_fit(z, n_int, xi, d_start, d_end):
    """Least-squares line through ``z`` between two distances, evaluated at both path ends.

    NTIA's ``z1sq1``/LinearLeastSquaresFit: the fit over samples i_start..i_end with the two
    end samples weighted 1/2 (the profile taken as piecewise linear), summed in NTIA's order.
    Returns ``(z_fit_at_0, z_fit_at_d)`` [m].
    """
    i_start = int(c_fdim(d_start / xi, 0.0))
    i_end = n_int - int(c_fdim(float(n_int), d_end / xi))
    if i_end <= i_start:
        i_start = int(c_fdim(float(i_start), 1.0))
        i_end = n_int - int(c_fdim(float(n_int), i_end + 1.0))
    x_length = float(i_end - i_start)
    mid = -0.5 * x_length
    mid_end = i_end + mid
    sum_y = 0.5 * (z[i_start] + z[i_end])
    scaled = 0.5 * (z[i_start] - z[i_end]) * mid
    k = i_start
    for _ in range(2, i_end - i_start + 1):
        k += 1
        mid += 1.0
        sum_y += z[k]
        scaled += z[k] * mid
    sum_y = sum_y / x_length
    scaled = scaled * 12.0 / ((x_length * x_length + 2.0) * x_length)
    return sum_y - scaled * mid_end, sum_y + scaled * (n_int - mid_end)


@jit
def _select_desc(a, lo, hi, k):
    """Element ``k`` of ``a[lo:hi + 1]`` in descending order (std::nth_element's value);
    Hoare quickselect, in place: afterwards a[lo:k] >= a[k] >= a[k + 1:hi + 1]."""
    while lo < hi:
        pivot = a[(lo + hi) // 2]
        i = lo
        j = hi
        while i <= j:
            while a[i] > pivot:
                i += 1
            while a[j] < pivot:
                j -= 1
            if i <= j:
                t = a[i]
                a[i] = a[j]
                a[j] = t
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return a[k]
    return a[k]


@jit
def compute_delta_h(z, n_int, xi, d_start, d_end):
    """Terrain irregularity parameter Delta_h [m] between two distances [ERL 79 Eq. 3, inverted].

    Interdecile range of the terrain about a least-squares line, from 10 * p10 - 5 points
    interpolated on the segment (NTIA's ``d1thx``/ComputeDeltaH, with its accumulated
    interpolation abscissa).
    """
    x_start = d_start / xi
    x_end = d_end / xi
    if x_end - x_start < 2.0:
        return 0.0
    p10 = int(0.1 * (x_end - x_start + 8.0))
    p10 = c_min(c_max(4, p10), 25)
    n = 10 * p10 - 5
    p90 = n - p10
    np_s = float(n - 1)
    s = np.empty(n)
    step = (x_end - x_start) / np_s
    i = int(x_start)
    x = x_start - float(np.float32(i + 1.0))
    for j in range(n):
        while x > 0.0 and (i + 1) < n_int:
            x -= 1.0
            i += 1
        s[j] = z[i + 1] + (z[i + 1] - z[i]) * x
        x += step
    y1, y2 = least_squares_fit(s, n - 1, 1.0, 0.0, np_s)
    slope = (y2 - y1) / np_s
    for j in range(n):
        s[j] = s[j] - y1
        y1 += slope
    q10 = _select_desc(s, 0, n - 1, p10 - 1)
    q90 = _select_desc(s, p10, n - 1, p90)  # s[:p10] already holds the p10 largest
    return (q10 - q90) / (1.0 - 0.8 * math.exp(-(d_end - d_start) / 50e3))


@jit
def mean_path_elevation(z, n_int):
    """Mean elevation [m] ignoring the first and last 10 % of the profile (h_sys of ITM P2P),
    summed in NTIA's order."""
    p10 = int(0.1 * n_int)
    h = 0.0
    for i in range(p10, n_int - p10 + 1):
        h += z[i]
    return h / (n_int - 2 * p10 + 1)


@jit
def _horizon_from_he(h_e, a_e, delta_h_m):
    return math.sqrt(2.0 * h_e * a_e) * math.exp(-0.07 * math.sqrt(delta_h_m / c_max(h_e, 5.0)))


@jit
def quick_pfl(z, n_int, xi, gamma_e, h_0, h_1):
    """Path geometry from a terrain profile (NTIA's ``qlrpfl``/QuickPfl) [Algorithm §3].

    Returns ``(theta_0, theta_1, d_hzn_0, d_hzn_1, h_e_0, h_e_1, delta_h_m, d_m)``.
    """
    d = n_int * xi
    a_e = 1.0 / gamma_e
    th0, th1, dh0, dh1 = find_horizons(z, n_int, xi, h_0, h_1, a_e)
    d_start = c_min(15.0 * h_0, 0.1 * dh0)
    d_end = d - c_min(15.0 * h_1, 0.1 * dh1)
    dh = compute_delta_h(z, n_int, xi, d_start, d_end)
    if dh0 + dh1 > 1.5 * d:
        # well within line of sight
        fit_tx, fit_rx = least_squares_fit(z, n_int, xi, d_start, d_end)
        he0 = h_0 + c_fdim(z[0], fit_tx)
        he1 = h_1 + c_fdim(z[n_int], fit_rx)
        dh0 = _horizon_from_he(he0, a_e, dh)
        dh1 = _horizon_from_he(he1, a_e, dh)
        comb = dh0 + dh1
        if comb <= d:
            q = d / comb
            q = q * q
            he0 = he0 * q
            dh0 = _horizon_from_he(he0, a_e, dh)
            he1 = he1 * q
            dh1 = _horizon_from_he(he1, a_e, dh)
        q = math.sqrt(2.0 * he0 * a_e)
        th0 = (0.65 * dh * (q / dh0 - 1.0) - 2.0 * he0) / q
        q = math.sqrt(2.0 * he1 * a_e)
        th1 = (0.65 * dh * (q / dh1 - 1.0) - 2.0 * he1) / q
    else:
        fit_tx, _dummy = least_squares_fit(z, n_int, xi, d_start, 0.9 * dh0)
        he0 = h_0 + c_fdim(z[0], fit_tx)
        _dummy, fit_rx = least_squares_fit(z, n_int, xi, d - 0.9 * dh1, d_end)
        he1 = h_1 + c_fdim(z[n_int], fit_rx)
    return th0, th1, dh0, dh1, he0, he1, dh, d
