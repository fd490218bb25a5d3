"""Licence-request evaluation: hand-checked scenarios over flat terrain with free-space loss
(co-channel refused, far away granted, adjacent channel with known FDR granted, C/I victims,
aggregate = power sum), the shipped P.452 default, outputs (JSON, HDF5, report, store) and bad
requests refused with clear errors.

The register is a small in-memory stand-in with the contract's ``query_arrays`` / ``query`` /
``antenna_pattern`` / ``spectrum_mask`` / ``store_evaluation`` so every station is placed by the
test; one test runs the real sample register when it is installed.
"""
from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from spectrum import geo
from spectrum.evaluation import (Request, Terminal, aggregate_victims, combined_decision, evaluate_licence,
                                 evaluate_request, fs_allowance_db,
                                 free_space_loss_fn)
from spectrum.interference import noise_dbw
from spectrum.terrain import make_dem

FIELDS = ("licence_number licensee service status station_id station_name role lat lon h_agl_m antenna_pattern "
          "g_dbi azimuth_deg tilt_deg polarisation feeder_loss_db assignment_id f_mhz bw_khz emission eirp_dbw "
          "tx_mask rx_selectivity noise_figure_db protection protection_db").split()


class FakeRegister:
    """Contract-shaped in-memory register (query filters: distance, frequency, status, role)."""

    def __init__(self, rows, patterns=None, masks=None):
        self.rows = [dict(r) for r in rows]
        self.patterns = patterns or {}
        self.masks = masks or {}
        self.stored = []

    def _sel(self, lat=None, lon=None, radius_km=None, bbox=None, f_min_mhz=None, f_max_mhz=None, service=None,
             status=("granted",), role=None):
        out = []
        for r in self.rows:
            if status is not None and r.get("status", "granted") not in status:
                continue
            if role is not None and r["role"] != role:
                continue
            if f_min_mhz is not None and r["f_mhz"] < f_min_mhz:
                continue
            if f_max_mhz is not None and r["f_mhz"] > f_max_mhz:
                continue
            if radius_km is not None and float(geo.distance_km(lat, lon, r["lat"], r["lon"])) > radius_km:
                continue
            out.append(r)
        return out

    def query_arrays(self, **kw):
        rows = self._sel(**kw)
        return {k: np.array([r.get(k) for r in rows], dtype=object) for k in FIELDS}

    def query(self, **kw):
        return [SimpleNamespace(**{k: r.get(k) for k in FIELDS}) for r in self._sel(**kw)]

    def antenna_pattern(self, name):
        return self.patterns[name]

    def spectrum_mask(self, name):
        return self.masks[name]

    def store_evaluation(self, request, result, decision, model_versions, user, licence_number=None):
        self.stored.append({"request": request, "result": result, "decision": decision, "user": user,
                            "licence_number": licence_number, "model_versions": model_versions})
        return len(self.stored)


def station(**kw):
    base = dict(licence_number="V-1", licensee="Victim Co", service="fixed", status="granted", station_id=1,
                station_name="victim", role="rx", lat=30.5, lon=120.6, h_agl_m=20.0, antenna_pattern=None, g_dbi=0.0,
                azimuth_deg=0.0, tilt_deg=0.0, polarisation="v", feeder_loss_db=0.0, assignment_id=1, f_mhz=2000.0,
                bw_khz=1000.0, emission=None, eirp_dbw=None, tx_mask=None, rx_selectivity="rect-1M",
                noise_figure_db=5.0, protection="I/N", protection_db=-10.0)
    base.update(kw)
    return base


RECT_TX = {"name": "rect-tx-1M", "kind": "tx", "offset_khz": [0.0, 500.0], "attenuation_db": [0.0, 0.0]}
MASKS = {"rect-1M": {"name": "rect-1M", "kind": "rx", "offset_khz": [0.0, 500.0, 500.000001],
                     "attenuation_db": [0.0, 0.0, 300.0]},
         "rx-60": {"name": "rx-60", "kind": "rx", "offset_khz": [0.0, 500.0, 500.000001, 20000.0],
                   "attenuation_db": [0.0, 0.0, 60.0, 60.0]},
         "rect-tx-1M": RECT_TX}


@pytest.fixture(scope="module")
def flat_dem():
    lat = np.linspace(30.0, 31.0, 121)
    lon = np.linspace(120.0, 121.2, 145)
    return make_dem(np.zeros((lat.size, lon.size)), lat, lon, source="flat test terrain")


def fspl(d_km, f_mhz):
    return 32.45 + 20 * math.log10(d_km) + 20 * math.log10(f_mhz)


def candidate(**kw):
    base = dict(service="fixed", f_mhz=2000.0, bw_khz=1000.0, eirp_dbw=10.0, tx=Terminal(30.5, 120.5, 20.0),
                tx_mask=RECT_TX, licence_number="NEW-1", licensee="Applicant")
    base.update(kw)
    return Request(**base)


def run(reg, req, dem, **kw):
    return evaluate_request(reg, req, dem=dem, loss_fn=free_space_loss_fn, **kw)


# ------------------------------------------------------------------ hand-checked scenarios
def test_cochannel_near_victim_refused(flat_dem):
    reg = FakeRegister([station(lat=30.5, lon=120.6)], masks=MASKS)
    ev = run(reg, candidate(), flat_dem)
    d = float(geo.distance_km(30.5, 120.5, 30.5, 120.6))
    i = 10.0 - fspl(d, 2000.0)                       # omni 0 dBi both ends, FDR 0 (identical rectangles)
    n = 10 * math.log10(1.380649e-23 * 290 * 1e6) + 5.0
    v = ev.victim_rows()[0]
    assert v["fdr_db"] == pytest.approx(0.0, abs=1e-6)
    assert v["d_km"] == pytest.approx(d, rel=1e-9)
    assert v["i_long_dbw"] == pytest.approx(i, abs=1e-6)
    assert v["n_dbw"] == pytest.approx(n, abs=1e-9)
    assert v["margin_long_db"] == pytest.approx(-10.0 - (i - n), abs=1e-6)
    assert v["margin_short_db"] == pytest.approx(-10.0 + 10.0 - (i - n), abs=1e-6)
    assert v["margin_db"] == pytest.approx(v["margin_long_db"])
    assert v["margin_db"] < 0 and v["status"] == "harmful"
    assert ev.decision == "refuse"
    assert ev.worst_margin_db == pytest.approx(v["margin_db"])
    assert "V-1" in ev.reasons[0]


def test_far_victim_granted(flat_dem):
    # EIRP chosen so that the 86 km victim keeps a +5 dB margin in free space (computed, not pruned:
    # the pruning bound lets the loss go fs_allowance_db(1 %) = 14.4 dB below free space)
    d = float(geo.distance_km(30.5, 120.5, 30.5, 121.1))
    n = 10 * math.log10(1.380649e-23 * 290 * 1e6) + 5.0
    eirp = (n - 10.0) + fspl(d, 2000.0) - 5.0
    reg = FakeRegister([station(lat=30.5, lon=121.1),
                        station(station_id=2, station_name="tolerant", lat=30.45, lon=121.1, assignment_id=2,
                                protection_db=10.0)],
                       masks=MASKS)
    ev = run(reg, candidate(eirp_dbw=eirp), flat_dem)
    rows = {r["station_name"]: r for r in ev.victim_rows()}
    margin = -10.0 - ((eirp - fspl(d, 2000.0)) - n)
    assert margin == pytest.approx(5.0)
    assert rows["victim"]["margin_db"] == pytest.approx(margin, abs=1e-6)
    assert rows["victim"]["status"] == "ok"
    # the second victim tolerates I/N = +10 dB: even 14.4 dB below free space leaves it > 3 dB -> pruned
    d2 = float(geo.distance_km(30.5, 120.5, 30.45, 121.1))
    allow = fs_allowance_db(1.0)
    assert allow == pytest.approx(10.0 + 2.6 * math.log10(50.0))
    assert 10.0 - ((eirp - fspl(d2, 2000.0) + allow) - n) > 3.0
    assert "tolerant" not in rows
    assert ev.decision == "grant"


def test_marginal_victim_needs_coordination(flat_dem):
    d = float(geo.distance_km(30.5, 120.5, 30.5, 121.1))
    n = 10 * math.log10(1.380649e-23 * 290 * 1e6) + 5.0
    eirp = (n - 10.0) + fspl(d, 2000.0) - 1.5        # margin exactly +1.5 dB
    reg = FakeRegister([station(lat=30.5, lon=121.1)], masks=MASKS)
    ev = run(reg, candidate(eirp_dbw=eirp), flat_dem)
    assert ev.victim_rows()[0]["margin_db"] == pytest.approx(1.5, abs=1e-6)
    assert ev.victim_rows()[0]["status"] == "marginal"
    assert ev.decision == "needs coordination"


def test_adjacent_channel_with_known_fdr_granted(flat_dem):
    # same place as the refused co-channel case, but 2 MHz away into a receiver whose selectivity
    # is 60 dB outside its 1 MHz passband: all Tx power sees 60 dB -> FDR = 60 dB exactly.
    # EIRP set for a +5 dB margin with that FDR.
    d = float(geo.distance_km(30.5, 120.5, 30.5, 120.6))
    n = 10 * math.log10(1.380649e-23 * 290 * 1e6) + 5.0
    eirp = (n - 10.0) + fspl(d, 2000.0) + 60.0 - 5.0
    reg = FakeRegister([station(lat=30.5, lon=120.6, f_mhz=2002.0, rx_selectivity="rx-60")], masks=MASKS)
    ev = run(reg, candidate(eirp_dbw=eirp), flat_dem, blocking=False)   # SM.337 FDR alone
    i = eirp - fspl(d, 2000.0) - 60.0
    v = ev.victim_rows()[0]
    assert v["fdr_db"] == pytest.approx(60.0, abs=1e-6)
    # with blocking (the default, SEAMCAT split): no emission of the rectangular Tx falls in the
    # victim's band (unwanted FDR 300 dB) and the selectivity acts as the blocking mask (60 dB): same I
    vb = run(reg, candidate(eirp_dbw=eirp), flat_dem).victim_rows()[0]
    assert vb["blocking_db"] == 60.0 and vb["blocking_mode"] == "user-defined (register mask)"
    assert vb["fdr_db"] == pytest.approx(300.0, abs=1e-6)
    assert vb["i_blocking_long_dbw"] == pytest.approx(i, abs=1e-6)
    assert vb["i_long_dbw"] == pytest.approx(i, abs=1e-6) and vb["margin_db"] == pytest.approx(5.0, abs=1e-6)
    assert v["df_khz"] == pytest.approx(2000.0)
    assert v["i_long_dbw"] == pytest.approx(i, abs=1e-6)
    assert v["margin_db"] == pytest.approx(-10.0 - (i - n), abs=1e-6)
    assert v["margin_db"] == pytest.approx(5.0, abs=1e-6)
    assert ev.decision == "grant"
    # co-channel the same transmitter would be refused (FDR 0 -> margin 5 - 60 dB)
    reg2 = FakeRegister([station(lat=30.5, lon=120.6, f_mhz=2000.0, rx_selectivity="rx-60")], masks=MASKS)
    ev2 = run(reg2, candidate(eirp_dbw=eirp), flat_dem)
    assert ev2.decision == "refuse"
    assert ev2.victim_rows()[0]["margin_db"] == pytest.approx(5.0 - 60.0, abs=1e-6)


def test_victim_antenna_pattern_and_pruning(flat_dem):
    # victim dish (F.699, 40 dBi) pointing north, the candidate is due west: 90 deg off axis
    pat = {"dish": {"name": "dish", "kind": "F.699", "params": {}, "g_max_dbi": 40.0}}
    reg = FakeRegister([station(lat=30.5, lon=120.6, antenna_pattern="dish", g_dbi=40.0, azimuth_deg=0.0),
                        station(station_id=2, station_name="far-off-channel", lat=30.5, lon=120.7, f_mhz=2015.0,
                                assignment_id=2)], patterns=pat, masks=MASKS)
    ev = run(reg, candidate(eirp_dbw=0.0), flat_dem)
    rows = ev.victim_rows()
    assert [r["station_name"] for r in rows] == ["victim"]   # 15 MHz away: no Tx power -> pruned
    dl = 10 ** ((40 - 7.7) / 20)
    assert rows[0]["gr_dbi"] == pytest.approx(10 - 10 * math.log10(dl), abs=0.01)  # F.699 2.2 back region
    assert ev.inputs["n_victims_considered"] == 2


def test_ci_victim_uses_its_wanted_transmitter(flat_dem):
    wanted = station(licence_number="V-1", station_id=7, station_name="wanted-tx", role="tx", lat=30.5, lon=120.8,
                     eirp_dbw=20.0, rx_selectivity=None, noise_figure_db=None, protection=None, protection_db=None,
                     assignment_id=7)
    victim = station(lat=30.5, lon=120.7, protection="C/I", protection_db=30.0)
    reg = FakeRegister([victim, wanted], masks=MASKS)
    ev = run(reg, candidate(eirp_dbw=0.0), flat_dem)
    v = [r for r in ev.victim_rows() if r["station_name"] == "victim"][0]
    c = 20.0 - fspl(float(geo.distance_km(30.5, 120.8, 30.5, 120.7)), 2000.0)
    i = 0.0 - fspl(float(geo.distance_km(30.5, 120.5, 30.5, 120.7)), 2000.0)
    assert v["c_dbw"] == pytest.approx(c, abs=1e-6)
    assert v["margin_long_db"] == pytest.approx((c - i) - 30.0, abs=1e-6)
    assert v["margin_short_db"] == pytest.approx((c - i) - 20.0, abs=1e-6)


def test_aggregate_at_candidate_receiver_is_power_sum(flat_dem):
    # two registered transmitters at the same distance (east and west) into the candidate receiver
    t1 = station(licence_number="T-1", station_id=11, station_name="east", role="tx", lat=30.5, lon=120.6,
                 eirp_dbw=0.0, rx_selectivity=None, tx_mask="rect-tx-1M", assignment_id=11)
    t2 = dict(t1, licence_number="T-2", station_id=12, station_name="west", lon=120.4, assignment_id=12)
    reg = FakeRegister([t1, t2], masks=MASKS)
    req = candidate(tx=None, eirp_dbw=None, rx=Terminal(30.5, 120.5, 20.0), noise_figure_db=5.0,
                    rx_selectivity="rect-1M", protection_db=-6.0)
    ev = run(reg, req, flat_dem)
    rows = ev.interferer_rows()
    assert len(rows) == 2
    i_each = [r["i_long_dbw"] for r in rows]
    d = float(geo.distance_km(30.5, 120.5, 30.5, 120.6))
    assert i_each[0] == pytest.approx(0.0 - fspl(d, 2000.0), abs=1e-6)
    agg = ev.aggregate["i_long_dbw"]
    assert agg == pytest.approx(10 * math.log10(sum(10 ** (x / 10) for x in i_each)), abs=1e-9)
    assert agg == pytest.approx(max(i_each) + 10 * math.log10(2), abs=0.01)
    assert agg != pytest.approx(sum(i_each))
    n = float(noise_dbw(1000.0, 5.0))
    assert ev.aggregate["margin_long_db"] == pytest.approx(-6.0 - (agg - n), abs=1e-9)
    assert sum(r["share_percent"] for r in rows) == pytest.approx(100.0)
    # the candidate receiver unprotected -> coordination, not refusal (no registered victim harmed)
    assert ev.decision == "needs coordination"


def test_own_licence_excluded(flat_dem):
    reg = FakeRegister([station(licence_number="NEW-1", lat=30.5, lon=120.6)], masks=MASKS)
    ev = run(reg, candidate(), flat_dem)
    assert ev.victim_rows() == [] and ev.decision == "grant"


def test_victim_outside_terrain_is_uncertain(flat_dem):
    # the victim is beyond the DEM's east edge (121.2): no terrain path -> not computed -> coordination
    reg = FakeRegister([station(lat=30.5, lon=121.3)], masks=MASKS)
    ev = run(reg, candidate(eirp_dbw=10.0), flat_dem)
    v = ev.victim_rows()[0]
    assert v["status"] == "uncertain" and v["margin_db"] is None
    assert ev.decision == "needs coordination"


# ------------------------------------------------------------------ the shipped default model
def test_default_model_is_p452(flat_dem):
    reg = FakeRegister([station(lat=30.5, lon=120.6), station(station_id=2, lat=30.6, lon=121.1, assignment_id=2)],
                       masks=MASKS)
    ev = evaluate_request(reg, candidate(), dem=flat_dem)
    assert ev.model_versions["propagation"].startswith("ITU-R P.452")
    rows = ev.victim_rows()
    for r in rows:
        fs = fspl(r["d_km"], 2000.0)
        # P.452 basic transmission loss at 20 % / 1 %: within a few dB of free space on a short
        # line-of-sight flat path (gas, multipath/focusing), never far below it
        assert r["lb_long_db"] > fs - 6.0
        assert r["lb_short_db"] <= r["lb_long_db"] + 1e-9
    assert ev.decision == "refuse"


# ------------------------------------------------------------------ outputs
def test_outputs_json_hdf5_report_store(flat_dem, tmp_path):
    reg = FakeRegister([station(lat=30.5, lon=120.6)], masks=MASKS)
    ev = run(reg, candidate(), flat_dem, store=True, user="tester")
    d = json.loads(ev.to_json())
    assert d["decision"] == "refuse" and d["victims"][0]["licence_number"] == "V-1"
    assert d["request"]["licence_number"] == "NEW-1"
    assert reg.stored[0]["decision"] == "refuse" and reg.stored[0]["user"] == "tester"
    assert ev.evaluation_id == 1
    h5py = pytest.importorskip("h5py")
    p = ev.to_hdf5(tmp_path / "ev.h5")
    with h5py.File(p, "r") as f:
        assert f.attrs["decision"] == "refuse"
        np.testing.assert_allclose(f["victims/margin_db"][:], ev.victims["margin_db"])
        assert "software_version" in f.attrs
    text = ev.report()
    assert "DECISION: REFUSE" in text and "V-1" in text


def test_request_json_round_trip(tmp_path):
    req = candidate(rx=Terminal(30.5, 120.5, 20.0), noise_figure_db=4.0, emission="1M00G7W", bw_khz=None)
    d = json.loads(json.dumps(req.to_dict()))
    back = Request.from_dict(d)
    assert back.bw_khz == pytest.approx(1000.0) and back.rx.lat == 30.5
    p = tmp_path / "req.json"
    p.write_text(json.dumps(d))
    assert Request.from_json(p).emission == "1M00G7W"


# ------------------------------------------------------------------ bad requests
@pytest.mark.parametrize("change,match", [
    (dict(tx=Terminal(95.0, 120.5, 20.0)), "lat"),
    (dict(tx=Terminal(30.5, 420.0, 20.0)), "lon"),
    (dict(bw_khz=-25.0), "bw_khz"),
    (dict(bw_khz=None, emission="16X0F3E"), "16X0F3E"),
    (dict(eirp_dbw=None), "eirp_dbw"),
    (dict(tx=None), "tx"),
    (dict(polarisation="circular"), "polarisation"),
    (dict(protection="C/N"), "protection"),
])
def test_bad_requests_refused(change, match, flat_dem):
    with pytest.raises(ValueError, match=match):
        req = candidate(**change)
        evaluate_request(FakeRegister([]), req, dem=flat_dem)


def test_frequency_outside_model_range(flat_dem):
    with pytest.raises(ValueError, match=r"f_mhz = 60000 .*P\.452"):
        evaluate_request(FakeRegister([]), candidate(f_mhz=60000.0), dem=flat_dem)
    with pytest.raises(ValueError, match=r"f_mhz = 50 .*P\.452"):
        evaluate_request(FakeRegister([]), candidate(f_mhz=50.0), dem=flat_dem)


def test_candidate_outside_terrain_and_bad_fields(flat_dem):
    with pytest.raises(ValueError, match="outside the terrain"):
        evaluate_request(FakeRegister([]), candidate(tx=Terminal(35.0, 120.5, 20.0)), dem=flat_dem)
    with pytest.raises(ValueError, match="unknown field"):
        Request.from_dict({"service": "fixed", "f_mhz": 100.0, "power": 3})
    with pytest.raises(ValueError, match="p_percent"):
        evaluate_request(FakeRegister([]), candidate(), dem=flat_dem, p_percent=(20.0, 60.0))
    with pytest.raises(ValueError, match="model"):
        evaluate_request(FakeRegister([]), candidate(), dem=flat_dem, model="okumura")


def test_request_from_register():
    rows = [station(licence_number="APP-9", status="application", role="tx", eirp_dbw=17.0, station_name="A",
                    rx_selectivity=None, noise_figure_db=None, protection=None, protection_db=None),
            station(licence_number="APP-9", status="application", role="rx", station_id=2, station_name="B",
                    lat=30.6, f_mhz=2100.0, assignment_id=2, protection_db=-6.0)]
    req = Request.from_register(FakeRegister(rows), "APP-9")
    assert req.tx.name == "A" and req.rx.name == "B" and req.eirp_dbw == 17.0
    assert req.rx_f_mhz == 2100.0 and req.protection_db == -6.0 and req.noise_figure_db == 5.0
    with pytest.raises(ValueError, match="APP-10"):
        Request.from_register(FakeRegister(rows), "APP-10")


def test_all_from_register_pairs_link_hops_and_sectors(flat_dem):
    app = dict(licence_number="APP-L", status="application", rx_selectivity="rect-1M", protection_db=-10.0)
    rows = [  # a link: A tx f1 -> B rx f1, B tx f2 -> A rx f2
        station(**app, station_id=1, station_name="A tx", role="tx", lat=30.5, lon=120.5, eirp_dbw=10.0,
                f_mhz=2000.0, assignment_id=1, tx_mask="rect-tx-1M"),
        station(**app, station_id=2, station_name="A rx", role="rx", lat=30.5, lon=120.5, f_mhz=2050.0,
                assignment_id=2),
        station(**app, station_id=3, station_name="B tx", role="tx", lat=30.5, lon=120.6, eirp_dbw=10.0,
                f_mhz=2050.0, assignment_id=3, tx_mask="rect-tx-1M"),
        station(**app, station_id=4, station_name="B rx", role="rx", lat=30.5, lon=120.6, f_mhz=2000.0,
                assignment_id=4),
        # a two-sector FDD site: pairs by azimuth
        station(**dict(app, licence_number="APP-S"), station_id=5, station_name="S1 tx", role="tx", lat=30.7,
                lon=120.7, azimuth_deg=0.0, eirp_dbw=10.0, f_mhz=2100.0, assignment_id=5),
        station(**dict(app, licence_number="APP-S"), station_id=6, station_name="S2 tx", role="tx", lat=30.7,
                lon=120.7, azimuth_deg=120.0, eirp_dbw=10.0, f_mhz=2100.0, assignment_id=6),
        station(**dict(app, licence_number="APP-S"), station_id=7, station_name="S2 rx", role="rx", lat=30.7,
                lon=120.7, azimuth_deg=120.0, f_mhz=1950.0, assignment_id=7),
        station(**dict(app, licence_number="APP-S"), station_id=8, station_name="S1 rx", role="rx", lat=30.7,
                lon=120.7, azimuth_deg=0.0, f_mhz=1950.0, assignment_id=8),
        # a registered victim near B, co-channel with the A -> B hop
        station(station_id=9, station_name="victim", lat=30.52, lon=120.6, f_mhz=2000.0, assignment_id=9),
    ]
    reg = FakeRegister(rows, masks=MASKS)
    link = Request.all_from_register(reg, "APP-L")
    assert [(q.tx.name, q.rx.name) for q in link] == [("A tx", "B rx"), ("B tx", "A rx")]
    assert link[0].rx_f_mhz is None and link[1].f_mhz == 2050.0
    sect = Request.all_from_register(reg, "APP-S")
    assert [(q.tx.name, q.rx.name, q.rx_f_mhz) for q in sect] == [("S1 tx", "S1 rx", 1950.0), ("S2 tx", "S2 rx", 1950.0)]
    evs = evaluate_licence(reg, "APP-L", dem=flat_dem, loss_fn=free_space_loss_fn)
    assert [e.decision for e in evs][0] == "refuse"       # A tx co-channel into the victim 2 km from B
    assert combined_decision(evs) == "refuse"
    assert combined_decision([]) == "grant"


def test_radio_climatic_zones_reach_the_model():
    # terrain: land (10 m) west of 120.55 E, sea (0 m) east of it; the victim is 0.1 deg east
    lat = np.linspace(30.0, 31.0, 121)
    lon = np.linspace(120.0, 121.2, 145)
    z = np.where(lon[None, :] < 120.55, 10.0, 0.0) * np.ones((lat.size, 1))
    dem = make_dem(z, lat, lon, source="coast test terrain")
    seen = {}

    def spy(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **kw):
        seen.update(kw)
        return free_space_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m)

    reg = FakeRegister([station(lat=30.5, lon=120.6)], masks=MASKS)
    evaluate_request(reg, candidate(), dem=dem, loss_fn=spy)
    zone = seen["zone"][0]
    # samples take the zone of the nearest DEM cell: the coast is half a cell west of the first sea cell
    first_sea = lon[z[0] <= 0.0][0]
    d_tx_coast = float(geo.distance_km(30.5, 120.5, 30.5, first_sea - (lon[1] - lon[0]) / 2))
    assert zone[0] == 1.0                        # coastal land (within 50 km of the sea, below 100 m)
    assert 3.0 in zone                           # the eastern part of the path is sea
    # distance over land to the coast: the first sea sample, within one profile step (the DEM row
    # spacing, 0.93 km here) beyond the coast line
    assert d_tx_coast - 1e-6 <= seen["dct_km"][0] <= d_tx_coast + 0.93
    assert seen["dcr_km"][0] == pytest.approx(0.0, abs=1e-9)        # the victim stands in the sea zone
    seen.clear()
    evaluate_request(reg, candidate(), dem=dem, loss_fn=spy, zones=False)
    assert "zone" not in seen


def test_auto_model_uses_p1546_for_broadcasting(flat_dem):
    # issue #15: broadcasting requests at 30-4000 MHz take P.1546-6 ("auto"); P.1812 on request
    from spectrum.evaluation import resolve_model

    assert resolve_model("auto", "fixed") == "p452"
    assert resolve_model("auto", "broadcasting", 98.0) == "p1546"
    assert resolve_model("auto", "broadcasting", 5000.0) == "p1812"   # beyond P.1546's 4 000 MHz
    reg = FakeRegister([station(lat=30.6, lon=120.7, f_mhz=98.0, bw_khz=200.0, service="broadcasting",
                                rx_selectivity=None)], masks=MASKS)
    req = Request(service="broadcasting", f_mhz=98.0, bw_khz=200.0, eirp_dbw=40.0, tx=Terminal(30.5, 120.5, 150.0))
    ev = evaluate_request(reg, req, dem=flat_dem, model="auto")
    assert ev.inputs["model"] == "p1546" and ev.model_versions["propagation"] == "ITU-R P.1546-6"
    v = ev.victim_rows()[0]
    assert v["lb_long_db"] > fspl(v["d_km"], 98.0) - 6.0 and ev.decision == "refuse"
    ev = evaluate_request(reg, req, dem=flat_dem, model="p1812")
    assert ev.model_versions["propagation"] == "ITU-R P.1812-6"
    v = ev.victim_rows()[0]
    assert v["lb_long_db"] > fspl(v["d_km"], 98.0) - 6.0 and ev.decision == "refuse"
    with pytest.raises(ValueError, match=r"f_mhz = 98 .*P\.452"):   # below P.452's 100 MHz
        evaluate_request(reg, req, dem=flat_dem, model="p452")


def test_itm_selectable(flat_dem):
    reg = FakeRegister([station(lat=30.5, lon=120.6)], masks=MASKS)
    ev = evaluate_request(reg, candidate(), dem=flat_dem, model="itm")
    assert ev.model_versions["propagation"] == "NTIA ITM 1.2.2"
    v = ev.victim_rows()[0]
    # 9.6 km line of sight over flat ground: ITM within a few dB of free space
    assert abs(v["lb_long_db"] - fspl(v["d_km"], 2000.0)) < 6.0


def test_application_transmitters_aggregate_at_a_victim(flat_dem):
    # two co-sited omni transmitters of one application on the victim's channel; each alone leaves
    # the victim +2 dB, together (power sum, +3.01 dB) it is 1.01 dB short -> refuse
    d = float(geo.distance_km(30.5, 120.5, 30.5, 120.9))
    n = 10 * math.log10(1.380649e-23 * 290 * 1e6) + 5.0
    eirp = (n - 10.0) + fspl(d, 2000.0) - 2.0
    app = dict(licence_number="APP-2", status="application", role="tx", lat=30.5, lon=120.5, eirp_dbw=eirp,
               tx_mask="rect-tx-1M", rx_selectivity=None, noise_figure_db=None, protection=None, protection_db=None)
    rows = [station(**app, station_id=1, station_name="T1", assignment_id=1),
            station(**app, station_id=2, station_name="T2", azimuth_deg=90.0, assignment_id=2),
            station(station_id=3, station_name="victim", lat=30.5, lon=120.9, assignment_id=3)]
    reg = FakeRegister(rows, masks=MASKS)
    evs = evaluate_licence(reg, "APP-2", dem=flat_dem, loss_fn=free_space_loss_fn)
    assert [e.decision for e in evs] == ["needs coordination", "needs coordination"]
    assert all(e.worst_margin_db == pytest.approx(2.0, abs=1e-6) for e in evs)
    agg = aggregate_victims(evs)
    assert list(agg["station_name"]) == ["victim"] and agg["n_entries"][0] == 2
    assert agg["margin_db"][0] == pytest.approx(2.0 - 10 * math.log10(2.0), abs=1e-6)
    assert agg["status"][0] == "harmful"
    assert combined_decision(evs) == "refuse"


def test_batched_pipeline_equals_per_path_oracle():
    """The batched engine (profiles, zones, prepared P.452, elevations, gains, FDR) against a slow,
    obvious per-path recomputation of I for a few victims of the sample request."""
    try:
        from spectrum.datasets.register import sample_register
        from spectrum.datasets.requests import sample_request
        from spectrum.datasets.terrain import default_dem
    except ImportError as exc:
        pytest.skip(f"sample register / default terrain not installed: {exc}")
    from spectrum import terrain
    from spectrum.antennas import Antenna
    from spectrum.masks import Mask, fdr_db
    from spectrum.propagation import p452

    reg, req, dem = sample_register(), sample_request(), default_dem()
    ev = evaluate_request(reg, req)
    zmap = terrain.radio_climatic_zones(dem)
    zl, zo = zmap["lat"].values, zmap["lon"].values
    ae = 6371.0 * 157.0 / (157.0 - 45.0)
    rows = sorted(ev.victim_rows(), key=lambda r: r["margin_db"])[:4]
    tx_ant = Antenna.from_pattern(reg.antenna_pattern(req.tx.antenna_pattern), req.tx.g_dbi)
    tx_mask = Mask.from_register(reg.spectrum_mask(req.tx_mask))
    arrays = reg.query_arrays(lat=req.tx.lat, lon=req.tx.lon, radius_km=150.0, role="rx")
    for r in rows:
        k = int(np.flatnonzero(np.asarray(arrays["assignment_id"]) == r["assignment_id"])[0])
        v = {f: arrays[f][k] for f in arrays}
        d, h, la, lo = terrain.profile(dem, (req.tx.lat, req.tx.lon), (v["lat"], v["lon"]), return_latlon=True)
        zi = np.clip(np.rint((la - zl[0]) / (zl[1] - zl[0])).astype(int), 0, zl.size - 1)
        zj = np.clip(np.rint((lo - zo[0]) / (zo[1] - zo[0])).astype(int), 0, zo.size - 1)
        zone = zmap.values[zi, zj].astype(float)
        sea = np.flatnonzero(zone == 3)
        dct = d[sea[0]] if sea.size else 500.0
        dcr = d[-1] - d[sea[-1]] if sea.size else 500.0
        lat_c = (req.tx.lat + v["lat"]) / 2
        lb = [float(p452.basic_transmission_loss(d, h, req.f_mhz / 1000, p, req.tx.h_agl_m, v["h_agl_m"], zone=zone,
                                                  pol="v", lat=lat_c, dct_km=dct, dcr_km=dcr).lb) for p in (20.0, 1.0)]
        hts, hrs = h[0] + req.tx.h_agl_m, h[-1] + v["h_agl_m"]
        th_t = max([(hrs - hts) / (1000 * d[-1]) - d[-1] / (2 * ae)]
                   + [(h[i] - hts) / (1000 * d[i]) - d[i] / (2 * ae) for i in range(1, d.size - 1)])
        th_r = max([(hts - hrs) / (1000 * d[-1]) - d[-1] / (2 * ae)]
                   + [(h[i] - hrs) / (1000 * (d[-1] - d[i])) - (d[-1] - d[i]) / (2 * ae) for i in range(1, d.size - 1)])
        b12 = float(geo.bearing_deg(req.tx.lat, req.tx.lon, v["lat"], v["lon"]))
        b21 = float(geo.bearing_deg(v["lat"], v["lon"], req.tx.lat, req.tx.lon))
        gt = float(tx_ant.gain_dbi([b12 - req.tx.azimuth_deg], [math.degrees(th_t)], req.f_mhz, req.tx.tilt_deg)[0])
        rx_ant = Antenna.from_pattern(reg.antenna_pattern(v["antenna_pattern"]), v["g_dbi"])
        gr = float(rx_ant.gain_dbi([b21 - v["azimuth_deg"]], [math.degrees(th_r)], v["f_mhz"], v["tilt_deg"])[0])
        rx_mask = Mask.from_register({**reg.spectrum_mask(v["rx_selectivity"]), "kind": "rx"})
        fdr = float(fdr_db(tx_mask, rx_mask, (v["f_mhz"] - req.f_mhz) * 1000.0))
        i_lt = req.eirp_dbw + gt - req.tx.g_dbi + gr - v["feeder_loss_db"] - fdr - lb[0]
        i_st = req.eirp_dbw + gt - req.tx.g_dbi + gr - v["feeder_loss_db"] - fdr - lb[1]
        assert r["lb_long_db"] == pytest.approx(lb[0], abs=1e-6)
        assert r["lb_short_db"] == pytest.approx(lb[1], abs=1e-6)
        assert r["gt_dbi"] == pytest.approx(gt, abs=1e-6) and r["gr_dbi"] == pytest.approx(gr, abs=1e-6)
        assert r["i_long_dbw"] == pytest.approx(i_lt, abs=1e-6)
        assert r["i_short_dbw"] == pytest.approx(i_st, abs=1e-6)
    reg.close()


@pytest.mark.parametrize("change,match", [
    (dict(bw_khz=float("inf")), r"bw_khz = inf must be finite"),
    (dict(tx=[31.2, 121.4]), r"request.tx = \[31.2, 121.4\] must be an object"),
    (dict(rx_f_mhz=1e9), r"rx_f_mhz = 1e\+09 is outside the valid range"),
    (dict(tx_mask={"offset_khz": [0, 10]}), r"missing \['attenuation_db'\]"),
    (dict(tx_mask=5), r"tx_mask = 5 must be a register mask name"),
    (dict(rx_selectivity=[1, 2]), r"rx_selectivity = \[1, 2\] must be a register mask name"),
], ids=["bw-inf", "tx-list", "rx-f-range", "mask-dict-missing", "mask-int", "rxsel-list"])
def test_request_from_dict_rejects_junk(change, match):
    # each of these used to be accepted silently (or raised AttributeError for tx as a list)
    d = dict(service="land mobile", f_mhz=450.0, bw_khz=12.5, eirp_dbw=10.0, tx=dict(lat=31.2, lon=121.4))
    d.update(change)
    with pytest.raises(ValueError, match=match):
        Request.from_dict(d)


def test_request_from_dict_accepts_mask_dict():
    d = dict(service="land mobile", f_mhz=450.0, bw_khz=12.5, eirp_dbw=10.0, tx=dict(lat=31.2, lon=121.4),
             tx_mask={"offset_khz": [0, 10], "attenuation_db": [0, 40]})
    assert Request.from_dict(d).tx_mask["attenuation_db"] == [0, 40]


def test_request_from_json_file_errors_name_the_file(tmp_path):
    # a non-UTF-8 request file used to give a bare "'utf-8' codec can't decode" error
    p = tmp_path / "req.json"
    p.write_bytes(b"\xff\xfe{}")
    with pytest.raises(ValueError, match=r"request file .*req.json is not UTF-8 text"):
        Request.from_json(p)
    p.write_text("{bad", encoding="utf-8")
    with pytest.raises(ValueError, match=r"request file .*req.json is malformed JSON"):
        Request.from_json(p)
    with pytest.raises(ValueError, match="request JSON is malformed JSON"):
        Request.from_json("{bad")
