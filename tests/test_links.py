"""spectrum.links: threshold for a BER, the link budget worked by hand, outage against the P.530
functions, the batch kernel against the one-link path, interference as threshold degradation,
register links, the channel sweep and the ``spectrum link`` command."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from spectrum.antennas import Antenna
from spectrum.links import Link, Terminal, licence_links, link_budget, link_from_register, required_cn_db
from spectrum.links.interference import threshold_degradation_db
from spectrum.links.plan import availability_batch, channel_plan_pairs
from spectrum.propagation import p530, p530_rain


@pytest.fixture(scope="module")
def reg():
    from spectrum.datasets.register import sample_register

    r = sample_register()
    yield r
    r.close()


def test_required_cn_qpsk_by_hand():
    # QPSK Gray: BER = Q(sqrt(2 Eb/N0)); Q^-1(1e-6) = 4.75342 -> Eb/N0 = 11.2975 (10.530 dB), Es/N0 = 13.540 dB
    assert required_cn_db("QPSK", 1e-6, rolloff=0.0, impl_margin_db=0.0) == pytest.approx(13.5401, abs=2e-3)
    # roll-off 0.25 and 2 dB implementation margin: 13.540 - 0.969 + 2
    assert required_cn_db("QPSK", 1e-6) == pytest.approx(13.5401 - 10 * math.log10(1.25) + 2.0, abs=2e-3)
    assert required_cn_db("64QAM") > required_cn_db("16QAM") > required_cn_db("QPSK")
    with pytest.raises(ValueError, match="modulation"):
        required_cn_db("17QAM")


def test_threshold_degradation_by_hand():
    assert threshold_degradation_db(-10.0) == pytest.approx(10 * math.log10(1.1))  # 0.414 dB
    assert threshold_degradation_db(-6.0) == pytest.approx(0.9732, abs=1e-4)
    assert threshold_degradation_db(0.0) == pytest.approx(3.0103, abs=1e-4)


def _flat_link(d_km=20.0, f_mhz=18000.0, r001=60.0, h_m=40.0, **kw):
    ant = Antenna("F.1245", 38.0, {"d_over_lambda": 36.0})
    a = Terminal("A", 31.0, 121.0, h_m, ant, feeder_loss_db=0.5, polarisation="v", ground_m=5.0)
    from spectrum import geo

    lat, lon = geo.destination(31.0, 121.0, 90.0, d_km)
    b = Terminal("B", float(lat), float(lon), h_m, ant, feeder_loss_db=0.5, polarisation="v", ground_m=5.0)
    return Link(a, b, f_mhz, 28000.0, eirp_dbw=30.0, r001_mmh=r001, **kw)


def _flat_profile(d_km):
    d = np.linspace(0.0, d_km, 201)
    return d, np.full_like(d, 5.0)


def test_budget_by_hand():
    lk = _flat_link()
    b = link_budget(lk, profile=_flat_profile(20.0))
    d = 20.0
    lbf = 20 * math.log10(4 * math.pi * d * 1e3 * 18e9 / 299792458.0)        # P.525 free space
    gas = float(p530.gaseous_attenuation_db(18.0, d))
    prx = 30.0 - lbf - gas - 0.0 + 38.0 - 0.5                                 # clear path: no diffraction
    n = -228.5991672 + 10 * math.log10(290.0) + 10 * math.log10(28e6) + 6.0   # k T0 B + NF
    thr = n + required_cn_db("16QAM", 1e-6)
    assert b.lbf_db == pytest.approx(lbf, abs=1e-6)
    assert b.prx_dbw == pytest.approx(prx, abs=1e-6)
    assert b.noise_dbw == pytest.approx(n, abs=1e-3)
    assert b.fade_margin_db == pytest.approx(prx - thr, abs=1e-3)
    fm = b.fade_margin_db
    p0 = p530.multipath_occurrence_factor(d, 18.0, 45.0, 45.0, 5.0, lk.k_geo, lk.dn75)
    dg = p530.delta_g_db(d, 45.0, 45.0, 0.5 * (lk.tx.lat + lk.rx.lat))
    assert b.multipath_worst_month_percent == pytest.approx(p530.fade_exceedance_percent(fm, p0), rel=1e-9)
    assert b.multipath_year_percent == pytest.approx(p530.fade_exceedance_percent(fm, p0, dg), rel=1e-9)
    assert b.rain_percent == pytest.approx(p530_rain.rain_exceedance_percent(fm, d, 18.0, 60.0, 0.0, "v"), rel=1e-6)
    assert b.availability_percent == pytest.approx(100 - b.rain_percent - b.multipath_year_percent)
    assert b.meets_target == (b.availability_percent >= 99.99)


def test_interference_degrades_margin():
    lk = _flat_link()
    clean = link_budget(lk, profile=_flat_profile(20.0))
    noisy = link_budget(lk, profile=_flat_profile(20.0), interference_dbw=clean.noise_dbw - 6.0)
    assert noisy.threshold_degradation_db == pytest.approx(0.9732, abs=1e-4)
    assert noisy.effective_margin_db == pytest.approx(clean.fade_margin_db - 0.9732, abs=1e-4)
    assert noisy.availability_percent < clean.availability_percent


def test_diversity_improves():
    plain = link_budget(_flat_link(d_km=45.0, f_mhz=6200.0, h_m=150.0, k_geo=1e-6), profile=_flat_profile(45.0))
    sd = link_budget(_flat_link(d_km=45.0, f_mhz=6200.0, h_m=150.0, k_geo=1e-6, diversity_spacing_m=10.0),
                     profile=_flat_profile(45.0))
    assert sd.diversity_improvement > 1.0
    assert sd.multipath_worst_month_percent == pytest.approx(plain.multipath_worst_month_percent / sd.diversity_improvement)


def test_blocked_path_diffraction():
    d, h = _flat_profile(20.0)
    h = h.copy()
    h[100] = 120.0  # a ridge above the ray at mid-path
    b = link_budget(_flat_link(), profile=(d, h))
    assert b.diffraction_db > 10.0 and not b.clearance["met"]


def test_batch_equals_single_link():
    """The parallel batch kernel against the one-link path (the slow, obvious oracle)."""
    rng = np.random.default_rng(1)
    budgets, args = [], []
    for _ in range(12):
        d = float(rng.uniform(2.0, 50.0))
        f = float(rng.choice([6200.0, 8000.0, 13000.0, 18000.0, 23000.0, 38000.0]))
        r = float(rng.uniform(20.0, 120.0))
        lk = _flat_link(d_km=d, f_mhz=f, r001=r)
        b = link_budget(lk, profile=_flat_profile(d))
        budgets.append(b)
        args.append((b.effective_margin_db, d, f / 1000.0, 45.0, 45.0, 5.0, 0.5 * (lk.tx.lat + lk.rx.lat), r))
    a = np.array(args).T
    out = availability_batch(*a, polarisation="v")
    for i, b in enumerate(budgets):
        assert out["multipath_year_percent"][i] == pytest.approx(b.multipath_year_percent, rel=1e-9, abs=1e-15)
        assert out["rain_percent"][i] == pytest.approx(b.rain_percent, rel=1e-9, abs=1e-15)
        assert out["availability_percent"][i] == pytest.approx(b.availability_percent, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.floats(5.0, 50.0), st.floats(10.0, 150.0), st.floats(1.0, 20.0))
def test_availability_monotonic(d, r, extra):
    """More margin never lowers availability; more rain never raises it."""
    base = availability_batch([20.0, 20.0 + extra], d, 18.0, 45.0, 45.0, 5.0, 31.0, r)["availability_percent"]
    assert base[1] >= base[0]
    wet = availability_batch(20.0, d, 18.0, 45.0, 45.0, 5.0, 31.0, [r, r * 1.5])["availability_percent"]
    assert wet[1] <= wet[0]


def test_channel_plan_pairs():
    pr = channel_plan_pairs(17700.0, 19700.0, 28.0, 1010.0)
    assert pr[0].tolist() == [17714.0, 18724.0]
    assert np.all(pr[:, 1] + 14.0 <= 19700.0) and np.allclose(np.diff(pr[:, 0]), 28.0)
    with pytest.raises(ValueError, match="f_hi_mhz"):
        channel_plan_pairs(100.0, 50.0, 1.0, 1.0)


# ------------------------------------------------------------------ register
def test_register_links(reg):
    fwd, back = licence_links(reg, "FS-18-016")
    assert fwd.tx.name == back.rx.name.replace(" rx", " tx")
    assert fwd.f_mhz != back.f_mhz and abs(fwd.f_mhz - back.f_mhz) == pytest.approx(1010.0)
    assert fwd.rx_mask is not None and fwd.tx_mask is not None
    same = link_from_register(reg, "Link 16 end A rx", "Link 16 end B tx")  # any station of each end
    assert same.tx.name == fwd.tx.name and same.rx.name == fwd.rx.name


@pytest.mark.parametrize("a, b, match", [
    ("no such station", "Link 16 end B tx", "not in the register"),
    ("Link 16 end A tx", "Link 7 end B tx", "different licences"),
    ("Link 16 end A tx", "Link 16 end A rx", "same site"),
])
def test_register_link_errors(reg, a, b, match):
    with pytest.raises(ValueError, match=match):
        link_from_register(reg, a, b)


def test_sample_links_all_directions(reg):
    from spectrum.links.plan import sample_availability

    bs = sample_availability(reg)
    assert len(bs) == 40  # 20 fixed licences x 2 directions
    av = np.array([b.availability_percent for b in bs])
    assert np.all((av > 0) & (av <= 100))


def test_interference_demo(reg):
    from spectrum.links.interference import interference_from, interference_into

    lk = licence_links(reg, "FS-18-016")[0]
    into = interference_into(reg, lk)
    frm = interference_from(reg, lk)
    assert into["rows"] and frm["rows"]
    r = into["rows"][0]
    assert r["i_dbw"] == pytest.approx(31.4 + r["gt_rel_db"] - r["lb_db"] + r["gr_dbi"] - 0.5 - r["nfd_db"] - r["xpd_db"],
                                       abs=0.11)  # register EIRP to 0.1 dB
    assert into["i_n_db"] == pytest.approx(into["i_dbw"] - into["n_dbw"])
    # the same hop on the other polarisation gains the cross-polar discrimination
    cross = interference_into(reg, lk, polarisation="h")
    assert cross["i_dbw"] == pytest.approx(into["i_dbw"] - 25.0, abs=1e-9)


# ------------------------------------------------------------------ command line
def test_cli_demo_json(capsys):
    from spectrum.cli import main

    assert main(["link", "--demo", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["directions"]) == 2
    d0 = doc["directions"][0]
    assert d0["licence"] == "FS-18-016" and 17700 <= d0["f_mhz"] <= 19700
    assert d0["interference_into"]["rows"] and "availability_percent" in d0


@pytest.mark.parametrize("argv, match", [
    (["link", "--demo", "--licence", "X"], "drop"),
    (["link", "--db", "/nonexistent/reg.sqlite", "--licence", "FS-18-016"], ""),
    (["link", "--demo", "--k-geo", "nan"], "k-geo"),
    (["link", "--demo", "--plan", "1:2:3"], "plan"),
    (["link", "--demo", "--r001", "-5"], "r001"),
    (["link", "--demo", "--modulation", "9QAM"], "modulation"),
])
def test_cli_bad_input(argv, match, capsys, tmp_path):
    from spectrum.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and match in err and "Traceback" not in err


def test_cross_polar_discrimination_rule():
    from spectrum.links.interference import _xpd

    assert _xpd(False, 25.0, 40.0, None, 38.0, None) == 0.0
    assert _xpd(True, 25.0, 40.0, None, 38.0, None) == pytest.approx(25.0)
    # an RPE cross-polar envelope 30 dB down at the victim, none at the interferer (25 dB):
    # couplings 40 + 8 = 48 and 15 + 38 = 53 -> 78 - 53 = 25 dB (the weaker discrimination wins)
    assert _xpd(True, 25.0, 40.0, None, 38.0, 8.0) == pytest.approx(25.0)
    assert _xpd(True, 25.0, 40.0, 5.0, 38.0, 8.0) == pytest.approx(78.0 - max(48.0, 43.0))


def test_selective_outage_added():
    sig = dict(w_m_ghz=0.03, b_m_db=23.0, tau_r_m_ns=6.3, w_nm_ghz=0.03, b_nm_db=22.0, tau_r_nm_ns=6.3)
    flat = link_budget(_flat_link(d_km=40.0, f_mhz=8000.0, h_m=80.0), profile=_flat_profile(40.0))
    sel = link_budget(_flat_link(d_km=40.0, f_mhz=8000.0, h_m=80.0, signature=sig), profile=_flat_profile(40.0))
    ps = 100 * p530.selective_outage_probability(flat.p0_percent, 40.0, **sig)
    assert sel.selective_worst_month_percent == pytest.approx(ps)
    assert sel.multipath_worst_month_percent == pytest.approx(flat.multipath_worst_month_percent + ps)
    assert sel.multipath_year_percent == pytest.approx(flat.multipath_year_percent + ps * 10 ** (-flat.delta_g_db / 10))


def test_cli_plan_json_is_strict(capsys):
    """--plan ranks channel pairs; the JSON is strict (no Infinity/NaN: non-finite values are null)."""
    from spectrum.cli import main

    assert main(["link", "--demo", "--plan", "17700:18800:28:1010", "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    rk = doc["channel_ranking"]
    assert len(rk) == 2 * len(channel_plan_pairs(17700, 18800, 28, 1010))
    assert [r["rank"] for r in rk] == list(range(1, len(rk) + 1))
    met = [r["met"] for r in rk]
    assert met == sorted(met, reverse=True)  # criteria met first


def test_cli_out_file(tmp_path, capsys):
    from spectrum.cli import main

    out = tmp_path / "link.json"
    assert main(["link", "--demo", "--no-interference", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["directions"][0]["interference_into"] is None
    assert "availability" in capsys.readouterr().out


def test_cli_out_is_an_input(tmp_path, capsys):
    from spectrum.cli import main

    db = tmp_path / "reg.sqlite"
    db.write_bytes(b"not touched")
    assert main(["link", "--db", str(db), "--licence", "FS-18-016", "--out", str(db)]) == 2
    assert "input itself" in capsys.readouterr().err and db.read_bytes() == b"not touched"
