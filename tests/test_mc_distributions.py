"""Monte Carlo distributions and streams: inverse-transform sampling checked by Kolmogorov-Smirnov
tests against the analytic CDFs (fixed seeds: deterministic), splittable streams, correlation."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from spectrum.montecarlo import Streams, parse_distribution
from spectrum.montecarlo.streams import SUBSTREAM

N = 20000
CONT = {
    "uniform": {"dist": "uniform", "min": -3.0, "max": 7.0},
    "gaussian": {"dist": "gaussian", "mean": 2.0, "std": 3.0},
    "gaussian-truncated": {"dist": "gaussian", "mean": 0.0, "std": 2.0, "min": -1.0, "max": 3.0},
    "rayleigh": {"dist": "rayleigh", "sigma": 4.0},
    "rayleigh-truncated": {"dist": "rayleigh", "sigma": 4.0, "min": 1.0, "max": 6.0},
    "cdf": {"dist": "cdf", "x": [0.0, 1.0, 5.0, 6.0], "p": [0.0, 0.2, 0.9, 1.0]},
}


def _scipy_cdf(name):
    if name == "uniform":
        return stats.uniform(-3, 10).cdf
    if name == "gaussian":
        return stats.norm(2, 3).cdf
    if name == "gaussian-truncated":
        return stats.truncnorm(-0.5, 1.5, loc=0, scale=2).cdf
    if name == "rayleigh":
        return stats.rayleigh(scale=4).cdf
    if name == "rayleigh-truncated":
        r = stats.rayleigh(scale=4)
        return lambda x: np.clip((r.cdf(x) - r.cdf(1)) / (r.cdf(6) - r.cdf(1)), 0, 1)
    return lambda x: np.interp(x, [0, 1, 5, 6], [0, 0.2, 0.9, 1.0])


@pytest.mark.parametrize("name", list(CONT))
def test_ks_against_analytic_cdf(name):
    d = parse_distribution(CONT[name], f"test.{name}")
    x = Streams(11, 0, N).sample(d, f"test.{name}")
    cdf = _scipy_cdf(name)   # independent oracle: scipy.stats, not our own cdf()
    assert stats.kstest(x, cdf).pvalue > 1e-3
    assert np.allclose(d.cdf(x[:200]), cdf(x[:200]), atol=1e-9)
    # the test can fail: the same sample against a CDF shifted by 2 % of its spread is rejected
    spread = np.subtract(*np.percentile(x, [95, 5]))
    assert stats.kstest(x + 0.05 * spread, cdf).pvalue < 1e-3


@pytest.mark.parametrize("spec,values,probs", [
    ({"dist": "discrete", "values": [1.0, 2.0, 5.0], "probabilities": [0.2, 0.5, 0.3]}, [1, 2, 5], [0.2, 0.5, 0.3]),
    ({"dist": "discrete", "values": [4.0, 8.0]}, [4, 8], [0.5, 0.5]),
    ({"dist": "stair", "x": [10.0, 20.0, 30.0], "p": [0.1, 0.6, 1.0]}, [10, 20, 30], [0.1, 0.5, 0.4]),
    ({"dist": "discrete_uniform", "min": 0.0, "max": 4.0, "step": 2.0}, [0, 2, 4], [1 / 3, 1 / 3, 1 / 3]),
], ids=["discrete", "discrete-equal", "stair", "discrete-uniform"])
def test_discrete_laws_chi_square(spec, values, probs):
    d = parse_distribution(spec, "test")
    x = Streams(5, 0, N).sample(d, "test")
    counts = np.array([(x == v).sum() for v in values])
    assert counts.sum() == N
    assert stats.chisquare(counts, np.array(probs) * N).pvalue > 1e-3
    wrong = np.array(probs[::-1]) * N
    if not np.allclose(probs, probs[::-1]):
        assert stats.chisquare(counts, wrong).pvalue < 1e-3


def test_constant_draws_nothing():
    st = Streams(1, 0, 10)
    assert st.sample(parse_distribution(3.5, "c"), "c") == 3.5
    assert st._cache == {}


@pytest.mark.parametrize("split", [1, 7, 1000, SUBSTREAM - 1, SUBSTREAM, SUBSTREAM + 3])
def test_streams_do_not_depend_on_blocks(split):
    n = SUBSTREAM + 5000
    whole = Streams(42, 0, n).uniforms("interferers[0].tx.power_dbw")
    a = 0 if split >= 1000 else SUBSTREAM - 60     # tiny blocks: a window across the sub-stream boundary
    parts = [Streams(42, s, min(split, n - s)).uniforms("interferers[0].tx.power_dbw")
             for s in range(a, n if a == 0 else SUBSTREAM + 60, split)]
    assert np.array_equal(whole[a:a + sum(p.size for p in parts)], np.concatenate(parts))
    assert np.all((whole > 0) & (whole < 1))


def test_streams_differ_by_seed_and_name():
    a = Streams(1, 0, 1000).uniforms("a")
    assert not np.array_equal(a, Streams(2, 0, 1000).uniforms("a"))
    assert not np.array_equal(a, Streams(1, 0, 1000).uniforms("b"))
    assert abs(np.corrcoef(a, Streams(1, 0, 1000).uniforms("b"))[0, 1]) < 0.1


def test_shared_stream_and_copula():
    st = Streams(3, 0, N)
    d1 = parse_distribution({"dist": "uniform", "min": 0, "max": 1, "stream": "s"}, "x")
    d2 = parse_distribution({"dist": "gaussian", "mean": 0, "std": 1, "stream": "s"}, "y")
    x, y = st.sample(d1, "x"), st.sample(d2, "y")
    assert stats.spearmanr(x, y).correlation == pytest.approx(1.0)
    for rho in (-0.9, 0.0, 0.6):
        d3 = parse_distribution({"dist": "gaussian", "mean": 5, "std": 2, "correlate": {"with": "s", "rho": rho}}, "z")
        z = st.sample(d3, "z")
        assert np.corrcoef(st.sample(d2, "y"), z)[0, 1] == pytest.approx(rho, abs=0.03)
        assert stats.kstest(z, stats.norm(5, 2).cdf).pvalue > 1e-3   # marginal kept


@pytest.mark.parametrize("spec,msg", [
    ({"dist": "uniform", "min": 5, "max": 1}, "p.max = 1 must be >= min = 5"),
    ({"dist": "gaussian", "mean": 0, "std": -1}, "p.std = -1 must be > 0"),
    ({"dist": "weibull", "k": 1}, "p.dist = 'weibull' must be one of"),
    ({"dist": "uniform", "min": 0, "max": 1, "mean": 3}, "p.mean is not a parameter of a uniform distribution"),
    ({"dist": "discrete", "values": [1, 2], "probabilities": [0.5, 0.6]}, "must be >= 0 and sum to 1"),
    ({"dist": "cdf", "x": [0, 1], "p": [0.1, 1.0]}, "p.p[0] = 0.1 must be 0"),
    ({"dist": "stair", "x": [2, 1], "p": [0.5, 1.0]}, "p.x = [2.0, 1.0] must ascend"),
    ("ten", "p = 'ten' must be a number"),
    (float("nan"), "p = nan must be finite"),
])
def test_distribution_errors_name_the_field(spec, msg):
    with pytest.raises(ValueError, match=msg.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]").replace("+", r"\+")):
        parse_distribution(spec, "p")


def test_bounds_checked_on_whole_law():
    with pytest.raises(ValueError, match=r"h = .* must be >= 0 \(its smallest value is -1\)"):
        parse_distribution({"dist": "uniform", "min": -1, "max": 3}, "h", lo=0.0)
    # unbounded laws are checked at their 1e-12 quantiles (about 7 sigma)
    with pytest.raises(ValueError, match="must be > 0"):
        parse_distribution({"dist": "gaussian", "mean": 3, "std": 1}, "f", positive=True)
    parse_distribution({"dist": "gaussian", "mean": 10, "std": 1}, "f", positive=True)
    parse_distribution({"dist": "gaussian", "mean": 3, "std": 1, "min": 0.5}, "f", positive=True)
