"""Monte Carlo probability maps (``spectrum.montecarlo.maps``, ``spectrum mc map``): each pixel equals
the engine run by hand at that receiver site with the pixel's seed (exact), probabilities in [0, 1]
inside their Wilson intervals, interferers anchored / wanted transmitter relative or fixed, the
GeoTIFF read back bit-identical, contours valid, bad input one line with exit status 2."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from spectrum.cli import main
from spectrum.interference import CRITERIA
from spectrum.montecarlo import parse_workspace, run
from spectrum.montecarlo.engine import LEVELS
from spectrum.montecarlo.maps import map_grid, pixel_seed, pixel_workspace, probability_map

ORIGIN = (46.5, 6.6)
GRID = (46.44, 6.5, 46.56, 6.7)  # about 13 km x 15 km around the origin

#: free space: a victim link (wanted transmitter 1 km east of the receiver, C/I and I/N), one
#: interferer uniformly in a 4 km disc around the origin with Gaussian power and shadowing
WS = {
    "name": "map test", "origin": {"lat": ORIGIN[0], "lon": ORIGIN[1]}, "seed": 5, "events": 300,
    "victim": {
        "rx": {"height_m": 10.0, "f_mhz": 900.0, "bw_khz": 200.0, "noise_figure_db": 5.0,
               "criteria": {"C/I": 15.0, "I/N": 0.0}},
        "tx": {"position": {"mode": "fixed", "x_km": 1.0, "y_km": 0.0}, "height_m": 30.0, "power_dbw": 10.0},
        "drss": {"mode": "computed"},
    },
    "interferers": [{
        "name": "IT", "tx": {"position": {"mode": "disc", "radius_km": 4.0}, "height_m": 20.0,
                             "power_dbw": {"dist": "gaussian", "mean": -5.0, "std": 3.0, "min": -15, "max": 5},
                             "f_mhz": 900.0, "bw_khz": 200.0, "mask": "rectangular"},
        "propagation": {"model": "free-space", "variation_db": {"dist": "gaussian", "mean": 0.0, "std": 6.0,
                                                               "min": -30, "max": 30}},
    }],
    "options": {"block_events": 128},
}


def _by_hand(lat, lon, victim_tx_fixed=False):
    """The pixel's workspace written out by hand: the receiver at (lat, lon), the interferer's disc
    around the origin (relative_to null), the wanted transmitter relative to the receiver or at the origin."""
    d = copy.deepcopy(WS)
    d["victim"]["rx"]["position"] = {"mode": "fixed", "lat": lat, "lon": lon}
    d["interferers"][0]["tx"]["position"] = {"mode": "disc", "radius_km": 4.0, "relative_to": None}
    if victim_tx_fixed:
        d["victim"]["tx"]["position"] = {"mode": "fixed", "x_km": 1.0, "y_km": 0.0, "relative_to": None}
    return d


@pytest.mark.parametrize("victim_tx", ["relative", "fixed"])
def test_each_pixel_equals_the_engine_run_by_hand(victim_tx):
    ds = probability_map(WS, GRID, (3, 4), 300, seed=11, victim_tx=victim_tx)
    lat, lon = map_grid(GRID, (3, 4))
    assert np.array_equal(ds.lat.values, lat) and np.array_equal(ds.lon.values, lon)
    assert list(ds.criterion.values) == ["I/N", "C/I"]  # spectrum.interference.CRITERIA order
    for i in range(3):
        for j in range(4):
            k = i * 4 + j
            seed = int(np.random.SeedSequence([11, k]).generate_state(1, np.uint64)[0]) >> 1
            assert pixel_seed(11, k) == seed
            res = run(parse_workspace(_by_hand(lat[i], lon[j], victim_tx == "fixed")), 300, seed)
            assert int(ds["valid"][i, j]) == res.n_valid
            for c in ("I/N", "C/I"):
                kk = int(res.counts[CRITERIA.index(c), LEVELS.index("composite")])
                assert int(ds["interfered"].sel(criterion=c)[i, j]) == kk
                assert float(ds["probability"].sel(criterion=c)[i, j]) == kk / res.n_valid  # exact
    p = ds["probability"].values
    assert np.all((p >= 0) & (p <= 1)) and ds["probability"].attrs["units"] == "1"
    assert np.all((ds["ci_low"].values <= p) & (p <= ds["ci_high"].values))
    assert p.min() < p.max()  # the map varies over the receiver sites
    assert len({pixel_seed(11, k) for k in range(12)}) == 12


def test_victim_tx_relative_vs_fixed_and_anchoring():
    rel = pixel_workspace(WS, 46.45, 6.55, "relative")
    assert rel["victim"]["rx"]["position"] == {"mode": "fixed", "lat": 46.45, "lon": 6.55}
    assert rel["interferers"][0]["tx"]["position"]["relative_to"] is None  # anchored at the origin
    assert "relative_to" not in rel["victim"]["tx"]["position"]  # moves with the receiver
    fix = pixel_workspace(WS, 46.45, 6.55, "fixed")
    assert fix["victim"]["tx"]["position"]["relative_to"] is None
    # absolute positions are left alone; an interferer relative to another element too
    d = copy.deepcopy(WS)
    d["interferers"][0]["tx"]["position"] = {"mode": "fixed", "lat": 46.51, "lon": 6.61}
    assert pixel_workspace(d, 46.45, 6.55)["interferers"][0]["tx"]["position"] == {"mode": "fixed", "lat": 46.51,
                                                                                   "lon": 6.61}
    # with a fixed wanted transmitter the wanted signal falls away from it: C/I fails more often on average
    ds_r = probability_map(WS, GRID, (2, 2), 200, seed=3)
    ds_f = probability_map(WS, GRID, (2, 2), 200, seed=3, victim_tx="fixed")
    ci_f, ci_r = (float(d["probability"].sel(criterion="C/I").mean()) for d in (ds_f, ds_r))
    assert ci_f > ci_r


@pytest.mark.parametrize("change, msg", [
    (lambda d: d["victim"]["rx"].__setitem__("position", {"mode": "fixed", "x_km": 2.0, "y_km": 0.0}),
     "fixed at the origin"),
    (lambda d: d["victim"]["rx"].__setitem__("position", {"mode": "disc", "radius_km": 2.0}), "fixed at the origin"),
    (lambda d: d.pop("origin"), "origin"),
])
def test_workspace_the_map_cannot_move_is_refused(change, msg):
    d = copy.deepcopy(WS)
    change(d)
    with pytest.raises(ValueError, match=msg):
        probability_map(d, GRID, (2, 2), 10)


def test_bad_grid_and_events():
    for grid, shape, events, msg in [((46.6, 6.5, 46.4, 6.7), (2, 2), 10, "LAT0 < LAT1"),
                                     (GRID, (0, 2), 10, "at least 1 x 1"), (GRID, (2, 2), 0, "events")]:
        with pytest.raises(ValueError, match=msg):
            probability_map(WS, grid, shape, events)


def test_cli_geotiff_round_trip_netcdf_contours(tmp_path, capsys):
    rasterio = pytest.importorskip("rasterio", reason="rasterio is in the [gis] extra")
    pytest.importorskip("shapely", reason="shapely is in the [gis] extra")
    import xarray as xr
    from shapely.geometry import shape

    from spectrum import gis

    f = tmp_path / "ws.json"
    f.write_text(json.dumps(WS))
    tif, nc, gj, png = (tmp_path / n for n in ("p.tif", "p.nc", "p.geojson", "p.png"))
    rc = main(["mc", "map", str(f), "--grid", ",".join(map(str, GRID)), "--shape", "3", "4", "--events", "300",
               "--seed", "11", "--geotiff", str(tif), "--netcdf", str(nc), "--geojson", str(gj), "--png", str(png),
               "--levels", "0.2,0.5", "--no-progress", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["written"] == [str(nc), str(png), str(tif), str(gj)] and out["primary_criterion"] == "C/I"
    assert gis.validate_cog(tif) == []
    ds = xr.open_dataset(nc, engine="h5netcdf")
    ref = probability_map(WS, GRID, (3, 4), 300, seed=11)
    assert ds["probability"].values.tobytes() == ref["probability"].values.tobytes()
    back = gis.read_geotiff(tif)
    assert back.dims == ("criterion", "lat", "lon") and list(back["criterion"].values) == ["I/N", "C/I"]
    assert back.values.tobytes() == ds["probability"].values.tobytes()  # bit for bit
    assert back.attrs["units"] == "1" and back.attrs["seed"] == "11" and "software_version" in back.attrs
    with rasterio.open(tif) as src:
        assert src.crs.to_epsg() == 4326 and np.isnan(src.nodata)
    doc = json.loads(gj.read_text())
    assert [x["properties"]["level"] for x in doc["features"]] == [0.2, 0.5]
    for x in doc["features"]:
        if x["geometry"] is not None:
            assert shape(x["geometry"]).is_valid
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_errors_one_line_exit_2_nothing_written(tmp_path, capsys):
    f = tmp_path / "ws.json"
    f.write_text(json.dumps(WS))
    d = copy.deepcopy(WS)
    d["victim"]["rx"]["position"] = {"mode": "fixed", "x_km": 3.0, "y_km": 0.0}
    g = tmp_path / "moved.json"
    g.write_text(json.dumps(d))
    grid = ",".join(map(str, GRID))
    o = tmp_path / "out"
    o.mkdir()
    for argv, msg in [([str(f), "--shape", "2", "2", "--events", "10"], "--grid"),
                      ([str(f), "--grid", grid, "--shape", "2", "2", "--events", "10", "--geotiff", str(f)],
                       "refusing to overwrite an input"),
                      ([str(f), "--grid", grid, "--shape", "2", "2", "--events", "10", "--geotiff", str(o / "a"),
                        "--netcdf", str(o / "a")], "name the same file"),
                      ([str(f), "--grid", grid, "--shape", "2", "2", "--events", "10", "--geojson", str(o / "a")],
                       "give --levels"),
                      ([str(g), "--grid", grid, "--shape", "2", "2", "--events", "10", "--netcdf", str(o / "a.nc")],
                       "fixed at the origin")]:
        assert main(["mc", "map", *argv, "--no-progress"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and msg in err[0], err
    assert not list(o.iterdir()) and json.loads(f.read_text()) == WS


def test_demo_map_runs(capsys):
    assert main(["mc", "map", "--demo", "--shape", "2", "2", "--events", "200", "--no-progress", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["shape"] == [2, 2] and out["primary_criterion"] == "I/N"
    assert all(0.0 <= s[k] <= 1.0 for s in out["criteria"].values() for k in ("min", "mean", "max"))
