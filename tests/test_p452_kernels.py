"""P.452 kernel internals: the shortcuts of the fast path give what the plain path gives.

The reference cases (tests/test_p452.py) check the results against ITU-R; these check that
the shared passes (one P.676 pass for two densities, the smooth-Earth geometry and the
actual-profile Bullington scans in one pass, the ae maxima shared when the diffraction
profile is the terrain itself, the gaseous attenuation reused across paths, the serial and
parallel twins built from one body) agree with the unshared computations.
"""
from __future__ import annotations

import numpy as np
import pytest

from spectrum.kernels import p452 as k452
from spectrum.kernels import p526 as k526
from spectrum.kernels import p676 as k676


def _terrain(n, dtot, seed, sea=False):
    rng = np.random.default_rng(seed)
    d = np.linspace(0.0, dtot, n)
    h = 200.0 + np.cumsum(rng.normal(0.0, 8.0, n))
    h += 150.0 * np.sin(d / dtot * np.pi * rng.uniform(0.5, 3.0))
    h = np.maximum(h, 0.0)
    zone = np.full(n, 2.0)
    if sea:
        zone[n // 3: n // 2] = 3.0
        h[n // 3: n // 2] = 0.0
    return d, h, zone


def test_gamma_total_pair_is_bit_identical():
    for f in np.geomspace(0.1, 1000.0, 97):
        for t_k in (240.0, 288.15, 310.0):
            for press in (300.0, 1013.25):
                g1, g2 = k676.gamma_total_pair(f, press, 9.1, 3.0, t_k)
                assert g1 == k676.gamma_oxygen(f, press, 9.1, t_k) + k676.gamma_water(f, press, 9.1, t_k)
                assert g2 == k676.gamma_oxygen(f, press, 3.0, t_k) + k676.gamma_water(f, press, 3.0, t_k)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("version", [18, 17])
def test_shared_scans_when_g_is_h(seed, version):
    """g passed as the same array as h (shared ae maxima) == g a copy of h (separate scan)."""
    d, h, zone = _terrain(401 + 97 * seed, 20.0 + 30.0 * seed, seed, sea=seed % 2 == 1)
    n = d.size
    hat = 15.0 if version == 17 else 0.0
    dk = 0.05 if version == 17 else 0.0
    inv_d, inv_r = np.empty(n), np.empty(n)
    k526.inverse_distances(d, n, inv_d, inv_r)
    for htg, hrg in [(10.0, 10.0), (150.0, 30.0), (5.0, 400.0), (600.0, 500.0), (1500.0, 900.0)]:
        same = np.empty(k452.N_GEOM)
        sep = np.empty(k452.N_GEOM)
        k452.path_geometry_full(d, h, h, zone, n, htg, hrg, 45.0, 40.0, version, hat, hat, dk, dk, inv_d, inv_r,
                                same)
        k452.path_geometry_full(d, h, h.copy(), zone, n, htg, hrg, 45.0, 40.0, version, hat, hat, dk, dk, inv_d,
                                inv_r, sep)
        assert k452.scans_valid(same) and k452.scans_valid(sep)
        keep = np.arange(k452.N_GEOM) != k452.G_SCAN
        np.testing.assert_allclose(same[keep], sep[keep], rtol=1e-12, atol=1e-9)
        # the stored scans == the stand-alone P.526 scans on the (possibly truncated) profile
        i0, i1 = int(sep[k452.G_I0]), int(sep[k452.G_I1])
        dd = d[i0:i1 + 1] - d[i0]
        gg = h[i0:i1 + 1]
        m = dd.size
        ivd, ivr = np.empty(m), np.empty(m)
        k526.inverse_distances(dd, m, ivd, ivr)
        s1, r1, j1, s2, r2, j2 = k526.bullington_scan_pair(dd, gg, m, sep[k452.G_HTS], sep[k452.G_HRS],
                                                           sep[k452.G_AE], sep[k452.G_AB], ivd, ivr)
        assert (sep[k452.G_SA50], sep[k452.G_RA50]) == (s1, r1)
        assert (sep[k452.G_SAB], sep[k452.G_RAB]) == (s2, r2)
        # the highest-nu point is used (and searched) on line-of-sight scans only (Stim < Str)
        str_ = (sep[k452.G_HRS] - sep[k452.G_HTS]) / sep[k452.G_DTOT]
        if s1 < str_:
            assert sep[k452.G_IA50] == j1 and same[k452.G_IA50] == j1
        if s2 < str_:
            assert sep[k452.G_IAB] == j2 and same[k452.G_IAB] == j2
        for geom in (same, sep):
            a, b = np.empty(k452.N_LOSS), np.empty(k452.N_LOSS)
            plain = geom.copy()
            plain[k452.G_SCAN] = np.nan  # losses scanning the profile themselves
            for f, p, pol in [(0.3, 0.01, 0), (2.0, 10.0, 1), (20.0, 50.0, 0)]:
                k452.path_losses(d, h, n, plain, f, p, 45.0, 325.0, pol, 500.0, 500.0, 1013.25, 15.0, 0.0, 0.0, a)
                k452.path_losses(d, h, n, geom, f, p, 45.0, 325.0, pol, 500.0, 500.0, 1013.25, 15.0, 0.0, 0.0, b)
                np.testing.assert_allclose(b, a, rtol=0, atol=1e-9)


def _batch(npath=23, seed=7):
    nmax = 301
    D = np.zeros((npath, nmax))
    H = np.zeros((npath, nmax))
    Z = np.full((npath, nmax), 2.0)
    N = np.empty(npath, dtype=np.int64)
    for k in range(npath):
        n = 50 + (k * 37) % (nmax - 50)
        d, h, z = _terrain(n, 5.0 + 3.0 * k, seed + k, sea=k % 3 == 0)
        D[k, :n], H[k, :n], Z[k, :n], N[k] = d, h, z, n
    return D, H, Z, N


def test_batch_gas_reuse_and_twins():
    """Batch (gas reused over runs of equal f, press, temp, omega) == per-path kernel; serial == parallel twin."""
    D, H, Z, N = _batch()
    npath = D.shape[0]
    one = np.ones(npath)
    f = np.where(np.arange(npath) < 12, 2.0, 0.9)  # runs of equal frequency, omega varies with the zones
    p = np.linspace(0.01, 50.0, npath)
    G = H.copy()
    args = (D, H, G, Z, N, f, p, 20 * one, 10 * one, 45 * one, 325 * one, 40 * one, (np.arange(npath) % 2) * one,
            500 * one, 500 * one, 1013.25 * one, 15 * one, 0 * one, 0 * one, 18, 0 * one, 0 * one, 0 * one, 0 * one)
    res, geom = k452.basic_transmission_loss_batch(*args)
    res_s, geom_s = k452.basic_transmission_loss_serial(*args)
    np.testing.assert_array_equal(res_s, res)
    np.testing.assert_array_equal(geom_s, geom)
    for k in range(npath):
        g1, o1 = np.empty(k452.N_GEOM), np.empty(k452.N_LOSS)
        k452.basic_transmission_loss_path(D[k], H[k], G[k], Z[k], int(N[k]), f[k], p[k], 20.0, 10.0, 45.0, 325.0,
                                          40.0, k % 2, 500.0, 500.0, 1013.25, 15.0, 0.0, 0.0, 18, 0.0, 0.0, 0.0, 0.0,
                                          g1, o1)
        np.testing.assert_array_equal(res[k], o1)
    # geometry-only and losses-only twins
    gargs = (D, H, Z, N, 20 * one, 10 * one, 45 * one, 40 * one, 18, 0 * one, 0 * one, 0 * one, 0 * one)
    cols = slice(0, k452.G_SA50)  # path_geometry leaves the scan slots unset
    np.testing.assert_array_equal(k452.path_geometry_serial(*gargs)[:, cols], k452.path_geometry_batch(*gargs)[:, cols])
    fargs = (D, H, G, Z, N, 20 * one, 10 * one, 45 * one, 40 * one, 18, 0 * one, 0 * one, 0 * one, 0 * one)
    gf = k452.path_geometry_full_batch(*fargs)
    np.testing.assert_array_equal(k452.path_geometry_full_serial(*fargs), gf)
    np.testing.assert_array_equal(gf, geom)
    F = np.tile([2.0, 2.0, 0.9, 30.0], (npath, 1))
    P = np.tile([1.0, 10.0, 10.0, 50.0], (npath, 1))
    largs = (D, G, N, gf, F, P, 45 * one, 325 * one, 0 * one, 500 * one, 500 * one, 1013.25 * one, 15 * one,
             0 * one, 0 * one)
    lb = k452.path_losses_batch(*largs)
    np.testing.assert_array_equal(k452.path_losses_serial(*largs), lb)
    for k in range(npath):
        for j in range(F.shape[1]):
            o = np.empty(k452.N_LOSS)
            k452.path_losses(D[k], G[k], int(N[k]), gf[k], F[k, j], P[k, j], 45.0, 325.0, 0, 500.0, 500.0, 1013.25,
                             15.0, 0.0, 0.0, o)
            np.testing.assert_allclose(lb[k, j], o, rtol=0, atol=1e-12)


def test_flat_nu_argmax_equals_linear_scan():
    """Binary search for the highest-nu point of the flat profile (unimodal) == the linear scan."""
    rng = np.random.default_rng(452)
    for _ in range(500):
        dtot = rng.uniform(0.5, 300.0)
        d = np.unique(np.concatenate([[0.0, dtot], rng.uniform(0.0, dtot, int(rng.integers(1, 1500)))]))
        n = d.size
        inv_d, inv_r = np.empty(n), np.empty(n)
        k526.inverse_distances(d, n, inv_d, inv_r)
        a, b = 10.0 ** rng.uniform(-2.0, 3.5, 2)
        ce = 500.0 / rng.choice([6371.0 * 4.0 / 3.0, 8500.0, 19113.0])
        i = np.arange(1, n - 1)
        di, dr = d[i], dtot - d[i]
        hh = ce * di * dr - (a / dtot * dr + b / dtot * di)
        q = hh * np.abs(hh) * inv_d[i] * inv_r[i]
        assert k526._flat_nu_argmax(d, n, dtot, ce, a / dtot, b / dtot, inv_d, inv_r) == 1 + int(np.argmax(q))
