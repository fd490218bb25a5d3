"""ITM kernels and one-path API without reference data: NumPy oracles of NTIA's building blocks
(least-squares fit, interdecile selection, Delta_h, FindHorizons, the inverse normal), the
one-path fast path against the general path, issue 12's two cases with NTIA's values, and
hypothesis properties (reciprocity, monotonic quantiles, loss >= free space)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum.kernels import itm as K
from spectrum.propagation import itm


def test_quick_pfl_least_squares_exact_on_a_plane():
    z = 100.0 + 0.01 * np.arange(201) * 50.0
    y0, y1 = K.least_squares_fit(z, 200, 50.0, 0.0, 200 * 50.0)
    assert y0 == pytest.approx(z[0], abs=1e-9)
    assert y1 == pytest.approx(z[-1], abs=1e-9)
    assert K.compute_delta_h(z, 200, 50.0, 0.0, 200 * 50.0) == pytest.approx(0.0, abs=1e-9)


def test_select_desc_matches_sort():
    rng = np.random.default_rng(3)
    for n in (5, 9, 35, 95, 245):
        for data in (rng.normal(size=n).round(1), np.sort(rng.normal(size=n)), np.ones(n),
                     np.cumsum(rng.normal(size=n))):
            for k in {0, 1, n // 10, n // 2, n - 4, n - 1}:
                work = data.copy()
                got = K._select_desc(work, 0, n - 1, k)
                assert got == np.sort(data)[::-1][k]
                assert np.all(work[:k] >= got) and np.all(work[k + 1:] <= got)
                if k + 1 < n:  # a second selection on the rest, as compute_delta_h does
                    k2 = (k + n) // 2
                    assert K._select_desc(work, k + 1, n - 1, k2) == np.sort(data)[::-1][k2]


def test_delta_h_matches_naive_oracle():
    """compute_delta_h against a plain NumPy version of NTIA's d1thx/ComputeDeltaH (linear
    interpolation to 10 p10 - 5 points, weighted line fit, interdecile range of residuals)."""

    def naive(z, n_int, xi, d0, d1):
        x0, x1 = d0 / xi, d1 / xi
        if x1 - x0 < 2.0:
            return 0.0
        p10 = min(max(4, int(0.1 * (x1 - x0 + 8.0))), 25)
        n = 10 * p10 - 5
        xs = x0 + (x1 - x0) * np.arange(n) / (n - 1)
        s = np.interp(xs, np.arange(n_int + 1), z[:n_int + 1])
        t = np.arange(n)
        w = np.ones(n)
        w[[0, -1]] = 0.5  # NTIA's z1sq1 fit is least squares with trapezoidal weights
        slope, icpt = np.polyfit(t, s, 1, w=np.sqrt(w))
        dev = np.sort(s - (icpt + slope * t))[::-1]
        return (dev[p10 - 1] - dev[n - p10]) / (1.0 - 0.8 * np.exp(-(d1 - d0) / 50e3))

    rng = np.random.default_rng(11)
    for trial in range(20):
        n_int = int(rng.integers(20, 2000))
        xi = float(rng.uniform(20, 300))
        z = np.cumsum(rng.normal(0, 4, n_int + 1)) + 200
        d0 = float(rng.uniform(0, 0.1)) * n_int * xi
        d1 = n_int * xi - float(rng.uniform(0, 0.1)) * n_int * xi
        assert K.compute_delta_h(z, n_int, xi, d0, d1) == pytest.approx(naive(z, n_int, xi, d0, d1), rel=1e-6, abs=1e-6)


def test_find_horizons_matches_naive_oracle():
    """NumPy version of NTIA's FindHorizons: distances accumulated as NTIA does (d_tx by adding
    xi, d_rx by subtracting xi from d), angles evaluated with NTIA's expression, the first of
    equal maxima kept (np.argmax), the line-of-sight angle as the start value. Exact equality."""
    rng = np.random.default_rng(5)
    for trial in range(40):
        n_int = int(rng.integers(3, 1500))
        xi = float(rng.uniform(20, 300)) if trial % 2 else float(rng.choice([30.0, 50.0, 90.0]))
        z = np.cumsum(rng.normal(0, 6, n_int + 1)) + 100
        if trial % 4 == 3:
            z = np.round(z)  # ties between equal angles
        a_e = 8.5e6
        D = n_int * xi
        d_tx = np.add.accumulate(np.full(n_int - 1, xi))
        d_rx = np.subtract.accumulate(np.concatenate(([D], np.full(n_int - 1, xi))))[1:]
        z_tx, z_rx = z[0] + 10.0, z[-1] + 5.0
        th_tx = (z[1:-1] - z_tx) / d_tx - d_tx / (2 * a_e)
        th_rx = -(z_rx - z[1:-1]) / d_rx - d_rx / (2 * a_e)
        los0 = (z_rx - z_tx) / D - D / (2 * a_e)
        los1 = -(z_rx - z_tx) / D - D / (2 * a_e)
        t0, t1, h0, h1 = K.find_horizons(z, n_int, xi, 10.0, 5.0, a_e)
        i0 = int(np.argmax(th_tx))
        i1 = int(np.argmax(th_rx))
        assert (t0, h0) == ((th_tx[i0], d_tx[i0]) if th_tx[i0] > los0 else (los0, D))
        assert (t1, h1) == ((th_rx[i1], d_rx[i1]) if th_rx[i1] > los1 else (los1, D))


def test_inverse_ccdf():
    from scipy.stats import norm

    for q in (0.01, 0.1, 0.5, 0.77, 0.9, 0.999):
        assert abs(K.inverse_ccdf(q) - norm.isf(q)) < 4.5e-4


# ------------------------------------------------------------------------------------------
# one-path fast path (issue 12)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("trial", range(10))
def test_fast_path_equals_general_path(trial):
    """A float64 PFL ndarray with scalar inputs takes ``p2p_api``; a list PFL the general path.
    Every field (and the inputs record) must be identical."""
    rng = np.random.default_rng(200 + trial)
    n = int(rng.integers(2, 600))
    z = np.round(150.0 + np.cumsum(rng.normal(0.0, 8.0, n)), 1)
    pfl = np.concatenate(([n - 1.0, float(rng.uniform(10, 200))], z))
    kw = dict(climate=int(rng.integers(1, 8)), n_0=float(rng.uniform(250, 400)), pol=["h", "v", 0, 1][trial % 4],
              epsilon=float(rng.uniform(2, 80)), sigma=float(rng.uniform(1e-3, 5)), mdvar=[0, 1, 12, 23][trial % 4])
    if trial % 2:
        kw.update(reliability=float(rng.uniform(1, 99)), confidence=float(rng.uniform(1, 99)))
    else:
        kw.update(time=float(rng.uniform(1, 99)), location=float(rng.uniform(1, 99)), situation=float(rng.uniform(1, 99)))
    args = (float(rng.uniform(1, 100)), float(rng.uniform(1, 100)), float(rng.uniform(40, 5000)))
    fast = itm.point_to_point(pfl, *args, **kw)
    general = itm.point_to_point(pfl.tolist(), *args, **kw)
    assert fast.to_dict() == general.to_dict()
    assert type(fast.a_db) is float and type(fast.warning_flags) is int and type(fast.mode) is int


def test_issue12_rx_horizon_truncation_case():
    """Issue 12, first repro: (d - 0.9 d_hzn_rx) / xi lands on an integer; NTIA's d_rx (d minus
    xi, accumulated) picks sample 5, our former xi-sum from the Rx picked sample 6."""
    r = itm.point_to_point([15, 33.3, 198, 196, 192, 196, 205, 205, 201, 189, 191, 188, 187, 182, 175, 172, 176, 184],
                           5.0, 2.0, 100.0, climate=5, n_0=301, pol="h", epsilon=15, sigma=0.005, mdvar=12, time=50,
                           location=50, situation=50)
    assert r.a_db == pytest.approx(76.78468516142985, abs=1e-9)  # NTIA C++ library
    assert r.h_e_rx_m == pytest.approx(13.467202141900941, abs=1e-9)


def test_issue12_nan_smooth_earth_becomes_zero_reference():
    """Issue 12, second repro: smooth-earth diffraction is NaN (vertical polarisation, sea water,
    very close horizon); NTIA's MAX(A_ref, 0) macro makes A_ref 0, max(nan, 0.0) kept the NaN."""
    r = itm.point_to_point([10, 100, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2.0, 30.0, 30.0, climate=5, n_0=301, pol="v",
                           epsilon=80, sigma=5, mdvar=12, time=50, location=50, situation=50)
    assert r.a_ref_db == 0.0
    assert r.a_db == pytest.approx(61.992374422951045, abs=1e-9)  # NTIA C++ library


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------
_area_params = dict(
    h_tx=st.floats(1.0, 500.0), h_rx=st.floats(1.0, 50.0), f=st.floats(40.0, 10000.0),
    dh=st.floats(0.0, 500.0), climate=st.integers(1, 7), pol=st.integers(0, 1),
    s_tx=st.integers(0, 2), s_rx=st.integers(0, 2),
)


@settings(max_examples=60, deadline=None)
@given(d=st.floats(1.0, 1000.0), **_area_params)
def test_area_reciprocity(d, h_tx, h_rx, f, dh, climate, pol, s_tx, s_rx):
    """Area mode is symmetric in the two terminals (swap heights and siting)."""
    a = itm.area(d, h_tx, h_rx, f, dh, tx_siting=s_tx, rx_siting=s_rx, climate=climate, pol=pol, mdvar=1)
    b = itm.area(d, h_rx, h_tx, f, dh, tx_siting=s_rx, rx_siting=s_tx, climate=climate, pol=pol, mdvar=1)
    assert a.a_db == pytest.approx(b.a_db, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(d=st.floats(1.0, 1000.0), mdvar=st.sampled_from([0, 1, 2, 3, 11, 13, 21, 23]), **_area_params)
def test_area_quantiles_monotonic(d, mdvar, h_tx, h_rx, f, dh, climate, pol, s_tx, s_rx):
    """Loss not exceeded for more of the time / reliability / confidence is never smaller."""
    q = np.array([1.0, 5.0, 10.0, 30.0, 50.0, 70.0, 90.0, 95.0, 99.0])
    kw = dict(tx_siting=s_tx, rx_siting=s_rx, climate=climate, pol=pol, mdvar=mdvar)
    rel = itm.area(d, h_tx, h_rx, f, dh, reliability=q, confidence=50.0, **kw).a_db
    conf = itm.area(d, h_tx, h_rx, f, dh, reliability=50.0, confidence=q, **kw).a_db
    assert np.all(np.diff(rel) >= -1e-9)
    assert np.all(np.diff(conf) >= -1e-9)


@settings(max_examples=60, deadline=None)
@given(**_area_params)
def test_area_reference_loss_not_below_free_space_and_grows_with_distance(h_tx, h_rx, f, dh, climate, pol, s_tx, s_rx):
    """A_ref >= 0 (ITM never predicts a reference loss below free space) and A_fs + A_ref
    increases with distance (the LOS, diffraction and scatter lines all have slopes >= 0)."""
    d = np.geomspace(1.0, 2000.0, 60)
    r = itm.area(d, h_tx, h_rx, f, dh, tx_siting=s_tx, rx_siting=s_rx, climate=climate, pol=pol)
    assert np.all(r.a_ref_db >= 0.0)
    assert np.all(np.diff(r.a_fs_db + r.a_ref_db) >= -1e-6)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(3, 600), xi=st.floats(10.0, 500.0),
       h_tx=st.floats(1.0, 300.0), h_rx=st.floats(1.0, 30.0), f=st.floats(40.0, 10000.0))
def test_p2p_random_profiles_finite_and_consistent(seed, n, xi, h_tx, h_rx, f):
    """Any valid profile gives a finite loss, A_ref >= 0, effective heights >= structural heights,
    and a batch of the same paths gives the same numbers."""
    rng = np.random.default_rng(seed)
    z = np.cumsum(rng.normal(0, 5, n)) + 100.0
    pfl = np.concatenate(([n - 1.0, xi], z))
    r = itm.point_to_point(pfl, h_tx, h_rx, f)
    assert math.isfinite(r.a_db)
    assert r.a_ref_db >= 0.0
    assert r.h_e_tx_m >= h_tx - 1e-9 and r.h_e_rx_m >= h_rx - 1e-9
    assert r.mode in (1, 2, 3)
    # batch = single for the same (d_km, h_m) input. (Against the PFL form the spacing
    # recovered from d_km can differ by an ulp, and NTIA's int(d / xi) truncations then move
    # a window edge by one sample when, e.g., h_rx = xi makes 15 h_rx / xi an integer.)
    d = np.arange(n) * xi / 1000.0
    s = itm.point_to_point((d, z), h_tx, h_rx, f)
    b = itm.point_to_point((np.vstack([d, d]), np.vstack([z, z])), h_tx, h_rx, f)
    assert b.a_db[0] == s.a_db and b.a_db[1] == s.a_db


def test_p2p_flat_line_of_sight_close_to_free_space():
    """A short flat path with high antennas: ITM's median loss stays within a few dB of free
    space (two-ray region, A_ref = 0 up to variability)."""
    pfl = np.concatenate(([100, 20.0], np.zeros(101)))
    r = itm.point_to_point(pfl, 30.0, 30.0, 900.0, mdvar=12)
    assert r.mode == 1
    assert abs(r.a_db - r.a_fs_db) < 3.0
