"""National frequency allocation table."""
from __future__ import annotations

import pytest

from spectrum.allocation import (SERVICES, Allocation, AllocationTable, check_service, default_allocation_table,
                                 load_allocation_table)


@pytest.fixture(scope="module")
def table():
    return default_allocation_table()


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
