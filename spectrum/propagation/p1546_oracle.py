"""Slow, obvious pure-Python reading of Rec. ITU-R P.1546-6 Annex 6 (one path at a time).

The test oracle of :mod:`spectrum.kernels.p1546` (STYLE.md rule 7) and the pure-Python peer
timed by ``benchmarks/bench_p1546.py``. It is written from the Recommendation's step list, step by
step, with the curves as a dictionary ``{(f, t, path): {h1: [E(d) ...]}}``; it shares no code with
the kernel except the curve file reader. Same inputs and ``compat`` switch as
:func:`spectrum.propagation.p1546.field_strength` (scalars only, NaN-free: ``None`` = unavailable).

References
----------
Rec. ITU-R P.1546-6 (08/2019), Annexes 5 and 6.
"""
from __future__ import annotations

import math
from functools import lru_cache

from . import p1546_curves

@lru_cache(maxsize=1)
def curves() -> dict:
    """{(f_nominal, t_nominal, 'land'|'sea'|'cold'|'warm'): {h1: list of E over the 78 distances}}."""
    tab = p1546_curves.load_table()
    kinds = [("land", 50), ("land", 10), ("land", 1), ("sea", 50), ("cold", 10), ("cold", 1), ("warm", 10), ("warm", 1)]
    out = {}
    for fig in range(24):
        fnom = [100.0, 600.0, 2000.0][fig // 8]
        path, tnom = kinds[fig % 8]
        out[(fnom, float(tnom), path)] = {float(h): [float(v) for v in tab[fig, :, j]]
                                         for j, h in enumerate(p1546_curves.HEIGHTS_M)}
    return out


DIST = [float(x) for x in p1546_curves.DISTANCES_KM]
HEIGHTS = [float(x) for x in p1546_curves.HEIGHTS_M]


def nominal_pair(v, nominal):
    """Lower and higher nominal values around v (equal on a nominal value; end pair outside)."""
    if v in nominal:
        return v, v
    if v < nominal[0]:
        return nominal[0], nominal[1]
    if v > nominal[-1]:
        return nominal[-2], nominal[-1]
    for a, b in zip(nominal[:-1], nominal[1:]):
        if a < v < b:
            return a, b
    raise ValueError(v)


def J(nu):
    return 6.9 + 20 * math.log10(math.sqrt((nu - 0.1) ** 2 + 1) + nu - 0.1) if nu > -0.7806 else 0.0


def Qi(x):
    def T(y):
        return math.sqrt(-2 * math.log(y))

    def C(y):
        return (((0.010328 * T(y) + 0.802853) * T(y)) + 2.515517) / \
            (((0.001308 * T(y) + 0.189269) * T(y) + 1.432788) * T(y) + 1)

    return T(x) - C(x) if x <= 0.5 else -(T(1 - x) - C(1 - x))


def D06(f, h1, h2):
    h1 = max(h1, 0.0)
    Df = 0.0000389 * f * h1 * h2
    Dh = 4.1 * (math.sqrt(h1) + math.sqrt(h2))
    return max(Df * Dh / (Df + Dh), 0.001)


def Emax_land(d):
    return 106.9 - 20 * math.log10(d)


def Emax_sea(d, t):
    return Emax_land(d) + 2.38 * (1 - math.exp(-d / 8.94)) * math.log10(50 / t)


def E_curve(f_nom, t_nom, path, h_nom, d):
    """One tabulated curve at distance d, log-distance interpolation Eq. (13)."""
    col = curves()[(f_nom, t_nom, path)][h_nom]
    a, b = nominal_pair(d, DIST)
    ea, eb = col[DIST.index(a)], col[DIST.index(b)]
    if a == b:
        return ea
    return ea + (eb - ea) * math.log10(d / a) / math.log10(b / a)


def Ch1(f_nom, h1):
    k = {100.0: 1.35, 600.0: 3.31, 2000.0: 6.0}[f_nom]
    return 6.03 - J(k * math.degrees(math.atan(-h1 / 9000)))


def E_height(f_nom, t_nom, path, h1, d, f, t, Emax, compat):
    """Annex 5 §4: field strength for the required h1 on one family of curves."""
    if h1 >= 10:
        a, b = nominal_pair(h1, HEIGHTS)
        Ea = E_curve(f_nom, t_nom, path, a, d)
        if a == b:
            E = Ea
        else:
            Eb = E_curve(f_nom, t_nom, path, b, d)
            E = Ea + (Eb - Ea) * math.log10(h1 / a) / math.log10(b / a)
        return min(E, Emax)
    E10 = E_curve(f_nom, t_nom, path, 10.0, d)
    E20 = E_curve(f_nom, t_nom, path, 20.0, d)
    Ezero = E10 + 0.5 * ((E10 - E20) + Ch1(f_nom, -10.0))
    if path == "land":
        if h1 >= 0:
            return Ezero + 0.1 * h1 * (E10 - Ezero)
        return Ezero + Ch1(f_nom, h1)
    fD = f if compat == "reference" else f_nom
    Dh1 = D06(fD, h1, 10)
    D20 = D06(fD, 20, 10)
    if d <= Dh1:
        return Emax
    if d < D20:
        ED20 = E_curve(f_nom, t_nom, path, 10.0, D20) + (E_curve(f_nom, t_nom, path, 20.0, D20)
                                                         - E_curve(f_nom, t_nom, path, 10.0, D20)) * \
            math.log10(h1 / 10) / math.log10(2)
        EDh1 = Emax_sea(Dh1, t)
        return EDh1 + (ED20 - EDh1) * math.log10(d / Dh1) / math.log10(D20 / Dh1)
    den = math.log(2) if compat == "reference" else math.log10(2)
    E1 = E10 + (E20 - E10) * math.log10(h1 / 10) / den
    E2 = Ezero + 0.1 * h1 * (E10 - Ezero)
    Fs = (d - D20) / d
    return E1 * (1 - Fs) + E2 * Fs


def E_freq(t_nom, path, h1, d, f, t, Emax, compat):
    """Annex 5 §6, Eq. (14): interpolation / extrapolation in log frequency."""
    curve_path = "sea" if (path != "land" and t_nom == 50.0) else path  # one 50 % sea curve
    a, b = nominal_pair(f, [100.0, 600.0, 2000.0])
    Ea = E_height(a, t_nom, curve_path, h1, d, f, t, Emax, compat)
    if a == b:
        return Ea
    Eb = E_height(b, t_nom, curve_path, h1, d, f, t, Emax, compat)
    E = Ea + (Eb - Ea) * math.log10(f / a) / math.log10(b / a)
    return min(E, Emax) if f > 2000 else E


def E_time_nominal(t_nom, path, h1, d, f, t, Emax, compat):
    if path != "land" and f < 100:
        d600 = D06(600, h1, 10)
        if d < d600:
            df = D06(f, h1, 10)
            if d <= df:
                return Emax
            Edf = Emax_sea(df, t)
            Ed600 = E_freq(t_nom, path, h1, d600, f, t, Emax, compat)
            return Edf + (Ed600 - Edf) * math.log10(d / df) / math.log10(d600 / df)
    return E_freq(t_nom, path, h1, d, f, t, Emax, compat)


def E_time(path, h1, d, f, t, Emax, compat):
    """Annex 5 §7, Eq. (16)."""
    a, b = nominal_pair(t, [1.0, 10.0, 50.0])
    Ea = E_time_nominal(a, path, h1, d, f, t, Emax, compat)
    if a == b:
        return Ea
    Eb = E_time_nominal(b, path, h1, d, f, t, Emax, compat)
    Qa, Qb, Qt = Qi(a / 100), Qi(b / 100), Qi(t / 100)
    return Eb * (Qa - Qt) / (Qa - Qb) + Ea * (Qt - Qb) / (Qa - Qb)


def field_strength(f, t, heff, h2, d_land, d_sea, area, r2, q=50.0, ha=None, hb=None, r1=None, tca=None,
                   eff1=None, eff2=None, htter=None, hrter=None, sea="cold", terrain_info=False, wa=500.0,
                   n0=325.0, compat="recommendation"):
    """Field strength for 1 kW e.r.p. [dB(uV/m)] and basic transmission loss [dB] of one path
    (``area``: "sea", "rural", "suburban", "urban", "dense urban")."""
    d = d_land + d_sea
    dd = max(d, 1.0)
    # Step 1 / §3: h1
    if d_land == 0 or d >= 15:
        h1 = heff
    elif terrain_info:
        h1 = hb if hb is not None else heff
    elif ha is None:
        h1 = heff
    elif d <= 3:
        h1 = ha
    else:
        h1 = ha + (heff - ha) * (d - 3) / 12
    h1 = min(h1, 3000.0)

    def dslope(dx):
        dh = (ha - h2) if (htter is None or hrter is None) else (ha + htter) - (h2 + hrter)
        return math.sqrt(dx * dx + 1e-6 * dh * dh)

    Emax = Emax_land(d) + (d_sea / d) * (Emax_sea(d, t) - Emax_land(d))
    if ha is not None:
        Emax += 20 * math.log10(d / dslope(d))
    # Steps 5-11
    Eland = E_time("land", h1, dd, f, t, Emax, compat) if d_land > 0 else None
    Esea = None
    if d_sea > 0:
        h1s = 3.0 if (d_land > 0 and compat == "recommendation" and h1 < 3) else h1
        Esea = E_time(sea, h1s, dd, f, t, Emax, compat)
    if Esea is None:
        E = Eland
    elif Eland is None:
        E = Esea
    else:
        Fsea = d_sea / d
        V = max(1.0, 1.0 + (Esea - Eland) / 40)
        A = (1 - (1 - Fsea) ** (2 / 3)) ** V
        E = (1 - A) * Eland + A * Esea
    # Step 12
    if tca is not None and (area != "sea" or compat == "reference"):
        th = min(max(tca, 0.55), 40.0)
        E += J(0.036 * math.sqrt(f)) - J(0.065 * th * math.sqrt(f))
    # Step 13
    if eff1 is not None and eff2 is not None:
        ths = max(0.0, 180 * dd / (math.pi * 4 / 3 * 6370) + eff1 + eff2)
        Lf = 5 * math.log10(f) - 2.5 * (math.log10(f) - 3.3) ** 2
        Ets = 24.4 - 20 * math.log10(dd) - 10 * ths - Lf + 0.15 * n0 + 10.1 * (-math.log10(0.02 * t)) ** 0.7
        E = max(E, Ets)
    # Step 14
    dx = d if compat == "reference" else dd
    K = 3.2 + 6.2 * math.log10(f)
    if area != "sea":
        Rp = (1000 * dx * r2 - 15 * h1) / (1000 * dx - 15) if 1000 * dx > 15 else 1.0
        Rp = max(Rp, 1.0)
        if area in ("suburban", "urban", "dense urban"):
            if h2 < Rp:
                hdif = Rp - h2
                nu = 0.0108 * math.sqrt(f) * math.sqrt(hdif * math.degrees(math.atan(hdif / 27)))
                c = 6.03 - (6.9 + 20 * math.log10(math.sqrt((nu - 0.1) ** 2 + 1) + nu - 0.1))
            else:
                c = K * math.log10(h2 / Rp)
            if Rp < 10:
                c -= K * math.log10(10 / Rp)
        else:
            c = K * math.log10(h2 / 10)
    elif h2 >= 10:
        c = K * math.log10(h2 / 10)
    else:
        d10, dh2 = D06(f, h1, 10), D06(f, h1, h2)
        C10 = K * math.log10(h2 / 10)
        c = C10 if dx >= d10 else (0.0 if dx <= dh2 else C10 * math.log10(dx / dh2) / math.log10(d10 / dh2))
    E += c
    # Step 15
    if ha is not None and r1 is not None:
        hdif1 = ha - r1
        nu = 0.0108 * math.sqrt(f) * math.sqrt(hdif1 * math.degrees(math.atan(hdif1 / 27)))
        E += -J(-nu if hdif1 > 0 else nu)
    # Step 16
    if ha is not None:
        E += 20 * math.log10(dd / dslope(dd))
    # Step 17
    if d < 1:
        ds, dinf, dsup = dslope(d), dslope(0.04), dslope(1.0)
        Einf = 106.9 - 20 * math.log10(dinf)
        E = 106.9 - 20 * math.log10(ds) if d <= 0.04 else \
            Einf + (E - Einf) * math.log10(ds / dinf) / math.log10(dsup / dinf)
    # Step 18
    if q != 50 and area != "sea":
        if terrain_info:
            sigma = (0.024 * f / 1000 + 0.52) * wa ** 0.28
        else:
            sigma = {"urban": 8.0, "dense urban": 8.0, "suburban": 10.0}.get(area, 12.0)
        E += Qi(q / 100) * sigma
    # Steps 19-20
    E = min(E, Emax)
    return E, 139.3 - E + 20 * math.log10(f)
