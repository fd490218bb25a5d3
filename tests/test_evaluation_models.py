"""The evaluation with the models and data of issues #13 and #15: P.1546-6 and P.2001-4 in the loss
registry, broadcasting requests judged on protection ratios, the free-space fallback outside a
model's validity, zones per path from terrain, ΔN/N0 from the maps and land cover as clutter.

Hand-checked over flat terrain (free space, the tabulated P.1546 curves, the BS.412-9 ratios)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from spectrum import geo
from spectrum.evaluation import Request, Terminal, evaluate_request, free_space_loss_fn, resolve_model
from spectrum.terrain import make_dem
from test_evaluation import MASKS, FakeRegister, candidate, fspl, station

LAT = np.linspace(30.0, 31.0, 121)
LON = np.linspace(120.0, 121.2, 145)


@pytest.fixture(scope="module")
def land_dem():
    """Flat land 10 m above the sea (no sea anywhere: every path is inland)."""
    return make_dem(np.full((LAT.size, LON.size), 10.0), LAT, LON, source="flat land 10 m")


BC = dict(service="broadcasting", f_mhz=98.0, bw_khz=200.0, rx_selectivity=None, tx_mask=None)


def fm_register(reg_cls=FakeRegister, **rx):
    """An FM listener (registered receiver) 28.7 km east of the candidate site, served by its own
    transmitter 19.2 km farther east (same licence)."""
    rows = [station(licence_number="FM-1", station_id=1, station_name="listener", role="rx", lat=30.5, lon=120.8,
                    h_agl_m=10.0, **{**BC, **rx}),
            station(licence_number="FM-1", station_id=2, station_name="FM-1 tx", role="tx", lat=30.5, lon=121.0,
                    h_agl_m=100.0, eirp_dbw=40.0, assignment_id=2, noise_figure_db=None, protection=None,
                    protection_db=None, **BC)]
    return reg_cls(rows, masks=MASKS)


def fm_request(f_mhz=98.1, eirp=10.0):
    return Request(service="broadcasting", f_mhz=f_mhz, bw_khz=200.0, eirp_dbw=eirp, tx=Terminal(30.5, 120.5, 100.0),
                   licence_number="NEW-FM")


# ------------------------------------------------------------------ broadcasting: P.1546 + protection ratios
@pytest.mark.parametrize("df_khz, pr_steady, pr_tropo", [(100.0, 33.0, 25.0), (400.0, -20.0, -20.0)])
def test_broadcast_request_decided_on_protection_ratios(land_dem, df_khz, pr_steady, pr_tropo):
    # BS.412-9 Annex 1 stereo ratios: 100 kHz -> steady 33 dB, tropospheric 25 dB; 400 kHz -> -20 dB
    reg = fm_register()
    f = 98.0 + df_khz / 1000.0
    ev = evaluate_request(reg, fm_request(f), dem=land_dem, loss_fn=free_space_loss_fn, intermod=False)
    v = ev.victim_rows()[0]
    d_w = float(geo.distance_km(30.5, 121.0, 30.5, 120.8))
    d_c = float(geo.distance_km(30.5, 120.5, 30.5, 120.8))
    c = 40.0 - fspl(d_w, 98.0)                     # wanted: own transmitter, omni 0 dBi, 50 % time
    i = 10.0 - fspl(d_c, f)                        # candidate co-channel: the ratio holds the selectivity
    assert v["criterion"] == "C/I" and v["criterion_source"] == "protection ratio"
    assert v["protection_db"] == pytest.approx(pr_steady)
    assert v["short_term_allowance_db"] == pytest.approx(pr_steady - pr_tropo)
    assert v["fdr_db"] == 0.0
    assert v["c_dbw"] == pytest.approx(c, abs=1e-6)
    assert v["i_long_dbw"] == pytest.approx(i, abs=1e-6)
    assert v["margin_long_db"] == pytest.approx(c - i - pr_steady, abs=1e-6)
    assert v["margin_short_db"] == pytest.approx(c - i - pr_tropo, abs=1e-6)
    assert v["margin_db"] == pytest.approx(min(c - i - pr_steady, c - i - pr_tropo), abs=1e-6)
    # 100 kHz off: 0.53 dB margin -> needs coordination; 400 kHz off: 53.5 dB -> grant
    assert ev.decision == ("needs coordination" if df_khz == 100.0 else "grant")
    assert ev.inputs["choices"]["protection_ratios"] is True


def test_broadcast_protection_ratios_refuse_and_can_be_switched_off(land_dem):
    reg = fm_register()
    ev = evaluate_request(reg, fm_request(98.1, eirp=13.0), dem=land_dem, loss_fn=free_space_loss_fn,
                          intermod=False)
    assert ev.victim_rows()[0]["margin_db"] == pytest.approx(0.53068 - 3.0, abs=1e-3)
    assert ev.decision == "refuse"
    off = evaluate_request(reg, fm_request(98.1, eirp=13.0), dem=land_dem, loss_fn=free_space_loss_fn,
                           intermod=False, protection_ratios=False)
    assert off.victim_rows()[0]["criterion_source"] == "register"      # the row's own I/N -10 dB
    # a criterion the register states for the receiver itself wins over the ratio
    from test_evaluation_existing import Reg

    ev = evaluate_request(fm_register(Reg, criterion="C/I", criterion_db=20.0), fm_request(98.1, 13.0), dem=land_dem,
                          loss_fn=free_space_loss_fn, intermod=False)
    v = ev.victim_rows()[0]
    assert v["criterion_source"] == "register" and v["protection_db"] == 20.0 and v["fdr_db"] > 0


def test_broadcast_request_auto_takes_p1546_hand_checked(land_dem):
    # flat inland terrain: heff = h_tx, so Lb is the tabulated land curve of P.1546-6 converted by
    # Annex 5 §17 Eq. (40): Lb = 139.3 - E(1 kW ERP) + 20 log10 f
    from spectrum.propagation import p1546

    assert resolve_model("auto", "broadcasting", 98.1) == "p1546"
    ev = evaluate_request(fm_register(), fm_request(), dem=land_dem, model="auto", intermod=False)
    assert ev.inputs["model"] == "p1546" and ev.model_versions["propagation"] == "ITU-R P.1546-6"
    v = ev.victim_rows()[0]
    for col, t in (("lb_long_db", 20.0), ("lb_short_db", 1.0)):
        e = float(p1546.field_strength(98.1, t, 100.0, 10.0, d_km=v["d_km"], area="rural").e_dbuvm)
        assert v[col] == pytest.approx(139.3 - e + 20 * math.log10(98.1), abs=0.1)
    assert v["loss_fallback"] == "" and v["criterion_source"] == "protection ratio"
    # P.1546 takes 1-50 % of time only
    with pytest.raises(ValueError, match="p_percent.*P.1546"):
        evaluate_request(fm_register(), fm_request(), dem=land_dem, model="p1546", p_percent=(20.0, 0.1))


def test_p1546_sea_path_and_all_sea_rounding():
    # all-sea path (0 m terrain is sea by P.452 Table 3): the land length rounds to -4e-15 km in
    # the sample weights; it must come out as a sea path, not an error or a fallback
    sea = make_dem(np.zeros((LAT.size, LON.size)), LAT, LON, source="flat sea")
    ev = evaluate_request(fm_register(), fm_request(), dem=sea, model="p1546", intermod=False)
    v = ev.victim_rows()[0]
    assert v["loss_fallback"] == "" and np.isfinite(v["lb_long_db"])
    land = evaluate_request(fm_register(), fm_request(), dem=make_dem(np.full((LAT.size, LON.size), 10.0), LAT, LON),
                            model="p1546", intermod=False)
    assert v["lb_long_db"] < land.victim_rows()[0]["lb_long_db"]   # sea curves: less loss


# ------------------------------------------------------------------ P.2001 with explicit climate
CLIMATE = {"dn": 40.0, "n0": 320.0, "dn_sup": 13.0, "dn_sub": 6.0, "nd65m1": -250.0, "wvsur_gm3": 7.5, "ztropo": 4,
           "foes_mhz": [9.0, 6.0, 4.0, 2.5], "mt_mm": 600.0, "beta": 0.3, "pr6_pct": 3.0, "h0_km": 3.0}


def test_p2001_in_the_evaluation_matches_the_model(land_dem):
    from spectrum import terrain
    from spectrum.propagation import p2001

    reg = FakeRegister([station(lat=30.5, lon=120.8)], masks=MASKS)
    ev = evaluate_request(reg, candidate(), dem=land_dem, model="p2001", climate=CLIMATE, intermod=False)
    assert ev.model_versions["propagation"] == "ITU-R P.2001-4"
    assert ev.inputs["choices"]["climate"]["dn_sup"] == 13.0 and "given" in ev.inputs["climate"]
    v = ev.victim_rows()[0]
    d, h, n = terrain.profiles(land_dem, [30.5], [120.5], [30.5], [120.8])
    k = int(n[0])
    foes = p2001.foes_from_maps(np.array([20.0, 1.0]), 9.0, 6.0, 4.0, 2.5)
    for col, j, p in (("lb_long_db", 0, 20.0), ("lb_short_db", 1, 1.0)):
        r = p2001.basic_transmission_loss(d[0, :k], h[0, :k], np.full(k, 4.0), 2.0, p, 20.0, 20.0, lat_t=30.5,
                                          lon_t=120.5, lat_r=30.5, lon_r=120.8, nd1km50=-40.0, dn_sup=13.0,
                                          dn_sub=6.0, nd65m1=-250.0, wvsur_mid_gm3=7.5, wvsur_tx_gm3=7.5,
                                          wvsur_rx_gm3=7.5, ztropo=4, foes1_mhz=foes[j], foes2_mhz=foes[j],
                                          pol="v", mt_mm=600.0, beta=0.3, pr6_pct=3.0, h0_km=3.0)
        assert v[col] == pytest.approx(float(r.lb), abs=1e-9)


def test_p2001_needs_its_map_values(land_dem):
    reg = FakeRegister([station(lat=30.5, lon=120.8)], masks=MASKS)
    with pytest.raises(ValueError, match=r"p2001.*dn_sup.*climate='typical'"):
        evaluate_request(reg, candidate(), dem=land_dem, model="p2001", intermod=False)
    with pytest.raises(ValueError, match="climate\\['bogus'\\]"):
        evaluate_request(reg, candidate(), dem=land_dem, model="p2001", climate={"bogus": 1}, intermod=False)
    ev = evaluate_request(reg, candidate(), dem=land_dem, model="p2001", climate="typical", intermod=False)
    assert np.isfinite(ev.victim_rows()[0]["lb_long_db"]) and "TYPICAL_CLIMATE" in ev.inputs["climate"]


# ------------------------------------------------------------------ free space outside a model's validity
@pytest.mark.parametrize("model, d_min_km", [("p452", 0.1), ("p1812", 0.25), ("p1546", 0.04)])
def test_short_path_falls_back_to_free_space(land_dem, model, d_min_km):
    # two stations 46 m apart (P.452 and P.1812 refuse it: < 0.1 / 0.25 km) and one 10 km away
    f = 98.0 if model == "p1546" else 2000.0
    near = (30.5, 120.5 + 0.046 / (111.32 * math.cos(math.radians(30.5))))
    rows = [station(station_id=1, station_name="near", lat=near[0], lon=near[1], f_mhz=f),
            station(station_id=2, station_name="far", lat=30.5, lon=120.6, assignment_id=2, f_mhz=f)]
    reg = FakeRegister(rows, masks=MASKS)
    ev = evaluate_request(reg, candidate(f_mhz=f), dem=land_dem, model=model, intermod=False)
    r = {x["station_name"]: x for x in ev.victim_rows()}
    d = r["near"]["d_km"]
    assert d == pytest.approx(0.046, abs=2e-3)
    if d < d_min_km:
        assert f"minimum {d_min_km:g} km" in r["near"]["loss_fallback"]
        assert r["near"]["lb_long_db"] == pytest.approx(fspl(d, f), abs=0.01)   # P.525 over the profile
        assert r["near"]["lb_short_db"] == r["near"]["lb_long_db"]
        assert "1 path(s) in free space" in ev.inputs["loss_fallback"]
        assert "Outside the model's validity" in ev.report()
    else:
        assert r["near"]["loss_fallback"] == ""
    assert r["far"]["loss_fallback"] == "" and r["far"]["lb_long_db"] != pytest.approx(fspl(r["far"]["d_km"], f))
    assert json.loads(ev.to_json())["victims"][0]["loss_fallback"] is not None


def test_antenna_below_a_models_height_range_falls_back(land_dem):
    # P.1812-6 needs antennas at least 1 m above ground; a 0.5 m receiver takes free space, recorded
    reg = FakeRegister([station(lat=30.5, lon=120.6, h_agl_m=0.5, f_mhz=900.0)], masks=MASKS)
    ev = evaluate_request(reg, candidate(f_mhz=900.0), dem=land_dem, model="p1812", intermod=False)
    v = ev.victim_rows()[0]
    assert "receiving antenna height 0.5 m" in v["loss_fallback"]
    assert v["lb_long_db"] == pytest.approx(fspl(v["d_km"], 900.0), abs=0.01)


# ------------------------------------------------------------------ zones per path, ΔN/N0 from the maps
def _spy():
    seen = {}

    def spy(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **kw):
        seen.update(kw, d=d_km, n=n)
        return free_space_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m)

    return seen, spy


def test_zones_per_path_follow_profile_zones():
    # real (non-synthetic) terrain: land 20 m west of 120.75 E, sea (-999 void-free 0 m) east of it
    from spectrum import terrain

    z = np.where(LON[None, :] < 120.75, 20.0, 0.0) * np.ones((LAT.size, 1))
    dem = make_dem(z, LAT, LON, source="coast")
    seen, spy = _spy()
    pts = [(30.5, 120.6), (30.8, 121.1), (30.2, 120.9)]
    reg = FakeRegister([station(station_id=k, assignment_id=k, station_name=f"v{k}", lat=a, lon=b)
                        for k, (a, b) in enumerate(pts, start=1)], masks=MASKS)
    ev = evaluate_request(reg, candidate(), dem=dem, loss_fn=spy, intermod=False)
    assert "along each path" in ev.inputs["zones"]
    order = [(r["lat"], r["lon"]) for r in ev.victim_rows()]
    d, h, n, la, lo = terrain.profiles(dem, np.full(3, 30.5), np.full(3, 120.5), [p[0] for p in order],
                                       [p[1] for p in order], return_latlon=True)
    pz = terrain.profile_zones(dem, la, lo, d, n)
    for k in range(3):
        m = int(n[k])
        np.testing.assert_array_equal(seen["zone"][k, :m], pz.zone[k, :m])
        assert seen["dct_km"][k] == pytest.approx(pz.dct_km[k], abs=1e-9)
        assert seen["dcr_km"][k] == pytest.approx(pz.dcr_km[k], abs=1e-9)


def test_refractivity_from_the_maps_or_given(land_dem, monkeypatch):
    from spectrum.evaluation import climate
    from spectrum.propagation import maps

    reg = FakeRegister([station(lat=30.5, lon=120.9)], masks=MASKS)
    seen, spy = _spy()
    ev = evaluate_request(reg, candidate(), dem=land_dem, loss_fn=spy, intermod=False, climate={"dn": 40.0, "n0": 320.0})
    assert seen["dn"][0] == 40.0 and seen["n0"][0] == 320.0
    assert "ΔN = 40 (given)" in ev.inputs["climate"] and ev.inputs["choices"]["climate"] == {"dn": 40.0, "n0": 320.0}
    if maps.available():
        evaluate_request(reg, candidate(), dem=land_dem, loss_fn=spy, intermod=False)
        want = maps.path_climate(30.5, 120.5, 30.5, 120.9)
        assert seen["dn"][0] == pytest.approx(want["dn"], rel=1e-9)
        assert seen["n0"][0] == pytest.approx(want["n0"], rel=1e-9)
    monkeypatch.setattr(climate, "maps_available", lambda: False)
    ev = evaluate_request(reg, candidate(), dem=land_dem, loss_fn=spy, intermod=False)
    assert seen["dn"][0] == 45.0 and seen["n0"][0] == 325.0 and "default" in ev.inputs["climate"]


# ------------------------------------------------------------------ land cover -> P.2108 clutter
def _landcover(cls=50):
    import xarray as xr

    lat = np.linspace(30.0, 31.0, 101)
    lon = np.linspace(120.0, 121.2, 121)
    grid = np.full((lat.size, lon.size), 30, dtype=np.int32)           # WorldCover grassland (open/rural)
    ii = np.flatnonzero((lat >= 30.45) & (lat <= 30.55))
    jj = np.flatnonzero((lon >= 120.55) & (lon <= 120.65))
    grid[np.ix_(ii, jj)] = cls                                            # built-up around the victim
    return xr.DataArray(grid, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="landcover",
                        attrs={"source": "test land cover"})


def test_landcover_gives_terminal_clutter(land_dem, tmp_path):
    from spectrum.propagation import p2108

    reg = FakeRegister([station(lat=30.5, lon=120.6, h_agl_m=10.0)], masks=MASKS)
    base = evaluate_request(reg, candidate(), dem=land_dem, loss_fn=free_space_loss_fn, intermod=False)
    ev = evaluate_request(reg, candidate(), dem=land_dem, loss_fn=free_space_loss_fn, intermod=False,
                          landcover=_landcover())
    v0, v = base.victim_rows()[0], ev.victim_rows()[0]
    want = float(p2108.clutter_loss_terminal(2.0, 10.0, 4))              # P.2108-1 §3.1, urban, 10 m
    assert v0["clutter_db"] == 0.0 and v["clutter_db"] == pytest.approx(want, abs=1e-9) and want > 0
    assert v["i_long_dbw"] == pytest.approx(v0["i_long_dbw"] - want, abs=1e-9)
    assert ev.inputs["landcover"] == "test land cover"
    with pytest.raises(ValueError, match="not both"):
        evaluate_request(reg, candidate(), dem=land_dem, landcover=_landcover(), clutter_provider=lambda a, b: None)
    # the same through a file and the command line
    path = tmp_path / "lc.nc"
    _landcover().to_netcdf(path, engine="h5netcdf")
    ev2 = evaluate_request(reg, candidate(), dem=land_dem, loss_fn=free_space_loss_fn, intermod=False,
                           landcover=path)
    assert ev2.victim_rows()[0]["clutter_db"] == pytest.approx(want, abs=1e-9)


# ------------------------------------------------------------------ command line
def test_cli_models_climate_landcover(capsys, tmp_path):
    from spectrum.cli import main

    assert main(["evaluate", "--demo", "--model", "p1546", "--no-intermod", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model_versions"]["propagation"] == "ITU-R P.1546-6"
    assert main(["evaluate", "--demo", "--model", "p2001", "--climate", "typical", "--no-intermod", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model_versions"]["propagation"] == "ITU-R P.2001-4"
    assert main(["evaluate", "--demo", "--model", "free-space", "--climate", "dn=50", "--climate", "n0=330",
                 "--no-intermod", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inputs"]["choices"]["climate"] == {"dn": 50.0, "n0": 330.0}
    capsys.readouterr()
    for bad in (["--climate", "dn"], ["--climate", "foo=1"], ["--model", "p2001"], ["--landcover", str(tmp_path / "x.tif")]):
        assert main(["evaluate", "--demo", "--no-intermod", *bad]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.strip().count("\n") == 0


def test_broadcast_candidate_receiver_on_protection_ratios(land_dem):
    # a broadcasting application with its own receiver (C/I): each registered FM transmitter's
    # nuisance field I + PR(offset) is power-summed and compared with the wanted signal C
    rows = [station(licence_number="FM-2", station_id=5, station_name="FM-2 tx", role="tx", lat=30.5, lon=120.9,
                    h_agl_m=100.0, eirp_dbw=30.0, assignment_id=5, noise_figure_db=None, protection=None,
                    protection_db=None, **{**BC, "f_mhz": 98.1}),
            station(licence_number="FM-3", station_id=6, station_name="FM-3 tx", role="tx", lat=30.6, lon=120.9,
                    h_agl_m=100.0, eirp_dbw=30.0, assignment_id=6, noise_figure_db=None, protection=None,
                    protection_db=None, **{**BC, "f_mhz": 98.4})]
    reg = FakeRegister(rows, masks=MASKS)
    req = Request(service="broadcasting", f_mhz=98.0, bw_khz=200.0, eirp_dbw=40.0, tx=Terminal(30.5, 120.5, 100.0),
                  rx=Terminal(30.5, 120.7, 10.0), noise_figure_db=7.0, protection="C/I", protection_db=37.0,
                  licence_number="NEW-FM")
    ev = evaluate_request(reg, req, dem=land_dem, loss_fn=free_space_loss_fn, intermod=False)
    c = 40.0 - fspl(float(geo.distance_km(30.5, 120.5, 30.5, 120.7)), 98.0)
    i2 = 30.0 - fspl(float(geo.distance_km(30.5, 120.9, 30.5, 120.7)), 98.1)     # 100 kHz: 33 / 25 dB
    i3 = 30.0 - fspl(float(geo.distance_km(30.6, 120.9, 30.5, 120.7)), 98.4)     # 400 kHz: -20 / -20 dB
    nl = 10 * math.log10(10 ** ((i2 + 33.0) / 10) + 10 ** ((i3 - 20.0) / 10))
    ns = 10 * math.log10(10 ** ((i2 + 25.0) / 10) + 10 ** ((i3 - 20.0) / 10))
    agg = ev.aggregate
    assert agg["c_dbw"] == pytest.approx(c, abs=1e-6)
    assert agg["nuisance_long_dbw"] == pytest.approx(nl, abs=1e-6)
    assert agg["margin_long_db"] == pytest.approx(c - nl, abs=1e-6)
    assert agg["margin_short_db"] == pytest.approx(c - ns, abs=1e-6)
    assert agg["margin_db"] == pytest.approx(min(c - nl, c - ns), abs=1e-6)
    assert "protection ratios" in agg["criterion"] and agg["n_protection_ratio"] == 2
    r = {x["station_name"]: x for x in ev.interferer_rows()}
    assert r["FM-2 tx"]["fdr_db"] == 0.0 and r["FM-2 tx"]["protection_ratio_db"] == 33.0
    assert r["FM-3 tx"]["protection_ratio_short_db"] == -20.0


def test_p1546_profile_inputs_kernel_matches_the_api():
    # the batch kernel of the evaluation gives p1546.profile_inputs' values path by path
    from spectrum.broadcast.evaluation import P1546Paths
    from spectrum.propagation import p1546

    rng = np.random.default_rng(3)
    lens = [0.5, 3.0, 14.0, 15.0, 40.0, 120.0]
    nmax = 400
    d = np.zeros((len(lens), nmax))
    h = np.zeros((len(lens), nmax))
    z = np.full((len(lens), nmax), 2.0)
    n = np.zeros(len(lens), np.int64)
    for i, length in enumerate(lens):
        k = int(rng.integers(20, nmax))
        n[i] = k
        d[i, :k] = np.linspace(0.0, length, k)
        h[i, :k] = rng.uniform(-5.0, 300.0, k)
        z[i, :k] = rng.choice([1.0, 2.0, 3.0], k)
    p = P1546Paths(d, h, n, 50.0, 10.0, zone=z)
    for i in range(len(lens)):
        k = int(n[i])
        zz = z[i, :k]
        g = p1546.profile_inputs(d[i, :k], h[i, :k], 50.0, 10.0, zone=np.where((zz == 1) | (zz == 3), 1.0, 4.0))
        for key in P1546Paths._KEYS:
            if np.isnan(g[key]):
                assert np.isnan(p.cols[key][i])
            else:
                assert p.cols[key][i] == pytest.approx(g[key], rel=1e-12, abs=1e-9), (lens[i], key)
        assert p.sea_rx[i] == ((zz[-1] == 3) or p.cols["d_land_km"][i] == 0.0)


# ------------------------------------------------------------------ issue #15: the default model follows the service
def test_default_model_is_chosen_per_service():
    assert resolve_model("service", "broadcasting", 98.1) == "p1546"
    assert resolve_model("service", "broadcast-tv", 474.0) == "p1546"
    assert resolve_model("service", "broadcasting", 5000.0) == "p1812"   # beyond P.1546's 4 000 MHz: P.1812
    assert resolve_model("service", "fixed", 6000.0) == "p452"
    assert resolve_model("service", "land_mobile", 460.0) == "p452"
    assert resolve_model("service", "mobile", 80.0) == "p452"            # unlike "auto": other services keep P.452
    assert resolve_model("auto", "mobile", 80.0) == "p1812"


def test_broadcast_request_without_model_uses_p1546_and_protection_ratios(land_dem):
    ev = evaluate_request(fm_register(), fm_request(), dem=land_dem, intermod=False)
    assert ev.inputs["model"] == "p1546" and ev.model_versions["propagation"] == "ITU-R P.1546-6"
    assert ev.inputs["choices"]["model"] == "p1546" and ev.inputs["choices"]["model_requested"] == "service"
    v = ev.victim_rows()[0]
    assert v["criterion_source"] == "protection ratio" and v["criterion"] == "C/I" and v["fdr_db"] == 0.0
    # the same numbers as asking for P.1546 by name; an explicit model still wins
    named = evaluate_request(fm_register(), fm_request(), dem=land_dem, intermod=False, model="p1546")
    assert v["lb_long_db"] == named.victim_rows()[0]["lb_long_db"] and v["margin_db"] == named.victim_rows()[0]["margin_db"]
    p1812 = evaluate_request(fm_register(), fm_request(), dem=land_dem, intermod=False, model="p1812")
    assert p1812.inputs["model"] == "p1812" and p1812.inputs["choices"]["model_requested"] == "p1812"


def test_fixed_request_without_model_keeps_p452(land_dem):
    reg = FakeRegister([station(lat=30.5, lon=120.6)], masks=MASKS)
    ev = evaluate_request(reg, candidate(), dem=land_dem, intermod=False)
    assert ev.inputs["model"] == "p452" and ev.model_versions["propagation"] == "ITU-R P.452-18"
    assert ev.inputs["choices"]["model"] == "p452"


def test_cli_default_model_by_service(capsys):
    from spectrum.cli import main

    assert main(["evaluate", "--demo", "--json", "--no-intermod", "--no-existing"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["request"]["service"] == "mobile" and d["inputs"]["model"] == "p452"   # the demo: not broadcasting
    assert d["inputs"]["choices"]["model_requested"] == "service"
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    assert "default service: broadcasting requests P.1546-6" in " ".join(capsys.readouterr().out.split())
