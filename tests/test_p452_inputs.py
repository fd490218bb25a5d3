"""Issue 11, "Model inputs": every finding is one test id. P.452, P.1812 and ITM (and the
coverage / evaluation entry points that call them) refuse what is outside the models' stated
ranges with a one-line ValueError (CLI: exit status 2), and the P.452 / P.1812 kernels can no
longer raise ZeroDivisionError on a 1e6 m profile height.

Ranges: terrain elevations [-500, 9000] m (every land surface on Earth; spectrum._validate);
P.1812-6 Annex 1 §1: paths 0.25 to about 3 000 km, terminals within about 3 km above ground
(1-3000 m); P.452-18 §1: a distance limit of 10 000 km, and no clutter within 50 m of either
terminal (§4 Step 4), so paths of at least 0.1 km; antennas (0, 3000] m; ITM: NTIA's 0.5-3000 m.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from spectrum import coverage, terrain
from spectrum.cli import main
from spectrum.kernels import p452 as k452, p1812 as k1812
from spectrum.propagation import itm, p452, p1812


def _profile(length_km=10.0, n=101, spike=None):
    d = np.linspace(0.0, length_km, n)
    h = np.zeros(n)
    if spike is not None:
        h[n // 2] = spike
    return d, h


def _p452(d, h, htg=10.0, hrg=10.0):
    return p452.basic_transmission_loss(d, h, 2.0, 10.0, htg, hrg, lat=40.0)


def _p1812(d, h, htg=10.0, hrg=10.0):
    return p1812.basic_transmission_loss(d, h, 0.6, 50.0, htg, hrg, lat=40.0)


def _itm(d, h, htx=10.0, hrx=10.0):
    return itm.point_to_point((d, h), htx, hrx, 600.0)


FINDINGS = {
    # path length
    "p1812_path_40000_km": (lambda: _p1812(*_profile(40000.0)), "outside the valid range [0.25, 3000] km"),
    "p1812_path_3001_km": (lambda: _p1812(*_profile(3001.0)), "outside the valid range [0.25, 3000] km"),
    "p1812_path_0.2_km": (lambda: _p1812(*_profile(0.2, 5)), "outside the valid range [0.25, 3000] km"),
    "p452_path_0.05_km": (lambda: _p452(*_profile(0.05, 6)), "outside the valid range [0.1, 10000] km"),
    "p452_path_0.001_km": (lambda: _p452(*_profile(0.001, 5)), "outside the valid range [0.1, 10000] km"),
    "p452_path_12000_km": (lambda: _p452(*_profile(12000.0, 201)), "outside the valid range [0.1, 10000] km"),
    # terrain elevations
    "p452_terrain_1e6_m": (lambda: _p452(*_profile(spike=1e6)), "outside the valid terrain range [-500, 9000] m"),
    "p452_terrain_-600_m": (lambda: _p452(*_profile(spike=-600.0)), "outside the valid terrain range"),
    "p1812_terrain_1e6_m": (lambda: _p1812(*_profile(spike=1e6)), "outside the valid terrain range [-500, 9000] m"),
    "p1812_terrain_9001_m": (lambda: _p1812(*_profile(spike=9001.0)), "outside the valid terrain range"),
    "itm_terrain_1e6_m": (lambda: _itm(*_profile(spike=1e6)), "outside the valid terrain range [-500, 9000] m"),
    "itm_pfl_terrain_-501_m": (lambda: itm.point_to_point([4, 100.0, 0, 0, -501.0, 0, 0], 10.0, 10.0, 600.0),
                               "outside the valid terrain range"),
    "itm_batch_terrain_1e6_m": (lambda: itm.point_to_point(
        (np.tile(_profile()[0], (2, 1)), np.vstack([_profile()[1], _profile(spike=1e6)[1]])), 10.0, 10.0, 600.0),
        "path 1"),
    "itm_along_terrain_1e6_m": (lambda: itm.point_to_point_along(_profile(spike=1e6)[1], 100.0, 10.0, 10.0, 600.0),
                                "outside the valid terrain range"),
    # antenna heights
    "p452_antenna_3500_m": (lambda: _p452(*_profile(), htg=3500.0), "htg_m = 3500 is outside the valid range (0, 3000]"),
    "p452_antenna_0_m": (lambda: _p452(*_profile(), hrg=0.0), "hrg_m = 0 is outside the valid range (0, 3000]"),
    "p1812_antenna_3500_m": (lambda: _p1812(*_profile(), hrg=3500.0), "hrg_m = 3500 is outside the valid range [1, 3000]"),
    "p1812_antenna_0.5_m": (lambda: _p1812(*_profile(), htg=0.5), "htg_m = 0.5 is outside the valid range [1, 3000]"),
    "itm_antenna_3500_m": (lambda: _itm(*_profile(), htx=3500.0), "ERROR__TX_TERMINAL_HEIGHT"),
    "itm_antenna_0.4_m": (lambda: _itm(*_profile(), hrx=0.4), "ERROR__RX_TERMINAL_HEIGHT"),
}


@pytest.mark.parametrize("finding", list(FINDINGS))
def test_refused_with_a_clear_value_error(finding):
    fn, needle = FINDINGS[finding]
    with pytest.raises(ValueError) as exc:
        fn()
    msg = str(exc.value)
    assert needle in msg and "\n" not in msg


@pytest.mark.parametrize("edge", ["p452_0.1_km", "p452_3000_m_antennas", "p1812_0.25_km", "p1812_3000_km",
                                  "terrain_-500_and_9000_m"])
def test_range_edges_accepted(edge):
    if edge == "p452_0.1_km":
        r = _p452(*_profile(0.1, 5))
    elif edge == "p452_3000_m_antennas":
        r = _p452(*_profile(), htg=3000.0, hrg=3000.0)
    elif edge == "p1812_0.25_km":
        r = _p1812(*_profile(0.25, 5))
    elif edge == "p1812_3000_km":
        r = _p1812(*_profile(3000.0, 301))
    else:
        d, h = _profile()
        h[10], h[20] = -500.0, 9000.0
        r = _p452(d, h)
        assert math.isfinite(_p1812(d, h).lb) and math.isfinite(_itm(d, h).a_db)
    assert math.isfinite(r.lb)


@pytest.mark.parametrize("model", ["p452", "p1812"])
def test_kernel_1e6_m_height_no_zero_division(model):
    """The kernels themselves (called by the coverage engine without the API's checks) give a
    number for a 1e6 m spike, not ZeroDivisionError: beta of the ducting model underflows to 0,
    Lba is then infinite and drops out of the combination."""
    d, h = _profile(10.0, 101, spike=1e6)
    n = d.size
    if model == "p452":
        geom = np.empty(k452.N_GEOM)
        out = np.empty(k452.N_LOSS)
        k452.basic_transmission_loss_path(d, h, h, np.full(n, 2.0), n, 0.6, 10.0, 10.0, 10.0, 45.0, 325.0, 40.0, 0,
                                          500.0, 500.0, 1013.25, 15.0, 0.0, 0.0, 18, 0.0, 0.0, 0.0, 0.0, geom, out)
        lb, lba = out[k452.L_LB], out[k452.L_LBA]
    else:
        out = np.empty(len(k1812.FIELDS))
        k1812.p1812_path(d, h, np.zeros(n), np.full(n, 4.0), n, 0.6, 10.0, 10.0, 10.0, 0, 45.0, 325.0, 500.0, 500.0,
                         40.0, 50.0, 0.0, False, out)
        lb, lba = out[list(k1812.FIELDS).index("lb")], out[list(k1812.FIELDS).index("lba")]
    assert math.isfinite(lb) and lb > 150.0
    assert lba == math.inf


def _write(tmp_path, name, d, h):
    p = tmp_path / name
    p.write_text("d_km,h_m\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(d, h)))
    return str(p)


@pytest.mark.parametrize("case", ["p452_terrain", "p452_short", "p452_antenna", "p1812_long", "p1812_terrain",
                                  "itm_terrain"])
def test_cli_exit_2_one_line(case, tmp_path, capsys):
    big = _write(tmp_path, "big.csv", *_profile(spike=1e6))
    args = {
        "p452_terrain": ["p452", big, "--f-ghz", "2", "--p", "10", "--htg-m", "10", "--hrg-m", "10", "--lat", "40"],
        "p452_short": ["p452", _write(tmp_path, "s.csv", *_profile(0.05, 6)), "--f-ghz", "2", "--p", "10",
                       "--htg-m", "10", "--hrg-m", "10", "--lat", "40"],
        "p452_antenna": ["p452", _write(tmp_path, "ok.csv", *_profile()), "--f-ghz", "2", "--p", "10", "--htg-m",
                         "5000", "--hrg-m", "10", "--lat", "40"],
        "p1812_long": ["p1812", "--profile", _write(tmp_path, "l.csv", *_profile(40000.0)), "--f-ghz", "0.6",
                       "--p", "50", "--htg-m", "10", "--hrg-m", "10", "--lat", "40"],
        "p1812_terrain": ["p1812", "--profile", big, "--f-ghz", "0.6", "--p", "50", "--htg-m", "10", "--hrg-m", "10",
                          "--lat", "40"],
        "itm_terrain": ["itm", "p2p", "--profile", big, "--f-mhz", "600", "--h-tx-m", "10", "--h-rx-m", "10"],
    }[case]
    rc = main(args)
    cap = capsys.readouterr()
    assert rc == 2
    assert cap.out == ""
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1 and "outside the valid" in lines[0] and "Traceback" not in cap.err


@pytest.fixture(scope="module")
def spiky_dem():
    dem = terrain.synthetic_dem(31.0, 31.2, 121.0, 121.2, res_arcsec=3.0, seed=3, relief_m=200.0)
    bad = dem.copy()
    i = int(np.argmin(np.abs(bad["lat"].values - 31.13)))  # a band of rows north of the station
    bad.values[i - 2:i + 3, :] = 1e6
    return dem, bad


@pytest.mark.parametrize("case", ["p452_dem_1e6", "p1812_dem_1e6", "itm_dem_1e6", "p452_station_5000_m",
                                  "p1812_receiver_0.5_m", "itm_receiver_0.2_m"])
def test_coverage_refuses(case, spiky_dem):
    good, bad = spiky_dem
    model = case.split("_")[0]
    st = coverage.Station(lat=31.1, lon=121.1, h_agl_m=5000.0 if case == "p452_station_5000_m" else 30.0,
                          f_mhz=900.0, eirp_dbw=30.0, name="s")
    hr = {"p1812_receiver_0.5_m": 0.5, "itm_receiver_0.2_m": 0.2}.get(case, 10.0)
    dem = bad if case.endswith("dem_1e6") else good
    with pytest.raises(ValueError) as exc:
        coverage.polar_map(dem, st, model, radius_km=5.0, n_radials=8, hrg_m=hr)
    assert "\n" not in str(exc.value)


def test_evaluation_loss_function_refuses_bad_terrain():
    from spectrum.evaluation import LOSS_FUNCTIONS

    d, h = _profile(spike=1e6)
    with pytest.raises(ValueError, match="terrain range"):
        LOSS_FUNCTIONS["p452"](d, h, None, 2.0, 10.0, 10.0, 10.0, lat=40.0)
