"""Delta-Bullington diffraction (Rec. ITU-R P.526-16 §4.5) against the 20 ITU-R SG3 validation cases."""
from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from spectrum.kernels import p526
from conftest import require_reference

REF = require_reference("itu-deltabullington_rkf")
TOL_DB = 0.1  # the spreadsheet's own tolerance (it uses c = 3e8 m/s, we use 2.998e8)


def _cases():
    with open(REF / "expected_delta_bullington.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [pytest.param(r, id=f"dbull-case{r['case']}-{r['profile_file'].split('/')[-1][:-4]}"
                         f"-f{r['f_MHz']}MHz") for r in rows]


_PROFILES: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _profile(name):
    if name not in _PROFILES:
        a = np.loadtxt(REF / name, delimiter=",", skiprows=1)
        _PROFILES[name] = (np.ascontiguousarray(a[:, 0]), np.ascontiguousarray(a[:, 1]))
    return _PROFILES[name]


@pytest.mark.parametrize("row", _cases())
def test_delta_bullington_reference(row):
    d, h = _profile(row["profile_file"])
    n = d.size
    f_ghz = float(row["f_MHz"]) / 1000.0
    hts = h[0] + float(row["htg_m_agl"])
    hrs = h[-1] + float(row["hrg_m_agl"])
    sm = np.empty(4)
    p526.smooth_earth_heights_diffraction(d, h, n, hts, hrs, sm)
    assert hts - sm[2] == pytest.approx(float(row["htsp_m"]), abs=0.01)
    assert hrs - sm[3] == pytest.approx(float(row["hrsp_m"]), abs=0.01)
    out = np.empty(4)
    # the spreadsheet is for a land path; horizontal polarisation
    p526.delta_bullington(d, h, n, hts, hrs, sm[2], sm[3], float(row["ae_km"]), f_ghz, 0.0, 0, out)
    assert out[p526.LD] == pytest.approx(float(row["Ld_dB"]), abs=TOL_DB)
    assert out[p526.LBULLA] == pytest.approx(float(row["Lbulla_dB"]), abs=TOL_DB)
    assert out[p526.LBULLS] == pytest.approx(float(row["Lbulls_dB"]), abs=TOL_DB)
    assert out[p526.LDSPH] == pytest.approx(float(row["Ldsph_dB"]), abs=TOL_DB)


def test_batch_matches_single_and_padding():
    d1, h1 = _profile("profiles/dbull_path3.csv")
    d2, h2 = _profile("profiles/dbull_path4.csv")
    nmax = max(d1.size, d2.size)
    D = np.full((2, nmax), np.nan)
    H = np.full((2, nmax), np.nan)
    D[0, :d1.size], H[0, :h1.size] = d1, h1
    D[1, :d2.size], H[1, :h2.size] = d2, h2
    n = np.array([d1.size, d2.size], dtype=np.int64)
    hts = np.array([h1[0] + 30.0, h2[0] + 50.0])
    hrs = np.array([h1[-1] + 30.0, h2[-1] + 10.0])
    hstd = np.empty(2)
    hsrd = np.empty(2)
    for k in range(2):
        sm = np.empty(4)
        p526.smooth_earth_heights_diffraction(D[k], H[k], n[k], hts[k], hrs[k], sm)
        hstd[k], hsrd[k] = sm[2], sm[3]
    ones = np.ones(2)
    res = p526.delta_bullington_batch(D, H, n, hts, hrs, hstd, hsrd, 8500.0 * ones, 1.0 * ones,
                                      0.0 * ones, 0.0 * ones)
    for k in range(2):
        out = np.empty(4)
        p526.delta_bullington(D[k], H[k], n[k], hts[k], hrs[k], hstd[k], hsrd[k], 8500.0, 1.0, 0.0, 0, out)
        np.testing.assert_array_equal(res[k], out)
        assert np.all(np.isfinite(res[k]))


def test_knife_edge_loss_values():
    assert p526.knife_edge_loss(-0.78) == 0.0
    assert p526.knife_edge_loss(-2.0) == 0.0
    # J(0) = 6.9 + 20 log10(sqrt(1.01) - 0.1) ~ 6.02 dB (half-plane at grazing)
    assert p526.knife_edge_loss(0.0) == pytest.approx(6.9 + 20 * math.log10(math.sqrt(1.01) - 0.1))
    assert p526.knife_edge_loss(0.0) == pytest.approx(6.0, abs=0.1)
    # monotonic
    nus = np.linspace(-0.77, 10, 200)
    vals = np.array([p526.knife_edge_loss(v) for v in nus])
    assert np.all(np.diff(vals) > 0)


def test_flat_smooth_earth_los_clear_path_has_no_loss():
    d = np.linspace(0.0, 10.0, 101)
    h = np.zeros_like(d)
    out = np.empty(4)
    sm = np.empty(4)
    p526.smooth_earth_heights_diffraction(d, h, d.size, 100.0, 100.0, sm)
    p526.delta_bullington(d, h, d.size, 100.0, 100.0, sm[2], sm[3], 8500.0, 1.0, 0.0, 0, out)
    assert out[p526.LD] == 0.0


def test_spherical_earth_loss_increases_with_distance():
    vals = [p526.spherical_earth_diffraction(dk, 20.0, 20.0, 8500.0, 1.0, 0.0, 0) for dk in (40, 60, 80, 120, 200)]
    assert np.all(np.diff(vals) > 0)
    # sea path loses less than land for vertical polarisation at low frequency
    land = p526.spherical_earth_diffraction(100.0, 20.0, 20.0, 8500.0, 0.1, 0.0, 1)
    sea = p526.spherical_earth_diffraction(100.0, 20.0, 20.0, 8500.0, 0.1, 1.0, 1)
    assert sea < land


def test_public_api_matches_kernel_and_validates():
    from spectrum.propagation.p526 import delta_bullington_loss

    d, h = _profile("profiles/dbull_path1.csv")
    r = delta_bullington_loss(d, h, 1.0, 30.0, 30.0, ae_km=8500.0)
    assert r.ld == pytest.approx(34.443, abs=TOL_DB)
    with pytest.raises(ValueError, match="f_ghz"):
        delta_bullington_loss(d, h, -1.0, 30.0, 30.0)
    with pytest.raises(ValueError, match="increasing"):
        delta_bullington_loss(d[::-1], h, 1.0, 30.0, 30.0)
    with pytest.raises(ValueError, match="pol"):
        delta_bullington_loss(d, h, 1.0, 30.0, 30.0, pol="x")


# ----------------------------------------------------------------------------- naive oracle
def _naive_bullington(d, h, hts, hrs, ap, f):
    """Straight transcription of P.526-16 §4.5.1 / P.452-18 Eqs. (13)-(22) (pure Python, O(n))."""
    lam = 0.2998 / f
    ce = 1.0 / ap
    dtot = d[-1] - d[0]
    di, hi = d[1:-1], h[1:-1]
    stim = max((hi + 500 * ce * di * (dtot - di) - hts) / di)
    str_ = (hrs - hts) / dtot

    def j(nu):
        return 0.0 if nu <= -0.78 else 6.9 + 20 * math.log10(math.sqrt((nu - 0.1) ** 2 + 1) + nu - 0.1)

    if stim < str_:
        numax = max((hi + 500 * ce * di * (dtot - di) - (hts * (dtot - di) + hrs * di) / dtot)
                    * np.sqrt(0.002 * dtot / (lam * di * (dtot - di))))
        luc = j(numax)
    else:
        srim = max((hi + 500 * ce * di * (dtot - di) - hrs) / (dtot - di))
        dbp = (hrs - hts + srim * dtot) / (stim + srim)
        nub = (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot) * math.sqrt(
            0.002 * dtot / (lam * dbp * (dtot - dbp)))
        luc = j(nub)
    return luc + (1 - math.exp(-luc / 6)) * (10 + 0.02 * dtot)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.integers(3, 400), st.floats(0.5, 300.0), st.floats(0.0, 500.0), st.floats(0.1, 600.0),
       st.floats(0.1, 600.0), st.floats(0.03, 50.0), st.booleans(), st.booleans(), st.integers(0, 10_000))
def test_bullington_matches_naive_oracle(n, dtot, amp, hts, hrs, f, flat, uneven, seed):
    rng = np.random.default_rng(seed)
    if uneven:
        d = np.sort(np.r_[0.0, rng.uniform(0.0, dtot, n - 2), dtot])
        d = np.unique(d)
        if d.size < 3:
            return
    else:
        d = np.linspace(0.0, dtot, n)
    h = np.zeros_like(d) if flat else amp * rng.random(d.size)
    for ap in (8500.0, 19113.0):
        got = p526.bullington(d, h, d.size, hts, hrs, ap, f)
        want = _naive_bullington(d, h, hts, hrs, ap, f)
        assert got == pytest.approx(want, abs=1e-9, rel=1e-12)
        # the smooth-profile pass inside delta-Bullington (binary search on concave slopes)
        sm = np.empty(4)
        hts_a, hrs_a = h[0] + hts, h[-1] + hrs
        p526.smooth_earth_heights_diffraction(d, h, d.size, hts_a, hrs_a, sm)
        out = np.empty(4)
        p526.delta_bullington(d, h, d.size, hts_a, hrs_a, sm[2], sm[3], ap, f, 0.0, 0, out)
        want_s = _naive_bullington(d, np.zeros_like(d), hts_a - sm[2], hrs_a - sm[3], ap, f)
        assert out[p526.LBULLS] == pytest.approx(want_s, abs=1e-9, rel=1e-12)
        assert out[p526.LBULLA] == pytest.approx(_naive_bullington(d, h, hts_a, hrs_a, ap, f), abs=1e-9, rel=1e-12)


@pytest.mark.parametrize("name", ["profiles/dbull_path1.csv", "profiles/dbull_path2.csv", "profiles/dbull_path4.csv"])
def test_pair_of_radii_equals_two_single_calls(name):
    d, h = _profile(name)
    n = d.size
    inv_d, inv_r = np.empty(n), np.empty(n)
    p526.inverse_distances(d, n, inv_d, inv_r)
    hts, hrs = h[0] + 30.0, h[-1] + 20.0
    sm = np.empty(4)
    p526.smooth_earth_heights_diffraction(d, h, n, hts, hrs, sm)
    o1, o2, s1, s2 = (np.empty(4) for _ in range(4))
    p526.delta_bullington_pair_inv(d, h, n, hts, hrs, sm[2], sm[3], 8500.0, 19113.0, 0.6, 0.2, 1, inv_d, inv_r, o1, o2)
    p526.delta_bullington(d, h, n, hts, hrs, sm[2], sm[3], 8500.0, 0.6, 0.2, 1, s1)
    p526.delta_bullington(d, h, n, hts, hrs, sm[2], sm[3], 19113.0, 0.6, 0.2, 1, s2)
    np.testing.assert_allclose(o1, s1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(o2, s2, rtol=1e-12, atol=1e-12)


def test_knife_edge_loss_rejects_nan():
    # the public wrapper used to pass NaN through silently as a NaN loss
    from spectrum.propagation.p526 import knife_edge_loss
    with pytest.raises(ValueError, match="nu contains NaN"):
        knife_edge_loss(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="not numeric"):
        knife_edge_loss("high")
    np.testing.assert_array_equal(knife_edge_loss([-1.0, 0.5]), [0.0, p526.knife_edge_loss(0.5)])
