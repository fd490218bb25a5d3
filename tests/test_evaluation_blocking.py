"""Receiver blocking in the licence-request evaluation (issue #14): the three SEAMCAT modes, the
generic default, both directions, hand-computed over flat terrain in free space.

I_full = EIRP - L_fs (omni 0 dBi, no feeder loss); I_blocking = I_full - a_vr(df);
I_unwanted = I_full - FDR_u (the Tx mask over the victim's bandwidth); I = their power sum.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from spectrum import geo
from spectrum.evaluation import Terminal, evaluate_request, free_space_loss_fn
from spectrum.masks import Mask, fdr_db
from test_evaluation import MASKS, FakeRegister, candidate, fspl, station

D_KM = float(geo.distance_km(30.5, 120.5, 30.5, 120.6))
EIRP = 10.0
#: a Tx mask with a 45 dB floor out to 5 MHz: some unwanted emission falls in an adjacent receiver
TX_FLOOR = {"name": "tx-floor", "kind": "tx", "offset_khz": [0.0, 500.0, 600.0, 5000.0],
            "attenuation_db": [0.0, 0.0, 45.0, 45.0]}
BLK_MASKS = {**MASKS, "rx-slope": {"name": "rx-slope", "kind": "rx", "offset_khz": [0.0, 500.0, 500.000001, 2000.0, 5000.0],
                                   "attenuation_db": [0.0, 0.0, 40.0, 50.0, 70.0]}}


@pytest.fixture(scope="module")
def flat_dem():
    from spectrum.terrain import make_dem

    lat = np.linspace(30.0, 31.0, 121)
    lon = np.linspace(120.0, 121.2, 145)
    return make_dem(np.zeros((lat.size, lon.size)), lat, lon, source="flat test terrain")


def run(reg, req, dem, **kw):
    return evaluate_request(reg, req, dem=dem, loss_fn=free_space_loss_fn, intermod=False,
                            existing_interference=False, **kw)


def psum(*x):
    return 10.0 * math.log10(sum(10.0 ** (v / 10.0) for v in x))


def victim(**kw):
    return FakeRegister([station(lat=30.5, lon=120.6, **kw)], masks=BLK_MASKS)


def test_user_defined_mode_from_the_register_mask(flat_dem):
    # victim 3 MHz above, selectivity "rx-slope": a_vr(3000 kHz) = 50 + 20 * 1000/3000 dB
    ev = run(victim(f_mhz=2003.0, rx_selectivity="rx-slope"), candidate(eirp_dbw=EIRP, tx_mask=TX_FLOOR), flat_dem)
    v = ev.victim_rows()[0]
    a = 50.0 + 20.0 * 1000.0 / 3000.0
    i_full = EIRP - fspl(D_KM, 2000.0)
    fdr_u = float(fdr_db(Mask.from_register(TX_FLOOR), Mask.rectangular(1000.0, "rx"), 3000.0))
    # by hand: total power 1000 kHz in band + two 0 -> 45 dB skirts of 100 kHz + the 45 dB floor out to
    # 5 MHz; the victim's 1 MHz band at 2.5-3.5 MHz sees the floor only
    skirt = 100.0 / (4.5 * math.log(10.0)) * (1.0 - 10.0 ** -4.5)
    total = 1000.0 + 2.0 * skirt + 2.0 * 4400.0 * 10.0 ** -4.5
    assert fdr_u == pytest.approx(10.0 * math.log10(total / (1000.0 * 10.0 ** -4.5)), abs=1e-6)
    assert v["blocking_mode"] == "user-defined (register mask)"
    assert v["blocking_db"] == pytest.approx(a, abs=1e-9)
    assert v["fdr_db"] == pytest.approx(fdr_u, abs=1e-9)
    assert v["i_blocking_long_dbw"] == pytest.approx(i_full - a, abs=1e-6)
    assert v["i_unwanted_long_dbw"] == pytest.approx(i_full - fdr_u, abs=1e-6)
    assert v["i_long_dbw"] == pytest.approx(psum(i_full - a, i_full - fdr_u), abs=1e-6)
    assert v["i_short_dbw"] == pytest.approx(v["i_long_dbw"], abs=1e-9)   # free space: no time dependence
    n = v["n_dbw"]
    assert v["margin_alone_db"] == pytest.approx(min(-10.0 - (v["i_long_dbw"] - n), 0.0 - (v["i_short_dbw"] - n)),
                                                 abs=1e-6)
    c = ev.inputs["choices"]
    assert c["blocking"] is True and c["blocking_modes"] == {"V-1/victim": "user-defined (register mask)"}
    assert "SEAMCAT" in ev.model_versions["blocking"]


def test_protection_ratio_mode_by_service(flat_dem):
    # a_vr = PR + C/(N+I) + (N+I)/N - I/N (SEAMCAT A8.4) = 40 + 16 + 10 log10(1 + 10^-0.6) + 6
    spec = {"fixed": {"mode": "protection-ratio", "offset_khz": [0.0, 10000.0], "value": [40.0, 40.0],
                      "c_nplusi_db": 16.0, "i_n_db": -6.0}}
    ev = run(victim(f_mhz=2003.0, rx_selectivity=None), candidate(eirp_dbw=EIRP + 50.0), flat_dem,
             blocking_by_service=spec)
    v = ev.victim_rows()[0]
    a = 40.0 + 16.0 + 10.0 * math.log10(1.0 + 10.0 ** -0.6) + 6.0
    assert a == pytest.approx(62.9732, abs=1e-4)
    assert v["blocking_mode"] == "protection-ratio (service)"
    assert v["blocking_db"] == pytest.approx(a, abs=1e-9)
    i_full = EIRP + 50.0 - fspl(D_KM, 2000.0)
    assert v["i_blocking_long_dbw"] == pytest.approx(i_full - a, abs=1e-6)
    # the rectangular candidate puts nothing into the victim's band: I is the blocking term
    assert v["i_long_dbw"] == pytest.approx(i_full - a, abs=1e-6)
    assert ev.inputs["choices"]["blocking_by_service"]["fixed"]["mode"] == "protection-ratio"


def test_sensitivity_mode_by_service(flat_dem):
    # a_vr = limit - S + C/(N+I) - I/N (SEAMCAT A8.5): -75 - (-128) + 16 + 6 = 75 dB (handbook A8.7)
    spec = {"fixed": {"mode": "sensitivity", "offset_khz": [0.0], "value": [-75.0], "sensitivity_dbw": -128.0}}
    ev = run(victim(f_mhz=1996.0, rx_selectivity=None), candidate(eirp_dbw=EIRP + 50.0), flat_dem,
             blocking_by_service=spec)
    v = ev.victim_rows()[0]
    assert v["blocking_mode"] == "sensitivity (service)"
    assert v["blocking_db"] == pytest.approx(75.0, abs=1e-9)
    assert v["i_blocking_long_dbw"] == pytest.approx(EIRP + 50.0 - fspl(D_KM, 2000.0) - 75.0, abs=1e-6)
    with pytest.raises(ValueError, match="sensitivity_dbw"):
        run(victim(f_mhz=1996.0), candidate(), flat_dem, blocking_by_service={"fixed": {"mode": "sensitivity",
                                                                                        "offset_khz": [0], "value": [-75]}})


def test_default_receiver_without_mask_or_service(flat_dem):
    # generic receiver (ETSI EN 300 113-1): 60 dB at |df| <= B, linear to 84 dB at B + 1 MHz
    for f, a in ((2001.5, 72.0), (2004.0, 84.0), (2001.0, 60.0)):
        v = run(victim(f_mhz=f, rx_selectivity=None), candidate(eirp_dbw=EIRP + 60.0), flat_dem).victim_rows()[0]
        assert v["blocking_mode"] == "user-defined (default)"
        assert v["blocking_db"] == pytest.approx(a, abs=1e-9)
        assert v["i_blocking_long_dbw"] == pytest.approx(EIRP + 60.0 - fspl(D_KM, 2000.0) - a, abs=1e-6)


def test_cochannel_pair_has_no_blocking_term(flat_dem):
    ev = run(victim(f_mhz=2000.0), candidate(eirp_dbw=EIRP), flat_dem)
    v = ev.victim_rows()[0]
    assert v["blocking_mode"] == "co-channel" and v["blocking_db"] is None      # +inf -> null in JSON rows
    assert ev.victims["i_blocking_long_dbw"][0] == -np.inf
    assert v["i_long_dbw"] == pytest.approx(EIRP - fspl(D_KM, 2000.0), abs=1e-6)
    assert v["i_unwanted_long_dbw"] == pytest.approx(v["i_long_dbw"], abs=1e-12)
    # partly overlapping channels (0.9 MHz apart, 1 MHz wide) are not blocking either
    assert run(victim(f_mhz=2000.9), candidate(), flat_dem).victim_rows()[0]["blocking_mode"] == "co-channel"


def test_blocking_off_is_the_fdr_alone(flat_dem):
    reg = victim(f_mhz=2003.0, rx_selectivity="rx-slope")
    ev = run(reg, candidate(eirp_dbw=EIRP, tx_mask=TX_FLOOR), flat_dem, blocking=False)
    v = ev.victim_rows()[0]
    fdr = float(fdr_db(Mask.from_register(TX_FLOOR), Mask.from_register(BLK_MASKS["rx-slope"]), 3000.0))
    assert v["fdr_db"] == pytest.approx(fdr, abs=1e-9) and v["blocking_mode"] == "off"
    assert v["i_long_dbw"] == pytest.approx(EIRP - fspl(D_KM, 2000.0) - fdr, abs=1e-6)
    assert ev.inputs["choices"]["blocking"] is False and "blocking" not in ev.model_versions


def test_candidate_receiver_as_victim_of_registered_transmitters(flat_dem):
    # a registered transmitter 2 MHz above the candidate receiver (default receiver: 60 + 24 * 1000/1000 dB)
    t = station(licence_number="T-1", station_id=11, station_name="east", role="tx", lat=30.5, lon=120.6,
                f_mhz=2002.0, eirp_dbw=40.0, rx_selectivity=None, tx_mask="rect-tx-1M", assignment_id=11)
    req = candidate(tx=None, eirp_dbw=None, rx=Terminal(30.5, 120.5, 20.0), noise_figure_db=5.0, rx_selectivity=None)
    ev = run(FakeRegister([t], masks=BLK_MASKS), req, flat_dem)
    r = ev.interferer_rows()[0]
    a = 84.0
    assert r["blocking_mode"] == "user-defined (default)" and r["blocking_db"] == pytest.approx(a)
    i_b = 40.0 - fspl(D_KM, 2002.0) - a
    assert r["i_blocking_long_dbw"] == pytest.approx(i_b, abs=1e-6)
    assert r["i_long_dbw"] == pytest.approx(i_b, abs=1e-6)          # rectangular Tx: no unwanted emission
    assert ev.aggregate["i_long_dbw"] == pytest.approx(i_b, abs=1e-6)
    assert ev.inputs["choices"]["blocking_mode_candidate"] == "user-defined (default)"
    assert "Iblk" in ev.report()


def test_cli_no_blocking_and_json_columns(capsys):
    from spectrum.cli import main

    assert main(["evaluate", "--demo", "--json", "--no-intermod", "--no-existing", "--model", "free-space"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["inputs"]["choices"]["blocking"] is True
    assert {"blocking_db", "blocking_mode", "i_blocking_long_dbw", "i_unwanted_long_dbw"} <= set(d["victims"][0])
    assert main(["evaluate", "--demo", "--json", "--no-intermod", "--no-existing", "--model", "free-space",
                 "--no-blocking"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["inputs"]["choices"]["blocking"] is False
    assert {r["blocking_mode"] for r in d["victims"]} == {"off"}


def test_stored_choices_reproduce_the_blocking():
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.requests import sample_request
    from spectrum.evaluation import reproduce

    spec = {"mobile": {"mode": "protection-ratio", "offset_khz": [0.0, 50000.0], "value": [30.0, 50.0]}}
    with sample_register() as reg:
        req = sample_request()
        req.rx_selectivity = None            # the candidate receiver takes the service's blocking response
        ev = evaluate_request(reg, req, model="free-space", blocking_by_service=spec, intermod=False, store=True)
        c = ev.inputs["choices"]
        assert c["blocking"] is True and c["blocking_mode_candidate"] == "protection-ratio (service)"
        assert c["blocking_by_service"]["mobile"]["value"] == [30.0, 50.0]
        again = reproduce(reg, ev.evaluation_id)
        assert again.inputs["choices"]["blocking_by_service"] == c["blocking_by_service"]
        np.testing.assert_allclose(again.victims["margin_db"], ev.victims["margin_db"])
        np.testing.assert_allclose(again.interferers["i_blocking_long_dbw"], ev.interferers["i_blocking_long_dbw"])
        off = reproduce(reg, ev.evaluation_id, blocking=False)
        assert set(off.victims["blocking_mode"]) == {"off"}


def test_protection_ratio_pairs_have_no_blocking_term():
    # a broadcasting pair judged on BS.412 protection ratios (400 kHz apart, channels do not overlap):
    # the ratio holds the receiver's selectivity, so neither FDR nor a blocking term applies
    from test_evaluation_models import LAT, LON, fm_register, fm_request
    from spectrum.terrain import make_dem

    dem = make_dem(np.full((LAT.size, LON.size), 10.0), LAT, LON)
    v = run(fm_register(), fm_request(98.4), dem).victim_rows()[0]
    assert v["criterion_source"] == "protection ratio" and v["blocking_mode"] == "protection ratio"
    assert v["fdr_db"] == 0.0 and v["i_blocking_long_dbw"] is None and v["i_unwanted_long_dbw"] == v["i_long_dbw"]
