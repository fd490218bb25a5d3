"""Delta-Bullington diffraction, Rec. ITU-R P.526-16 §4.5 (also P.452-17/-18 §4.2, P.1812 §4.3).

Numba kernels, float64 arrays in and out. Every per-path function takes the profile as
``d`` (distance from the transmitter, km, ascending, ``d[0] == 0``) and ``h`` (height
amsl, m) plus ``n``, the number of valid points, so that padded rows of a batch
``(n_paths, n_max)`` and prefixes of radial profiles can be passed without copying.

Entry points usable from other njit code:

* :func:`knife_edge_loss` -- J(nu), Eq. (31) of P.526-16.
* :func:`bullington` -- Bullington loss for a general profile (P.526-16 §4.5.1 steps 1-5).
* :func:`spherical_earth_diffraction` -- smooth spherical-Earth loss Ldsph (P.526-16 §3.2,
  the first-term method of §3.1.1.1 with land/sea interpolation as in P.452-18 §4.2.2).
* :func:`smooth_earth_heights_diffraction` -- hstd, hsrd (P.452-18 Attachment 2 §5.1.6.3).
* :func:`delta_bullington` -- the complete method, writing Ld, Lbulla, Lbulls, Ldsph.
* :func:`delta_bullington_batch` -- parallel over paths.

The wavelength uses c = 2.998e8 m/s (lambda = 0.2998 / f_GHz), as in P.452-17/-18 and
P.1812-6 and their reference implementations.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange

#: speed of light used by P.452-17/18 and P.1812-6 (m/s)
C_M_S = 2.998e8

#: ground constants for the first-term spherical-Earth loss (P.452-18 §4.2.2.1)
EPSR_LAND = 22.0
SIGMA_LAND = 0.003
EPSR_SEA = 80.0
SIGMA_SEA = 5.0

#: indices of the ``out`` array of :func:`delta_bullington`
LD, LBULLA, LBULLS, LDSPH = 0, 1, 2, 3


@jit
def knife_edge_loss(nu):
    """Knife-edge diffraction loss J(nu), Rec. ITU-R P.526-16 Eq. (31); 0 for nu <= -0.78. [dB]"""
    if nu <= -0.78:
        return 0.0
    x = nu - 0.1
    return 6.9 + 20.0 * math.log10(math.sqrt(x * x + 1.0) + x)


@jit
def inverse_distances(d, n, inv_d, inv_r):
    """Fill ``inv_d[i] = 1/d_i`` and ``inv_r[i] = 1/(d_n - d_i)`` for the intermediate points.

    Shared by every Bullington pass (and the P.452 geometry) so the profile loops multiply
    instead of divide; one division per point (``1/(d_i (d_n - d_i))``).
    """
    dtot = d[n - 1] - d[0]
    if n < 3:
        return
    # three branch-free loops the compiler vectorises (a scalar ``1.0 / x`` carries Numba's
    # ZeroDivisionError check, which keeps the loop scalar); same arithmetic as
    # q = 1 / (d_i (d - d_i)), inv_d = (d - d_i) q, inv_r = d_i q
    for i in range(1, n - 1):
        inv_r[i] = d[i] * (dtot - d[i])
    np.divide(1.0, inv_r[1:n - 1], inv_r[1:n - 1])
    for i in range(1, n - 1):
        q = inv_r[i]
        inv_d[i] = (dtot - d[i]) * q
        inv_r[i] = d[i] * q


@jit
def _concave_max(d, n, dtot, ce500, a, from_tx):
    # max over intermediate points of the smooth-Earth slope (flat profile, heights 0):
    #   from_tx:  500 Ce (D - x) - a / x        (Eq. (14) with h_i = 0)
    #   else:     500 Ce x - a / (D - x)        (Eq. (18) with h_i = 0)
    # Both are strictly concave in x for a > 0, so the samples are unimodal: binary search for
    # the first i with f(i) >= f(i + 1).
    lo = 1
    hi = n - 2
    while lo < hi:
        mid = (lo + hi) // 2
        x0 = d[mid]
        x1 = d[mid + 1]
        if from_tx:
            f0 = ce500 * (dtot - x0) - a / x0
            f1 = ce500 * (dtot - x1) - a / x1
        else:
            f0 = ce500 * x0 - a / (dtot - x0)
            f1 = ce500 * x1 - a / (dtot - x1)
        if f0 >= f1:
            hi = mid
        else:
            lo = mid + 1
    x = d[lo]
    if from_tx:
        return ce500 * (dtot - x) - a / x
    return ce500 * x - a / (dtot - x)


@jit
def _flat_nu_q(d, i, dtot, ce500, c_t, c_r, inv_d, inv_r):
    # sign(nu) nu^2 up to a positive constant at point i of the flat (smooth-Earth) profile
    di = d[i]
    dr = dtot - di
    hh = ce500 * di * dr - (c_t * dr + c_r * di)
    return hh * abs(hh) * inv_d[i] * inv_r[i]


@jit
def _flat_nu_argmax(d, n, dtot, ce500, c_t, c_r, inv_d, inv_r):
    # Point of highest nu (Eq. (16)) on the flat profile with terminal heights a = c_t D > 0,
    # b = c_r D > 0. With x = D sin^2(phi), nu is proportional to
    #   F(phi) = (Ce D / 2) sin(2 phi) - (a cot(phi) + b tan(phi)) / D,
    # F'' = -2 Ce D sin(2 phi) - 2 (a csc^2(phi) cot(phi) + b sec^2(phi) tan(phi)) / D < 0 on
    # (0, pi/2): strictly concave in phi, which increases with x, so nu (and sign(nu) nu^2)
    # is unimodal over the samples: binary search for the first i with q(i) >= q(i + 1)
    # (the first maximum, as a linear scan finds it).
    lo = 1
    hi = n - 2
    while lo < hi:
        mid = (lo + hi) // 2
        if _flat_nu_q(d, mid, dtot, ce500, c_t, c_r, inv_d, inv_r) >= \
                _flat_nu_q(d, mid + 1, dtot, ce500, c_t, c_r, inv_d, inv_r):
            hi = mid
        else:
            lo = mid + 1
    return lo


@jit
def _bullington_finish(d, h, n, hts, hrs, ce500, lam, flat, stim, srim, imax):
    # Eqs. (15)-(22) from the scan results (Stim, Srim, index of the highest nu)
    dtot = d[n - 1] - d[0]
    str_ = (hrs - hts) / dtot  # Eq. (15)
    if stim < str_:
        # LoS: highest diffraction parameter, Eqs. (16)-(17)
        di = d[imax]
        dr = dtot - di
        hb = ce500 * di * dr
        if not flat:
            hb += h[imax]
        numax = (hb - (hts * dr + hrs * di) / dtot) * math.sqrt(0.002 * dtot / (lam * di * dr))
        luc = knife_edge_loss(numax)
    else:
        # trans-horizon: Eqs. (19)-(21)
        dbp = (hrs - hts + srim * dtot) / (stim + srim)  # Eq. (19)
        nub = (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot) \
            * math.sqrt(0.002 * dtot / (lam * dbp * (dtot - dbp)))  # Eq. (20)
        luc = knife_edge_loss(nub)  # Eq. (21)
    return luc + (1.0 - math.exp(-luc / 6.0)) * (10.0 + 0.02 * dtot)  # Eq. (22)


@jit
def bullington_scan(d, h, n, hts, hrs, ap_km, flat, inv_d, inv_r):
    """Frequency-independent part of the Bullington method: (Stim, Srim, index of highest nu).

    P.526-16 §4.5.1 / P.452-18 Eqs. (14), (16), (18). ``flat`` sets all heights to 0 (the
    smooth-profile pass of delta-Bullington). nu is ranked by sign(H) H^2 / (d_i (d - d_i)),
    which is monotonic in nu for any wavelength. For the flat profile with positive heights,
    Stim, Srim and, for a line-of-sight path, the highest-nu point come from binary searches
    (the slopes are concave in d_i, nu is unimodal: :func:`_flat_nu_argmax`), O(log n).
    Finish with :func:`bullington_from_scan`.
    """
    ce500 = 500.0 / ap_km
    dtot = d[n - 1] - d[0]
    str_ = (hrs - hts) / dtot  # Eq. (15)
    c_t = hts / dtot
    c_r = hrs / dtot
    imax = 1
    if flat and hts > 0.0 and hrs > 0.0:
        stim = _concave_max(d, n, dtot, ce500, hts, True)
        srim = _concave_max(d, n, dtot, ce500, hrs, False)
        if stim < str_:
            imax = _flat_nu_argmax(d, n, dtot, ce500, c_t, c_r, inv_d, inv_r)
    else:
        stim = -1e300
        srim = -1e300
        qmax = -1e300
        for i in range(1, n - 1):
            di = d[i]
            dr = dtot - di
            hb = ce500 * di * dr
            if not flat:
                hb += h[i]
            stim = max(stim, (hb - hts) * inv_d[i])
            srim = max(srim, (hb - hrs) * inv_r[i])
            hh = hb - (c_t * dr + c_r * di)
            q = hh * abs(hh) * inv_d[i] * inv_r[i]
            if q > qmax:
                qmax = q
                imax = i
    return stim, srim, imax


@jit
def bullington_from_scan(d, h, n, hts, hrs, ap_km, f_ghz, flat, stim, srim, imax):
    """Bullington loss from :func:`bullington_scan` results, P.452-18 Eqs. (15)-(22). [dB]"""
    return _bullington_finish(d, h, n, hts, hrs, 500.0 / ap_km, 0.2998 / f_ghz, flat, stim, srim, imax)


@jit
def _bullington_inv(d, h, n, hts, hrs, ap_km, f_ghz, flat, inv_d, inv_r):
    stim, srim, imax = bullington_scan(d, h, n, hts, hrs, ap_km, flat, inv_d, inv_r)
    return _bullington_finish(d, h, n, hts, hrs, 500.0 / ap_km, 0.2998 / f_ghz, flat, stim, srim, imax)


@jit
def bullington_scan_pair(d, h, n, hts, hrs, ap1, ap2, inv_d, inv_r):
    """:func:`bullington_scan` of the actual profile for two effective Earth radii in one pass.

    Returns ``(stim1, srim1, imax1, stim2, srim2, imax2)``.
    """
    ce1 = 500.0 / ap1
    ce2 = 500.0 / ap2
    dtot = d[n - 1] - d[0]
    c_t = hts / dtot
    c_r = hrs / dtot
    stim1 = -1e300
    srim1 = -1e300
    q1 = -1e300
    i1 = 1
    stim2 = -1e300
    srim2 = -1e300
    q2 = -1e300
    i2 = 1
    for i in range(1, n - 1):
        di = d[i]
        dr = dtot - di
        dd = di * dr
        hi = h[i]
        base = hi - (c_t * dr + c_r * di)
        idi = inv_d[i]
        idr = inv_r[i]
        hb = hi + ce1 * dd
        stim1 = max(stim1, (hb - hts) * idi)
        srim1 = max(srim1, (hb - hrs) * idr)
        hh = base + ce1 * dd
        q = hh * abs(hh) * idi * idr
        if q > q1:
            q1 = q
            i1 = i
        hb = hi + ce2 * dd
        stim2 = max(stim2, (hb - hts) * idi)
        srim2 = max(srim2, (hb - hrs) * idr)
        hh = base + ce2 * dd
        q = hh * abs(hh) * idi * idr
        if q > q2:
            q2 = q
            i2 = i
    return stim1, srim1, i1, stim2, srim2, i2


@jit
def _bullington_pair_inv(d, h, n, hts, hrs, ap1, ap2, f_ghz, inv_d, inv_r):
    # the actual-profile Bullington loss for two effective Earth radii in one scan
    lam = 0.2998 / f_ghz
    s1, r1, i1, s2, r2, i2 = bullington_scan_pair(d, h, n, hts, hrs, ap1, ap2, inv_d, inv_r)
    l1 = _bullington_finish(d, h, n, hts, hrs, 500.0 / ap1, lam, False, s1, r1, i1)
    l2 = _bullington_finish(d, h, n, hts, hrs, 500.0 / ap2, lam, False, s2, r2, i2)
    return l1, l2


@jit
def _bullington(d, h, n, hts, hrs, ap_km, f_ghz, flat):
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    inverse_distances(d, n, inv_d, inv_r)
    return _bullington_inv(d, h, n, hts, hrs, ap_km, f_ghz, flat, inv_d, inv_r)


@jit
def bullington(d, h, n, hts, hrs, ap_km, f_ghz):
    """Bullington diffraction loss of a profile, Rec. ITU-R P.526-16 §4.5.1, Eqs. (49)-(57). [dB]

    Parameters
    ----------
    d, h : ndarray
        Profile distances from the transmitter [km] and heights amsl [m]; first ``n`` used.
    n : int
        Number of valid profile points (>= 3).
    hts, hrs : float
        Transmitter / receiver antenna heights amsl [m].
    ap_km : float
        Effective Earth radius [km].
    f_ghz : float
        Frequency [GHz].
    """
    return _bullington(d, h, n, hts, hrs, ap_km, f_ghz, False)


@jit
def _first_term(epsr, sigma, d_km, hte, hre, adft, f_ghz, pol):
    # First-term spherical-Earth diffraction loss, P.452-18 Eqs. (30)-(37) / P.526-16 §3.1.1.
    k = 0.036 * (adft * f_ghz) ** (-1.0 / 3.0) \
        * ((epsr - 1.0) ** 2 + (18.0 * sigma / f_ghz) ** 2) ** (-0.25)  # Eq. (30a)
    if pol == 1:
        k = k * math.sqrt(epsr * epsr + (18.0 * sigma / f_ghz) ** 2)  # Eq. (30b)
    k2 = k * k
    k4 = k2 * k2
    beta = (1.0 + 1.6 * k2 + 0.67 * k4) / (1.0 + 4.5 * k2 + 1.53 * k4)  # Eq. (31)
    x = 21.88 * beta * (f_ghz / (adft * adft)) ** (1.0 / 3.0) * d_km  # Eq. (32)
    yfac = 0.9575 * beta * (f_ghz * f_ghz / adft) ** (1.0 / 3.0)
    yt = yfac * hte  # Eq. (33a)
    yr = yfac * hre  # Eq. (33b)
    if x >= 1.6:  # Eq. (34)
        fx = 11.0 + 10.0 * math.log10(x) - 17.6 * x
    else:
        fx = -20.0 * math.log10(x) - 5.6488 * x ** 1.425
    glim = 2.0 + 20.0 * math.log10(k)
    bt = beta * yt  # Eq. (36b)
    br = beta * yr
    if bt > 2.0:  # Eq. (36a)
        gt = 17.6 * math.sqrt(bt - 1.1) - 5.0 * math.log10(bt - 1.1) - 8.0
    else:
        gt = 20.0 * math.log10(bt + 0.1 * bt ** 3)
    if br > 2.0:
        gr = 17.6 * math.sqrt(br - 1.1) - 5.0 * math.log10(br - 1.1) - 8.0
    else:
        gr = 20.0 * math.log10(br + 0.1 * br ** 3)
    if gt < glim:
        gt = glim
    if gr < glim:
        gr = glim
    return -fx - gt - gr  # Eq. (37)


@jit
def first_term_loss(d_km, hte, hre, adft, f_ghz, omega, pol):
    """First-term spherical-Earth diffraction loss Ldft, P.452-18 §4.2.2.1 Eq. (29). [dB]

    Land (epsr 22, sigma 0.003 S/m) and sea (80, 5 S/m) losses weighted by the sea
    fraction ``omega``; ``pol`` 0 horizontal, 1 vertical.
    """
    land = _first_term(EPSR_LAND, SIGMA_LAND, d_km, hte, hre, adft, f_ghz, pol)
    sea = _first_term(EPSR_SEA, SIGMA_SEA, d_km, hte, hre, adft, f_ghz, pol)
    return omega * sea + (1.0 - omega) * land


@jit
def spherical_earth_diffraction(d_km, hte, hre, ap_km, f_ghz, omega, pol):
    """Spherical-Earth diffraction loss Ldsph, Rec. ITU-R P.452-18 §4.2.2 Eqs. (23)-(28). [dB]

    Parameters
    ----------
    d_km : float
        Path length [km].
    hte, hre : float
        Antenna heights above the smooth Earth [m].
    ap_km : float
        Effective Earth radius [km].
    f_ghz : float
        Frequency [GHz].
    omega : float
        Fraction of the path over sea.
    pol : int
        0 horizontal, 1 vertical.
    """
    lam = 0.2998 / f_ghz
    if hte < 0.0 or hre < 0.0:
        # heights below the smooth surface are not meaningful; clamp (never reached in P.452 use)
        hte = max(hte, 0.0)
        hre = max(hre, 0.0)
    dlos = math.sqrt(2.0 * ap_km) * (math.sqrt(0.001 * hte) + math.sqrt(0.001 * hre))  # Eq. (23)
    if d_km >= dlos:
        return first_term_loss(d_km, hte, hre, ap_km, f_ghz, omega, pol)
    c = (hte - hre) / (hte + hre)  # Eq. (25d)
    m = 250.0 * d_km * d_km / (ap_km * (hte + hre))  # Eq. (25e)
    b = 2.0 * math.sqrt((m + 1.0) / (3.0 * m)) * math.cos(
        math.pi / 3.0 + 1.0 / 3.0 * math.acos(1.5 * c * math.sqrt(3.0 * m / (m + 1.0) ** 3)))  # Eq. (25c)
    dse1 = 0.5 * d_km * (1.0 + b)  # Eq. (25a)
    dse2 = d_km - dse1  # Eq. (25b)
    hse = ((hte - 500.0 * dse1 * dse1 / ap_km) * dse2 + (hre - 500.0 * dse2 * dse2 / ap_km) * dse1) / d_km  # Eq. (24)
    hreq = 17.456 * math.sqrt(dse1 * dse2 * lam / d_km)  # Eq. (26)
    if hse > hreq:
        return 0.0
    aem = 500.0 * (d_km / (math.sqrt(hte) + math.sqrt(hre))) ** 2  # Eq. (27)
    ldft = first_term_loss(d_km, hte, hre, aem, f_ghz, omega, pol)
    if ldft < 0.0:
        return 0.0
    return (1.0 - hse / hreq) * ldft  # Eq. (28)


@jit
def smooth_earth_heights_diffraction(d, h, n, hts, hrs, out):
    """Smooth-surface heights for the diffraction model, P.452-18 Attachment 2 §5.1.6.2-3.

    Writes ``out[0] = hst``, ``out[1] = hsr`` (least-squares smooth surface at the
    terminals, Eqs. (161)-(164)), ``out[2] = hstd``, ``out[3] = hsrd`` (Eqs. (165)-(167)).
    Heights amsl [m].
    """
    dtot = d[n - 1] - d[0]
    v1 = 0.0
    v2 = 0.0
    for i in range(1, n):
        dd = d[i] - d[i - 1]
        v1 += dd * (h[i] + h[i - 1])  # Eq. (161)
        v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]))  # Eq. (162)
    hst = (2.0 * v1 * dtot - v2) / (dtot * dtot)  # Eq. (163)
    hsr = (v2 - v1 * dtot) / (dtot * dtot)  # Eq. (164)
    hobs = -1e300
    aobt = -1e300
    aobr = -1e300
    for i in range(1, n - 1):
        hh = h[i] - (hts * (dtot - d[i]) + hrs * d[i]) / dtot  # Eq. (165d)
        if hh > hobs:
            hobs = hh
        a = hh / d[i]
        if a > aobt:
            aobt = a
        a = hh / (dtot - d[i])
        if a > aobr:
            aobr = a
    if hobs <= 0.0:
        hstp = hst  # Eq. (166a)
        hsrp = hsr
    else:
        gt = aobt / (aobt + aobr)  # Eq. (166e)
        gr = aobr / (aobt + aobr)
        hstp = hst - hobs * gt  # Eq. (166c)
        hsrp = hsr - hobs * gr
    hstd = h[0] if hstp > h[0] else hstp  # Eq. (167a,b)
    hsrd = h[n - 1] if hsrp > h[n - 1] else hsrp  # Eq. (167c,d)
    out[0] = hst
    out[1] = hsr
    out[2] = hstd
    out[3] = hsrd


@jit
def _delta_combine(d, n, htsp, hrsp, ap_km, f_ghz, omega, pol, lbulla, lbulls, out):
    """Last step of the delta-Bullington method, P.526-16 §4.5 (P.452-18 Eqs. (39)-(40)).

    ``lbulla``, ``lbulls``: Bullington losses of the actual and the smooth profile [dB];
    ``htsp``, ``hrsp``: the Eq. (38) heights. Writes ``Ld, Lbulla, Lbulls, Ldsph`` to ``out``.
    """
    dtot = d[n - 1] - d[0]
    ldsph = spherical_earth_diffraction(dtot, htsp, hrsp, ap_km, f_ghz, omega, pol)  # Eq. (39)
    out[0] = lbulla + max(ldsph - lbulls, 0.0)  # Eq. (40)
    out[1] = lbulla
    out[2] = lbulls
    out[3] = ldsph


@jit
def delta_bullington(d, h, n, hts, hrs, hstd, hsrd, ap_km, f_ghz, omega, pol, out):
    """Delta-Bullington diffraction loss, Rec. ITU-R P.526-16 §4.5 (P.452-18 §4.2.3, Eq. (40)).

    Parameters
    ----------
    d, h : ndarray
        Profile distances [km] and heights amsl [m] (terrain, or terrain + clutter);
        the first ``n`` points are used.
    n : int
        Number of valid points (>= 3).
    hts, hrs : float
        Antenna heights amsl [m].
    hstd, hsrd : float
        Smooth-surface heights at the terminals for diffraction [m amsl]
        (:func:`smooth_earth_heights_diffraction`).
    ap_km : float
        Effective Earth radius [km].
    f_ghz : float
        Frequency [GHz].
    omega : float
        Fraction of the path over sea.
    pol : int
        0 horizontal, 1 vertical.
    out : ndarray, shape (>= 4,)
        Receives ``Ld, Lbulla, Lbulls, Ldsph`` [dB].

    References
    ----------
    Rec. ITU-R P.526-16, Propagation by diffraction, §4.5.
    Rec. ITU-R P.452-18 (10/2023), §4.2.
    """
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    inverse_distances(d, n, inv_d, inv_r)
    delta_bullington_inv(d, h, n, hts, hrs, hstd, hsrd, ap_km, f_ghz, omega, pol, inv_d, inv_r, out)


@jit
def delta_bullington_inv(d, h, n, hts, hrs, hstd, hsrd, ap_km, f_ghz, omega, pol, inv_d, inv_r, out):
    """:func:`delta_bullington` with precomputed ``inv_d[i] = 1/d_i``, ``inv_r[i] = 1/(d - d_i)``.

    For callers that evaluate several radii / frequencies on one profile (P.452 does
    two radii per (f, p)); fill the arrays with ``inverse_distances``.
    """
    lbulla = _bullington_inv(d, h, n, hts, hrs, ap_km, f_ghz, False, inv_d, inv_r)
    htsp = hts - hstd  # Eq. (38a)
    hrsp = hrs - hsrd  # Eq. (38b)
    lbulls = _bullington_inv(d, h, n, htsp, hrsp, ap_km, f_ghz, True, inv_d, inv_r)
    _delta_combine(d, n, htsp, hrsp, ap_km, f_ghz, omega, pol, lbulla, lbulls, out)


@jit
def delta_bullington_pair_inv(d, h, n, hts, hrs, hstd, hsrd, ap1, ap2, f_ghz, omega, pol, inv_d, inv_r, out1,
                              out2):
    """:func:`delta_bullington_inv` for two effective Earth radii (P.452: ae and a_beta) at once.

    The actual-profile scan is shared; ``out1`` / ``out2`` receive Ld, Lbulla, Lbulls, Ldsph
    for ``ap1`` / ``ap2``.
    """
    la1, la2 = _bullington_pair_inv(d, h, n, hts, hrs, ap1, ap2, f_ghz, inv_d, inv_r)
    htsp = hts - hstd  # Eq. (38a)
    hrsp = hrs - hsrd  # Eq. (38b)
    ls1 = _bullington_inv(d, h, n, htsp, hrsp, ap1, f_ghz, True, inv_d, inv_r)
    ls2 = _bullington_inv(d, h, n, htsp, hrsp, ap2, f_ghz, True, inv_d, inv_r)
    _delta_combine(d, n, htsp, hrsp, ap1, f_ghz, omega, pol, la1, ls1, out1)
    _delta_combine(d, n, htsp, hrsp, ap2, f_ghz, omega, pol, la2, ls2, out2)


@jit
def delta_bullington_from_scan(d, h, n, hts, hrs, hstd, hsrd, ap_km, f_ghz, omega, pol, stim_a, srim_a, imax_a,
                               stim_s, srim_s, imax_s, out):
    """:func:`delta_bullington` from precomputed scans (no pass over the profile).

    ``stim_a, srim_a, imax_a``: :func:`bullington_scan` of the actual profile (heights amsl
    ``hts``, ``hrs``); ``stim_s, srim_s, imax_s``: of the smooth profile (``flat=True``,
    heights ``hts - hstd``, ``hrs - hsrd``), both at ``ap_km``. The scans do not depend on
    the frequency, so one scan serves every frequency.
    """
    lam = 0.2998 / f_ghz
    ce500 = 500.0 / ap_km
    lbulla = _bullington_finish(d, h, n, hts, hrs, ce500, lam, False, stim_a, srim_a, imax_a)
    htsp = hts - hstd  # Eq. (38a)
    hrsp = hrs - hsrd  # Eq. (38b)
    lbulls = _bullington_finish(d, h, n, htsp, hrsp, ce500, lam, True, stim_s, srim_s, imax_s)
    _delta_combine(d, n, htsp, hrsp, ap_km, f_ghz, omega, pol, lbulla, lbulls, out)


@pjit
def delta_bullington_batch(d, h, n, hts, hrs, hstd, hsrd, ap_km, f_ghz, omega, pol):
    """:func:`delta_bullington` over a batch of padded profiles ``(n_paths, n_max)``.

    Every scalar argument is an array of length ``n_paths``. Returns ``(n_paths, 4)``
    columns Ld, Lbulla, Lbulls, Ldsph [dB].
    """
    npath = d.shape[0]
    res = np.empty((npath, 4))
    for k in prange(npath):
        delta_bullington(d[k], h[k], n[k], hts[k], hrs[k], hstd[k], hsrd[k], ap_km[k], f_ghz[k],
                         omega[k], int(pol[k]), res[k])
    return res
