"""Emission designators, Radio Regulations Appendix 1."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum.emission import (DETAILS, INFORMATION, MODULATION, MULTIPLEXING, NATURE, bandwidth_hz,
                               format_bandwidth, parse_emission)

# The examples printed in RR Appendix 1 §2 (necessary bandwidth in Hz -> code)
RR_EXAMPLES = [
    (0.002, "H002"), (0.1, "H100"), (25.3, "25H3"), (400.0, "400H"), (2.4e3, "2K40"), (6e3, "6K00"),
    (12.5e3, "12K5"), (180.4e3, "180K"), (180.5e3, "181K"), (180.7e3, "181K"), (1.25e6, "1M25"),
    (2e6, "2M00"), (10e6, "10M0"), (202e6, "202M"), (5.65e9, "5G65"),
]


@pytest.mark.parametrize("bw_hz,code", RR_EXAMPLES, ids=[c for _, c in RR_EXAMPLES])
def test_format_bandwidth_rr_examples(bw_hz, code):
    assert format_bandwidth(bw_hz) == code


@pytest.mark.parametrize("bw_hz,code", [e for e in RR_EXAMPLES if e[1] not in ("181K", "180K")],
                         ids=[c for _, c in RR_EXAMPLES if c not in ("181K", "180K")])
def test_bandwidth_code_parses_back(bw_hz, code):
    assert bandwidth_hz(code) == pytest.approx(bw_hz, rel=1e-12)


def test_rounding_carries_into_next_unit():
    assert format_bandwidth(999.7) == "1K00"
    assert format_bandwidth(9996.0) == "10K0"
    assert format_bandwidth(999.6e3) == "1M00"


@pytest.mark.parametrize("designator,bw_khz,m,n,i,det,mux", [
    ("16K0F3E", 16.0, "F", "3", "E", None, None),
    ("180KF8EHF", 180.0, "F", "8", "E", "H", "F"),
    ("7M56W7W", 7560.0, "W", "7", "W", None, None),
    ("2K70J3E", 2.7, "J", "3", "E", None, None),
    ("28M0D7W", 28000.0, "D", "7", "W", None, None),
    ("100HA1A", 0.1, "A", "1", "A", None, None),
    ("5M75C3F", 5750.0, "C", "3", "F", None, None),
    ("16K0F3EJN", 16.0, "F", "3", "E", "J", "N"),
    ("16K0F3E-N", 16.0, "F", "3", "E", None, "N"),
    ("16k0f3e", 16.0, "F", "3", "E", None, None),
    ("16K0 F3E", 16.0, "F", "3", "E", None, None),
])
def test_parse_valid(designator, bw_khz, m, n, i, det, mux):
    e = parse_emission(designator)
    assert e.bw_khz == pytest.approx(bw_khz, rel=1e-12)
    assert (e.modulation, e.nature, e.information, e.details, e.multiplexing) == (m, n, i, det, mux)
    assert parse_emission(e.designator) == e  # normalised form parses to itself
    assert set(e.describe()) >= {"designator", "bw_khz", "modulation", "nature", "information"}


@pytest.mark.parametrize("designator,needle", [
    ("16K0F3", "7 characters"),          # too short
    ("16K0F3EJNX", "7 characters"),      # too long
    ("016KF3E", "shall not be zero"),    # leading zero
    ("K160F3E", "shall not be K, M or G"),
    ("16KKF3E", "exactly one unit letter"),
    ("1600F3E", "exactly one unit letter"),
    ("H000F3E", "below"),                # 0 Hz
    ("0K50F3E", "shall not be zero"),
    ("16K0Z3E", "first symbol"),
    ("16K0F5E", "second symbol"),
    ("16K0F3Z", "third symbol"),
    ("16K0F3EY", "fourth symbol"),
    ("16K0F3EJZ", "fifth symbol"),
    ("", "7 characters"),
])
def test_parse_invalid_names_designator(designator, needle):
    with pytest.raises(ValueError) as info:
        parse_emission(designator)
    msg = str(info.value)
    assert needle in msg
    assert repr(designator) in msg


def test_parse_non_string():
    with pytest.raises(ValueError, match="must be a string"):
        parse_emission(16000)


def test_symbol_tables_complete():
    assert len(MODULATION) == 18 and len(NATURE) == 8 and len(INFORMATION) == 9
    assert len(DETAILS) == 15 and len(MULTIPLEXING) == 6


@pytest.mark.parametrize("bad", [0.0, -5.0, 1e13, float("nan"), "abc"])
def test_format_bandwidth_rejects(bad):
    with pytest.raises(ValueError, match="bw_hz"):
        format_bandwidth(bad)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.001, max_value=998e9, allow_nan=False))
def test_format_parse_round_trip_three_significant_figures(bw):
    code = format_bandwidth(bw)
    assert len(code) == 4
    back = bandwidth_hz(code)
    assert back == pytest.approx(bw, rel=5.01e-3, abs=5e-4)
    assert format_bandwidth(back) == code  # idempotent on representable values
    e = parse_emission(code + "F3E")
    assert e.bw_hz == back
