"""Intermodulation: product enumeration against a brute-force oracle, the receiver IM formula at
the ETSI test point, transmitter IM levels against a slow oracle, antenna isolation, the sample
FM mast (``spectrum intermod --demo``) and the candidate's site in the evaluation."""
from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from spectrum.intermod import (antenna_isolation_db, im_products, receiver_im_dbw, scan_site, transmitter_im_dbw)


def _oracle_products(f, orders, three):
    """Every coefficient vector over 2 or 3 distinct signals with sum 1 and sum |c| = order."""
    out = set()
    n = len(f)
    for order in orders:
        for k in ((2, 3) if three else (2,)):
            for idx in itertools.permutations(range(n), k):
                for c in itertools.product(range(-order, order + 1), repeat=k):
                    if 0 in c or sum(c) != 1 or sum(map(abs, c)) != order:
                        continue
                    fp = sum(ci * f[i] for ci, i in zip(c, idx))
                    if fp > 0:
                        out.add((order, tuple(sorted(zip(idx, c)))))
    return out


@pytest.mark.parametrize("orders,three", [((3,), False), ((3, 5), False), ((3,), True), ((3, 5), True)],
                         ids=["2sig-3", "2sig-3-5", "3sig-3", "3sig-3-5"])
def test_products_equal_brute_force(orders, three):
    f = [93.2, 98.2, 101.7, 105.7, 150.5]
    p = im_products(f, 200.0, orders, three)
    got = {(int(o), tuple(sorted((int(i), int(c)) for i, c in zip(ix, cc) if i >= 0)))
           for o, ix, cc in zip(p["order"], p["idx"], p["coef"])}
    assert got == _oracle_products(f, orders, three)
    assert len(got) == len(p["order"])                       # no duplicates
    for ix, cc, fp in zip(p["idx"], p["coef"], p["f_mhz"]):
        assert fp == pytest.approx(sum(c * f[i] for i, c in zip(ix, cc) if i >= 0))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(30.0, 3000.0), min_size=2, max_size=6, unique=True))
def test_product_bandwidth_and_coefficients(f):
    p = im_products(f, 25.0)
    for cc, o, bw in zip(p["coef"], p["order"], p["bw_khz"]):
        assert cc.sum() == 1 and np.abs(cc).sum() == o
        assert bw == pytest.approx(25.0 * np.abs(cc).sum())


def test_labels():
    p = im_products([100.0, 101.0, 103.0], 25.0, (3,), True)
    lab = set(p["label"])
    assert {"2f1-f2", "2f2-f1", "f1+f2-f3"} <= lab


def test_receiver_im_at_the_etsi_test_point_equals_noise():
    # two interferers at S + 3 + L_imr raise N + I by 3 dB: I = N
    s, n, l_imr = -128.0, -144.0, 65.0
    lvl = s + 3 + l_imr
    assert receiver_im_dbw(lvl, lvl, s, n, l_imr) == pytest.approx(n)
    # 3rd-order slopes: 2 dB per dB of the f1 signal, 1 dB per dB of f2
    assert receiver_im_dbw(lvl + 1, lvl, s, n, l_imr) == pytest.approx(n + 2)
    assert receiver_im_dbw(lvl, lvl + 1, s, n, l_imr) == pytest.approx(n + 1)
    assert receiver_im_dbw(lvl, lvl, s, n, l_imr + 1) == pytest.approx(n - 3)


def _tx_oracle(idx, coef, order, p, cpl, k3, k5):
    best = -np.inf
    sig = [(int(i), float(c)) for i, c in zip(idx, coef) if i >= 0]
    multi = math.factorial(int(sum(abs(c) for _, c in sig)))
    for _, c in sig:
        multi /= math.factorial(int(abs(c)))
    gain = 20 * math.log10(multi / (3 if order == 3 else 10))
    for g, cg in sig:
        if cg <= 0:
            continue
        w = sum(abs(c) for m, c in sig if m != g)
        lev = sum(abs(c) * (p[m] - cpl[m, g]) for m, c in sig if m != g) - (w - 1) * p[g]
        best = max(best, lev - (k3 if order == 3 else k5) + gain)
    return best


def test_transmitter_im_levels_against_oracle():
    f = np.array([93.2, 98.2, 101.7, 150.5])
    p_out = np.array([40.0, 38.0, 36.0, 10.0])
    rng = np.random.default_rng(3)
    cpl = rng.uniform(20, 60, (4, 4))
    pr = im_products(f, 200.0)
    lev, gen = transmitter_im_dbw(pr["idx"], pr["coef"], pr["order"], p_out, cpl, 20.0, 40.0)
    for k in range(len(lev)):
        assert lev[k] == pytest.approx(_tx_oracle(pr["idx"][k], pr["coef"][k], pr["order"][k], p_out, cpl, 20.0, 40.0))
    # two-signal 3rd order 2f_g - f_m generated in g: P_m - L(m, g) - K3
    k = int(np.flatnonzero((pr["order"] == 3) & (pr["idx"][:, 2] < 0) & (pr["idx"][:, 0] == 0) & (pr["idx"][:, 1] == 1))[0])
    assert gen[k] == 0 and lev[k] == pytest.approx(p_out[1] - cpl[1, 0] - 20.0)


def test_antenna_isolation():
    lam = 299.792458 / 150.0
    assert antenna_isolation_db(0.0, 10.0, 150.0) == pytest.approx(28 + 40 * math.log10(10 / lam))
    assert antenna_isolation_db(30.0, 0.0, 150.0) == pytest.approx(20 * math.log10(4 * math.pi * 30 / lam))
    assert antenna_isolation_db(30.0, 0.0, 150.0, 3.0, 2.0) == pytest.approx(
        20 * math.log10(4 * math.pi * 30 / lam) - 5.0)


# ------------------------------------------------------------------ the sample FM mast
@pytest.fixture(scope="module")
def sample():
    try:
        from spectrum.datasets.register import FM_MAST, sample_register
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"sample register not installed: {exc}")
    reg = sample_register()
    yield reg, FM_MAST
    reg.close()


def test_fm_mast_demo_finds_the_pmr_receiver(sample):
    reg, mast = sample
    res = scan_site(reg, mast[1], mast[2], 500.0)
    assert len(res.transmitters["f_mhz"]) == 5
    rows = res.rows()
    hit = [r for r in rows if r["licence_number"] == "PMR-MAST-01" and r["kind"] == "tx"]
    assert hit and hit[0]["f_product_mhz"] == pytest.approx(155.5) and hit[0]["order"] == 3
    assert set(hit[0]["product"].replace("-", "+").split("+")) == {"f1", "f2", "f5"}
    assert hit[0]["status"] == "harmful"
    # more conversion loss (an isolator) clears it: the level falls 1:1 with K3
    res2 = scan_site(reg, mast[1], mast[2], 500.0, k3_db=40.0)
    hit2 = [r for r in res2.rows() if r["licence_number"] == "PMR-MAST-01" and r["kind"] == "tx"][0]
    assert hit2["i_dbw"] == pytest.approx(hit[0]["i_dbw"] - 20.0)
    assert res.settings["k3_db"] == 20.0 and "ERC Report 68" in res.settings["method"]


def test_cli_intermod(capsys):
    from spectrum.cli import main

    assert main(["intermod", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "PMR-MAST-01" in out and "155.5000" in out
    assert main(["intermod", "--demo", "--json", "--orders", "3"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["settings"]["orders"] == [3] and any(p["licence_number"] == "PMR-MAST-01" for p in d["products"])
    assert main(["intermod", "--demo", "--orders", "7"]) == 2
    assert "--orders" in capsys.readouterr().err
    assert main(["intermod", "--db", "nowhere.sqlite"]) == 2
    assert main(["intermod", "--db", "nowhere.sqlite", "--site", "31.2,121.4"]) == 2


def test_candidate_at_the_mast_needs_coordination(sample):
    from spectrum.evaluation import Request, Terminal, evaluate_request

    reg, mast = sample
    # a new VHF PMR transmitter at 150.5 MHz beside the PMR base's antenna (60 m): its product with
    # the FM pair, 150.5 + 98.2 - 93.2, lands on the PMR receiver at 155.5 MHz
    req = Request(service="land_mobile", f_mhz=150.5, bw_khz=12.5, eirp_dbw=18.0,
                  tx=Terminal(mast[1], mast[2], 60.0, g_dbi=6.0, feeder_loss_db=2.0), licence_number="PMR-NEW")
    ev = evaluate_request(reg, req, model="free-space", existing_interference=False)
    im = ev.intermod_rows()
    assert any(r["licence_number"] == "PMR-MAST-01" and r["f_product_mhz"] == pytest.approx(155.5) for r in im)
    assert ev.decision in ("needs coordination", "refuse")
    assert any("intermodulation at the site" in r for r in ev.reasons)
    assert "Intermodulation products" in ev.report()
    d = json.loads(ev.to_json())
    assert d["intermod"] and d["inputs"]["choices"]["intermod_radius_m"] == 500.0
    ev2 = evaluate_request(reg, req, model="free-space", existing_interference=False, intermod=False)
    assert ev2.intermod == {}
    # ten metres higher the antennas are 56 dB more isolated: the product no longer matters
    req.tx.h_agl_m = 70.0
    ev3 = evaluate_request(reg, req, model="free-space", existing_interference=False)
    assert all(r["status"] == "ok" for r in ev3.intermod_rows())


def test_band_hits_against_brute_force():
    from spectrum.kernels.intermod import band_hits

    rng = np.random.default_rng(5)
    r_lo = np.sort(rng.uniform(100, 200, 300))
    r_hi = r_lo + rng.uniform(0.01, 2.0, 300)
    p_c = rng.uniform(95, 205, 500)
    p_w = rng.uniform(0.0, 3.0, 500)
    p_lo, p_hi = p_c - p_w / 2, p_c + p_w / 2
    z = np.zeros(0, np.int64)
    a = (p_lo, p_hi, r_lo, r_hi, float((r_hi - r_lo).max()))
    k = band_hits(*a, False, z, z)
    op, orr = np.empty(k, np.int64), np.empty(k, np.int64)
    band_hits(*a, True, op, orr)
    want = {(p, r) for p in range(500) for r in range(300) if r_lo[r] <= p_hi[p] and r_hi[r] >= p_lo[p]}
    assert set(zip(op.tolist(), orr.tolist())) == want and k == len(want)


def test_evaluation_with_intermod_writes_hdf5(sample, tmp_path):
    h5py = pytest.importorskip("h5py")
    from spectrum.evaluation import Request, Terminal, evaluate_request

    reg, mast = sample
    req = Request(service="land_mobile", f_mhz=150.5, bw_khz=12.5, eirp_dbw=18.0,
                  tx=Terminal(mast[1], mast[2], 60.0, g_dbi=6.0, feeder_loss_db=2.0), licence_number="PMR-NEW")
    ev = evaluate_request(reg, req, model="free-space", existing_interference=False)
    p = ev.to_hdf5(tmp_path / "ev.h5")
    with h5py.File(p, "r") as f:
        assert "intermod/margin_db" in f and f["intermod/product"].shape[0] == len(ev.intermod_rows())
