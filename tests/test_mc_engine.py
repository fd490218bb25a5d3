"""Monte Carlo engine validation: closed-form cases (uniform positions in a disc with free space and
omni antennas: analytic iRSS CDF, Kolmogorov-Smirnov with fixed seeds), constant scenarios with
deterministic probabilities, the SM.2028 criteria against spectrum.interference, the SEAMCAT
manual's hand calculations, and bit-identical splitting into blocks."""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from scipy import stats

from spectrum.interference import margin_db, noise_dbw
from spectrum.masks import Mask, fdr_db
from spectrum.montecarlo import Accumulator, parse_workspace, reduce_blocks, run, run_block
from spectrum.montecarlo.engine import plan_blocks

K_FS = 20 * math.log10(4 * math.pi * 1e9 / 299_792_458.0)  # P.525-4 constant, f MHz, d km


def base(radius_km=10.0, f=1000.0, p_it=0.0, criteria=None, r_min=None):
    pos = {"mode": "disc", "radius_km": radius_km}
    if r_min is not None:
        pos["r_min_km"] = r_min
    return {
        "name": "closed form", "seed": 7, "events": 20000,
        "victim": {"rx": {"f_mhz": f, "bw_khz": 200.0, "noise_figure_db": 5.0,
                          "criteria": criteria or {"I/N": -6.0, "C/I": 19.0, "C/(N+I)": 16.0, "(N+I)/N": 1.0},
                          "selectivity": "rectangular"},
                   "tx": {"position": {"mode": "fixed", "x_km": 0.5, "y_km": 0.0}, "power_dbw": 0.0}},
        "interferers": [{"name": "it", "tx": {"position": pos, "power_dbw": p_it, "f_mhz": f, "bw_khz": 200.0,
                                              "mask": "rectangular"}}],
    }


def _fdr0():
    return float(fdr_db(Mask.rectangular(200.0, "tx"), Mask.rectangular(200.0, "rx"), 0.0))


def irss_cdf(x, a_dbw, r_max, r_min=0.0):
    """P(iRSS <= x) for iRSS = a - 20 log10(d), d uniform in area on the annulus [r_min, r_max]."""
    d = 10 ** ((a_dbw - np.asarray(x)) / 20.0)
    return 1.0 - np.clip((d ** 2 - r_min ** 2) / (r_max ** 2 - r_min ** 2), 0.0, 1.0)


@pytest.mark.parametrize("r_min", [None, 3.0], ids=["disc", "ring"])
def test_disc_free_space_irss_matches_analytic_cdf(r_min):
    ws = base(r_min=r_min)
    res = run(ws, 20000, seed=7)
    x = res.vectors["irss_dbw"]
    a = 0.0 - K_FS - 20 * math.log10(1000.0) - _fdr0()
    cdf = lambda v: irss_cdf(v, a, 10.0, r_min or 0.0)  # noqa: E731
    assert stats.kstest(x, cdf).pvalue > 1e-3
    # the test can fail: a 0.3 dB error in the free-space constant is rejected
    assert stats.kstest(x + 0.3, cdf).pvalue < 1e-3
    # and positions drawn uniform in radius (not in area) are rejected
    ws2 = copy.deepcopy(ws)
    ws2["interferers"][0]["tx"]["position"] = {"mode": "polar", "distance_km": {
        "dist": "uniform", "min": r_min or 0.0, "max": 10.0}}
    assert stats.kstest(run(ws2, 20000, seed=7).vectors["irss_dbw"], cdf).pvalue < 1e-3


def test_disc_probability_closed_form():
    """P(I/N > t) = P(d < d_t) = (d_t / R)^2 in the disc: inside the Wilson interval."""
    ws = base(p_it=-45.0)
    res = run(ws, 40000, seed=3)
    n = float(noise_dbw(200.0, 5.0))
    a = -45.0 - K_FS - 20 * math.log10(1000.0) - _fdr0()
    d_t = 10 ** ((a - (n - 6.0)) / 20.0)
    p_exact = min(1.0, (d_t / 10.0) ** 2)
    lo, hi = res.interval("I/N")
    assert lo <= p_exact <= hi
    assert 0.05 < p_exact < 0.95


def test_constant_scenario_is_deterministic():
    """Everything fixed: C/I = dRSS - iRSS by hand; interfered in all events or none."""
    ws = base()
    ws["interferers"][0]["tx"]["position"] = {"mode": "fixed", "x_km": 2.0, "y_km": 0.0}
    drss = -K_FS - 20 * math.log10(1000) - 20 * math.log10(0.5)
    irss = -K_FS - 20 * math.log10(1000) - 20 * math.log10(2.0) - _fdr0()
    ci = drss - irss  # 12.04 dB
    for thr, expect in ((ci - 0.01, 0.0), (ci + 0.01, 1.0)):
        ws["victim"]["rx"]["criteria"] = {"C/I": thr}
        res = run(ws, 500, seed=1)
        assert res.probability("C/I") == expect
        assert np.allclose(res.vectors["drss_dbw"], drss, atol=1e-9)
        assert np.allclose(res.vectors["irss_dbw"], irss, atol=1e-9)


def test_criteria_match_spectrum_interference():
    """Per-event interfered flags from the engine's counts equal margin_db < 0 (the SM.2028-2 §3.3
    definitions in spectrum.interference) for every criterion."""
    ws = base(p_it=-40.0)
    ws["victim"]["tx"].update({"position": {"mode": "disc", "radius_km": 2.0}, "power_dbw": -30.0})
    ws["victim"]["rx"]["sensitivity_dbw"] = -125.0
    res = run(ws, 5000, seed=11)
    v = res.vectors
    ok = v["drss_dbw"] > -125.0
    assert res.n_valid == ok.sum() and 0 < ok.sum() < 5000
    for crit, t in ws["victim"]["rx"]["criteria"].items():
        m = margin_db(crit, t, v["irss_dbw"][ok], n_dbw=v["noise_dbw"][ok], c_dbw=v["drss_dbw"][ok])
        assert res.probability(crit) == pytest.approx(np.mean(m < 0), abs=1e-12), crit
        assert 0.01 < res.probability(crit) < 0.99, crit


def test_seamcat_power_control_example():
    """ECC SEAMCAT handbook §4.9: ILT 33 dBm, gains 11/9 dBi to the VLR 1 km away at 1000 MHz:
    iRSS = -39.5 dBm; ILR 1 km away with 11 dBi: dRSS_ILR = -37.5 dBm. Threshold -35 dBm: no power
    control; -50 dBm: reduced by the 10 dB dynamic range -> -49.5 dBm. (The manual rounds the
    free-space constant to 32.5 dB; P.525's 32.45 gives 0.05 dB more.)"""
    def ws(thr):
        return {"seed": 1, "events": 10,
                "victim": {"rx": {"f_mhz": 1000.0, "bw_khz": 200.0, "criteria": {"I/N": 0.0},
                                  "antenna": {"g_dbi": 9.0}, "selectivity": "rectangular"},
                           "tx": {"position": {"mode": "fixed", "x_km": 0.1}, "power_dbw": 0.0}},
                "interferers": [{"name": "ilt",
                                 "tx": {"position": {"mode": "fixed", "x_km": 0.0, "y_km": 1.0}, "power_dbw": 3.0,
                                        "antenna": {"g_dbi": 11.0}, "f_mhz": 1000.0, "bw_khz": 200.0,
                                        "mask": "rectangular",
                                        "power_control": {"threshold_dbw": thr, "dynamic_range_db": 10.0,
                                                          "step_db": 1.0}},
                                 "rx": {"position": {"mode": "fixed", "x_km": 0.0, "y_km": 1.0},
                                        "antenna": {"g_dbi": 11.0}}}]}
    fdr0 = _fdr0()
    for thr_dbm, expect_dbm in ((-35.0, -39.5), (-50.0, -49.5), (-70.0, -49.5)):
        r = run(ws(thr_dbm - 30.0), 10)
        assert r.vectors["irss_dbw"][0] + 30.0 + fdr0 == pytest.approx(expect_dbm + 0.05, abs=0.01), thr_dbm


@pytest.mark.parametrize("mode,block_db,expect_dbm", [
    ("user-defined", 40.0, -94.5),        # SEAMCAT handbook §4.2.1: a = block = 40 dB
    ("protection-ratio", 40.0, -113.5),   # §4.2.3: a = 40 + 16 + 3 - 0 = 59 dB -> -54.5 - 59 = -113.5 dBm
    ("sensitivity", 10.0, -204.5),        # §4.2.2: 40 dBm block, S = -94 dBm: a = 40 + 94 + 16 - 0 = 150 dB
])
def test_seamcat_blocking_examples(mode, block_db, expect_dbm):
    """iRSS_blocking = interfering signal level (-54.5 dBm) - a_VLR (ECC SEAMCAT handbook §4.2, the
    three modes; C/(N+I) 16 dB, (N+I)/N 3 dB, I/N 0 dB, sensitivity -94 dBm), constant scenario."""
    ws = base(criteria={"C/(N+I)": 16.0, "(N+I)/N": 3.0, "I/N": 0.0})
    ws["victim"]["rx"]["sensitivity_dbw"] = -124.0
    ws["victim"]["drss"] = {"mode": "distribution", "value_dbw": -60.0}
    level_dbw = -84.5
    d_km = 10 ** ((-K_FS - 20 * math.log10(1010.0) - level_dbw) / 20.0)
    ws["interferers"][0]["tx"].update({"position": {"mode": "fixed", "x_km": d_km, "y_km": 0.0}, "f_mhz": 1010.0})
    ws["interferers"][0]["mechanisms"] = ["blocking"]
    ws["victim"]["rx"]["blocking"] = {"mode": mode, "offset_khz": [0.0, 100000.0], "value": [block_db, block_db]}
    r = run(ws, 20)
    assert r.vectors["irss_blocking_dbw"] + 30.0 == pytest.approx(np.full(20, expect_dbm), abs=1e-9)
    assert r.vectors["irss_unwanted_dbw"][0] == -np.inf


def test_seamcat_a87_blocking_attenuation_75db():
    """SEAMCAT handbook A8.7: N = -144 dBW, C/(N+I) 16, I/N -6, (N+I)/N 1: a protection ratio of
    52 dB gives a_vr = 75 dB; through the engine (protection-ratio mode)."""
    ws = base(criteria={"C/(N+I)": 16.0, "(N+I)/N": 1.0, "I/N": -6.0})
    ws["victim"]["rx"].pop("noise_figure_db")
    ws["victim"]["rx"]["noise_floor_dbw"] = -144.0
    ws["interferers"][0]["tx"].update({"position": {"mode": "fixed", "x_km": 3.0}, "f_mhz": 1010.0})
    ws["interferers"][0]["mechanisms"] = ["blocking"]
    ws["victim"]["rx"]["blocking"] = {"mode": "protection-ratio", "offset_khz": [0.0], "value": [52.0]}
    r = run(ws, 5)
    level = -K_FS - 20 * math.log10(1010.0) - 20 * math.log10(3.0)
    assert r.vectors["irss_blocking_dbw"][0] == pytest.approx(level - 75.0, abs=1e-9)


def test_seamcat_unwanted_example_probability_zero():
    """SEAMCAT handbook §4.1: dRSS -53.5 dBm, iRSS_unwanted -77.5 dBm: C/I = 24 dB above 19 dB -> P = 0."""
    ws = base(criteria={"C/I": 19.0})
    ws["victim"]["drss"] = {"mode": "distribution", "value_dbw": -83.5}
    d_km = 10 ** ((-K_FS - 20 * math.log10(1000.0) - _fdr0() - (-107.5)) / 20.0)
    ws["interferers"][0]["tx"]["position"] = {"mode": "fixed", "x_km": d_km}
    r = run(ws, 50)
    assert r.vectors["irss_dbw"][0] == pytest.approx(-107.5, abs=1e-9)
    assert r.probability("C/I") == 0.0
    ws["victim"]["rx"]["criteria"] = {"C/I": 24.5}
    assert run(ws, 50).probability("C/I") == 1.0


def test_receiver_intermodulation_product():
    """2 f1 - f2 on the victim's frequency: iRSS_IM = 2 i1 + i2 - 3 (S + 3 + L_imr) + N (ERC Report 68 App. 9)."""
    ws = base(criteria={"I/N": -6.0})
    ws["victim"]["rx"].update({"sensitivity_dbw": -130.0, "intermod_rejection_db": 70.0})
    it = ws["interferers"][0]
    ws["interferers"] = []
    for k, (f, x) in enumerate(((1010.0, 2.0), (1020.0, 4.0))):
        e = copy.deepcopy(it)
        e["name"] = f"it{k}"
        e["tx"].update({"f_mhz": f, "position": {"mode": "fixed", "x_km": x}})
        e["mechanisms"] = ["intermod"]
        ws["interferers"].append(e)
    r = run(ws, 10)
    n = float(noise_dbw(200.0, 5.0))
    i1 = -K_FS - 20 * math.log10(1010.0) - 20 * math.log10(2.0)
    i2 = -K_FS - 20 * math.log10(1020.0) - 20 * math.log10(4.0)
    im = 2 * i1 + i2 - 3 * (-130.0 + 3 + 70.0) + n  # 2*1010 - 1020 = 1000 MHz: in band
    assert r.vectors["irss_intermod_dbw"][0] == pytest.approx(im, abs=1e-6)  # the other product (1030 MHz) is rejected
    assert r.probability("I/N", "intermod") == float(im - n > -6.0)


@pytest.mark.parametrize("block", [1000, 4096, 7777])
def test_blocks_are_bit_identical(block):
    ws = base()
    ws["victim"]["tx"]["position"] = {"mode": "disc", "radius_km": 2.0}
    ws["interferers"][0]["tx"]["power_dbw"] = {"dist": "gaussian", "mean": 0.0, "std": 3.0}
    ref = run(ws, 20000, seed=5, block_events=20000)
    blocks = [run_block(ws, 5, b, n, s) for b, s, n in plan_blocks(20000, block)]
    res = reduce_blocks(ws, 5, blocks[::-1])          # out of order, like a distributed runner
    assert np.array_equal(res.counts, ref.counts) and np.array_equal(res.hist, ref.hist)
    for k in ("drss_dbw", "irss_dbw", "noise_dbw"):
        assert np.array_equal(res.vectors[k], ref.vectors[k])
    assert res.n_valid == ref.n_valid


def test_streamed_file_matches_memory(tmp_path):
    import xarray as xr

    ws = base()
    out = tmp_path / "r.h5"
    res = run(ws, 9000, seed=2, out=out, block_events=4000)
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.sizes["event"] == 9000
        assert np.array_equal(ds["irss_dbw"].values, res.vectors["irss_dbw"])
        assert ds.attrs["seed"] == 2
    with xr.open_dataset(out, engine="h5netcdf", group="summary") as s:
        i = list(s["criterion"].values).index("I/N")
        assert s["probability"].values[i, 0] == pytest.approx(res.probability("I/N"))
    ds = res.dataset()
    assert ds["probability"].sel(criterion="I/N", mechanism="composite") == pytest.approx(res.probability("I/N"))
    res.write(tmp_path / "r.nc")
    assert (tmp_path / "r.nc").stat().st_size > 0
    fig = res.plot_cdf(tmp_path / "cdf.png")
    assert fig is not None and (tmp_path / "cdf.png").read_bytes()[:4] == b"\x89PNG"


def test_memory_bounded_histogram_cdf():
    """Without vectors the CDF comes from the 0.01 dB histogram and agrees with the exact one."""
    ws = base()
    exact = run(ws, 8000, seed=4)
    hist_only = run(ws, 8000, seed=4, store_vectors=False)
    assert hist_only.vectors is None
    x, p = hist_only.cdf("irss_dbw")
    xe, pe = exact.cdf("irss_dbw")
    q = np.interp([0.1, 0.5, 0.9], p, x)
    qe = np.interp([0.1, 0.5, 0.9], pe, xe)
    assert np.allclose(q, qe, atol=0.02)
    assert np.array_equal(hist_only.counts, exact.counts)


def test_convergence_stops_at_target():
    ws = base(p_it=-45.0)
    ws["convergence"] = {"target_halfwidth": 0.01, "criterion": "I/N", "min_events": 1000, "max_events": 500000}
    ws["options"] = {"block_events": 1000}
    r = run(ws)
    c = r.extra["convergence"]
    assert c["converged"] and c["halfwidth"] <= 0.01 and r.n_events < 500000
    # one block fewer would not have met it
    prev = run(ws, r.n_events - 1000, target_halfwidth=1e-9)
    assert prev.halfwidth("I/N") > 0.01


def test_translation_is_monotone_in_power():
    from spectrum.montecarlo import translate

    out = translate(base(), "interferers[0].tx.power_dbw", [-60.0, -50.0, -40.0, -30.0], events=4000)
    p = out["probabilities"]["I/N composite"]["p"]
    assert all(b >= a for a, b in zip(p, p[1:])) and p[-1] > p[0]


def test_accumulator_abort_writes_nothing(tmp_path):
    ws = parse_workspace(base())
    acc = Accumulator(ws, 1, tmp_path / "x.h5")
    acc.add(run_block(ws, 1, 0, 100))
    acc.abort()
    assert not (tmp_path / "x.h5").exists() and not list(tmp_path.iterdir())


def test_register_positions_and_heights(tmp_path):
    """Interferer positions (and antenna heights) drawn from the register's stations."""
    from spectrum.datasets.register import sample_register
    from spectrum.montecarlo.positions import xy_from_latlon

    db = tmp_path / "reg.sqlite"
    sample_register(db).close()
    ws = base()
    ws["origin"] = {"lat": 31.2, "lon": 121.4}
    ws["interferers"][0]["tx"]["position"] = {"mode": "register", "register": str(db), "service": "mobile",
                                              "role": "tx", "within_km": 40.0}
    ws["interferers"][0]["tx"]["height_m"] = "register"
    r = run(ws, 3000, seed=1)
    from spectrum.register import Register

    reg = Register.open(db, create=False)
    a = reg.query_arrays(lat=31.2, lon=121.4, radius_km=40.0, service="mobile", role="tx")
    reg.close()
    x, y = xy_from_latlon((31.2, 121.4), np.asarray(a["lat"], float), np.asarray(a["lon"], float))
    d = np.hypot(x, y)
    irss = -K_FS - 20 * math.log10(1000.0) - 20 * np.log10(np.maximum(d, 1e-3)) - _fdr0()
    # every event's iRSS is one of the stations' (uniform pick), and most stations are used
    got = np.unique(np.round(r.vectors["irss_dbw"], 6))
    assert set(got) <= set(np.round(irss, 6))
    assert got.size >= min(len(d), 20) * 0.8
    with pytest.raises(FileNotFoundError):
        bad = copy.deepcopy(ws)
        bad["interferers"][0]["tx"]["position"]["register"] = str(tmp_path / "none.sqlite")
        run(bad, 10)


def test_antenna_pointing_and_pattern():
    """A directional interferer pointing at the victim couples its maximum gain; pointing away, the
    F.1336 pattern's back lobe (checked against spectrum.antennas)."""
    from spectrum.antennas import Antenna

    ws = base()
    ws["interferers"][0]["tx"]["position"] = {"mode": "fixed", "x_km": 5.0, "y_km": 0.0}
    ws["interferers"][0]["tx"]["antenna"] = {"kind": "F.1336", "g_dbi": 17.0, "params": {"phi3_deg": 65.0},
                                             "point_to": "victim.rx"}
    toward = run(ws, 10).vectors["irss_dbw"][0]
    ws["interferers"][0]["tx"]["antenna"] = {"kind": "F.1336", "g_dbi": 17.0, "params": {"phi3_deg": 65.0},
                                             "azimuth_deg": 90.0}
    away = run(ws, 10).vectors["irss_dbw"][0]
    ant = Antenna("F.1336", 17.0, {"phi3_deg": 65.0})
    el = math.degrees(math.atan((1.5 - 1.5) / 5000.0))
    assert toward - away == pytest.approx(float(ant.gain_dbi(0.0, el, 1000.0) - ant.gain_dbi(180.0, el, 1000.0)),
                                          abs=1e-9)
    assert toward - away > 10


def test_translation_guard_band():
    """Translation over the interferer's frequency: a wider guard band (SM.337 FDR of the generic
    masks) never raises the probability of interference."""
    from spectrum.montecarlo import translate

    ws = base(p_it=-20.0)
    for side in ("mask", ):
        ws["interferers"][0]["tx"][side] = "generic"
    ws["victim"]["rx"]["selectivity"] = "generic"
    out = translate(ws, "interferers[0].tx.f_mhz", [1000.0, 1000.15, 1000.3, 1000.6, 1001.0], events=3000)
    p = out["probabilities"]["I/N composite"]["p"]
    assert all(b <= a for a, b in zip(p, p[1:])) and p[0] > p[-1]


def test_seamcat_drss_by_hand():
    """ECC SEAMCAT handbook §3.2.7: VLT 30 dBm, 9 dBi each end, at (2, 2) km, 1000 MHz:
    dRSS = 30 + 9 + 9 - (32.5 + 10 log(8) + 20 log(1000)) = -53.5 dBm (the manual rounds P.525's
    32.45 dB constant to 32.5)."""
    ws = base(criteria={"C/I": 19.0})
    ws["victim"]["rx"]["antenna"] = {"g_dbi": 9.0}
    ws["victim"]["tx"].update({"position": {"mode": "fixed", "x_km": 2.0, "y_km": 2.0}, "power_dbw": 0.0,
                               "antenna": {"g_dbi": 9.0}})
    r = run(ws, 5)
    manual = r.vectors["drss_dbw"][0] + 30.0 - (32.5 - K_FS)   # with the manual's 32.5 dB constant
    assert manual == pytest.approx(48.0 - (32.5 + 10 * math.log10(8) + 60.0), abs=1e-9)
    assert round(manual, 1) == -53.5
