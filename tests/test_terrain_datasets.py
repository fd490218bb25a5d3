"""Real stations through the register's own import: the 131 CINRAD weather radars (protected
radiolocation receivers) and the FCC TVStudy list (longitude positive west), with the allocation
table in force."""
from __future__ import annotations

import json

import pytest

from spectrum.datasets import stations


def _need(rel):
    try:
        return stations.find_dataset(rel)
    except FileNotFoundError:
        pytest.skip(f"shared data set {rel} not found (set SPECTRUM_DATA_DIR or provide ../shared/datasets)")


def test_weather_radars_import_as_protected_receivers():
    from spectrum.register import Register

    doc = stations.weather_radars_document(_need("stations-cn-weather-radars/radar_info.json"))
    assert len(doc["licences"]) == 131
    with Register.open(":memory:") as reg:
        n = reg.import_json(doc)
        assert n["licences"] == 131 and n["assignments"] == 131
        sh = reg.licence("CINRAD-9210")  # Shanghai, 121.88 E 31.00 N
        st = sh["stations"][0]
        assert sh["service"] == "radiolocation" and st["role"] == "rx"
        assert st["lat"] == pytest.approx(31.0, abs=0.01) and st["lon"] == pytest.approx(121.88, abs=0.01)
        a = st["assignments"][0]
        assert a["f_mhz"] == 2765.0 and a["protection"] == "I/N" and a["protection_db"] == -10.0
        near = reg.query(lat=30.3, lon=120.2, radius_km=80.0, service="radiolocation")
        numbers = {r.licence_number for r in near}
        assert len(numbers) >= 2  # Hangzhou and its neighbours
        bands = {r.f_mhz for r in near}
        assert bands <= {2765.0, 5592.0}


def test_radar_source_errors_name_the_file(tmp_path):
    p = tmp_path / "r.json"
    p.write_text(json.dumps({"Longitude": {"1": 120.0}, "Latitude": {"1": 30.0}, "Elevation": {"1": 5},
                             "Datatype": {"1": "XX"}}))
    with pytest.raises(ValueError, match=r"r.json: radar 1: radar type 'XX'"):
        stations.weather_radars_document(p)
    p.write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"r.json: expected the columns"):
        stations.weather_radars_document(p)


def test_fcc_tv_longitude_west_and_patterns():
    doc, rep = stations.fcc_tv_document(_need("stations-fcc-tv-2015/parameters.csv"), country="US", limit=40)
    assert rep["kept"] == 40 and rep["records"] >= 40
    first = doc["licences"][0]
    st = first["stations"][0]
    assert first["number"].startswith("FCC-TV-21488") and st["lon"] == pytest.approx(-149.515214)  # Anchorage
    assert st["assignments"][0]["f_mhz"] == 79.0  # channel 5
    assert st["assignments"][0]["eirp_dbw"] == pytest.approx(10 * 4.176091259055681 + 2.15, abs=1e-3)  # 15 kW
    pat = next(p for p in doc["antenna_patterns"] if p["name"] == st["antenna_pattern"])
    assert pat["h_az_deg"][0] == 0.0 and pat["h_az_deg"][-1] == 360.0 and max(pat["h_gain_db"]) == 0.0


@pytest.mark.parametrize("ch,f", [(2, 57.0), (6, 85.0), (7, 177.0), (13, 213.0), (14, 473.0), (51, 695.0)])
def test_tv_channels(ch, f):
    assert stations.tv_channel_mhz(ch) == f


def test_fcc_tv_import_checked_against_the_us_table():
    """UHF 14-36 imports under the US table; the full US list is refused as a whole, naming the
    rows whose channel falls in the US table's transcription gap (614-775 MHz) -- nothing imported."""
    from spectrum.allocation_rr import import_table
    from spectrum.register import ImportRowsError, Register

    src = _need("allocations-earthfrequencies")
    us, _ = import_table(src, "us")
    csv_path = _need("stations-fcc-tv-2015/parameters.csv")
    doc, rep = stations.fcc_tv_document(csv_path, country="US", channels=(14, 36))
    assert rep["kept"] > 900 and rep["skipped"]  # a few records lack HAAT: reported, not guessed
    with Register.open(":memory:", allocations=us) as reg:
        n = reg.import_json(doc)
        assert n["licences"] == rep["kept"]
    full, _ = stations.fcc_tv_document(csv_path, country="US")
    with Register.open(":memory:", allocations=us) as reg:
        with pytest.raises(ImportRowsError) as ei:
            reg.import_json(full)
        assert "outside the allocations to broadcasting" in str(ei.value)
        assert reg.counts()["licence"] == 0


def test_cli_converter(tmp_path, capsys):
    _need("stations-cn-weather-radars/radar_info.json")
    out = tmp_path / "radars.json"
    assert stations.main(["radars", str(out)]) == 0
    from spectrum import cli

    assert cli.main(["register", "--db", str(tmp_path / "r.sqlite"), "import", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert doc["imported"] and doc["licences"] == 131
    assert stations.main(["fcc-tv", str(tmp_path / "x.json"), "--source", str(tmp_path / "nope.csv")]) == 2
