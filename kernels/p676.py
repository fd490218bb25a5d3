"""Specific attenuation by atmospheric gases, Rec. ITU-R P.676-13 Annex 1 (line-by-line).

Numba kernels. :func:`gamma_oxygen` and :func:`gamma_water` implement Eqs. (1)-(9) of
Annex 1 with the spectroscopic data of Tables 1 (44 oxygen lines) and 2 (35 water-vapour
lines). The tables are those published in P.676-11 and unchanged through P.676-13 (the
ITU-R validation workbook values of P.676-13 are reproduced to 5e-7 dB/km, i.e. their
printed precision). P.452-17/-18 compute Ag with exactly these equations (P.452-18 §4.1,
Eq. (9)), so the same kernel serves both.

Units: f [GHz], dry-air pressure p [hPa], water-vapour density rho [g/m^3],
temperature T [K]; attenuation [dB/km].
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit

#: Table 1 of P.676-13 Annex 1: f0 [GHz], a1, a2, a3, a4, a5, a6
OXYGEN_LINES = np.array([
    (50.474214, 0.975, 9.651, 6.69, 0.0, 2.566, 6.85),
    (50.987745, 2.529, 8.653, 7.17, 0.0, 2.246, 6.8),
    (51.50336, 6.193, 7.709, 7.64, 0.0, 1.947, 6.729),
    (52.021429, 14.32, 6.819, 8.11, 0.0, 1.667, 6.64),
    (52.542418, 31.24, 5.983, 8.58, 0.0, 1.388, 6.526),
    (53.066934, 64.29, 5.201, 9.06, 0.0, 1.349, 6.206),
    (53.595775, 124.6, 4.474, 9.55, 0.0, 2.227, 5.085),
    (54.130025, 227.3, 3.8, 9.96, 0.0, 3.17, 3.75),
    (54.67118, 389.7, 3.182, 10.37, 0.0, 3.558, 2.654),
    (55.221384, 627.1, 2.618, 10.89, 0.0, 2.56, 2.952),
    (55.783815, 945.3, 2.109, 11.34, 0.0, -1.172, 6.135),
    (56.264774, 543.4, 0.014, 17.03, 0.0, 3.525, -0.978),
    (56.363399, 1331.8, 1.654, 11.89, 0.0, -2.378, 6.547),
    (56.968211, 1746.6, 1.255, 12.23, 0.0, -3.545, 6.451),
    (57.612486, 2120.1, 0.91, 12.62, 0.0, -5.416, 6.056),
    (58.323877, 2363.7, 0.621, 12.95, 0.0, -1.932, 0.436),
    (58.446588, 1442.1, 0.083, 14.91, 0.0, 6.768, -1.273),
    (59.164204, 2379.9, 0.387, 13.53, 0.0, -6.561, 2.309),
    (59.590983, 2090.7, 0.207, 14.08, 0.0, 6.957, -0.776),
    (60.306056, 2103.4, 0.207, 14.15, 0.0, -6.395, 0.699),
    (60.434778, 2438.0, 0.386, 13.39, 0.0, 6.342, -2.825),
    (61.150562, 2479.5, 0.621, 12.92, 0.0, 1.014, -0.584),
    (61.800158, 2275.9, 0.91, 12.63, 0.0, 5.014, -6.619),
    (62.41122, 1915.4, 1.255, 12.17, 0.0, 3.029, -6.759),
    (62.486253, 1503.0, 0.083, 15.13, 0.0, -4.499, 0.844),
    (62.997984, 1490.2, 1.654, 11.74, 0.0, 1.856, -6.675),
    (63.568526, 1078.0, 2.108, 11.34, 0.0, 0.658, -6.139),
    (64.127775, 728.7, 2.617, 10.88, 0.0, -3.036, -2.895),
    (64.67891, 461.3, 3.181, 10.38, 0.0, -3.968, -2.59),
    (65.224078, 274.0, 3.8, 9.96, 0.0, -3.528, -3.68),
    (65.764779, 153.0, 4.473, 9.55, 0.0, -2.548, -5.002),
    (66.302096, 80.4, 5.2, 9.06, 0.0, -1.66, -6.091),
    (66.836834, 39.8, 5.982, 8.58, 0.0, -1.68, -6.393),
    (67.369601, 18.56, 6.818, 8.11, 0.0, -1.956, -6.475),
    (67.900868, 8.172, 7.708, 7.64, 0.0, -2.216, -6.545),
    (68.431006, 3.397, 8.652, 7.17, 0.0, -2.492, -6.6),
    (68.960312, 1.334, 9.65, 6.69, 0.0, -2.773, -6.65),
    (118.750334, 940.3, 0.01, 16.64, 0.0, -0.439, 0.079),
    (368.498246, 67.4, 0.048, 16.4, 0.0, 0.0, 0.0),
    (424.76302, 637.7, 0.044, 16.4, 0.0, 0.0, 0.0),
    (487.249273, 237.4, 0.049, 16.0, 0.0, 0.0, 0.0),
    (715.392902, 98.1, 0.145, 16.0, 0.0, 0.0, 0.0),
    (773.83949, 572.3, 0.141, 16.2, 0.0, 0.0, 0.0),
    (834.145546, 183.1, 0.145, 14.7, 0.0, 0.0, 0.0),
])

#: Table 2 of P.676-13 Annex 1: f0 [GHz], b1, b2, b3, b4, b5, b6
WATER_LINES = np.array([
    (22.23508, 0.1079, 2.144, 26.38, 0.76, 5.087, 1.0),
    (67.80396, 0.0011, 8.732, 28.58, 0.69, 4.93, 0.82),
    (119.99594, 0.0007, 8.353, 29.48, 0.7, 4.78, 0.79),
    (183.310087, 2.273, 0.668, 29.06, 0.77, 5.022, 0.85),
    (321.22563, 0.047, 6.179, 24.04, 0.67, 4.398, 0.54),
    (325.152888, 1.514, 1.541, 28.23, 0.64, 4.893, 0.74),
    (336.227764, 0.001, 9.825, 26.93, 0.69, 4.74, 0.61),
    (380.197353, 11.67, 1.048, 28.11, 0.54, 5.063, 0.89),
    (390.134508, 0.0045, 7.347, 21.52, 0.63, 4.81, 0.55),
    (437.346667, 0.0632, 5.048, 18.45, 0.6, 4.23, 0.48),
    (439.150807, 0.9098, 3.595, 20.07, 0.63, 4.483, 0.52),
    (443.018343, 0.192, 5.048, 15.55, 0.6, 5.083, 0.5),
    (448.001085, 10.41, 1.405, 25.64, 0.66, 5.028, 0.67),
    (470.888999, 0.3254, 3.597, 21.34, 0.66, 4.506, 0.65),
    (474.689092, 1.26, 2.379, 23.2, 0.65, 4.804, 0.64),
    (488.490108, 0.2529, 2.852, 25.86, 0.69, 5.201, 0.72),
    (503.568532, 0.0372, 6.731, 16.12, 0.61, 3.98, 0.43),
    (504.482692, 0.0124, 6.731, 16.12, 0.61, 4.01, 0.45),
    (547.67644, 0.9785, 0.158, 26.0, 0.7, 4.5, 1.0),
    (552.02096, 0.184, 0.158, 26.0, 0.7, 4.5, 1.0),
    (556.935985, 497.0, 0.159, 30.86, 0.69, 4.552, 1.0),
    (620.700807, 5.015, 2.391, 24.38, 0.71, 4.856, 0.68),
    (645.766085, 0.0067, 8.633, 18.0, 0.6, 4.0, 0.5),
    (658.00528, 0.2732, 7.816, 32.1, 0.69, 4.14, 1.0),
    (752.033113, 243.4, 0.396, 30.86, 0.68, 4.352, 0.84),
    (841.051732, 0.0134, 8.177, 15.9, 0.33, 5.76, 0.45),
    (859.965698, 0.1325, 8.055, 30.6, 0.68, 4.09, 0.84),
    (899.303175, 0.0547, 7.914, 29.85, 0.68, 4.53, 0.9),
    (902.611085, 0.0386, 8.429, 28.65, 0.7, 5.1, 0.95),
    (906.205957, 0.1836, 5.11, 24.08, 0.7, 4.7, 0.53),
    (916.171582, 8.4, 1.441, 26.73, 0.7, 5.15, 0.78),
    (923.112692, 0.0079, 10.293, 29.0, 0.7, 5.0, 0.8),
    (970.315022, 9.009, 1.919, 25.5, 0.64, 4.94, 0.67),
    (987.926764, 134.6, 0.257, 29.85, 0.68, 4.55, 0.9),
    (1780.0, 17506.0, 0.952, 196.3, 2.0, 24.15, 5.0),
])


@jit
def gamma_oxygen(f_ghz, p_hpa, rho, t_k):
    """Specific attenuation due to dry air, P.676-13 Annex 1 Eq. (1) with (3)-(9). [dB/km]"""
    theta = 300.0 / t_k
    e = rho * t_k / 216.7  # Eq. (4)
    th08 = theta ** 0.8
    th3 = theta ** 3
    s = 0.0
    for i in range(OXYGEN_LINES.shape[0]):
        fi = OXYGEN_LINES[i, 0]
        si = OXYGEN_LINES[i, 1] * 1e-7 * p_hpa * th3 * math.exp(OXYGEN_LINES[i, 2] * (1.0 - theta))  # Eq. (3)
        a4 = OXYGEN_LINES[i, 4]
        tha = th08 if a4 == 0.0 else theta ** (0.8 - a4)
        df = OXYGEN_LINES[i, 3] * 1e-4 * (p_hpa * tha + 1.1 * e * theta)  # Eq. (6a)
        df = math.sqrt(df * df + 2.25e-6)  # Eq. (6b)
        delta = (OXYGEN_LINES[i, 5] + OXYGEN_LINES[i, 6] * theta) * 1e-4 * (p_hpa + e) * th08  # Eq. (7)
        fm = fi - f_ghz
        fp = fi + f_ghz
        fshape = f_ghz / fi * ((df - delta * fm) / (fm * fm + df * df) + (df - delta * fp) / (fp * fp + df * df))  # Eq. (5)
        s += si * fshape
    dd = 5.6e-4 * (p_hpa + e) * th08  # Eq. (9)
    nd = f_ghz * p_hpa * theta * theta * (6.14e-5 / (dd * (1.0 + (f_ghz / dd) ** 2))
                                          + 1.4e-12 * p_hpa * theta ** 1.5 / (1.0 + 1.9e-5 * f_ghz ** 1.5))  # Eq. (8)
    return 0.1820 * f_ghz * (s + nd)  # Eqs. (1)-(2)


@jit
def gamma_water(f_ghz, p_hpa, rho, t_k):
    """Specific attenuation due to water vapour, P.676-13 Annex 1 Eq. (1) with (3)-(6). [dB/km]"""
    theta = 300.0 / t_k
    e = rho * t_k / 216.7  # Eq. (4)
    th35 = theta ** 3.5
    s = 0.0
    for i in range(WATER_LINES.shape[0]):
        fi = WATER_LINES[i, 0]
        si = WATER_LINES[i, 1] * 1e-1 * e * th35 * math.exp(WATER_LINES[i, 2] * (1.0 - theta))  # Eq. (3)
        df = WATER_LINES[i, 3] * 1e-4 * (p_hpa * theta ** WATER_LINES[i, 4]
                                        + WATER_LINES[i, 5] * e * theta ** WATER_LINES[i, 6])  # Eq. (6a)
        df = 0.535 * df + math.sqrt(0.217 * df * df + 2.1316e-12 * fi * fi / theta)  # Eq. (6b)
        fm = fi - f_ghz
        fp = fi + f_ghz
        s += si * f_ghz / fi * (df / (fm * fm + df * df) + df / (fp * fp + df * df))  # Eq. (5), delta = 0
    return 0.1820 * f_ghz * s


@jit
def gamma_total_pair(f_ghz, p_hpa, rho1, rho2, t_k):
    """``(gamma_total(.., rho1, ..), gamma_total(.., rho2, ..))`` in one pass over the lines. [dB/km]

    P.676-13 Annex 1 Eqs. (1)-(9) as :func:`gamma_oxygen` + :func:`gamma_water` (same
    operations in the same order, so the same float64 results), with the terms that do not
    depend on the water-vapour density (line strengths' temperature factors, theta powers)
    computed once for both densities. P.452-18 needs rho = 7.5 + 2.5 omega (Eq. (9a)) and
    rho = 3 g/m^3 (troposcatter, Eq. (45)) at the same f, p, T.
    """
    theta = 300.0 / t_k
    e1 = rho1 * t_k / 216.7  # Eq. (4)
    e2 = rho2 * t_k / 216.7
    th08 = theta ** 0.8
    th3 = theta ** 3
    so1 = 0.0
    so2 = 0.0
    for i in range(OXYGEN_LINES.shape[0]):
        fi = OXYGEN_LINES[i, 0]
        si = OXYGEN_LINES[i, 1] * 1e-7 * p_hpa * th3 * math.exp(OXYGEN_LINES[i, 2] * (1.0 - theta))  # Eq. (3)
        a4 = OXYGEN_LINES[i, 4]
        tha = th08 if a4 == 0.0 else theta ** (0.8 - a4)
        fm = fi - f_ghz
        fp = fi + f_ghz
        ct = OXYGEN_LINES[i, 5] + OXYGEN_LINES[i, 6] * theta
        df = OXYGEN_LINES[i, 3] * 1e-4 * (p_hpa * tha + 1.1 * e1 * theta)  # Eq. (6a)
        df = math.sqrt(df * df + 2.25e-6)  # Eq. (6b)
        delta = ct * 1e-4 * (p_hpa + e1) * th08  # Eq. (7)
        so1 += si * (f_ghz / fi * ((df - delta * fm) / (fm * fm + df * df) + (df - delta * fp) / (fp * fp + df * df)))
        df = OXYGEN_LINES[i, 3] * 1e-4 * (p_hpa * tha + 1.1 * e2 * theta)
        df = math.sqrt(df * df + 2.25e-6)
        delta = ct * 1e-4 * (p_hpa + e2) * th08
        so2 += si * (f_ghz / fi * ((df - delta * fm) / (fm * fm + df * df) + (df - delta * fp) / (fp * fp + df * df)))
    th15 = theta ** 1.5
    f15 = 1.9e-5 * f_ghz ** 1.5
    dd = 5.6e-4 * (p_hpa + e1) * th08  # Eq. (9)
    nd1 = f_ghz * p_hpa * theta * theta * (6.14e-5 / (dd * (1.0 + (f_ghz / dd) ** 2))
                                           + 1.4e-12 * p_hpa * th15 / (1.0 + f15))  # Eq. (8)
    dd = 5.6e-4 * (p_hpa + e2) * th08
    nd2 = f_ghz * p_hpa * theta * theta * (6.14e-5 / (dd * (1.0 + (f_ghz / dd) ** 2))
                                           + 1.4e-12 * p_hpa * th15 / (1.0 + f15))
    th35 = theta ** 3.5
    sw1 = 0.0
    sw2 = 0.0
    for i in range(WATER_LINES.shape[0]):
        fi = WATER_LINES[i, 0]
        xi = math.exp(WATER_LINES[i, 2] * (1.0 - theta))
        tb4 = theta ** WATER_LINES[i, 4]
        tb6 = theta ** WATER_LINES[i, 6]
        w0 = 2.1316e-12 * fi * fi / theta
        fm = fi - f_ghz
        fp = fi + f_ghz
        si = WATER_LINES[i, 1] * 1e-1 * e1 * th35 * xi  # Eq. (3)
        df = WATER_LINES[i, 3] * 1e-4 * (p_hpa * tb4 + WATER_LINES[i, 5] * e1 * tb6)  # Eq. (6a)
        df = 0.535 * df + math.sqrt(0.217 * df * df + w0)  # Eq. (6b)
        sw1 += si * f_ghz / fi * (df / (fm * fm + df * df) + df / (fp * fp + df * df))  # Eq. (5), delta = 0
        si = WATER_LINES[i, 1] * 1e-1 * e2 * th35 * xi
        df = WATER_LINES[i, 3] * 1e-4 * (p_hpa * tb4 + WATER_LINES[i, 5] * e2 * tb6)
        df = 0.535 * df + math.sqrt(0.217 * df * df + w0)
        sw2 += si * f_ghz / fi * (df / (fm * fm + df * df) + df / (fp * fp + df * df))
    g1 = 0.1820 * f_ghz * (so1 + nd1) + 0.1820 * f_ghz * sw1  # Eqs. (1)-(2)
    g2 = 0.1820 * f_ghz * (so2 + nd2) + 0.1820 * f_ghz * sw2
    return g1, g2


@jit
def gamma_total(f_ghz, p_hpa, rho, t_k):
    """gamma_o + gamma_w, P.676-13 Annex 1 Eq. (1). [dB/km]"""
    return gamma_oxygen(f_ghz, p_hpa, rho, t_k) + gamma_water(f_ghz, p_hpa, rho, t_k)


@jit
def gaseous_attenuation_terrestrial(f_ghz, d_km, p_hpa, rho, t_k):
    """Gaseous attenuation on a horizontal terrestrial path, P.676-13 Annex 1 Eq. (10); P.452-18 Eq. (9). [dB]"""
    return gamma_total(f_ghz, p_hpa, rho, t_k) * d_km
