"""Monte Carlo properties (hypothesis): block splitting never changes a result, more interferer power
never lowers the probability of interference (same seed), the composite is at least every
mechanism, Wilson intervals contain the estimate."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from spectrum.montecarlo import reduce_blocks, run, run_block, wilson_interval

WS = {
    "name": "props", "seed": 3,
    "victim": {"rx": {"f_mhz": 900.0, "bw_khz": 200.0, "criteria": {"I/N": -6.0, "C/I": 12.0, "C/(N+I)": 10.0,
                                                                      "(N+I)/N": 1.0},
                      "sensitivity_dbw": -130.0, "blocking": {"offset_khz": [0.0, 1000.0], "value": [20.0, 60.0]}},
               "tx": {"position": {"mode": "disc", "radius_km": 3.0}, "power_dbw": -20.0}},
    "interferers": [
        {"name": "a", "tx": {"position": {"mode": "disc", "radius_km": 8.0}, "power_dbw": -30.0,
                             "f_mhz": {"dist": "discrete", "values": [900.0, 900.2, 900.6]}, "bw_khz": 200.0},
         "propagation": {"model": "free-space", "variation_db": {"dist": "gaussian", "mean": 0.0, "std": 4.0}}},
        {"name": "b", "tx": {"position": {"mode": "ring", "r_min_km": 1.0, "radius_km": 6.0}, "power_dbw": -40.0,
                             "f_mhz": 900.4, "bw_khz": 200.0}},
    ],
}
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(st.integers(1, 900), min_size=1, max_size=6), st.integers(0, 2 ** 31 - 1))
def test_any_split_is_bit_identical(cuts, seed):
    n = 1200
    ref = run(WS, n, seed, block_events=n)
    edges = sorted({0, n, *[c % n for c in cuts]})
    blocks = [run_block(WS, seed, i, b - a, a) for i, (a, b) in enumerate(zip(edges, edges[1:]))]
    res = reduce_blocks(WS, seed, blocks[::-1])
    assert np.array_equal(res.counts, ref.counts) and np.array_equal(res.hist, ref.hist)
    assert np.array_equal(res.vectors["irss_dbw"], ref.vectors["irss_dbw"])


@SETTINGS
@given(st.floats(-60.0, 0.0), st.floats(0.5, 20.0))
def test_more_power_never_less_interference(p0, dp):
    import copy

    lo = copy.deepcopy(WS)
    hi = copy.deepcopy(WS)
    lo["interferers"][0]["tx"]["power_dbw"] = p0
    hi["interferers"][0]["tx"]["power_dbw"] = p0 + dp
    a, b = run(lo, 800), run(hi, 800)
    assert (b.counts >= a.counts).all()
    v = a.vectors
    for m in ("irss_unwanted_dbw", "irss_blocking_dbw"):
        assert (v["irss_dbw"] >= v[m] - 1e-9).all()


@given(st.integers(0, 500), st.integers(1, 500), st.floats(0.5, 0.999))
def test_wilson_interval_contains_estimate(k, extra, conf):
    n = k + extra
    lo, hi = wilson_interval(k, n, conf)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    lo2, hi2 = wilson_interval(k, n, min(0.9999, conf + 0.0005))
    assert lo2 <= lo + 1e-12 and hi2 >= hi - 1e-12
