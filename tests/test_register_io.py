"""Register import/export (JSON, CSV), the sample registers and the ``spectrum register`` CLI."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from spectrum.cli import main
from spectrum.datasets.register import DEFAULT_BOUNDS, on_land, sample_register, synthetic_register
from spectrum.register import ImportRowsError, Register
from spectrum.register.models import _INVISIBLE


@pytest.fixture(scope="module")
def sample_doc():
    with sample_register() as reg:
        return reg.export_json()


def _strip(doc: dict) -> dict:
    d = dict(doc)
    d.pop("exported_utc")
    return d


# ---------------------------------------------------------------------- sample registers
def test_sample_register_is_realistic(open_register, sample_doc):
    with open_register() as reg:
        reg.import_json(sample_doc)
        a = reg.query_arrays(status=None)
        c = reg.counts()
    assert 200 <= c["station"] <= 600
    la0, la1, lo0, lo1 = DEFAULT_BOUNDS
    assert ((a["lat"] >= la0) & (a["lat"] <= la1) & (a["lon"] >= lo0) & (a["lon"] <= lo1)).all()
    assert on_land(a["lat"], a["lon"]).all() and (a["lon"] < 121.9).all()
    assert set(a["service"]) == {"broadcasting", "mobile", "fixed", "land_mobile"}
    fm = a["service"] == "broadcasting"
    fm_band = fm & (a["f_mhz"] < 110)
    assert fm_band.sum() >= 10 and ((a["f_mhz"][fm_band] >= 87.5) & (a["f_mhz"][fm_band] <= 108)).all()
    # FM ERP tens of kW: EIRP 40-50 dBW
    assert ((a["eirp_dbw"][fm_band] > 40) & (a["eirp_dbw"][fm_band] < 50)).all()
    tv = fm & (a["f_mhz"] > 400)
    assert tv.sum() >= 5 and (a["bw_khz"][tv] == 8000.0).all()
    rx = a["role"] == "rx"
    assert rx.sum() > 50
    assert (~np.isnan(a["noise_figure_db"][rx])).all()
    prot = a["protection_db"][rx]
    assert set(a["protection"][rx]) == {"I/N"} and set(prot.tolist()) <= {-6.0, -10.0}
    assert set(a["protection"][fm]) == {"C/I"}
    fixed = a["service"] == "fixed"
    assert a["f_mhz"][fixed].min() > 5900 and a["f_mhz"][fixed].max() < 40000
    pmr = a["service"] == "land_mobile"
    assert (a["bw_khz"][pmr] == 12.5).all()
    # patterns and masks referenced exist in the document
    pats = {p["name"]: p for p in sample_doc["antenna_patterns"]}
    masks = {m["name"] for m in sample_doc["spectrum_masks"]}
    assert set(a["antenna_pattern"]) <= set(pats)
    assert {pats[n]["kind"] for n in set(a["antenna_pattern"][a["service"] == "mobile"])} == {"F.1336"}
    assert {pats[n]["kind"] for n in set(a["antenna_pattern"][fixed])} <= {"F.699", "F.1245"}
    assert {m for m in a["tx_mask"] if m} | {m for m in a["rx_selectivity"] if m} <= masks
    # 3 sectors per base station site
    mob_tx = (a["service"] == "mobile") & (a["role"] == "tx")
    assert len(set(np.round(a["azimuth_deg"][mob_tx], 3))) > 3


def test_sample_register_is_seeded(sample_doc):
    with sample_register() as again:  # same content; only the history/audit timestamps differ
        assert _history_free(again.export_json()) == _history_free(sample_doc)
        assert [[h["to_status"] for h in x["history"]] for x in again.export_json()["licences"]] == \
            [[h["to_status"] for h in x["history"]] for x in sample_doc["licences"]]
    with sample_register(seed=1) as other:
        assert _history_free(other.export_json()) != _history_free(sample_doc)


def _history_free(doc):
    return [{k: v for k, v in lic.items() if k != "history"} for lic in doc["licences"]]


def test_sample_register_refuses_non_empty_file(tmp_path):
    p = tmp_path / "r.sqlite"
    sample_register(p).close()
    with pytest.raises(ValueError, match="not empty"):
        sample_register(p)


def test_synthetic_register_small(tmp_path):
    with synthetic_register(tmp_path / "s.sqlite", 2000, seed=3) as reg:
        c = reg.counts()
        assert (c["station"], c["assignment"], c["licence"]) == (2000, 2000, 500)
        assert reg.integrity_check() == []
        a = reg.query_arrays(status=None)
        assert on_land(a["lat"], a["lon"]).all()
        near = reg.query(lat=31.2, lon=121.4, radius_km=15, f_min_mhz=1800, f_max_mhz=1900)
        assert all(1800 - r.bw_khz / 2000 <= r.f_mhz <= 1900 + r.bw_khz / 2000 for r in near)
    with pytest.raises(ValueError, match="n_stations"):
        synthetic_register(None, 0)


# ---------------------------------------------------------------------- JSON
def test_json_round_trip_is_lossless(open_register, sample_doc, tmp_path):
    path = tmp_path / "reg.json"
    with open_register() as a:
        n = a.import_json(sample_doc)
        assert n["licences"] == len(sample_doc["licences"])
        a.export_json(path)
    with open_register() as b:
        b.import_json(path)
        again = b.export_json()
        assert b.integrity_check() == []
    assert _strip(again) == _strip(sample_doc)
    # floats survive bit for bit
    s0 = sample_doc["licences"][0]["stations"][0]
    s1 = again["licences"][0]["stations"][0]
    assert s0["lat"].hex() == s1["lat"].hex()


def test_json_import_all_or_nothing_lists_every_bad_row(open_register, sample_doc):
    doc = json.loads(json.dumps(sample_doc))
    lic = doc["licences"]
    lic[3]["stations"][0]["lat"] = 123.0                           # off the globe
    lic[7]["stations"][0]["assignments"][0]["emission"] = "16K0Z9E"  # bad designator
    lic[11]["status"] = "active"                                   # unknown status
    lic[12]["number"] = lic[13]["number"]                          # duplicate number
    fixed = next(i for i, x in enumerate(lic) if x["service"] == "fixed")
    lic[fixed]["stations"][0]["assignments"][0]["f_mhz"] = 98.0     # outside allocation
    with open_register() as reg:
        with pytest.raises(ImportRowsError) as info:
            reg.import_json(doc)
        rows = sorted({r for r, _ in info.value.errors})
        assert rows == sorted({4, 8, 12, 14, fixed + 1}) or rows == sorted({4, 8, 12, 13, fixed + 1})
        msg = str(info.value)
        assert "lat = 123" in msg and "'16K0Z9E'" in msg and "'active'" in msg and "already exists" in msg
        assert "outside the allocations to fixed" in msg and "nothing imported" in msg
        c = reg.counts()
        # only the audit chain's start row (written when the register was created)
        assert (c["licence"], c["station"], c["assignment"], c["antenna_pattern"], c["audit"]) == (0, 0, 0, 0, 1)


def test_json_import_malformed_records(open_register, sample_doc):
    doc = json.loads(json.dumps(sample_doc))
    doc["licences"][0]["stations"] = {"not": "a list"}
    doc["licences"][1]["stations"][0]["assignments"] = "nope"
    doc["licences"][2] = "just text"
    doc["licensees"].append({"address": "no name"})
    with open_register() as reg:
        with pytest.raises(ImportRowsError) as info:
            reg.import_json(doc)
        msg = str(info.value)
        assert "stations must be a list" in msg and "assignments must be a list" in msg
        assert "licence must be an object, not str" in msg and "licensee name is required" in msg
        assert reg.counts()["licence"] == 0


def test_json_import_rejects_foreign_documents(open_register, tmp_path):
    with open_register() as reg:
        with pytest.raises(ValueError, match="not a Spectrum register document"):
            reg.import_json({"licences": []})
        p = tmp_path / "x.json"
        p.write_text("{not json")
        with pytest.raises(ValueError, match="not valid JSON"):
            reg.import_json(p)


def test_json_import_into_non_empty_register_refuses_duplicates(open_register, sample_doc):
    with open_register() as reg:
        reg.import_json(sample_doc)
        n = reg.counts()
        with pytest.raises(ImportRowsError) as info:
            reg.import_json(sample_doc)
        assert len(info.value.errors) == len(sample_doc["licences"])
        assert reg.counts() == n


# ---------------------------------------------------------------------- CSV
def _rows(text):
    return sorted(tuple(r[k] for k in r if k != "station_ref") for r in csv.DictReader(io.StringIO(text)))


def test_csv_round_trip_is_lossless(open_register, sample_doc, tmp_path):
    with open_register() as a:
        a.import_json(sample_doc)
        text = a.export_csv(tmp_path / "reg.csv")
    library = {k: v for k, v in sample_doc.items() if k != "licences"}
    with open_register() as b:
        b.import_json(library)
        n = b.import_csv(tmp_path / "reg.csv")
        assert n["assignments"] == sum(len(s["assignments"]) for x in sample_doc["licences"] for s in x["stations"])
        again = b.export_csv()
        q_a = b.query(status=None)
    assert _rows(again) == _rows(text)
    with open_register() as a:
        a.import_json(sample_doc)
        assert [r.to_dict() | {"station_id": 0, "assignment_id": 0} for r in a.query(status=None)] == \
               [r.to_dict() | {"station_id": 0, "assignment_id": 0} for r in q_a]


def test_csv_bad_rows_all_listed_with_line_numbers(open_register, sample_doc, tmp_path):
    with open_register() as a:
        a.import_json(sample_doc)
        text = a.export_csv()
    lines = text.splitlines()
    header = lines[0].split(",")
    bad = {}

    def corrupt(line_no, column, value):
        cells = next(csv.reader([lines[line_no - 1]]))
        cells[header.index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(cells)
        lines[line_no - 1] = buf.getvalue()
        bad[line_no] = value

    corrupt(5, "emission", "16K0F3Q")
    corrupt(9, "lat", "-95.5")
    corrupt(20, "h_agl_m", "tall")
    corrupt(33, "service", "telepathy")
    p = tmp_path / "bad.csv"
    p.write_text("\n".join(lines) + "\n")
    library = {k: v for k, v in sample_doc.items() if k != "licences"}
    with open_register() as b:
        b.import_json(library)
        n0 = b.counts()
        with pytest.raises(ImportRowsError) as info:
            b.import_csv(p)
        listed = {r for r, _ in info.value.errors}
        assert set(bad) <= listed
        msg = str(info.value)
        assert "row 5:" in msg and "'16K0F3Q'" in msg and "lat = -95.5" in msg and "'tall'" in msg
        assert b.counts() == n0  # nothing imported


def test_csv_missing_library_and_bad_header(open_register, tmp_path):
    with sample_register() as a:
        text = a.export_csv()
    with open_register() as b:
        with pytest.raises(ImportRowsError, match="is not in the register"):
            b.import_csv(text)
        with pytest.raises(ValueError, match="lacks column"):
            b.import_csv("a,b\n1,2\n")
        with pytest.raises(ValueError, match="unknown CSV column"):
            b.import_csv("licence_number,licensee,service,status,colour\nX,Y,fixed,granted,red\n")


# ---------------------------------------------------------------------- CLI
def test_cli_workflow(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "cli.sqlite")
    monkeypatch.setenv("SPECTRUM_REGISTER", db)
    assert main(["register", "init", "--sample"]) == 0
    assert "licences" in capsys.readouterr().out
    assert main(["register", "list", "--near", "31.23,121.47", "--radius-km", "10", "--f-min-mhz", "1800",
                 "--f-max-mhz", "1900", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["count"] > 0 and all(r["status"] == "granted" for r in out["rows"])
    number = out["rows"][0]["licence_number"]
    assert main(["register", "show", number]) == 0
    assert f"licence {number}" in capsys.readouterr().out
    assert main(["register", "transition", number, "suspended", "--by", "inspector", "--reason", "complaint"]) == 0
    capsys.readouterr()
    assert main(["register", "transition", number, "application", "--by", "x", "--reason", "y"]) == 2
    assert "illegal transition suspended -> application" in capsys.readouterr().err
    assert main(["register", "audit", "--licence", number, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["who"] == "inspector" and rows[-1]["reason"] == "complaint"
    out_json = tmp_path / "out.json"
    assert main(["register", "export", str(out_json)]) == 0
    capsys.readouterr()
    assert main(["register", "import", str(out_json), "--db", str(tmp_path / "copy.sqlite")]) == 0
    capsys.readouterr()
    assert main(["register", "check", "--db", str(tmp_path / "copy.sqlite"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_cli_library_and_evaluations(tmp_path, capsys):
    db = str(tmp_path / "lib.sqlite")
    with sample_register(db) as reg:
        eid = reg.store_evaluation({"f_mhz": 23030.0}, {"margin_db": 4.0}, "grant", {"p452": "P.452-18"}, "eng",
                                   licence_number="NEW-1")
    assert main(["register", "library", "--db", db, "--json"]) == 0
    lib = json.loads(capsys.readouterr().out)
    assert {p["kind"] for p in lib["antenna_patterns"]} == {"omni", "F.699", "F.1245", "F.1336", "table"}
    assert main(["register", "library", "FS-28M-RX", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "rx"
    assert main(["register", "evaluations", "--db", db, "--json"]) == 0
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [eid]
    assert main(["register", "evaluations", "--db", db, "--id", str(eid)]) == 0
    assert "decision: grant" in capsys.readouterr().out
    assert main(["register", "evaluations", "--db", db, "--id", "999"]) == 2
    assert "evaluation 999 is not in the register" in capsys.readouterr().err
    assert main(["register", "expire", "--db", db, "--today", "2036-01-01", "--by", "batch", "--json"]) == 0
    expired = json.loads(capsys.readouterr().out)["expired"]
    assert expired  # sample validity ends 2033-2040
    with Register.open(db) as reg:
        assert all(reg.licence(n)["status"] == "expired" and reg.history(n)[-1]["by"] == "batch" for n in expired)
        assert all(x["valid_to"] >= "2036-01-01" for x in reg.licences(status=("granted", "suspended")))
    assert main(["register", "update", "MOB-0001", "--db", db, "--valid-to", "2045-01-01", "--reason", "renewal",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid_to"] == "2045-01-01"
    assert main(["register", "backup", str(tmp_path / "b.sqlite"), "--db", db]) == 0
    assert "backed up" in capsys.readouterr().out


def test_cli_allocation(capsys):
    assert main(["register", "allocation", "--f-min-mhz", "87.5", "--f-max-mhz", "108", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["f_lo_mhz"], r["f_hi_mhz"], r["service"]) for r in rows] == [(87.0, 108.0, "broadcasting")]
    assert main(["register", "allocation", "--service", "fixed", "--check", "98.1", "200"]) == 1
    assert "refused: fixed assignment" in capsys.readouterr().out
    assert main(["register", "allocation", "--service", "mobile", "--check", "3450", "100000", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["category"] == "primary"
    assert main(["register", "allocation", "--check", "3450", "100000"]) == 2
    assert "--check needs --service" in capsys.readouterr().err


def test_cli_errors(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database")
    assert main(["register", "list", "--db", str(bad)]) == 2
    assert "not an SQLite database" in capsys.readouterr().err
    assert main(["register", "show", "NOPE", "--db", str(tmp_path / "e.sqlite")]) == 2
    assert "does not exist" in capsys.readouterr().err
    db = str(tmp_path / "r.sqlite")
    assert main(["register", "init", "--db", db]) == 0
    capsys.readouterr()
    assert main(["register", "show", "NOPE", "--db", db]) == 2
    assert "'NOPE' is not in the register" in capsys.readouterr().err
    assert main(["register", "list", "--db", db, "--near", "95,121", "--radius-km", "5"]) == 2
    assert "lat = 95" in capsys.readouterr().err
    p = tmp_path / "bad.csv"
    p.write_text("licence_number,licensee,service,status\nA,Org,fixed,granted\nB,Org,warp,granted\n")
    assert main(["register", "import", str(p), "--db", db, "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] is False and [e["row"] for e in out["errors"]] == [3]


# ---------------------------------------------------------------------- property: round trips
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_finite = dict(allow_nan=False, allow_infinity=False)
_station = st.fixed_dictionaries({
    "role": st.sampled_from(["tx", "rx"]),
    "lat": st.floats(-90, 90, **_finite), "lon": st.floats(-180, 179.999999, **_finite),
    "h_agl_m": st.floats(0, 1000, **_finite), "g_dbi": st.floats(-30, 80, **_finite),
    "azimuth_deg": st.floats(0, 359.999, **_finite), "tilt_deg": st.floats(-90, 90, **_finite),
    "polarisation": st.sampled_from(["h", "v"]), "feeder_loss_db": st.floats(0, 100, **_finite),
    "f_mhz": st.floats(1.0, 1e5, **_finite), "bw_khz": st.floats(0.001, 1000.0, **_finite),
    "power": st.floats(-100, 120, **_finite), "name": st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp", "Zs"),
                                   whitelist_characters=" "), min_size=1, max_size=20).filter(
        lambda s: s.strip() and not any(c in _INVISIBLE for c in s)),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_station, min_size=1, max_size=6), st.sampled_from(["application", "granted", "suspended"]))
def test_round_trips_are_lossless_for_any_valid_values(open_register, stations, status):
    with open_register(user="p", allocations=False) as a:
        a.add_licence("P-1", "Org, \"quoted\"; 'single'", "fixed", valid_from="2020-02-29", remarks="x,y;z")
        if status != "application":
            a.transition("P-1", "granted", reason="ok")
        if status == "suspended":
            a.transition("P-1", "suspended", reason="why, \"quoted\"")
        for s in stations:
            kw = {k: s[k] for k in ("role", "lat", "lon", "h_agl_m", "g_dbi", "azimuth_deg", "tilt_deg",
                                    "polarisation", "feeder_loss_db", "name")}
            sid = a.add_station("P-1", **kw)
            extra = {"eirp_dbw": s["power"]} if s["role"] == "tx" else {"noise_figure_db": abs(s["power"]) % 50}
            a.add_assignment(sid, f_mhz=s["f_mhz"], bw_khz=s["bw_khz"], **extra)
        doc = a.export_json()
        text = a.export_csv()
        rows_a = [r.to_dict() for r in a.query(status=None)]
    with open_register(user="p", allocations=False) as b:
        b.import_json(doc)
        assert _strip(b.export_json()) == _strip(doc)
    with open_register(user="p", allocations=False) as c:
        c.import_csv(text)
        assert _rows(c.export_csv()) == _rows(text)
        assert [r.to_dict() for r in c.query(status=None)] == rows_a


def test_import_of_binary_file_names_the_file(open_register, tmp_path):
    # a non-UTF-8 file used to surface as a bare "'utf-8' codec can't decode byte 0xff" error
    p = tmp_path / "register.json"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with open_register() as reg:
        with pytest.raises(ValueError, match=r"register.json is not UTF-8 text \(byte 0"):
            reg.import_json(p)
    c = tmp_path / "register.csv"
    c.write_bytes(b"licence_number,licensee\n\xff\xfe\n")
    with open_register() as reg:
        with pytest.raises(ValueError, match=r"register.csv is not UTF-8 text"):
            reg.import_csv(c)
