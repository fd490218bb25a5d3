"""Monte Carlo per-event kernels (Rec. ITU-R SM.2028-2): geometry, free-space loss, power sums,
power control, the four criteria counted per mechanism, and histograms of the signal levels.

The criteria count (:func:`count_interfered`) and the terrain kernels (:mod:`.mc_terrain`) loop
with ``prange`` over fixed chunks of events (:data:`CHUNK`), so a block's events are spread over
the threads; counts are integers summed per chunk, so the totals do not depend on the thread
count. The elementwise kernels (a few operations per event, memory-bound) are serial: threads
cost more than they save there. Arrays of per-event values may have
length 1 (a value constant over the block): :func:`_at` broadcasts them.

Criteria codes: 0 I/N, 1 C/I, 2 C/(N+I), 3 (N+I)/N (the order of
:data:`spectrum.interference.CRITERIA`).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange, twins as _twins  # noqa: F401

#: events per parallel chunk
CHUNK = 4096
#: 20 log10(4 pi 1e9 / c): free-space constant for f in MHz and d in km, Rec. ITU-R P.525-4 Eq. (7)
FS_CONST_DB = 20.0 * math.log10(4.0 * math.pi * 1e9 / 299_792_458.0)
#: distances are floored at 1 m (an element on top of another)
D_MIN_KM = 1e-3


@jit
def _at(a, i):
    return a[i] if a.shape[0] > 1 else a[0]


@jit
def _nchunks(n):
    return (n + CHUNK - 1) // CHUNK


@jit
def geometry(x1, y1, x2, y2, d_km, az_deg):
    """Distance [km] (floored at :data:`D_MIN_KM`) and azimuth [deg, clockwise from north] from
    point 1 to point 2 on the local plane, per event."""
    n = d_km.shape[0]
    for c in prange(_nchunks(n)):
        for i in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            dx = _at(x2, i) - _at(x1, i)
            dy = _at(y2, i) - _at(y1, i)
            d = math.sqrt(dx * dx + dy * dy)
            d_km[i] = d if d > D_MIN_KM else D_MIN_KM
            a = math.degrees(math.atan2(dx, dy))
            az_deg[i] = a + 360.0 if a < 0.0 else a


@jit
def free_space_loss(d_km, f_mhz, out):
    """Basic free-space transmission loss 32.45 + 20 log10(f) + 20 log10(d), Rec. ITU-R P.525-4
    Eq. (7), per event. [dB]"""
    n = out.shape[0]
    if f_mhz.shape[0] == 1:
        k = FS_CONST_DB + 20.0 * math.log10(f_mhz[0])
        for i in range(n):
            out[i] = k + 20.0 * math.log10(_at(d_km, i))
        return
    for i in range(n):
        out[i] = FS_CONST_DB + 20.0 * math.log10(f_mhz[i]) + 20.0 * math.log10(_at(d_km, i))


@jit
def disc_points(u_r, u_az, r0_km, r1_km, az0_deg, az1_deg, ref_x, ref_y, out_x, out_y):
    """Points uniform in the area of the annular sector r0 <= r <= r1, az0 <= az <= az1 (azimuth
    clockwise from north) around (ref_x, ref_y), from two uniforms per event:
    r = sqrt(r0^2 + u (r1^2 - r0^2)), az = az0 + u' (az1 - az0). [km]

    The cosine comes from the sine (sqrt(1 - s^2), signed by the quadrant): one libm call per
    point instead of two (absolute error < 1e-8)."""
    a2 = r0_km * r0_km
    b2 = r1_km * r1_km - a2
    t0 = az0_deg / 360.0
    dt = (az1_deg - az0_deg) / 360.0
    two_pi = 2.0 * math.pi
    for i in range(out_x.shape[0]):
        r = math.sqrt(a2 + u_r[i] * b2)
        t = t0 + u_az[i] * dt          # turns
        q = t - math.floor(t)
        s = math.sin(two_pi * q)
        c = math.sqrt(max(0.0, 1.0 - s * s))
        if 0.25 < q < 0.75:
            c = -c
        out_x[i] = _at(ref_x, i) + r * s
        out_y[i] = _at(ref_y, i) + r * c


@jit
def _psum2(a, b):
    """10 log10(10^(a/10) + 10^(b/10)) without overflow; -inf terms contribute nothing."""
    if a == -np.inf:
        return b
    if b == -np.inf:
        return a
    if a >= b:
        return a + 10.0 * math.log10(1.0 + 10.0 ** ((b - a) / 10.0))
    return b + 10.0 * math.log10(1.0 + 10.0 ** ((a - b) / 10.0))


@jit
def power_sum_into(acc, x):
    """acc <- acc (+) x, the power sum of levels in dB per event (aggregate interference)."""
    n = acc.shape[0]
    for c in prange(_nchunks(n)):
        for i in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            acc[i] = _psum2(acc[i], _at(x, i))


@jit
def power_control(rss_dbw, threshold_dbw, range_db, step_db, out_db):
    """SEAMCAT power-control gain (ECC SEAMCAT handbook A14.1): the reduction of the interfering
    transmitter's power, 0 when the power its own receiver gets is at or below the threshold,
    else the excess rounded up to whole steps (``step_db`` 0: no rounding), at most ``range_db``. [dB]"""
    n = out_db.shape[0]
    for c in prange(_nchunks(n)):
        for i in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            e = _at(rss_dbw, i) - threshold_dbw
            if e <= 0.0:
                out_db[i] = 0.0
            else:
                if step_db > 0.0:
                    e = math.ceil(e / step_db - 1e-9) * step_db
                out_db[i] = e if e < range_db else range_db


def _count_body(drss, noise, sens, cni_max, levels, thr, nin3, active, cond, counts, valid):
    n = drss.shape[0]
    m = levels.shape[0]
    nch = _nchunks(n)
    part = np.zeros((nch, 4, m), dtype=np.int64)
    pval = np.zeros(nch, dtype=np.int64)
    for c in prange(nch):
        lim = np.empty(4)
        for e in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            ce = drss[e]
            if cond and not ce > _at(sens, e):
                continue
            pval[c] += 1
            ne = _at(noise, e)
            lim[0] = ne + thr[0] if active[0] else np.inf        # I/N <= t
            lim[1] = ce - thr[1] if active[1] else np.inf        # C/I >= t
            lim[2] = _at(cni_max, e) if active[2] else np.inf    # C/(N+I) >= t
            lim[3] = ne + nin3 if active[3] else np.inf          # (N+I)/N <= t
            for j in range(m):
                ie = levels[j, e]
                if ie == -np.inf:
                    continue
                for k in range(4):
                    if ie > lim[k]:
                        part[c, k, j] += 1
    for c in range(nch):
        valid[0] += pval[c]
        for k in range(4):
            for j in range(m):
                counts[k, j] += part[c, k, j]


count_interfered, count_interfered_serial = _twins(_count_body, "count_interfered", """Count interfered events per criterion (rows, codes as the module notes) and per
mechanism (columns: rows of ``levels``, iRSS per mechanism [dBW]) among the valid events
(dRSS > sensitivity when ``cond``); adds into ``counts`` (4, M) and ``valid`` (1,). An event is
interfered when its iRSS exceeds the criterion's largest tolerable interference (Rec. ITU-R
SM.2028-2 §3.3, as :func:`spectrum.interference.max_interference_dbw`): N + t (I/N), C - t (C/I),
``cni_max`` (C/(N+I), computed by the caller: 10 log10(10^((C - t)/10) - 10^(N/10))) and
N + ``nin3`` (``nin3`` = 10 log10(10^(t/10) - 1), (N+I)/N); no interference (-inf) never is.""",
    "count_interfered_serial")


@jit
def histogram_add(values, lo, step, hist):
    """Add ``values`` to a histogram of ``hist.shape[0] - 2`` bins of width ``step`` from ``lo``;
    ``hist[0]`` counts values below ``lo`` and -inf, ``hist[-1]`` values beyond the last bin.
    Serial: one pass of a few operations per event, no per-thread copies of the histogram."""
    nb = hist.shape[0]
    inv = 1.0 / step
    for e in range(values.shape[0]):
        v = values[e]
        if not v >= lo:
            hist[0] += 1
            continue
        k = int((v - lo) * inv) + 1
        if k > nb - 1:
            k = nb - 1
        hist[k] += 1


@jit
def distance(x1, y1, x2, y2, d_km):
    """Distance [km] (floored at :data:`D_MIN_KM`) from point 1 to point 2 on the local plane."""
    n = d_km.shape[0]
    for c in prange(_nchunks(n)):
        for i in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            dx = _at(x2, i) - _at(x1, i)
            dy = _at(y2, i) - _at(y1, i)
            d = math.sqrt(dx * dx + dy * dy)
            d_km[i] = d if d > D_MIN_KM else D_MIN_KM


@jit
def receiver_im(ri, rj, sens_dbw, noise_dbw, l_imr_db, att_db, out):
    """Receiver intermodulation 2 f_i - f_j: 2 i + j - 3 (S + 3 + L_imr) + N - att (ERC Report 68
    Annex 2 App. 9, SEAMCAT iRSS_intermod), ``att`` the selectivity at the product's offset. [dBW]"""
    n = out.shape[0]
    for c in prange(_nchunks(n)):
        for e in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            out[e] = (2.0 * _at(ri, e) + _at(rj, e) - 3.0 * (_at(sens_dbw, e) + 3.0 + l_imr_db)
                      + _at(noise_dbw, e) - _at(att_db, e))
