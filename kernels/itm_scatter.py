"""ITM kernels: troposcatter loss [Algorithm §4.3, Eq. 4.63-4.67, 6.8-6.13; TN101 §9;
NTIA TroposcatterLoss, FFunction, H0Function, H0Curve], in NTIA's order of operations."""
from __future__ import annotations

import math

from ._jit import jit
from .itm_core import SQRT2, c_max, c_min


@jit
def f_function(td):
    """Attenuation function F(theta d) [Algorithm Eq. 6.9] [dB]."""
    if td <= 10e3:
        return 133.4 + 0.332e-3 * td + -10.0 * math.log10(td)
    if td <= 70e3:
        return 104.6 + 0.212e-3 * td + -2.5 * math.log10(td)
    return 71.8 + 0.157e-3 * td + 5.0 * math.log10(td)


@jit
def _h0_curve(j, r):
    """H_01(r, j) [Algorithm Eq. 6.13]."""
    if j == 0:
        a, b = 25.0, 24.0
    elif j == 1:
        a, b = 80.0, 45.0
    elif j == 2:
        a, b = 177.0, 68.0
    elif j == 3:
        a, b = 395.0, 80.0
    else:
        a, b = 705.0, 105.0
    ir = 1.0 / r
    return 10.0 * math.log10(1.0 + a * math.pow(ir, 4.0) + b * (ir * ir))


@jit
def h0_function(r, eta_s):
    """Troposcatter frequency-gain function H_0(r, eta_s) [Algorithm Eq. 6.13] [dB]."""
    eta_s = c_min(c_max(eta_s, 1.0), 5.0)
    i = int(eta_s)
    q = eta_s - i
    result = _h0_curve(i - 1, r)
    if q != 0.0:
        result = (1.0 - q) * result + q * _h0_curve(i, r)
    return result


@jit
def troposcatter_loss(d_m, theta_0, theta_1, d_hzn_0, d_hzn_1, h_e_0, h_e_1, a_e_m, n_s, f_mhz,
                      theta_los, h0_in):
    """Troposcatter loss [Algorithm Eq. 4.63-4.67, TN101 Eq. 9.3-9.5]; returns (loss_db, H_0).

    ``h0_in`` carries H_0 between the d_6 and d_5 evaluations (start with -1).
    """
    wn = f_mhz / 47.7
    if h0_in > 15.0:
        h_0 = h0_in
    else:
        ad = d_hzn_0 - d_hzn_1
        rr = h_e_1 / h_e_0
        if ad < 0.0:
            ad = -ad
            rr = 1.0 / rr
        theta = theta_0 + theta_1 + d_m / a_e_m
        r_1 = 2.0 * wn * theta * h_e_0
        r_2 = 2.0 * wn * theta * h_e_1
        if r_1 < 0.2 and r_2 < 0.2:
            return 1001.0, h0_in
        s = (d_m - ad) / (d_m + ad)
        q = c_min(c_max(0.1, rr / s), 10.0)
        s = c_max(0.1, s)
        h_0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m
        eta_s = (h_0_m / 1.7556e3) * (1.0 + (0.031 - n_s * 2.32e-3 + (n_s * n_s) * 5.67e-6)
                                      * math.exp(-math.pow(c_min(1.7, h_0_m / 8.0e3), 6.0)))
        h_00 = (h0_function(r_1, eta_s) + h0_function(r_2, eta_s)) / 2.0
        dh0 = c_min(h_00, 6.0 * (0.6 - math.log10(c_max(eta_s, 1.0))) * math.log10(s) * math.log10(q))
        h_0 = h_00 + dh0
        h_0 = c_max(h_0, 0.0)
        if eta_s < 1.0:
            t = (1.0 + SQRT2 / r_1) * (1.0 + SQRT2 / r_2)
            h_0 = eta_s * h_0 + (1.0 - eta_s) * 10.0 * math.log10(t * t * (r_1 + r_2) / (r_1 + r_2 + 2.0 * SQRT2))
        if h_0 > 15.0 and h0_in >= 0.0:
            h_0 = h0_in
    th = d_m / a_e_m - theta_los
    loss = (f_function(th * d_m) + 10.0 * math.log10(wn * 47.7 * math.pow(th, 4.0))
            - 0.1 * (n_s - 301.0) * math.exp(-th * d_m / 40e3) + h_0)
    return loss, h_0
