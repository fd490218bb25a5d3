"""Random distributions of a Monte Carlo workspace, sampled by inverse transform, Rec. ITU-R SM.2028-2 §2.

Every parameter of a scenario is a :class:`Distribution`. A distribution maps a uniform
variate ``u`` in (0, 1) to a value through its inverse cumulative distribution function
(:meth:`Distribution.ppf`), so each parameter consumes exactly one uniform per event. That is
what makes the streams splittable (:mod:`spectrum.montecarlo.streams`): the value of event
``i`` depends only on the seed, the stream and ``i``, never on how events are grouped.

Kinds (JSON ``{"dist": kind, ...}``; a bare number is a constant):

==================  =======================================  ===========================================
kind                parameters                               inverse CDF
==================  =======================================  ===========================================
constant            value                                    value
uniform             min, max                                 min + u (max - min)
gaussian            mean, std [, min, max]                   mean + std Phi^-1(u) (truncated to
                                                             [min, max] by rescaling u when given)
rayleigh            sigma [, min, max]                       sigma sqrt(-2 ln(1 - u)) (truncatable)
discrete            values [, probabilities]                 the value whose cumulative probability
                                                             first reaches u (equal weights by default)
discrete_uniform    min, max, step                           min + step floor(u n), n = (max-min)/step + 1
cdf                 x, p (p from 0 to 1, both ascending)     piecewise-linear interpolation of (p, x)
stair               x, p (cumulative p, ascending, last 1)   x_k for p_{k-1} < u <= p_k (step CDF)
==================  =======================================  ===========================================

These are the distribution types of the SEAMCAT distribution dialog (constant, uniform,
Gaussian, Rayleigh, discrete uniform, user-defined continuous CDF, user-defined stair) plus a
weighted discrete law. A truncated Gaussian / Rayleigh keeps the inverse-transform property (u
is mapped into [F(min), F(max)] first), so it still draws exactly one uniform.

References
----------
Rec. ITU-R SM.2028-2 (06/2017), Monte Carlo simulation methodology for the use in sharing and
compatibility studies between different radio services or systems, §2 (random variables) and
Annex 1; ECC SEAMCAT handbook, "Random distribution dialog window".
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import special

__all__ = ["Distribution", "parse_distribution", "KINDS"]

KINDS = ("constant", "uniform", "gaussian", "rayleigh", "discrete", "discrete_uniform", "cdf", "stair")
_ALIASES = {"normal": "gaussian", "fixed": "constant", "user-defined": "cdf", "user_defined": "cdf",
            "user-defined-stair": "stair", "discrete-uniform": "discrete_uniform"}
#: keys of a distribution object that are not parameters of the law
_META = ("dist", "stream", "correlate")


@dataclass(frozen=True)
class Distribution:
    """A one-dimensional law, sampled by inverse transform (module notes).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    params : dict
        The law's parameters (floats, or tuples of floats for tables).
    stream : str, optional
        Name of the uniform stream to draw from; parameters naming the same stream are fully
        (comonotonically) correlated. Default: the parameter's own path in the workspace.
    correlate : tuple (stream, rho), optional
        Gaussian-copula correlation ``rho`` in [-1, 1] with the named stream.
    """

    kind: str
    params: dict = field(default_factory=dict)
    stream: str | None = None
    correlate: tuple | None = None

    # ------------------------------------------------------------------ properties
    @property
    def is_constant(self) -> bool:
        if self.kind == "constant":
            return True
        if self.kind == "uniform":
            return self.params["min"] == self.params["max"]
        if self.kind in ("discrete", "stair"):
            v = self.params["values" if self.kind == "discrete" else "x"]
            return len(set(v)) == 1
        return False

    @property
    def value(self) -> float:
        """The value of a constant law (the median otherwise)."""
        if self.kind == "constant":
            return float(self.params["value"])
        return float(self.ppf(np.array([0.5]))[0])

    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value the law can give (may be infinite)."""
        p = self.params
        k = self.kind
        if k == "constant":
            return float(p["value"]), float(p["value"])
        if k in ("uniform", "discrete_uniform"):
            return float(p["min"]), float(self.ppf(np.array([1.0 - 1e-15]))[0]) if k == "discrete_uniform" \
                else float(p["max"])
        if k == "gaussian":
            return float(p.get("min", -math.inf)), float(p.get("max", math.inf))
        if k == "rayleigh":
            return float(p.get("min", 0.0)), float(p.get("max", math.inf))
        if k == "discrete":
            return float(min(p["values"])), float(max(p["values"]))
        return float(p["x"][0]), float(p["x"][-1])

    # ------------------------------------------------------------------ sampling
    def ppf(self, u) -> np.ndarray:
        """Inverse CDF at uniforms ``u`` in (0, 1). [the parameter's unit]"""
        u = np.asarray(u, dtype=np.float64)
        p = self.params
        k = self.kind
        if k == "constant":
            return np.full(u.shape, float(p["value"]))
        if k == "uniform":
            return p["min"] + u * (p["max"] - p["min"])
        if k == "gaussian":
            lo, hi = p.get("min"), p.get("max")
            if lo is not None or hi is not None:
                a = special.ndtr((lo - p["mean"]) / p["std"]) if lo is not None else 0.0
                b = special.ndtr((hi - p["mean"]) / p["std"]) if hi is not None else 1.0
                u = a + u * (b - a)
            x = p["mean"] + p["std"] * special.ndtri(u)
            if lo is not None or hi is not None:
                x = np.clip(x, -np.inf if lo is None else lo, np.inf if hi is None else hi)
            return x
        if k == "rayleigh":
            s = p["sigma"]
            lo, hi = p.get("min"), p.get("max")
            if lo is not None or hi is not None:
                a = -math.expm1(-(lo / s) ** 2 / 2) if lo is not None else 0.0
                b = -math.expm1(-(hi / s) ** 2 / 2) if hi is not None else 1.0
                u = a + u * (b - a)
            x = s * np.sqrt(-2.0 * np.log1p(-u))
            if lo is not None or hi is not None:
                x = np.clip(x, 0.0 if lo is None else lo, np.inf if hi is None else hi)
            return x
        if k == "discrete":
            cum = np.asarray(p["cum"])
            idx = np.minimum(np.searchsorted(cum, u, side="left"), cum.size - 1)
            return np.asarray(p["values"], dtype=np.float64)[idx]
        if k == "discrete_uniform":
            n = int(round((p["max"] - p["min"]) / p["step"])) + 1
            return p["min"] + p["step"] * np.minimum(np.floor(u * n), n - 1)
        if k == "cdf":
            return np.interp(u, np.asarray(p["p"]), np.asarray(p["x"]))
        if k == "stair":
            cum = np.asarray(p["p"])
            idx = np.minimum(np.searchsorted(cum, u, side="left"), cum.size - 1)
            return np.asarray(p["x"], dtype=np.float64)[idx]
        raise ValueError(f"unknown distribution kind {k!r}")  # pragma: no cover - parse rejects it

    def cdf(self, x) -> np.ndarray:
        """Cumulative distribution function (for the tests' Kolmogorov-Smirnov checks)."""
        x = np.asarray(x, dtype=np.float64)
        p = self.params
        k = self.kind
        if k == "constant":
            return (x >= p["value"]).astype(float)
        if k == "uniform":
            w = p["max"] - p["min"]
            return np.clip((x - p["min"]) / w, 0.0, 1.0) if w > 0 else (x >= p["min"]).astype(float)
        if k == "gaussian":
            c = special.ndtr((x - p["mean"]) / p["std"])
            lo, hi = p.get("min"), p.get("max")
            a = special.ndtr((lo - p["mean"]) / p["std"]) if lo is not None else 0.0
            b = special.ndtr((hi - p["mean"]) / p["std"]) if hi is not None else 1.0
            return np.clip((c - a) / (b - a), 0.0, 1.0)
        if k == "rayleigh":
            def f(v):
                return -np.expm1(-(np.maximum(v, 0.0) / p["sigma"]) ** 2 / 2)
            a = f(p["min"]) if "min" in p else 0.0
            b = f(p["max"]) if "max" in p else 1.0
            return np.clip((f(x) - a) / (b - a), 0.0, 1.0)
        if k in ("discrete", "stair"):
            vals = np.asarray(p["values"] if k == "discrete" else p["x"], float)
            cum = np.asarray(p["cum"] if k == "discrete" else p["p"], float)
            w = np.diff(np.concatenate([[0.0], cum]))
            return np.array([w[vals <= xi].sum() for xi in x.ravel()]).reshape(x.shape)
        if k == "discrete_uniform":
            n = int(round((p["max"] - p["min"]) / p["step"])) + 1
            return np.clip(np.floor((x - p["min"]) / p["step"] + 1e-9) + 1, 0, n) / n
        return np.interp(x, np.asarray(p["x"]), np.asarray(p["p"]), left=0.0, right=1.0)

    def to_dict(self) -> Any:
        if self.kind == "constant" and self.stream is None and self.correlate is None:
            return float(self.params["value"])
        d = {"dist": self.kind}
        for key, v in self.params.items():
            if key == "cum":
                continue
            d[key] = list(v) if isinstance(v, tuple) else v
        if self.stream is not None:
            d["stream"] = self.stream
        if self.correlate is not None:
            d["correlate"] = {"with": self.correlate[0], "rho": self.correlate[1]}
        return d


def _num(path: str, d: dict, key: str, *, required=True, positive=False, lo=None, hi=None):
    if key not in d or d[key] is None:
        if required:
            raise ValueError(f"{path}.{key} is required")
        return None
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{path}.{key} = {v!r} must be a number")
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"{path}.{key} = {v!r} must be finite")
    if positive and v <= 0:
        raise ValueError(f"{path}.{key} = {v:g} must be > 0")
    if lo is not None and v < lo:
        raise ValueError(f"{path}.{key} = {v:g} must be >= {lo:g}")
    if hi is not None and v > hi:
        raise ValueError(f"{path}.{key} = {v:g} must be <= {hi:g}")
    return v


def _table(path: str, d: dict, key: str, *, min_len=1) -> tuple:
    v = d.get(key)
    if not isinstance(v, (list, tuple)) or len(v) < min_len:
        raise ValueError(f"{path}.{key} = {v!r} must be a list of at least {min_len} numbers")
    out = []
    for i, x in enumerate(v):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(float(x)):
            raise ValueError(f"{path}.{key}[{i}] = {x!r} must be a finite number")
        out.append(float(x))
    return tuple(out)


def parse_distribution(value, path: str, *, lo: float | None = None, hi: float | None = None,
                       positive: bool = False) -> Distribution:
    """A :class:`Distribution` from its workspace form (a number or ``{"dist": kind, ...}``).

    Parameters
    ----------
    value : number or dict
    path : str
        Field path used in error messages (e.g. ``interferers[1].tx.power_dbw``).
    lo, hi : float, optional
        The range every value of the law must lie in (checked on the law's bounds).
    positive : bool
        Every value must be > 0.

    Raises
    ------
    ValueError
        Naming the field path, the value and what it must be.
    """
    if isinstance(value, bool):
        raise ValueError(f"{path} = {value!r} must be a number or a distribution {{\"dist\": ...}}")
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            raise ValueError(f"{path} = {value!r} must be finite")
        d = Distribution("constant", {"value": float(value)})
    elif isinstance(value, dict):
        kind = value.get("dist")
        kind = _ALIASES.get(kind, kind)
        if kind not in KINDS:
            raise ValueError(f"{path}.dist = {value.get('dist')!r} must be one of {', '.join(KINDS)}")
        known = {"constant": ("value",), "uniform": ("min", "max"), "gaussian": ("mean", "std", "min", "max"),
                 "rayleigh": ("sigma", "min", "max"), "discrete": ("values", "probabilities"),
                 "discrete_uniform": ("min", "max", "step"), "cdf": ("x", "p"), "stair": ("x", "p")}[kind]
        extra = [k for k in value if k not in known and k not in _META]
        if extra:
            raise ValueError(f"{path}.{extra[0]} is not a parameter of a {kind} distribution "
                             f"(parameters: {', '.join(known)})")
        prm = _params(kind, value, path)
        stream = value.get("stream")
        if stream is not None and (not isinstance(stream, str) or not stream):
            raise ValueError(f"{path}.stream = {stream!r} must be a non-empty string")
        corr = value.get("correlate")
        if corr is not None:
            if not isinstance(corr, dict) or not isinstance(corr.get("with"), str):
                raise ValueError(f"{path}.correlate = {corr!r} must be {{\"with\": STREAM, \"rho\": R}}")
            rho = _num(f"{path}.correlate", corr, "rho", lo=-1.0, hi=1.0)
            corr = (corr["with"], rho)
        d = Distribution(kind, prm, stream, corr)
    else:
        raise ValueError(f"{path} = {value!r} must be a number or a distribution {{\"dist\": ...}}")
    b0, b1 = d.bounds()
    if not (math.isfinite(b0) and math.isfinite(b1)):  # unbounded laws: checked at their 1e-12 quantiles
        q = d.ppf(np.array([1e-12, 1.0 - 1e-12]))
        b0 = b0 if math.isfinite(b0) else float(q[0])
        b1 = b1 if math.isfinite(b1) else float(q[1])
    if positive and b0 <= 0:
        raise ValueError(f"{path} = {_show(value)} must be > 0 (its smallest value is {b0:g})")
    if lo is not None and b0 < lo:
        raise ValueError(f"{path} = {_show(value)} must be >= {lo:g} (its smallest value is {b0:g})")
    if hi is not None and b1 > hi:
        raise ValueError(f"{path} = {_show(value)} must be <= {hi:g} (its largest value is {b1:g})")
    return d


def _show(v) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) else repr(v)


def _params(kind: str, v: dict, path: str) -> dict:
    if kind == "constant":
        return {"value": _num(path, v, "value")}
    if kind == "uniform":
        a, b = _num(path, v, "min"), _num(path, v, "max")
        if b < a:
            raise ValueError(f"{path}.max = {b:g} must be >= min = {a:g}")
        return {"min": a, "max": b}
    if kind == "gaussian":
        out = {"mean": _num(path, v, "mean"), "std": _num(path, v, "std", positive=True)}
        for k in ("min", "max"):
            x = _num(path, v, k, required=False)
            if x is not None:
                out[k] = x
        if "min" in out and "max" in out and out["max"] <= out["min"]:
            raise ValueError(f"{path}.max = {out['max']:g} must be > min = {out['min']:g}")
        return out
    if kind == "rayleigh":
        out = {"sigma": _num(path, v, "sigma", positive=True)}
        for k in ("min", "max"):
            x = _num(path, v, k, required=False, lo=0.0)
            if x is not None:
                out[k] = x
        if "min" in out and "max" in out and out["max"] <= out["min"]:
            raise ValueError(f"{path}.max = {out['max']:g} must be > min = {out['min']:g}")
        return out
    if kind == "discrete":
        vals = _table(path, v, "values")
        if v.get("probabilities") is None:
            w = np.full(len(vals), 1.0 / len(vals))
        else:
            w = np.asarray(_table(path, v, "probabilities"))
            if w.size != len(vals):
                raise ValueError(f"{path}.probabilities has {w.size} entries; values has {len(vals)}")
            if np.any(w < 0) or abs(w.sum() - 1.0) > 1e-9:
                raise ValueError(f"{path}.probabilities = {w.tolist()} must be >= 0 and sum to 1 "
                                 f"(sum {w.sum():g})")
        cum = np.cumsum(w)
        cum[-1] = 1.0
        return {"values": vals, "probabilities": tuple(float(x) for x in w), "cum": tuple(cum.tolist())}
    if kind == "discrete_uniform":
        a, b = _num(path, v, "min"), _num(path, v, "max")
        s = _num(path, v, "step", positive=True)
        if b < a:
            raise ValueError(f"{path}.max = {b:g} must be >= min = {a:g}")
        n = (b - a) / s
        if abs(n - round(n)) > 1e-9 * max(1.0, n):
            raise ValueError(f"{path}: (max - min) / step = {n:g} must be a whole number")
        return {"min": a, "max": b, "step": s}
    x = _table(path, v, "x", min_len=2 if kind == "cdf" else 1)
    p = _table(path, v, "p", min_len=2 if kind == "cdf" else 1)
    if len(x) != len(p):
        raise ValueError(f"{path}: x has {len(x)} entries and p {len(p)}; they must match")
    if np.any(np.diff(x) < 0) or (kind == "stair" and np.any(np.diff(x) <= 0)):
        raise ValueError(f"{path}.x = {list(x)} must ascend")
    if np.any(np.diff(p) < 0) or p[0] < 0 or abs(p[-1] - 1.0) > 1e-9:
        raise ValueError(f"{path}.p = {list(p)} must ascend within [0, 1] and end at 1")
    if kind == "cdf" and p[0] != 0.0:
        raise ValueError(f"{path}.p[0] = {p[0]:g} must be 0 (a continuous CDF starts at probability 0)")
    return {"x": x, "p": p}
