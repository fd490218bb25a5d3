"""Monte Carlo propagation over terrain: the per-event polar-grid kernels against the public
P.452 / P.1812 / P.2001 APIs on the same profiles (the slow, obvious oracle), memoisation,
Hata and P.2108 clutter against their modules."""
from __future__ import annotations

import math

import numpy as np
import pytest

from spectrum.montecarlo import parse_workspace, prepare, run
from spectrum.montecarlo.streams import Streams

ORIGIN = {"lat": 46.5, "lon": 6.6}


def terrain_ws(model="p452", p=10.0, radius=12.0, **prop):
    pr = {"model": model, "grid": {"n_azimuths": 90, "step_m": 200.0}, **prop}
    if model in ("p452", "p1812", "p2001"):
        pr["p"] = p
    return {
        "name": "terrain", "seed": 2, "events": 1000, "origin": ORIGIN,
        "terrain": {"synthetic": {"seed": 5, "res_arcsec": 15.0, "relief_m": 400.0}},
        "victim": {"rx": {"f_mhz": 1800.0, "bw_khz": 200.0, "criteria": {"I/N": -6.0}, "height_m": 25.0},
                   "tx": {"position": {"mode": "fixed", "x_km": 0.3}, "power_dbw": 0.0}},
        "interferers": [{"name": "it", "tx": {"position": {"mode": "disc", "radius_km": radius}, "height_m": 15.0,
                                              "power_dbw": 0.0, "f_mhz": 1800.0, "bw_khz": 200.0},
                         "propagation": pr}],
    }


def _events(model_ws, n=40, seed=3):
    prep = prepare(parse_workspace(model_ws))
    pm = prep.paths[0]
    rng = np.random.default_rng(seed)
    r = 11.0 * np.sqrt(rng.random(n)) + 0.8
    az = rng.random(n) * 2 * np.pi
    pos = {"victim.rx": (0.0, 0.0, 25.0), pm.a: (r * np.sin(az), r * np.cos(az), 15.0)}
    return prep, pm, pos, r


def _cell_profile(pm, a, j):
    g = pm.grid
    return g["d"][: j + 1].copy(), g["h"][a, : j + 1].copy()


def test_p452_events_match_public_api():
    from spectrum.propagation import p452

    prep, pm, pos, r = _events(terrain_ws("p452"))
    loss = pm.loss(pos, r, 1800.0, Streams(1, 0, r.size))
    a, j = pm.cells(pos)
    for k in range(r.size):
        d, h = _cell_profile(pm, a[k], j[k])
        ref = p452.basic_transmission_loss(d, h, 1.8, 10.0, 25.0, 15.0, lat=pm.grid["lat"], dn=45.0, n0=325.0,
                                           zone=np.full(d.size, 2.0), dct_km=500.0, dcr_km=500.0)
        assert loss[k] == pytest.approx(ref.lb, abs=1e-6), k


def test_p452_memoised_cells_equal_per_event():
    ws = terrain_ws("p452")
    prep, pm, pos, r = _events(ws, n=200)
    assert pm._const
    cached = pm.loss(pos, r, 1800.0, Streams(1, 0, r.size))
    again = pm.loss(pos, r, 1800.0, Streams(1, 0, r.size))       # all from the cache now
    pm._const = False
    pm.grid["cache"][:] = np.nan
    fresh = pm.loss(pos, r, 1800.0, Streams(1, 0, r.size))
    assert np.array_equal(cached, fresh) and np.array_equal(cached, again)


def test_p452_time_variation_per_event():
    """p drawn per event: lower p never gives more loss on the same path (P.452 is monotone in p)."""
    ws = terrain_ws("p452", p={"dist": "uniform", "min": 1.0, "max": 50.0})
    prep, pm, pos, r = _events(ws, n=60)
    st = Streams(9, 0, r.size)
    loss = pm.loss(pos, r, 1800.0, st)
    p = st.sample(pm.prop.params["p"], f"{pm.label}.p")
    ws2 = terrain_ws("p452", p=50.0)
    prep2, pm2, _, _ = _events(ws2, n=60)
    l50 = pm2.loss(pos, r, 1800.0, Streams(9, 0, r.size))
    assert np.all(loss <= l50 + 1e-9) and np.any(p < 49)


def test_p1812_events_match_public_api():
    from spectrum.propagation import p1812

    prep, pm, pos, r = _events(terrain_ws("p1812", p=20.0))
    loss = pm.loss(pos, r, 1800.0, Streams(1, 0, r.size))
    a, j = pm.cells(pos)
    for k in range(0, r.size, 4):
        d, h = _cell_profile(pm, a[k], j[k])
        ref = p1812.basic_transmission_loss(d, h, 1.8, 20.0, 25.0, 15.0, pl=50.0, zone=np.full(d.size, 4.0),
                                            lat=pm.grid["lat"], dn=45.0, n0=325.0, dct_km=500.0, dcr_km=500.0,
                                            pol="h")
        assert loss[k] == pytest.approx(ref.lb, abs=1e-6), k


def test_p2001_cells_match_public_api():
    from spectrum.propagation import p2001

    prep, pm, pos, r = _events(terrain_ws("p2001", p=10.0), n=6)
    loss = pm.loss(pos, r, 1800.0, Streams(1, 0, r.size))
    a, j = pm.cells(pos)
    rp = pm.grid["rp"]
    c = p2001.TYPICAL_CLIMATE
    for k in range(r.size):
        d, h = _cell_profile(pm, a[k], j[k])
        foes = p2001.foes_from_maps(10.0, *c["foes_mhz"])
        ref = p2001.basic_transmission_loss(
            d, h, np.full(d.size, 4.0), 1.8, 10.0, 25.0, 15.0, lat_t=pm.grid["lat"], lon_t=pm.grid["lon"],
            lat_r=rp.lat[a[k], j[k]], lon_r=rp.lon[a[k], j[k]], nd1km50=c["nd1km50"], nd65m1=c["nd65m1"],
            wvsur_mid_gm3=c["wvsur_gm3"], wvsur_tx_gm3=c["wvsur_gm3"], wvsur_rx_gm3=c["wvsur_gm3"],
            ztropo=c["ztropo"], foes1_mhz=foes, foes2_mhz=foes, dn_sup=c["dn_sup"], dn_sub=c["dn_sub"], pol="v",
            mt_mm=c["mt_mm"], beta=c["beta"], pr6_pct=c["pr6_pct"], h0_km=c["h0_km"])
        assert loss[k] == pytest.approx(float(ref.lb), abs=1e-6), k


def test_p1546_over_terrain_and_flat():
    res = run(terrain_ws("p1546", t=10.0), 400)
    assert np.isfinite(res.vectors["irss_dbw"]).all()
    flat = terrain_ws("p1546", t=10.0)
    flat.pop("terrain")
    flat.pop("origin")
    r2 = run(flat, 400)
    assert np.isfinite(r2.vectors["irss_dbw"]).all()


def test_hata_and_clutter_against_modules():
    from spectrum.propagation import hata, p2108

    ws = terrain_ws("hata", environment="suburban")
    ws.pop("terrain")
    ws["interferers"][0]["tx"]["height_m"] = 40.0
    ws["victim"]["rx"]["height_m"] = 1.5
    ws["victim"]["rx"]["f_mhz"] = ws["interferers"][0]["tx"]["f_mhz"] = 900.0
    prep = prepare(parse_workspace(ws))
    pm = prep.paths[0]
    d = np.array([0.3, 1.0, 2.5, 7.0, 15.0])
    pos = {"victim.rx": (0.0, 0.0, 1.5), pm.a: (d, np.zeros(5), 40.0)}
    loss = pm.loss(pos, d, 900.0, Streams(1, 0, 5))
    ref = hata.basic_transmission_loss(900.0, d[1:], 40.0, 1.5, environment="suburban")
    assert loss[1:] == pytest.approx(ref, abs=1e-9)
    fs = 20 * math.log10(4 * math.pi * 1e9 / 299792458.0) + 20 * math.log10(900 * 0.3)
    assert loss[0] >= fs - 1e-9
    ws["interferers"][0]["propagation"]["clutter"] = {"model": "p2108", "pl": 30.0}
    pm2 = prepare(parse_workspace(ws)).paths[0]
    l2 = pm2.loss(pos, d, 900.0, Streams(1, 0, 5))
    assert l2 - loss == pytest.approx(p2108.clutter_loss_terrestrial(0.9, np.maximum(d, 0.25), 30.0), abs=1e-9)


def test_terrain_run_is_block_independent():
    from spectrum.montecarlo import reduce_blocks, run_block
    from spectrum.montecarlo.engine import plan_blocks

    ws = terrain_ws("p452", p={"dist": "uniform", "min": 1.0, "max": 50.0})
    ref = run(ws, 3000, block_events=3000)
    blocks = [run_block(ws, 2, b, n, s) for b, s, n in plan_blocks(3000, 700)]
    res = reduce_blocks(ws, 2, blocks)
    assert np.array_equal(res.vectors["irss_dbw"], ref.vectors["irss_dbw"])


@pytest.mark.parametrize("model", ["p452", "p1812"])
def test_moving_ends_use_event_profiles(model):
    """Both ends of a path move (an interferer and its own receiver, power control): each event's
    great-circle profile from the DEM, then the model -- equal to the public API on that profile."""
    from spectrum import terrain
    from spectrum.montecarlo.positions import latlon_from_xy
    from spectrum.propagation import p452, p1812

    ws = terrain_ws("free-space")
    it = ws["interferers"][0]
    it["tx"]["power_control"] = {"threshold_dbw": -100.0, "dynamic_range_db": 20.0, "step_db": 1.0}
    it["rx"] = {"position": {"mode": "disc", "radius_km": 6.0, "r_min_km": 1.0}, "height_m": 10.0}
    it["link_propagation"] = {"model": model, "p": 20.0, "grid": {"step_m": 200.0}}
    prep = prepare(parse_workspace(ws))
    pm = prep.links[0]
    assert pm.grid is None and pm.paths is not None
    st = Streams(4, 0, 12)
    from spectrum.montecarlo.positions import place

    pos = place(prep.ws, st)
    a, b = pm.a, pm.b
    d = np.hypot(pos[a][0] - pos[b][0], pos[a][1] - pos[b][1])
    loss = pm.loss(pos, d, 1800.0, st)
    dem = pm.paths["dem"]
    for k in range(0, 12, 3):
        la1, lo1 = latlon_from_xy(prep.ws.origin, pos[a][0][k], pos[a][1][k])
        la2, lo2 = latlon_from_xy(prep.ws.origin, pos[b][0][k], pos[b][1][k])
        dk, hk, nk = terrain.profiles(dem, [la1], [lo1], [la2], [lo2], 200.0, fill=0.0, min_points=4)
        dd, hh = dk[0, :nk[0]], hk[0, :nk[0]]
        lat = 0.5 * (float(la1) + float(la2))
        if model == "p452":
            ref = p452.basic_transmission_loss(dd, hh, 1.8, 20.0, 15.0, 10.0, lat=lat, zone=np.full(dd.size, 2.0),
                                               dct_km=500.0, dcr_km=500.0).lb
        else:
            ref = p1812.basic_transmission_loss(dd, hh, 1.8, 20.0, 15.0, 10.0, pl=50.0, zone=np.full(dd.size, 4.0),
                                                lat=lat, dct_km=500.0, dcr_km=500.0, pol="h").lb
        assert loss[k] == pytest.approx(float(ref), abs=1e-6), k
    r = run(ws, 500)
    assert np.isfinite(r.vectors["irss_dbw"]).all()


def test_thread_count_does_not_change_results():
    import numba

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs 2 Numba threads to compare with 1")
    ws = terrain_ws("p452", p={"dist": "uniform", "min": 1.0, "max": 50.0})
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run(ws, 20000, block_events=20000)
        numba.set_num_threads(2)
        two = run(ws, 20000, block_events=20000)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(one.vectors["irss_dbw"], two.vectors["irss_dbw"])
    assert np.array_equal(one.counts, two.counts)
