"""Rec. ITU-R P.2001-4 API: shapes, batches, input validation, properties, command line."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum import cli
from spectrum.propagation import p2001

CLIMATE = dict(nd1km50=-45.0, nd65m1=-250.0, wvsur_mid_gm3=7.5, wvsur_tx_gm3=7.5, wvsur_rx_gm3=7.5, ztropo=4,
               dn_sup=13.0, dn_sub=6.0, mt_mm=600.0, beta=0.3, pr6_pct=3.0, h0_km=3.0)
ENDS = dict(lat_t=45.0, lon_t=5.0, lat_r=45.3, lon_r=5.4)


def _path(n=301, dt=40.0, seed=0, sea=False):
    rng = np.random.default_rng(seed)
    d = np.linspace(0.0, dt, n)
    h = np.maximum(0.0, 200.0 + np.cumsum(rng.normal(0, 8, n)))
    z = np.full(n, 4.0)
    if sea:
        z[n // 3: 2 * n // 3] = 1.0
        h[z == 1.0] = 0.0
    return d, h, z


def _foes(p):
    return p2001.foes_from_maps(p, 9.0, 6.0, 4.0, 2.5)


def _lb(d, h, z, f, p, htg=20.0, hrg=10.0, **kw):
    args = dict(CLIMATE, **ENDS, foes1_mhz=_foes(p), foes2_mhz=_foes(p))
    args.update(kw)
    return p2001.basic_transmission_loss(d, h, z, f, p, htg, hrg, **args)


def test_single_path_shapes_and_one_geometry_many_cases():
    d, h, z = _path()
    f = np.array([[0.1], [2.0], [30.0]])
    p = np.array([[1.0, 10.0, 50.0, 90.0]])
    r = _lb(d, h, z, f, p, foes1_mhz=_foes(p), foes2_mhz=_foes(p))
    assert r.lb.shape == (3, 4)
    assert r.d_km.shape == (3, 4) and np.all(r.d_km == 40.0)
    s = _lb(d, h, z, 2.0, 50.0)
    assert isinstance(s.lb, float) and s.lb == pytest.approx(r.lb[1, 2], abs=1e-12)
    assert set(p2001.LOSS_FIELDS) | set(p2001.GEOM_FIELDS) == set(s.keys())
    js = json.dumps(s.to_dict())
    assert "lbm3" in js


def test_batch_equals_single_paths():
    paths = [_path(seed=k, n=100 + 50 * k, sea=k == 1) for k in range(3)]
    nmax = max(len(p[0]) for p in paths)
    D = np.full((3, nmax), np.nan)
    H = np.zeros((3, nmax))
    Z = np.full((3, nmax), 4.0)
    for k, (d, h, z) in enumerate(paths):
        D[k, :len(d)], H[k, :len(d)], Z[k, :len(d)] = d, h, z
    n = [len(p[0]) for p in paths]
    ps = np.array([[0.01, 20.0], [1.0, 50.0], [50.0, 99.0]])
    rb = _lb(D, H, Z, 1.5, ps, n=n, foes1_mhz=_foes(ps), foes2_mhz=_foes(ps))
    assert rb.lb.shape == (3, 2)
    for k, (d, h, z) in enumerate(paths):
        rs = _lb(d, h, z, 1.5, ps[k], foes1_mhz=_foes(ps[k]), foes2_mhz=_foes(ps[k]))
        np.testing.assert_allclose(rb.lb[k], rs.lb, rtol=0, atol=1e-9)
    # one case per path
    r1 = _lb(D, H, Z, [0.5, 1.0, 2.0], 10.0, n=n)
    assert r1.lb.shape == (3,)


def test_nd1kmp_and_foes_helpers():
    assert p2001.nd1kmp_from_slopes(50.0, -45.0, 13.0, 6.0) == pytest.approx(-45.0 - 6.0 * np.log10(0.02 * (100 - 50.0)))
    low = p2001.nd1kmp_from_slopes(0.01, -45.0, 13.0, 6.0)
    assert low < -45.0
    # FoEs: the map values are reproduced at the map percentages (p limited by Eq. (3.1.1))
    assert p2001.foes_from_maps(1.0, 9.0, 6.0, 4.0, 2.5) == pytest.approx(6.0, abs=1e-3)
    assert p2001.foes_from_maps(10.0, 9.0, 6.0, 4.0, 2.5) == pytest.approx(4.0, abs=1e-3)
    assert p2001.foes_from_maps(0.001, 9.0, 6.0, 4.0, 2.5) > 9.0


@pytest.mark.parametrize("kw,match", [
    (dict(f=0.02), "f_ghz = 0.02 is outside"),
    (dict(f=51.0), "f_ghz = 51 is outside"),
    (dict(p=0.0), "p = 0 is outside"),
    (dict(p=100.0), "p = 100 is outside"),
    (dict(f=np.nan), "f_ghz"),
    (dict(htg=0.0), "htg_m = 0 must be > 0"),
    (dict(hrg=-3.0), "hrg_m = -3 must be > 0"),
    (dict(lat_t=91.0), "tx.lat = 91 is outside"),
    (dict(lon_r=400.0), "rx.lon = 400 is outside"),
    (dict(ztropo=7), "ztropo = 7 is outside"),
    (dict(ztropo=2.5), "ztropo = 2.5 is not a troposcatter climate zone"),
    (dict(nd1km50=-200.0), "nd1km50 = -200 is outside"),
    (dict(wvsur_tx_gm3=-1.0), "wvsur_tx_gm3 = -1 is outside"),
    (dict(beta=1.5), "beta = 1.5 is outside"),
    (dict(mt_mm=None), "give all four rain inputs"),
    (dict(pol="x"), "pol = 'x'"),
    (dict(dn_sup=None), "give nd1kmp"),
    (dict(foes1_mhz=0.0), "foes1_mhz = 0 must be > 0"),
])
def test_bad_inputs(kw, match):
    d, h, z = _path()
    kw = dict(kw)
    f = kw.pop("f", 2.0)
    p = kw.pop("p", 10.0)
    htg = kw.pop("htg", 20.0)
    hrg = kw.pop("hrg", 10.0)
    foes = dict(foes1_mhz=kw.pop("foes1_mhz", 3.0), foes2_mhz=3.0)
    args = dict(CLIMATE, **ENDS)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        p2001.basic_transmission_loss(d, h, z, f, p, htg, hrg, **foes, **args)


def test_bad_profiles():
    d, h, z = _path()
    ok = dict(CLIMATE, **ENDS, foes1_mhz=3.0, foes2_mhz=3.0)
    bl = p2001.basic_transmission_loss
    with pytest.raises(ValueError, match=r"zone\[0\] = 2 is not a zone code"):
        bl(d, h, np.full(d.shape, 2.0), 2.0, 10.0, 20.0, 10.0, **ok)
    with pytest.raises(ValueError, match="d_km must be strictly increasing"):
        dd = d.copy()
        dd[5] = dd[4]
        bl(dd, h, z, 2.0, 10.0, 20.0, 10.0, **ok)
    with pytest.raises(ValueError, match=r"d_km\[0\] = 1 must be 0"):
        bl(d + 1.0, h, z, 2.0, 10.0, 20.0, 10.0, **ok)
    hh = h.copy()
    hh[5] = np.nan
    with pytest.raises(ValueError, match=r"h_m\[5\] = nan must be finite"):
        bl(d, hh, z, 2.0, 10.0, 20.0, 10.0, **ok)
    hh[5] = 1e6
    with pytest.raises(ValueError, match=r"h_m\[5\] = 1e\+06 is not a terrain height"):
        bl(d, hh, z, 2.0, 10.0, 20.0, 10.0, **ok)
    with pytest.raises(ValueError, match="needs at least 3"):
        bl(d[:2], h[:2], z[:2], 2.0, 10.0, 20.0, 10.0, **ok)
    with pytest.raises(ValueError, match="too steep"):
        bl(d[:51] / 8.0, h[:51], z[:51], 2.0, 10.0, 8000.0, 2.0, **ok)
    with pytest.raises(ValueError, match="h_m has shape"):
        bl(d, h[:-1], z, 2.0, 10.0, 20.0, 10.0, **ok)


def test_rain_from_maps_or_clear_error(monkeypatch):
    from spectrum.propagation import maps

    d, h, z = _path()
    kw = dict(CLIMATE)
    for k in ("mt_mm", "beta", "pr6_pct", "h0_km"):
        kw.pop(k)
    args = dict(kw, **ENDS, foes1_mhz=3.0, foes2_mhz=3.0)
    if maps.available():
        r = p2001.basic_transmission_loss(d, h, z, 20.0, 0.01, 20.0, 10.0, **args)
        assert np.isfinite(r.lb)
    monkeypatch.setenv("SPECTRUM_ITUR_DATA", "/nonexistent")
    maps._grid.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"spectrum\[maps\]"):
            p2001.basic_transmission_loss(d, h, z, 20.0, 0.01, 20.0, 10.0, **args)
    finally:
        maps._grid.cache_clear()


# ----------------------------------------------------------------------------- properties
@st.composite
def paths(draw):
    n = draw(st.integers(12, 120))
    dt = draw(st.floats(1.0, 300.0))
    seed = draw(st.integers(0, 10_000))
    sea = draw(st.booleans())
    d, h, z = _path(n, dt, seed, sea)
    return d, h, z


@settings(max_examples=25, deadline=None)
@given(paths(), st.sampled_from([0.05, 0.6, 3.0, 25.0, 45.0]), st.floats(2.0, 100.0), st.floats(2.0, 100.0))
def test_lb_non_decreasing_in_p(path, f, htg, hrg):
    d, h, z = path
    ps = np.array([0.001, 0.1, 1.0, 10.0, 50.0, 90.0, 99.0, 99.99])
    r = _lb(d, h, z, f, ps, htg, hrg, foes1_mhz=_foes(ps), foes2_mhz=_foes(ps))
    # the fades come from a binary search to 0.01 dB (Attachment I), hence the small slack
    assert np.all(np.diff(r.lb) >= -0.02), r.lb


@settings(max_examples=25, deadline=None)
@given(paths(), st.sampled_from([0.05, 0.6, 3.0, 25.0]), st.floats(1.0, 99.0), st.floats(2.0, 100.0),
       st.floats(2.0, 100.0))
def test_reciprocity_and_combination_bounds(path, f, p, htg, hrg):
    d, h, z = path
    # terminals on one meridian, as far apart as the profile is long (the mid-point is the same both ways)
    lat_r = 45.0 + np.degrees(d[-1] / 6371.0)
    fwd = _lb(d, h, z, f, p, htg, hrg, lat_t=45.0, lon_t=5.0, lat_r=lat_r, lon_r=5.0)
    rev = _lb(d[-1] - d[::-1], h[::-1].copy(), z[::-1].copy(), f, p, hrg, htg, lat_t=lat_r, lon_t=5.0, lat_r=45.0,
              lon_r=5.0)
    assert rev.lb == pytest.approx(fwd.lb, abs=1e-6)
    # §5: the combinations never exceed the smallest combined loss
    assert fwd.lbm12 <= min(fwd.lbm1, fwd.lbm2) + 1e-9
    assert fwd.lb <= min(fwd.lbm12, fwd.lbm3, fwd.lbm4) + 1e-9


def test_loss_grows_with_frequency_over_land_obstacle():
    d, h, z = _path()
    h = h.copy()
    h[150] += 300.0  # a ridge: diffraction dominates
    lbs = [_lb(d, h, z, f, 50.0).lb for f in (0.1, 0.5, 2.0, 8.0)]
    assert np.all(np.diff(lbs) > 0)


# ----------------------------------------------------------------------------- command line
def _write_profile(tmp_path, with_zone=True):
    d, h, z = _path(n=101)
    f = tmp_path / "prof.csv"
    if with_zone:
        f.write_text("d_km,h_m,zone\n" + "\n".join(f"{a},{b},{int(c)}" for a, b, c in zip(d, h, z)))
    else:
        f.write_text("\n".join(f"{a},{b}" for a, b in zip(d, h)))
    return f, d, h, z


CLI_CLIMATE = ["--nd1km50", "-45", "--dn-sup", "13", "--dn-sub", "6", "--nd65m1", "-250", "--wvsur", "7.5",
               "--ztropo", "4", "--foes-maps", "9", "6", "4", "2.5", "--mt", "600", "--beta", "0.3", "--pr6", "3",
               "--h0", "3"]


def test_cli_table_and_json(tmp_path, capsys):
    f, d, h, z = _write_profile(tmp_path)
    base = ["p2001", str(f), "--f-ghz", "0.5", "2", "--p", "1", "50", "--htg", "20", "--hrg", "10", "--tx", "45,5",
            "--rx", "45.3,5.4"] + CLI_CLIMATE
    assert cli.main(base) == 0
    out = capsys.readouterr().out
    assert "ITU-R P.2001-4" in out and "Lbm3" in out
    assert cli.main(base + ["--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert len(js["results"]) == 4
    r = _lb(d, h, z, 2.0, 50.0)
    row = [x for x in js["results"] if x["f_ghz"] == 2.0 and x["p"] == 50.0][0]
    assert row["lb"] == pytest.approx(r.lb, abs=1e-9)
    assert js["geometry"]["d_km"] == pytest.approx(40.0)


def test_cli_workbook_profile(capsys):
    from conftest import REFERENCE_DIR

    prof = REFERENCE_DIR / "itu-p2001-4_full_eeveetza" / "profiles" / "Validation_examples_ITU-R_P_2001_prof4_profile.csv"
    if not prof.exists():
        pytest.skip(f"reference profile {prof} not found (set SPECTRUM_REFERENCE_DIR)")
    args = ["p2001", str(prof), "--f-ghz", "2", "--p", "50", "--htg", "35", "--hrg", "25", "--json"] + CLI_CLIMATE
    assert cli.main(args) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["terminals"]["lat_t"] == pytest.approx(-35.691667)
    assert js["geometry"]["d_km"] == pytest.approx(88.891)


@pytest.mark.parametrize("extra,match", [
    (["--f-ghz", "60"], "f_ghz = 60 is outside"),
    (["--p", "0"], "p = 0 is outside"),
    (["--foes1", "3"], "give --foes1 and --foes2"),
])
def test_cli_errors(tmp_path, capsys, extra, match):
    f, *_ = _write_profile(tmp_path)
    base = ["p2001", str(f), "--f-ghz", "2", "--p", "10", "--htg", "20", "--hrg", "10", "--tx", "45,5",
            "--rx", "45.3,5.4"] + CLI_CLIMATE
    if "--foes1" in extra:
        i = base.index("--foes-maps")
        del base[i:i + 5]
    assert cli.main(base + extra) == 2
    err = capsys.readouterr().err
    assert match in err and "Traceback" not in err


def test_cli_errors_profile_and_positions(tmp_path, capsys):
    f, *_ = _write_profile(tmp_path, with_zone=False)
    args = ["p2001", str(f), "--f-ghz", "2", "--p", "10", "--htg", "20", "--hrg", "10"] + CLI_CLIMATE
    assert cli.main(args) == 2
    assert "give --zone" in capsys.readouterr().err
    assert cli.main(args + ["--zone", "4"]) == 2
    assert "terminal positions are needed" in capsys.readouterr().err
    assert cli.main(args + ["--zone", "4", "--tx", "45,5", "--rx", "45.3,5.4"]) == 0
    capsys.readouterr()
    assert cli.main(["p2001", str(tmp_path / "missing.csv")] + args[2:]) == 2
    assert "not found" in capsys.readouterr().err
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    assert cli.main(["p2001", str(bad)] + args[2:]) == 2
    assert "not a text file" in capsys.readouterr().err
