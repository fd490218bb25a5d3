"""National frequency allocation table."""
from __future__ import annotations

import pytest

from spectrum.allocation import (SERVICES, Allocation, AllocationTable, check_service, default_allocation_table,
                                 load_allocation_table)


@pytest.fixture(scope="module")
def table():
    return default_allocation_table()  # the shipped sample


def test_sample_table_spans_30_mhz_to_40_ghz(table):
    assert table.f_min_mhz == 30.0 and table.f_max_mhz == 40000.0
    assert len(table) > 300
    # every frequency in the range has at least one allocation (no holes in the table)
    edges = sorted({a.f_lo_mhz for a in table.allocations} | {a.f_hi_mhz for a in table.allocations})
    for lo, hi in zip(edges, edges[1:]):
        assert table.at(0.5 * (lo + hi)), f"hole in the table at {lo}-{hi} MHz"
    assert {a.service for a in table.allocations} <= set(SERVICES)


@pytest.mark.parametrize("f_mhz,bw_khz,service,category", [
    (98.1, 200.0, "broadcasting", "primary"),            # FM
    (474.0, 8000.0, "broadcasting", "primary"),          # UHF TV ch 13
    (773.0, 20000.0, "mobile", "primary"),               # IMT 700
    (950.0, 10000.0, "mobile", "primary"),               # IMT 900
    (1850.0, 20000.0, "mobile", "primary"),              # IMT 1800
    (2140.0, 20000.0, "mobile", "primary"),              # IMT 2100
    (2565.0, 100000.0, "mobile", "primary"),             # IMT 2600 (spans 2535 MHz band edge)
    (3450.0, 100000.0, "mobile", "primary"),             # IMT 3500
    (6034.15, 28000.0, "fixed", "primary"),
    (7247.0, 28000.0, "fixed", "primary"),               # spans 7250 MHz edge
    (11010.0, 40000.0, "fixed", "primary"),
    (23030.0, 28000.0, "fixed", "primary"),
    (38000.0, 56000.0, "fixed", "primary"),
    (151.0125, 12.5, "land_mobile", "primary"),          # PMR via MOBILE
    (455.0, 12.5, "land_mobile", "primary"),
    (121.5, 8.33, "aeronautical_mobile", "primary"),
    (156.8, 16.0, "maritime_mobile", "primary"),
    (110.0, 16.0, "aeronautical_radionavigation", "primary"),
    (403.0, 12.5, "land_mobile", "secondary"),           # MOBILE* in 401-406
    (10470.0, 25.0, "amateur", "secondary"),
])
def test_permitted(table, f_mhz, bw_khz, service, category):
    chk = table.check(f_mhz, bw_khz, service)
    assert chk.ok, chk.reason
    assert chk.category == category
    assert service in chk.reason


@pytest.mark.parametrize("f_mhz,bw_khz,service,needle", [
    (98.1, 200.0, "fixed", "allocated there to: broadcasting"),
    (1420.0, 10000.0, "mobile", "radio_astronomy"),                 # passive band
    (407.0, 12.5, "aeronautical_mobile", "no aeronautical_mobile"),  # MOBILE except aeronautical
    (107.95, 200.0, "broadcasting", "108"),                          # straddles the FM band edge
    (10.0, 1.0, "fixed", "outside the allocation table"),
    (40100.0, 1000.0, "fixed", "outside the allocation table"),
    (3000.0, 1000.0, "mobile", "radiolocation"),
])
def test_refused_with_reason(table, f_mhz, bw_khz, service, needle):
    chk = table.check(f_mhz, bw_khz, service)
    assert not chk.ok
    assert needle in chk.reason


def test_bands_merges_contiguous(table):
    bands = table.bands("broadcasting")
    assert (87.0, 108.0, "primary") in bands
    assert any(lo <= 470.0 and hi >= 960.0 for lo, hi, _ in bands)


def test_check_service():
    assert check_service("Land Mobile") == "land_mobile"
    assert check_service("fixed-satellite") == "fixed_satellite"
    with pytest.raises(ValueError, match="'telepathy'"):
        check_service("telepathy")
    with pytest.raises(ValueError):
        check_service("")


def test_custom_table_and_bad_rows(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("# comment\nf_lo_mhz,f_hi_mhz,service,category,excludes,footnotes,remarks\n"
                 "100,200,fixed,primary,,X1,\n200,300,fixed,secondary,,,\n")
    t = load_allocation_table(p)
    assert len(t) == 2
    assert t.check(200.0, 1000.0, "fixed").category == "secondary"
    assert t.check(150.0, 1000.0, "fixed").category == "primary"
    assert "X1" in t.check(150.0, 1000.0, "fixed").reason
    bad = tmp_path / "bad.csv"
    bad.write_text("f_lo_mhz,f_hi_mhz,service,category\n100,50,fixed,primary\n100,200,warp,primary\n"
                   "100,200,fixed,tertiary\n")
    with pytest.raises(ValueError) as info:
        load_allocation_table(bad)
    msg = str(info.value)
    assert "3 bad row(s)" in msg and "row 2" in msg and "row 3" in msg and "row 4" in msg


def test_allocation_permits_hierarchy():
    a = Allocation(100.0, 200.0, "mobile", excludes=("aeronautical_mobile",))
    assert a.permits("mobile") and a.permits("land_mobile") and a.permits("maritime_mobile")
    assert not a.permits("aeronautical_mobile") and not a.permits("fixed")
    with pytest.raises(ValueError):
        AllocationTable([Allocation(200.0, 100.0, "fixed")])


# ---- real tables: RR Article 5 and national tables (EarthFrequencies TSV) --------------------------

def _rr_source():
    from spectrum.datasets.terrain import data_dirs

    for d in data_dirs():
        if (d / "allocations-earthfrequencies").is_dir():
            return d / "allocations-earthfrequencies"
    pytest.skip("allocations-earthfrequencies not found (set SPECTRUM_DATA_DIR or provide ../shared/datasets)")


@pytest.mark.parametrize("text,expected", [
    ("Fixed", ("fixed", (), "")),
    ("Mobile except aeronautical mobile (R)", ("mobile", ("aeronautical_mobile",), "(R)")),
    ("Fixed-Satellite (space-to-Earth) ", ("fixed_satellite", (), "(space-to-Earth)")),
    ("MARITIME RADIONAVIGATION (radiobeacons)", ("maritime_radionavigation", (), "(radiobeacons)")),
    ("Radiolocation  G56", ("radiolocation", (), "(G56)")),
    ("Standard Frequency And Time Signal (20 kHz)", (None, (), "(20 kHz)")),
    ("Land Mobile-Satellite", (None, (), "")),
])
def test_parse_service(text, expected):
    from spectrum.allocation_rr import parse_service

    assert parse_service(text) == expected


def test_parse_tsv_messy_rows():
    from spectrum.allocation_rr import parse_tsv

    text = ("legion\tsub-table\tlower_frequency\tupper_frequency\tservice\tCategory\tfootnotes\n"
            "R\t\t470000000\t585000000\t-\t\t5.291, 5.298\n"
            "R\t\t470000000\t585000000\tBROADCASTING\tp\t\n"
            "R\t\t470000000\t585000000\tStandard Frequency And Time Signal\ts\t\n"
            "R\t\t600000000\t600000000\tFixed\tp\t\n"
            "R\t\t585000000\t610000000\tMobile except aeronautical mobile\t\t\n")
    t, rep = parse_tsv(text, "x")
    assert rep.rows == 5 and rep.footnote_rows == 1 and rep.zero_width == [5] and rep.no_category == 1
    assert dict(rep.skipped) == {"standard frequency and time signal": 1}
    bc = t.at(500.0)
    assert len(bc) == 1 and bc[0].footnotes == ("5.291", "5.298") and bc[0].category == "primary"
    assert t.at(600.0)[0].excludes == ("aeronautical_mobile",) and t.at(600.0)[0].category == "secondary"
    with pytest.raises(ValueError, match="x: row 2: frequencies"):
        parse_tsv("region\tlower_frequency\tupper_frequency\tservice\nR\tabc\t1\tFixed\n", "x")
    with pytest.raises(ValueError, match="not an allocation table in the EarthFrequencies form"):
        parse_tsv("a\tb\n1\t2\n", "x")


@pytest.mark.parametrize("f_mhz,bw_khz,service,ok,category", [
    (98.0, 200.0, "broadcasting", True, "primary"),       # 88-100 MHz: broadcasting (R3)
    (500.0, 8000.0, "broadcasting", True, "primary"),     # 470-585 MHz
    (2350.0, 20000.0, "mobile", True, "primary"),         # 2300-2450 MHz
    (3450.0, 20000.0, "mobile", True, "secondary"),       # 3400-3500 MHz: Mobile 5.432B (secondary in R3)
    (2800.0, 10000.0, "radiolocation", True, "secondary"),  # 2700-2900 MHz: Radiolocation 5.423 5.424
    (5600.0, 10000.0, "radiolocation", True, "primary"),  # 5470-5650 MHz
    (3550.0, 20000.0, "mobile", False, None),             # 3500-3600 MHz: missing upstream (a gap)
    (1420.2, 100.0, "fixed", False, None),                # 1400-1427 MHz: passive bands only
])
def test_region3_table(f_mhz, bw_khz, service, ok, category):
    from spectrum.allocation_rr import import_table

    t, rep = import_table(_rr_source(), "itu3")
    assert rep.allocations > 1200 and (3500.0, 3600.0) in rep.gaps
    chk = t.check(f_mhz, bw_khz, service)
    assert chk.ok is ok and chk.category == category, chk.reason


@pytest.mark.parametrize("name", ["itu1", "itu2", "itu3", "us", "gb", "ca", "eu", "kr", "mn", "fr", "de"])
def test_national_tables_import(name):
    from spectrum.allocation_rr import import_table

    t, rep = import_table(_rr_source(), name)
    assert len(t) > 500 and rep.rows > 1000
    assert {a.service for a in t.allocations} <= set(SERVICES)


def test_broken_upstream_table_is_an_error_naming_it():
    from spectrum.allocation_rr import import_table

    with pytest.raises(ValueError, match=r"sg .*every row has lower == upper frequency"):
        import_table(_rr_source(), "sg")


def test_activate_puts_the_table_in_force_in_that_register_only(tmp_path, capsys):
    import json

    from spectrum import cli
    from spectrum.register import Register

    src = _rr_source()
    db, other = str(tmp_path / "reg.sqlite"), str(tmp_path / "other.sqlite")
    for d in (db, other):
        assert cli.main(["register", "init", "--db", d]) == 0
    capsys.readouterr()
    with Register.open(db) as reg:
        assert reg.allocation_table_info()["source"] == "sample"
        assert reg.check_allocation(3550.0, 20000.0, "mobile").ok  # the sample allows it
    assert cli.main(["register", "allocation", "import", str(src), "--table", "itu3", "--activate", "--db", db,
                     "--reason", "adopt RR Region 3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["active"] and doc["installed"]["bands"] > 1200 and doc["installed"]["audit"]["head"]
    with Register.open(db) as reg:
        info = reg.allocation_table_info()
        assert info["source"] == "register" and info["bands"] == doc["installed"]["bands"]
        chk = reg.check_allocation(3550.0, 20000.0, "mobile")
        assert not chk.ok and "no allocation there" in chk.reason
        assert reg.check_allocation(3450.0, 20000.0, "mobile").category == "secondary"
        assert reg.integrity_check() == []
        last = reg.audit(entity="allocation_table")[-1]
        assert last["action"] == "replace" and last["reason"] == "adopt RR Region 3"
    with Register.open(other) as reg:  # nothing outside the register changed
        assert reg.allocation_table_info()["source"] == "sample"
        assert reg.check_allocation(3550.0, 20000.0, "mobile").ok
    assert cli.main(["register", "allocation", "--check", "3450", "20000", "--service", "mobile", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "secondary" in out and "table in force in" in out and "itu3" in out
    assert cli.main(["register", "allocation", "import", str(src), "--table", "zz", "--db", db]) == 2
    assert "no table 'zz'" in capsys.readouterr().err


def test_allocation_table_changed_outside_the_api_is_detected(tmp_path):
    import sqlite3

    from spectrum.allocation_rr import import_table
    from spectrum.register import Register

    t, _ = import_table(_rr_source(), "itu3")
    db = tmp_path / "reg.sqlite"
    with Register.open(db) as reg:
        rep = reg.set_allocation_table(t, source="test")
        assert rep["bands"] == len(t) and reg.integrity_check() == []
    con = sqlite3.connect(db)
    con.execute("UPDATE allocation_band SET f_hi_mhz = f_hi_mhz + 1 WHERE id = 10")
    con.commit()
    con.close()
    with Register.open(db) as reg:
        assert any("bands changed outside the API" in p for p in reg.integrity_check())
    con = sqlite3.connect(db)
    con.execute("DELETE FROM allocation_band")
    con.execute("DELETE FROM allocation_table_info")
    con.commit()
    con.close()
    with Register.open(db) as reg:
        assert any("deleted outside the API" in p for p in reg.integrity_check())


def test_new_table_reports_existing_assignments_it_no_longer_permits(tmp_path):
    from spectrum.allocation import Allocation, AllocationTable
    from spectrum.datasets.register import sample_register

    reg = sample_register()
    only_fm = AllocationTable([Allocation(87.5, 108.0, "broadcasting")], name="FM only")
    rep = reg.set_allocation_table(only_fm)
    assert rep["nonconforming"] and all(b["f_mhz"] < 87.5 or b["f_mhz"] > 108.0 or b["service"] != "broadcasting"
                                        for b in rep["nonconforming"])
    with pytest.raises(ValueError, match="nothing to install"):
        reg.set_allocation_table(AllocationTable([], name="empty"))

