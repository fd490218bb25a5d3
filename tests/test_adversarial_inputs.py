"""Adversarial inputs to the newly merged capabilities (P.1546 / broadcast, P.2001, links,
intermodulation, terrain, allocation import): each test is one finding of a hostile-user review,
fixed here; a finding in a module another engineer owns is an ``xfail(strict=True)`` test naming
it (it starts to pass, and so to fail, when the owner fixes it)."""
from __future__ import annotations

import math
import os

import numpy as np
import pytest

from spectrum.cli import build_parser, main

AD_TSV = "allocation-tables/ad/allocations.tsv"


def _one_line_error(capsys) -> str:
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err
    lines = [ln for ln in cap.err.splitlines() if ln.strip()]
    assert len(lines) == 1, cap.err
    return lines[0]


# ---------------------------------------------------------------- command line in general
@pytest.mark.parametrize("argv, dest, value", [
    (["p2001", "x.csv", "--f-ghz", "2", "--p", "1", "--htg", "10", "--hrg", "10", "--nd1km50", "-45",
      "--nd65m1", "-200", "--wvsur", "7", "--ztropo", "4", "--tx", "-33.9,18.4", "--rx", "-33.8,18.5"],
     "tx", (-33.9, 18.4)),
    (["p1546", "--tx", "-33.9,18.4", "--rx", "-34,-18.5", "--f-mhz", "600", "--ha-m", "30", "--h2-m", "10"],
     "rx", (-34.0, -18.5)),
    (["p1546", "--d-km", "20", "--heff-m", "-1e1", "--h2-m", "10", "--f-mhz", "600"], "heff_m", -10.0),
    (["intermod", "--db", "r.sqlite", "--site", "-1.5e1,20"], "site", (-15.0, 20.0)),
], ids=["p2001-southern-tx", "p1546-southern-rx", "exponent-negative", "intermod-southern-site"])
def test_southern_latitudes_parse_as_values(argv, dest, value):
    # '--tx -33.9,18.4' was "argument --tx: expected one argument": argparse took it for an option
    args = build_parser().parse_args(argv)
    assert getattr(args, dest) == pytest.approx(value)


# ---------------------------------------------------------------- P.1546 command and API
P1546 = ["p1546", "--f-mhz", "600", "--t", "50", "--heff-m", "150", "--h2-m", "10"]


def test_p1546_cli_huge_erp_is_one_line(capsys):
    # 10 ** (1e300 / 10) raised OverflowError (a traceback)
    assert main(P1546 + ["--d-km", "20", "--erp-dbw", "1e300"]) == 2
    assert "--erp-dbw" in _one_line_error(capsys)


def test_p1546_cli_infinite_distance_is_one_line(capsys):
    # inf * 0 printed a numpy RuntimeWarning (two more lines) before the error
    assert main(P1546 + ["--d-km", "inf"]) == 2
    assert "--d-km" in _one_line_error(capsys)


def test_p1546_profile_longer_than_1000_km_is_refused():
    from spectrum.propagation import p1546

    with pytest.raises(ValueError, match="1000 km"):
        p1546.profile_inputs([0.0, 5000.0, 10000.0], [10.0, 20.0, 5.0], 30.0, 10.0)


def test_p1546_coarse_profile_names_the_spacing():
    # two samples 50 km apart: "zero-size array to reduction operation maximum which has no identity"
    from spectrum.propagation import p1546

    with pytest.raises(ValueError, match="too coarse"):
        p1546.profile_inputs([0.0, 50.0], [10.0, 5.0], 30.0, 10.0)


@pytest.mark.parametrize("kw, name", [({"h2_m": 1e5}, "h2_m"), ({"r1_m": -5.0}, "r1_m"), ({"r2_m": 1e6}, "r2_m"),
                                      ({"tca_deg": 100.0}, "tca_deg")],
                         ids=["h2-100km", "r1-negative", "r2-1000km", "tca-beyond-90deg"])
def test_p1546_implausible_heights_and_angles_refused(kw, name):
    from spectrum.propagation import p1546

    args = {"h2_m": 10.0, **kw}
    h2 = args.pop("h2_m")
    with pytest.raises(ValueError, match=name):
        p1546.field_strength(600.0, 50.0, 150.0, h2, d_km=20.0, **args)


# ---------------------------------------------------------------- broadcast maps
@pytest.fixture(scope="module")
def small_dem():
    from spectrum.terrain import synthetic_dem

    return synthetic_dem(31.0, 31.5, 121.0, 121.6, res_arcsec=30.0, seed=1)


@pytest.mark.parametrize("station, radius, match", [
    ({"erp_dbw": 1e300}, 10.0, "erp_dbw"),
    ({"h_agl_m": 1e9}, 10.0, "h_agl_m"),
    ({}, 2000.0, "radius_km"),
], ids=["erp-1e300-dbw", "mast-1e9-m", "radius-beyond-1000-km"])
def test_broadcast_field_outside_p1546_refused(small_dem, station, radius, match):
    # an e.r.p. of 1e300 dBW was mapped as 1e300 dB(uV/m), exit 0; radii past 1000 km were mapped
    from spectrum.broadcast.fieldmap import station_field

    tx = {"name": "A", "lat": 31.25, "lon": 121.3, "h_agl_m": 150.0, "f_mhz": 602.0, "erp_dbw": 40.0, **station}
    lat = np.linspace(31.05, 31.45, 12)
    lon = np.linspace(121.05, 121.55, 12)
    with pytest.raises(ValueError, match=match):
        station_field(small_dem, tx, lat, lon, radius_km=radius)


def test_best_server_error_names_the_station_frequency(small_dem):
    # the error named the network's median frequency (500301 MHz), not the station's 1e6 MHz
    from spectrum.broadcast import best_server_map

    txs = [{"name": "A", "lat": 31.25, "lon": 121.3, "h_agl_m": 150.0, "f_mhz": 1e6, "erp_dbw": 40.0},
           {"name": "B", "lat": 31.3, "lon": 121.4, "h_agl_m": 100.0, "f_mhz": 602.0, "erp_dbw": 37.0}]
    with pytest.raises(ValueError, match=r"stations\[0\]\.f_mhz = 1e\+06"):
        best_server_map(small_dem, txs, "dvb-t", radius_km=10.0, shape=(10, 10))


# ---------------------------------------------------------------- fixed links
def test_link_plan_with_tiny_spacing_is_one_line(capsys):
    # a 1e-9 MHz spacing tried to allocate 7.2 TiB (MemoryError traceback)
    assert main(["link", "--demo", "--no-interference", "--plan", "17700:19700:1e-9:1010"]) == 2
    assert "--plan" in _one_line_error(capsys)


def test_link_channel_plan_pairs_bounds_the_count():
    from spectrum.links.plan import channel_plan_pairs

    with pytest.raises(ValueError):
        channel_plan_pairs(17700.0, 19700.0, 1e-9, 1010.0)


@pytest.mark.parametrize("top", ["0", "-5"])
def test_link_top_must_be_positive(capsys, top):
    # --top 0 / -5 printed every channel of the plan, exit 0
    assert main(["link", "--demo", "--no-interference", "--plan", "17700:19700:55:1010", "--top", top]) == 2
    assert "--top" in _one_line_error(capsys)


# ---------------------------------------------------------------- intermodulation
@pytest.mark.parametrize("kw", [{"k3_db": math.nan}, {"k5_db": math.inf}, {"k3_db": -20.0},
                                {"rx_im_rejection_db": -1e300}],
                         ids=["k3-nan", "k5-inf", "k3-negative", "rejection-minus-1e300"])
def test_intermod_conversion_losses_validated(kw):
    # --k3 nan reported "0 product hits", exit 0: NaN levels dropped the harmful product
    from spectrum import intermod
    from spectrum.datasets.register import sample_register

    with pytest.raises(ValueError, match=next(iter(kw))):
        intermod.scan_site(sample_register(), 31.188, 121.437, **kw)


def test_intermod_cli_k3_nan_is_an_error(capsys):
    assert main(["intermod", "--demo", "--k3", "nan"]) == 2
    assert "k3_db" in _one_line_error(capsys)


# ---------------------------------------------------------------- terrain
def test_dem_of_all_voids_is_refused(tmp_path):
    # an SRTM tile of -32768 voids was taken for 1.4 M cells of sea at 0 m
    from spectrum.terrain import load_dem

    p = tmp_path / "N31E121.hgt"
    np.full((1201, 1201), -32768, dtype=">i2").tofile(p)
    with pytest.raises(ValueError, match="no-data"):
        load_dem(p)


def test_terrain_info_folder_of_void_tiles(tmp_path, capsys):
    d = tmp_path / "tiles"
    d.mkdir()
    np.full((1201, 1201), -32768, dtype=">i2").tofile(d / "N31E121.hgt")
    assert main(["terrain", "info", str(d)]) == 2
    assert "no-data" in _one_line_error(capsys)


# ---------------------------------------------------------------- allocation import
@pytest.fixture()
def ad_table(tmp_path):
    from spectrum.datasets.terrain import data_dirs

    found = [d / "allocations-earthfrequencies" / AD_TSV for d in data_dirs()]
    src = next((f for f in found if f.exists()), None)
    if src is None:
        pytest.skip("allocations-earthfrequencies not found (set SPECTRUM_DATA_DIR or provide ../shared/datasets)")
    p = tmp_path / "allocations.tsv"
    p.write_bytes(open(src, "rb").read())
    return p


@pytest.mark.parametrize("which", ["source", "register"])
def test_allocation_import_out_is_not_an_input(tmp_path, ad_table, capsys, which):
    # '--out' naming the source TSV or the --db register overwrote it with the converted CSV, exit 0
    db = tmp_path / "reg.sqlite"
    db.write_bytes(b"SQLite format 3\x00keep")
    target = ad_table if which == "source" else db
    before = target.read_bytes()
    rc = main(["register", "allocation", "import", "--db", str(db), str(ad_table), "--out", str(target)])
    assert rc == 2
    assert "input" in _one_line_error(capsys)
    assert target.read_bytes() == before


def test_allocation_import_frequency_beyond_3000_ghz(tmp_path):
    from spectrum.allocation_rr import parse_tsv

    text = ("region\tsub-table\tlower_frequency\tupper_frequency\tservice\tcategory\tfootnotes\tapplications\n"
            "ad\t\t0\t1e30\tFIXED\tp\t\t\n")
    with pytest.raises(ValueError, match="3 000 GHz"):
        parse_tsv(text, "t")


# ---------------------------------------------------------------- P.2001 command, P.530 API
def test_p2001_cli_profile_and_terminals_must_agree(tmp_path, capsys):
    # a 10 000 km profile between terminals 9 km apart gave Lb = 716 dB, exit 0
    f = tmp_path / "long.csv"
    f.write_text("d_km,h_m,zone\n0,10,4\n5000,20,4\n10000,5,4\n")
    rc = main(["p2001", str(f), "--f-ghz", "2", "--p", "1", "--htg", "30", "--hrg", "10", "--nd1km50", "-45",
               "--nd1kmp", "-100", "--nd65m1", "-200", "--wvsur", "7.5", "--ztropo", "4", "--foes1", "3", "--foes2", "3",
               "--mt", "30", "--beta", "0.5", "--pr6", "1", "--h0", "3", "--tx", "50,0", "--rx", "50.05,0.1"])
    assert rc == 2
    assert "not the same path" in _one_line_error(capsys)


def test_p530_clearance_refuses_implausible_terrain():
    # a 99 999 m sample gave a clearance of -99 980 m
    from spectrum.propagation import p530

    with pytest.raises(ValueError, match="terrain range"):
        p530.path_clearance([0.0, 5.0, 10.0], [10.0, 99999.0, 10.0], 10.0, 10.0, 10.0)


# ---------------------------------------------------------------- profiles and land cover
def _landcover_tif(path, values, dtype="uint8"):
    rasterio = pytest.importorskip("rasterio", reason="land-cover GeoTIFFs need the [gis] extra")
    from rasterio.transform import from_origin

    with rasterio.open(path, "w", driver="GTiff", height=values.shape[0], width=values.shape[1], count=1,
                       dtype=dtype, crs="EPSG:4326", transform=from_origin(121.0, 31.5, 0.01, 0.01)) as dst:
        dst.write(values.astype(dtype), 1)
    return path


def test_profile_csv_over_the_landcover_input_is_refused(tmp_path, capsys):
    # 'spectrum profile --csv lc.tif --landcover lc.tif' replaced the land cover with the CSV, exit 0
    lc = _landcover_tif(tmp_path / "lc.tif", np.full((60, 80), 50))
    before = lc.read_bytes()
    rc = main(["profile", "--tx", "31.1,121.2", "--rx", "31.3,121.5", "--landcover", str(lc), "--csv", str(lc)])
    assert rc == 2
    assert "input" in _one_line_error(capsys)
    assert lc.read_bytes() == before


def test_profile_step_too_small_is_one_line(capsys):
    # --step-m 1e-9 asked numpy for 263 TiB (MemoryError traceback); so did p1546, coverage, broadcast
    assert main(["profile", "--tx", "31.1,121.2", "--rx", "31.3,121.5", "--step-m", "1e-9"]) == 2
    assert "step_m" in _one_line_error(capsys)


def test_float_landcover_nan_is_no_data_not_class_0(tmp_path):
    # NaN cells of a float raster were cast to an integer class (a RuntimeWarning, then "classes [0]")
    from spectrum.terrain.landcover import load_landcover

    v = np.full((60, 80), 50.0)
    v[:10] = np.nan
    lc = load_landcover(_landcover_tif(tmp_path / "lc.tif", v, dtype="float32"))
    vals = np.asarray(lc.values)
    assert set(np.unique(vals).tolist()) <= {-1, 50}
    assert (vals == -1).sum() == 10 * 80


def test_dem_given_as_landcover_is_refused(tmp_path):
    from spectrum.terrain.landcover import load_landcover

    with pytest.raises(ValueError, match="integer class codes"):
        load_landcover(_landcover_tif(tmp_path / "dem.tif", np.full((60, 80), 12.5), dtype="float32"))


# ---------------------------------------------------------------- findings in modules owned by others
COV = ["coverage", "--demo", "--radius-km", "2", "--size", "8", "8", "--n-radials", "8"]


def test_coverage_threshold_nan_is_an_error(capsys):
    assert main(COV + ["--threshold", "nan"]) == 2
    assert "--threshold nan" in _one_line_error(capsys)


def test_coverage_absurd_eirp_is_an_error(capsys):
    assert main(["coverage", "--lat", "31.2", "--lon", "121.4", "--h-agl-m", "30", "--f-mhz", "600",
                 "--eirp-dbw", "1e300", "--radius-km", "2", "--size", "8", "8", "--n-radials", "8"]) == 2
    assert "eirp_dbw" in _one_line_error(capsys)


def test_coverage_interference_protection_nan_is_an_error(capsys):
    assert main(COV + ["--interference", "--protection-db", "nan"]) == 2
    assert "--protection-db nan" in _one_line_error(capsys)


def test_coverage_negative_max_interferers_is_an_error(capsys):
    assert main(COV + ["--interference", "--max-interferers", "-1"]) == 2
    assert "--max-interferers -1" in _one_line_error(capsys)


def test_evaluate_request_with_string_frequency_is_one_line(tmp_path, capsys):
    import json

    assert main(["evaluate", "--sample-request"]) == 0
    req = json.loads(capsys.readouterr().out)
    req["f_mhz"] = "1870"
    rq = tmp_path / "req.json"
    rq.write_text(json.dumps(req))
    db = tmp_path / "reg.sqlite"
    assert main(["register", "--db", str(db), "init", "--sample"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--db", str(db), "--request", str(rq), "--model", "free-space"]) == 2


def test_register_allocation_nan_filter_is_an_error(tmp_path, capsys):
    db = tmp_path / "reg.sqlite"
    assert main(["register", "--db", str(db), "init"]) == 0
    capsys.readouterr()
    assert main(["register", "allocation", "--db", str(db), "--f-min-mhz", "nan"]) == 2
    assert "--f-min-mhz nan" in _one_line_error(capsys)


# ---------------------------------------------------------------- zone codings between commands
P2001_CLIMATE = ["--nd1km50", "-45", "--nd1kmp", "-100", "--nd65m1", "-200", "--wvsur", "7.5", "--ztropo", "4",
                 "--foes1", "3", "--foes2", "3", "--mt", "30", "--beta", "0.5", "--pr6", "1", "--h0", "3"]


def test_profile_zones_csv_keeps_sea_as_sea_in_p2001(tmp_path, capsys):
    # 'spectrum profile --zones --csv' wrote P.452 codes (1 coastal, 3 sea) under 'zone'; p2001 read them as
    # its own (1 sea, 3 coastal): 51 km of coastal land became sea (omega 0.77 instead of 0.23), exit 0
    import json

    from spectrum import terrain
    from spectrum.datasets.terrain import default_dem

    z = tmp_path / "z.csv"
    assert main(["profile", "--tx", "31.2,121.6", "--rx", "31.2,122.3", "--zones", "--csv", str(z)]) == 0
    capsys.readouterr()
    assert main(["p2001", str(z), "--f-ghz", "2", "--p", "1", "--htg", "30", "--hrg", "10", "--json"]
                + P2001_CLIMATE) == 0
    omega = json.loads(capsys.readouterr().out)["geometry"]["omega"]
    rows = np.loadtxt(z, delimiter=",", skiprows=1)
    zones = terrain.sample_nearest(terrain.radio_climatic_zones(default_dem()), rows[:, 2], rows[:, 3])
    d = rows[:, 0]
    w = np.gradient(d)  # each sample's share of the path
    sea_fraction = float(np.sum(w[zones == 3]) / np.sum(w))  # P.452 code 3 = sea
    assert omega == pytest.approx(sea_fraction, abs=0.02)
    assert omega < 0.5  # the sea is the shorter part of this path


def test_p1546_profile_zone_code_must_be_known():
    from spectrum.propagation import p1546

    with pytest.raises(ValueError, match="zone code"):
        p1546.profile_inputs([0.0, 5.0, 10.0], [10.0, 20.0, 5.0], 30.0, 10.0, zone=[4, 7, 4])


# ---------------------------------------------------------------- batch lengths
_P2001_CLIM = dict(nd1km50=-45.0, nd1kmp=-100.0, nd65m1=-200.0, wvsur_mid_gm3=7.5, wvsur_tx_gm3=7.5, wvsur_rx_gm3=7.5,
                   ztropo=4, foes1_mhz=3.0, foes2_mhz=3.0, mt_mm=30.0, beta=0.5, pr6_pct=1.0, h0_km=3.0)


@pytest.mark.parametrize("n, match", [([3], "one count per path"), ([3.5, 4], "whole number")],
                         ids=["one-count-for-two-paths", "fractional-count"])
def test_p2001_batch_counts_are_not_broadcast_or_truncated(n, match):
    # n=[3] for two paths silently cut the second 4-point path to 3 points (another loss, exit 0)
    from spectrum.propagation import p2001

    d = np.array([[0, 5, 10, np.nan], [0, 2, 4, 6]], float)
    h = np.array([[10, 20, 5, np.nan], [1, 2, 3, 4]], float)
    with pytest.raises(ValueError, match=match):
        p2001.basic_transmission_loss(d, h, np.full(d.shape, 4.0), 2.0, 1.0, 30.0, 10.0, n=n,
                                      lat_t=np.array([50.0, 50.0]), lon_t=np.array([0.0, 0.0]),
                                      lat_r=np.array([50.05, 50.04]), lon_r=np.array([0.1, 0.05]), **_P2001_CLIM)


def test_p452_batch_count_for_every_path():
    from spectrum.propagation import p452

    d = np.array([[0, 5, 10, np.nan], [0, 2, 4, 6]], float)
    h = np.array([[10, 20, 5, np.nan], [1, 2, 3, 4]], float)
    with pytest.raises(ValueError, match="one count per path"):
        p452.basic_transmission_loss(d, h, 2.0, 1.0, 30.0, 10.0, n=[3])


def test_p838_absurd_rain_rate_and_boolean_polarisation():
    # 1e6 mm/h gave 200 000 dB/km; polarisation=True was a 1-degree tilt
    from spectrum.propagation import p838

    with pytest.raises(ValueError, match="r_mmh"):
        p838.specific_attenuation_db_km(20.0, 1e6)
    with pytest.raises(ValueError, match="polarisation"):
        p838.rain_coefficients(20.0, 0.0, True)


def test_broadcast_map_coarser_than_the_area_is_one_line(capsys):
    # --resolution-arcsec 1e6 gave a 1 x 1 grid and a contourpy TypeError (a traceback)
    rc = main(["broadcast", "coverage", "--station", "31.25,121.45", "--f-mhz", "602", "--radius-km", "8",
               "--resolution-arcsec", "1e6"])
    assert rc == 2
    assert "2 x 2" in _one_line_error(capsys)


def test_coverage_map_of_one_pixel_is_refused(capsys):
    assert main(["coverage", "--demo", "--radius-km", "5", "--resolution-arcsec", "1e6", "--n-radials", "8"]) == 2
    assert "1 x 1 pixel" in _one_line_error(capsys)


def test_broadcast_system_outside_its_band_is_refused():
    from spectrum.broadcast import criteria

    with pytest.raises(ValueError):
        criteria.min_field_strength_dbuvm("fm", 602.0)


@pytest.mark.parametrize("value", ["abc", "-5", "nan"])
def test_terrain_cache_size_variable_is_named(monkeypatch, value):
    # "could not convert string to float: 'abc'", raised when spectrum.terrain was imported
    from spectrum.terrain import catalogue

    monkeypatch.setenv("SPECTRUM_TERRAIN_CACHE_MB", value)
    with pytest.raises(ValueError, match="SPECTRUM_TERRAIN_CACHE_MB"):
        catalogue._cache_mb()


def test_failed_import_leaves_no_new_register(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"licences": [')
    db = tmp_path / "new.sqlite"
    assert main(["register", "--db", str(db), "import", str(bad)]) == 2
    assert not db.exists()


@pytest.mark.parametrize("args, match", [((1.0, 2.0, 4.0, 6.0, 9.0), "must not increase"),
                                         ((99.0, 12.0, 9.0, 8.0, 2.0), "not positive")],
                         ids=["maps-in-swapped-order", "extrapolated-below-zero"])
def test_p2001_foes_from_maps_guards(args, match):
    # maps given 50 % first were interpolated as given (exit 0); the extrapolation past 50 % went negative
    # and the error named foes1_mhz, a value the user never gave
    from spectrum.propagation import p2001

    with pytest.raises(ValueError, match=match):
        p2001.foes_from_maps(*args)


# ---------------------------------------------------------------- antenna pattern dicts
@pytest.mark.parametrize("pattern, match", [
    ({"azimuth_deg": [0, 90, 180, 270], "gain_db": [0, -3, -10, -3]}, "not pattern fields"),
    ({"kind": "table", "h_az_deg": [0, 90, 180, 270], "h_gain_db": [0, math.nan, -10, -3]}, "NaN"),
    ({"kind": "table", "h_az_deg": [0, 90, 180, 270], "h_gain_db": [0, 1e300, -10, -3]}, "h_gain_db"),
], ids=["wrong-keys-were-omni", "nan-gain-made-every-direction-nan", "gain-1e300-db"])
def test_antenna_pattern_dict_is_checked(pattern, match):
    # a station JSON "antenna" with other key names silently became an omni antenna (exit 0); a NaN in a
    # table made every direction's gain NaN (no coverage, exit 0)
    from spectrum.antennas import Antenna

    with pytest.raises(ValueError, match=match):
        Antenna.from_pattern(pattern, 10.0)


def test_evaluate_short_term_allowance_nan_is_an_error(capsys):
    assert main(["evaluate", "--demo", "--model", "free-space", "--short-term-allowance", "nan"]) == 2
