"""spectrum.broadcast: criteria, the P.1546-6 radial kernel, coverage / interference / best-server maps."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import xarray as xr

from spectrum import broadcast as bc
from spectrum import terrain
from spectrum.broadcast import criteria
from spectrum.broadcast.evaluation import broadcast_protection_db, p1546_loss_fn
from spectrum.propagation import p1546


@pytest.fixture(scope="module")
def dem():
    return terrain.synthetic_dem(31.0, 31.6, 121.0, 121.6, res_arcsec=6.0, seed=7, relief_m=300.0, coast="east")


def _st(name, dlat, dlon, f=600.0, erp=40.0, h=150.0):
    return {"name": name, "lat": 31.3 + dlat, "lon": 121.3 + dlon, "h_agl_m": h, "f_mhz": f, "erp_dbw": erp}


# ---- criteria ----

def test_fm_minimum_field_strengths_bs412():
    assert criteria.min_field_strength_dbuvm("fm", 98.0) == 54.0
    assert criteria.min_field_strength_dbuvm("fm", 98.0, fm_reception="mono", environment="large city") == 70.0


def test_digital_minimum_field_strength_link_budget():
    """E_min = C/N + F + 10 log(k T0 B) - A_a + L_f + 145.8 (GE06), recomputed by hand."""
    f = 650.0
    lam = 299792458.0 / (f * 1e6)
    aa = 10.0 + 2.15 + 10 * math.log10(lam ** 2 / (4 * math.pi))
    pn = 7.0 + 10 * math.log10(1.380649e-23 * 290 * 7.61e6)
    want = 21.0 + pn - aa + 3.0 + 120.0 + 10 * math.log10(120 * math.pi)  # = 145.8
    assert criteria.min_field_strength_dbuvm("dvb-t", f, median=False) == pytest.approx(want, abs=1e-9)
    med = criteria.min_field_strength_dbuvm("dvb-t", f)
    assert med - want == pytest.approx(1.645 * 5.5, abs=0.02)  # 95 % locations


def test_location_correction():
    assert criteria.location_correction_db(50.0, 5.5) == pytest.approx(0.0, abs=1e-3)
    assert criteria.location_correction_db(99.0, 5.5) == pytest.approx(2.326 * 5.5, abs=0.01)
    assert criteria.location_correction_db(10.0, 5.5) < 0


def test_protection_ratios():
    assert criteria.protection_ratio_db("fm", "fm", 0.0) == 37.0
    assert criteria.protection_ratio_db("fm", "fm", 100.0, kind="steady") == 33.0
    assert criteria.protection_ratio_db("fm", "fm", 400.0) == -20.0
    assert float(criteria.protection_ratio_db("dvb-t", "dvb-t", 0.0)) == 21.0
    assert float(criteria.protection_ratio_db("dvb-t", "dvb-t", 8000.0)) == -30.0
    assert float(criteria.protection_ratio_db("dvb-t", "dvb-t", -16000.0)) == -40.0
    half = float(criteria.protection_ratio_db("dvb-t", "dvb-t", 3805.0))
    assert half == pytest.approx(21.0 - 3.0103, abs=0.01)  # half the bandwidth overlaps
    assert broadcast_protection_db("FM broadcasting", 98.0, "FM broadcasting", 98.1) == pytest.approx(25.0)


def test_bad_system_names_parameter():
    with pytest.raises(ValueError, match="system"):
        criteria.system("atsc")
    with pytest.raises(ValueError, match="pl"):
        criteria.system("dvb-t", pl=120.0)
    with pytest.raises(ValueError, match="unknown"):
        criteria.system("dvb-t", colour="red")


# ---- the radial kernel equals the point-to-point API on the same profile ----

def test_radial_nodes_equal_point_to_point(dem):
    from spectrum.broadcast import fieldmap

    st = _st("A", 0.0, 0.0)
    lat = np.array([31.3]) + np.linspace(0.0, 0.2, 5)
    lon = np.array([121.3])
    fm = fieldmap.station_field(dem, st, lat, lon, radius_km=25.0, n_radials=8, t=10.0, zone="sea-level",
                                interp="nearest")
    rad = fm.polar.radials
    d, h = rad.distances, rad.heights[0]
    vals = fm.polar.values[0, 0, 0]
    checked = 0
    for k in (2, 7, 40, 120, len(d) - 1):
        if not np.isfinite(vals[k]):
            continue
        zone = np.where(h[:k + 1] <= 0.0, 1.0, 4.0)
        sea_rx = h[k] <= 0.0
        r = p1546.field_strength_profile(d[:k + 1], h[:k + 1], 600.0, 10.0, 150.0, 10.0, zone=zone,
                                         area="sea" if sea_rx else "rural", erp_kw=10.0)
        assert vals[k] == pytest.approx(float(r.e_dbuvm), abs=1e-6)
        checked += 1
    assert checked >= 1


# ---- maps ----

def test_coverage_map(dem, tmp_path):
    ds = bc.coverage_map(dem, _st("A", 0, 0), "dvb-t", radius_km=20.0, shape=(60, 60))
    e, cov = ds["e_dbuvm"].values, ds["covered"].values
    ok = np.isfinite(e)
    assert np.array_equal(cov[ok] == 1, e[ok] >= ds.attrs["e_req_dbuvm"])
    assert ds.attrs["area_km2"] > 0
    contour = json.loads(ds.attrs["contour_json"])
    assert all(len(c[0]) == 2 for c in contour)
    p = bc.save(ds, tmp_path / "c.nc")
    back = xr.open_dataset(p, engine="h5netcdf")
    assert np.allclose(back["e_dbuvm"].values, e, equal_nan=True)
    back.close()
    assert bc.save(ds, tmp_path / "c.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="map file type"):
        bc.save(ds, tmp_path / "c.txt")


def test_more_power_covers_more(dem):
    a = bc.coverage_map(dem, _st("A", 0, 0, erp=30.0, f=98.1), "fm", radius_km=20.0, shape=(40, 40)).attrs["area_km2"]
    b = bc.coverage_map(dem, _st("A", 0, 0, erp=50.0, f=98.1), "fm", radius_km=20.0, shape=(40, 40)).attrs["area_km2"]
    assert b >= a


def test_interference_map(dem):
    ds = bc.interference_map(dem, _st("W", 0, 0), [_st("I1", 0.15, 0.15, erp=35.0), _st("I2", -0.1, 0.2, f=608.0)],
                             "dvb-t", radius_km=20.0, shape=(50, 50))
    assert ds.attrs["area_km2"] <= ds.attrs["area_noise_limited_km2"]
    eu = ds["e_usable_dbuvm"].values
    assert np.nanmin(eu) >= ds.attrs["e_min_dbuvm"] - 1e-9
    rows = json.loads(ds.attrs["limiting_stations_json"])
    assert {r["name"] for r in rows} == {"I1", "I2"}
    assert rows[0]["area_limited_km2"] >= rows[1]["area_limited_km2"]
    with pytest.raises(ValueError, match="interferers"):
        bc.interference_map(dem, _st("W", 0, 0), [], "dvb-t", radius_km=10.0, shape=(10, 10))


def test_best_server_and_ci(dem):
    sts = [_st("A", 0.0, -0.1), _st("B", 0.0, 0.1), _st("C", 0.1, 0.0, f=608.0)]
    ds = bc.best_server_map(dem, sts, "dvb-t", radius_km=20.0, shape=(40, 40))
    srv, eb = ds["server"].values, ds["e_best_dbuvm"].values
    assert set(np.unique(srv)) <= {-1, 0, 1, 2}
    from spectrum.broadcast import fieldmap

    lat, lon = ds["lat"].values, ds["lon"].values
    f = [fieldmap.station_field(dem, s, lat, lon, radius_km=20.0).e_dbuvm for s in sts]
    ok = np.argwhere((srv == 0) & np.isfinite(f[1]) & np.isfinite(f[2]))
    assert len(ok) > 0
    for i, j in ok[:: max(1, len(ok) // 7)]:
        # C/I: co-channel B counts fully, adjacent-channel C discounted by PR_adj - PR_co = -30 - 21 dB
        want = eb[i, j] - 10 * np.log10(10 ** (f[1][i, j] / 10) + 10 ** ((f[2][i, j] - 51.0) / 10))
        assert ds["ci_db"].values[i, j] == pytest.approx(want, abs=1e-6)
    assert np.all(ds["margin_db"].values[srv >= 0] >= -1e-9)
    assert np.all(ds["handover_margin_db"].values[np.isfinite(ds["handover_margin_db"].values)] >= 0)


def test_evaluation_loss_function_matches_api():
    d = np.linspace(0.0, 30.0, 301)
    h = 50.0 + 30.0 * np.sin(d / 3.0)
    dd = np.vstack([d, d])
    hh = np.vstack([h, h[::-1]])
    lb = p1546_loss_fn(dd, hh, np.array([301, 201]), 0.6, 10.0, 100.0, 10.0)
    r0 = p1546.field_strength_profile(d, h, 600.0, 10.0, 100.0, 10.0)
    r1 = p1546.field_strength_profile(d[:201], h[::-1][:201], 600.0, 10.0, 100.0, 10.0)
    assert lb[0] == pytest.approx(float(r0.lb_db), abs=1e-9)
    assert lb[1] == pytest.approx(float(r1.lb_db), abs=1e-9)


def test_evaluation_loss_function_call_convention():
    """Called as spectrum.evaluation calls a loss function: per-path f array, scalar p, pol / lat / P.452 zone
    codes (1 coastal, 2 inland, 3 sea) / dct / dcr keywords."""
    d = np.tile(np.linspace(0.0, 20.0, 201), (2, 1))
    h = np.zeros_like(d)
    zone = np.full(d.shape, 2.0)
    zone[1, 100:] = 3.0  # second path ends over the sea: receiver adjacent to sea
    lb = p1546_loss_fn(d, h, np.array([201, 201]), np.array([0.6, 0.6]), 20.0, np.array([50.0, 50.0]),
                       np.array([10.0, 10.0]), pol="v", lat=np.array([31.0, 31.0]), zone=zone,
                       dct_km=np.array([500.0, 500.0]), dcr_km=np.array([500.0, 0.0]))
    land = p1546.field_strength_profile(d[0], h[0], 600.0, 20.0, 50.0, 10.0)
    g = p1546.profile_inputs(d[1], h[1], 50.0, 10.0, zone=np.where(zone[1] == 3.0, 1.0, 4.0))
    mixed = p1546.field_strength(600.0, 20.0, g["heff_m"], 10.0, d_land_km=g["d_land_km"], d_sea_km=g["d_sea_km"],
                                 area="sea", ha_m=50.0, hb_m=g["hb_m"], tca_deg=g["tca_deg"], eff1_deg=g["eff1_deg"],
                                 eff2_deg=g["tca_deg"], htter_m=0.0, hrter_m=0.0, terrain_info=True)
    assert lb[0] == pytest.approx(float(land.lb_db), abs=1e-9)
    assert lb[1] == pytest.approx(float(mixed.lb_db), abs=1e-9)
    assert lb[1] < lb[0]  # the sea part carries more field
