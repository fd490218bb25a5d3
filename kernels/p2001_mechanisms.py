"""Rec. ITU-R P.2001-4 propagation mechanisms other than diffraction: anomalous propagation
(Attachment D), troposcatter (Attachment E), gaseous absorption (Attachment F) and
sporadic-E (Attachment G), plus free-space loss (§3.11).

Numba kernels on float64 scalars. Map-derived values (surface water-vapour density,
troposcatter climate zone, FoEs) are inputs: the ITU-R digital maps may not be
redistributed.
"""
from __future__ import annotations

import math

from ._jit import jit
from .p526 import knife_edge_loss


@jit
def free_space_loss(f_ghz, d_km):
    """Free-space basic transmission loss, P.2001-4 Eq. (3.11.1). [dB]"""
    return 92.4 + 20.0 * math.log10(f_ghz) + 20.0 * math.log10(d_km)


# ----------------------------------------------------------------------------- Attachment D
@jit
def anomalous_loss(f_ghz, dt, hts, hrs, htea, hrea, hm, theta_t, theta_r, dlt, dlr, phimn, omega, ae, p, q,
                   dct, dcr, dtm, dlm, out):
    """Basic transmission loss of anomalous propagation (ducting / layer reflection), Attachment D.

    Writes ``out[0..2] = Aac, Aad, Aat`` (Eqs. (D.5.1), (D.6.4), (D.7.7)) and returns
    Lba, Eq. (D.8.1). [dB]
    """
    tau = 1.0 - math.exp(-0.000412 * dlm ** 2.41)  # (D.2.1)
    mu1 = (10.0 ** (-dtm / (16.0 - 6.6 * tau)) + 10.0 ** (-(2.48 + 1.77 * tau))) ** 0.2  # (D.2.2)
    mu1 = min(mu1, 1.0)
    alat = abs(phimn)
    if alat <= 70.0:
        mu4 = 10.0 ** ((-0.935 + 0.0176 * alat) * math.log10(mu1))  # (D.2.3a)
        b0 = mu1 * mu4 * 10.0 ** (-0.015 * alat + 1.67)  # (D.2.4a)
    else:
        mu4 = 10.0 ** (0.3 * math.log10(mu1))  # (D.2.3b)
        b0 = 4.17 * mu1 * mu4  # (D.2.4b)
    gtr = 0.1 * dlt  # (D.3.1)
    grr = 0.1 * dlr
    thst = theta_t - gtr  # (D.3.2)
    thsr = theta_r - grr
    f13 = f_ghz ** (1.0 / 3.0)
    ast = 0.0
    if thst > 0.0:
        ast = 20.0 * math.log10(1.0 + 0.361 * thst * math.sqrt(f_ghz * dlt)) + 0.264 * thst * f13  # (D.3.3)
    asr = 0.0
    if thsr > 0.0:
        asr = 20.0 * math.log10(1.0 + 0.361 * thsr * math.sqrt(f_ghz * dlr)) + 0.264 * thsr * f13  # (D.3.4)
    act = 0.0
    acr = 0.0
    if omega >= 0.75:
        if dct <= dlt and dct <= 5.0:
            act = -3.0 * math.exp(-0.25 * dct * dct) * (1.0 + math.tanh(0.07 * (50.0 - hts)))  # (D.4.2)
        if dcr <= dlr and dcr <= 5.0:
            acr = -3.0 * math.exp(-0.25 * dcr * dcr) * (1.0 + math.tanh(0.07 * (50.0 - hrs)))  # (D.4.3)
    alf = 0.0
    if f_ghz < 0.5:
        alf = (45.375 - 137.0 * f_ghz + 92.5 * f_ghz * f_ghz) * omega  # (D.5.2)
    aac = 102.45 + 20.0 * math.log10(f_ghz * (dlt + dlr)) + alf + ast + asr + act + acr  # (D.5.1)
    gammad = 5e-5 * ae * f13  # (D.6.1)
    theta_at = min(theta_t, gtr)  # (D.6.2)
    theta_ar = min(theta_r, grr)
    theta_a = 1000.0 * dt / ae + theta_at + theta_ar  # (D.6.3)
    aad = gammad * theta_a if theta_a > 0.0 else 0.0  # (D.6.4)
    dar = min(dt - dlt - dlr, 40.0)  # (D.7.1)
    mu3 = math.exp(-4.6e-5 * (hm - 10.0) * (43.0 + 6.0 * dar)) if hm > 10.0 else 1.0  # (D.7.2)
    alpha = max(-0.6 - 3.5e-9 * dt ** 3.1 * tau, -3.4)  # (D.7.3)
    mu2 = min((500.0 * dt * dt / (ae * (math.sqrt(htea) + math.sqrt(hrea)) ** 2)) ** alpha, 1.0)  # (D.7.4)
    bduct = b0 * mu2 * mu3  # (D.7.5)
    lb = math.log10(bduct)
    gam = 1.076 * math.exp(-1e-6 * dt ** 1.13 * (9.51 - 4.8 * lb + 0.198 * lb * lb)) \
        / (2.0058 - lb) ** 1.012  # (D.7.6)
    aat = -12.0 + (1.2 + 0.0037 * dt) * math.log10(p / bduct) + 12.0 * (p / bduct) ** gam + 50.0 / q  # (D.7.7)
    out[0] = aac
    out[1] = aad
    out[2] = aat
    return aac + aad + aat  # (D.8.1)


# ----------------------------------------------------------------------------- Attachment E
@jit
def troposcatter_loss(f_ghz, dt, theta_t, theta_r, theta_e, ae, p, zone, gt_dbi, gr_dbi, out):
    """Troposcatter basic transmission loss, P.2001-4 Attachment E, Eq. (E.16). [dB]

    ``zone``: troposcatter climate zone 0-6 (§E.2, from the TropoClim map). Writes the
    scatter angle [mrad] to ``out[0]``.
    """
    z = int(zone)
    if z == 1:
        m, gamma, eq = 129.6, 0.33, 8
    elif z == 2:
        m, gamma, eq = 119.73, 0.27, 6
    elif z == 3:
        m, gamma, eq = 109.3, 0.32, 9
    elif z == 4:
        m, gamma, eq = 128.5, 0.27, 10
    elif z == 5:
        m, gamma, eq = 119.73, 0.27, 6
    elif z == 6:
        m, gamma, eq = 123.2, 0.27, 6
    else:  # 0: sea
        m, gamma, eq = 116.0, 0.27, 7
    theta = 1000.0 * theta_e + theta_t + theta_r  # (E.1)
    hh = 0.25e-3 * theta * dt  # (E.3)
    htrop = 0.125e-6 * theta * theta * ae  # (E.4)
    ln = 20.0 * math.log10(5.0 + gamma * hh) + 4.34 * gamma * htrop  # (E.2)
    ds = 0.001 * theta * ae  # (E.5)
    if eq == 6:
        y90 = -2.2 - (8.1 - 0.23 * min(f_ghz, 4.0)) * math.exp(-0.137 * htrop)  # (E.6)
    elif eq == 7:
        y90 = -9.5 - 3.0 * math.exp(-0.137 * htrop)  # (E.7)
    elif eq == 8:
        if ds < 100.0:
            y90 = -8.2
        elif ds >= 1000.0:
            y90 = -3.4
        else:
            y90 = 1.006e-8 * ds ** 3 - 2.569e-5 * ds ** 2 + 0.02242 * ds - 10.2  # (E.8)
    elif eq == 9:
        if ds < 100.0:
            y90 = -10.845
        elif ds >= 465.0:
            y90 = -8.4
        else:
            y90 = -4.5e-7 * ds ** 3 + 4.45e-4 * ds ** 2 - 0.122 * ds - 2.645  # (E.9)
    else:
        if ds < 100.0:
            y90 = -11.5
        elif ds >= 550.0:
            y90 = -4.0
        else:
            y90 = -8.519e-8 * ds ** 3 + 7.444e-5 * ds ** 2 - 4.18e-4 * ds - 12.1  # (E.10)
    if p >= 50.0:
        c = 1.26 * (-math.log10((100.0 - p) / 50.0)) ** 0.63  # (E.11a)
    else:
        c = -1.26 * (-math.log10(p / 50.0)) ** 0.63  # (E.11b)
    yp = c * y90  # (E.12)
    theta = max(theta, 1e-6)
    ldist = max(10.0 * math.log10(dt) + 30.0 * math.log10(theta) + ln,
                20.0 * math.log10(dt) + 0.573 * theta + 20.0)  # (E.13)
    lf = math.log10(0.5 * f_ghz)
    lfreq = 25.0 * math.log10(f_ghz) - 2.5 * lf * lf  # (E.14)
    lcoup = 0.07 * math.exp(0.055 * (gt_dbi + gr_dbi))  # (E.15)
    out[0] = theta
    return m + lfreq + ldist + lcoup - yp  # (E.16)


# ----------------------------------------------------------------------------- Attachment F
@jit
def sea_level_specific_attenuation(f_ghz, rho_sur, h_sur):
    """Sea-level specific attenuations (oxygen, water vapour), §F.6, Eqs. (F.6.1)-(F.6.2). [dB/km]"""
    rho_sea = rho_sur * math.exp(h_sur / 2000.0)  # (F.6.2b)
    eta = 0.955 + 0.006 * rho_sea  # (F.6.2a)
    f2 = f_ghz * f_ghz
    gamma_o = (7.2 / (f2 + 0.34) + 0.62 / ((54.0 - f_ghz) ** 1.16 + 0.83)) * f2 * 1e-3  # (F.6.1)
    r = (f_ghz - 22.0) / (f_ghz + 22.0)
    gamma_w = (0.046 + 0.0019 * rho_sea + 3.98 * eta / ((f_ghz - 22.235) ** 2 + 9.42 * eta * eta)
               * (1.0 + r * r)) * f2 * rho_sea * 1e-4  # (F.6.2)
    return gamma_o, gamma_w


@jit
def rain_water_vapour_density(rho_sur, h_sur):
    """Surface water-vapour density under rain conditions, §F.5, Eq. (F.5.1). [g/m^3]"""
    if h_sur <= 2600.0:
        return rho_sur + 0.4 + 0.0003 * h_sur
    return rho_sur + 5.0 * math.exp(-h_sur / 1800.0)


@jit
def gaseous_surface(f_ghz, rho_sur, h_mid, hts, hrs, dt, out):
    """Gaseous absorption on a surface path, §F.2, Eqs. (F.2.1)-(F.2.2).

    Writes ``out[0..5] = Aosur, Awsur, Awrsur, gamma_o, gamma_w, gamma_wr`` [dB, dB/km].
    """
    go, gw = sea_level_specific_attenuation(f_ghz, rho_sur, h_mid)
    _, gwr = sea_level_specific_attenuation(f_ghz, rain_water_vapour_density(rho_sur, h_mid), h_mid)
    h_rho = 0.5 * (hts + hrs)  # (F.2.1)
    out[0] = go * dt * math.exp(-h_rho / 5000.0)  # (F.2.2a)
    out[1] = gw * dt * math.exp(-h_rho / 2000.0)  # (F.2.2b)
    out[2] = gwr * dt * math.exp(-h_rho / 2000.0)  # (F.2.2c)
    out[3] = go
    out[4] = gw
    out[5] = gwr


@jit
def gaseous_terminal_to_cv(f_ghz, rho_sur, h_sur, theta_el, dcv):
    """Gaseous absorption from a terminal to the common volume, §F.4, Eqs. (F.4.1)-(F.4.3).

    Returns (Ao, Aw, Awr) [dB]; ``theta_el`` [mrad], ``dcv`` [km], ``h_sur`` [m].
    """
    go, gw = sea_level_specific_attenuation(f_ghz, rho_sur, h_sur)
    _, gwr = sea_level_specific_attenuation(f_ghz, rain_water_vapour_density(rho_sur, h_sur), h_sur)
    s = math.sin(0.001 * theta_el)
    d0 = 5.0 / (0.65 * s + 0.35 * math.sqrt(s * s + 0.00304))  # (F.4.1a)
    dw = 2.0 / (0.65 * s + 0.35 * math.sqrt(s * s + 0.00122))  # (F.4.1b)
    deo = d0 * (1.0 - math.exp(-dcv / d0)) * math.exp(-h_sur / 5000.0)  # (F.4.2a)
    dew = dw * (1.0 - math.exp(-dcv / dw)) * math.exp(-h_sur / 2000.0)  # (F.4.2b)
    return go * deo, gw * dew, gwr * dew  # (F.4.3)


# ----------------------------------------------------------------------------- Attachment G
@jit
def _es_terminal_loss(f_ghz, theta_mrad, dl, eps):
    delta = 0.001 * theta_mrad - eps  # (G.2.5) / (G.3.5)
    nu = 3.651 * math.sqrt(1000.0 * f_ghz * dl * (1.0 - math.cos(delta)) / math.cos(0.001 * theta_mrad))
    if delta < 0.0:
        nu = -nu  # (G.2.6) / (G.3.6)
    return knife_edge_loss(nu)  # (G.2.7) / (G.3.7)


@jit
def _es_hops(f_ghz, dt, theta_t, theta_r, dlt, dlr, ae, hes, m):
    """Slant path length and Tx / Rx diffraction losses of a sporadic-E path of ``m`` / 2 hops:
    ``m = 2`` one hop, Eqs. (G.2.2)-(G.2.7); ``m = 4`` two hops, Eqs. (G.3.2)-(G.3.7)."""
    lm = m * math.sqrt(ae * ae + (ae + hes) ** 2 - 2.0 * ae * (ae + hes) * math.cos(dt / (m * ae)))  # (G.2.2) / (G.3.2)
    a = dt / (m * ae)
    eps = 0.5 * math.pi - math.atan(ae * math.sin(a) / (hes + ae * (1.0 - math.cos(a)))) - a  # (G.2.4) / (G.3.4)
    return lm, _es_terminal_loss(f_ghz, theta_t, dlt, eps), _es_terminal_loss(f_ghz, theta_r, dlr, eps)


@jit
def sporadic_e_loss(f_ghz, dt, theta_t, theta_r, dlt, dlr, ae, foes1, foes2, out):
    """Sporadic-E basic transmission loss, P.2001-4 Attachment G, Eq. (G.4.1). [dB]

    ``foes1``: FoEs for 1 hop (path mid-point), ``foes2``: for 2 hops (lower of the
    quarter-point values), both at p % from Eq. (G.1.1) [MHz]. Writes
    ``out[0..7] = Lbes1, Lbes2, Lp1t, Lp1r, Lp2t, Lp2r, Gamma1, Gamma2``.
    """
    hes = 120.0
    gam1 = (40.0 / (1.0 + dt / 130.0 + (dt / 250.0) ** 2) + 0.2 * (dt / 2600.0) ** 2) \
        * (1000.0 * f_ghz / foes1) ** 2 + math.exp((dt - 1660.0) / 280.0)  # (G.2.1)
    l1, lp1t, lp1r = _es_hops(f_ghz, dt, theta_t, theta_r, dlt, dlr, ae, hes, 2.0)  # (G.2.2)-(G.2.7)
    lbes1 = free_space_loss(f_ghz, l1) + gam1 + lp1t + lp1r  # (G.2.3), (G.2.8)
    gam2 = (40.0 / (1.0 + dt / 260.0 + (dt / 500.0) ** 2) + 0.2 * (dt / 5200.0) ** 2) \
        * (1000.0 * f_ghz / foes2) ** 2 + math.exp((dt - 3220.0) / 560.0)  # (G.3.1)
    l2, lp2t, lp2r = _es_hops(f_ghz, dt, theta_t, theta_r, dlt, dlr, ae, hes, 4.0)  # (G.3.2)-(G.3.7)
    lbes2 = free_space_loss(f_ghz, l2) + gam2 + lp2t + lp2r  # (G.3.3), (G.3.8)
    out[0] = lbes1
    out[1] = lbes2
    out[2] = lp1t
    out[3] = lp1r
    out[4] = lp2t
    out[5] = lp2r
    out[6] = gam1
    out[7] = gam2
    if lbes1 < lbes2 - 20.0:  # (G.4.1)
        return lbes1
    if lbes2 < lbes1 - 20.0:
        return lbes2
    lm = min(lbes1, lbes2)  # same sum, shifted so that huge losses do not underflow
    return lm - 10.0 * math.log10(10.0 ** (-0.1 * (lbes1 - lm)) + 10.0 ** (-0.1 * (lbes2 - lm)))
