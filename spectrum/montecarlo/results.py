"""Monte Carlo results: probability of interference per criterion and mechanism with confidence
intervals, the signal CDFs, xarray Datasets and files (Rec. ITU-R SM.2028-2 §3.3-§4).

The probability of interference under a criterion is the fraction of the counted events
(dRSS > sensitivity, SEAMCAT's interference calculation) in which the criterion is exceeded:

* I/N: iRSS - N > (I/N)_t;   * C/I: dRSS - iRSS < (C/I)_t;
* C/(N+I): dRSS - (N (+) iRSS) < (C/(N+I))_t;   * (N+I)/N: (N (+) iRSS) - N > ((N+I)/N)_t,

with (+) the power sum and iRSS the composite (or one mechanism's) interference. Its confidence
interval is Wilson's score interval for a binomial proportion (exact enough at 0 and 1, where
the normal approximation collapses).

:class:`Accumulator` is the reducer: it adds :class:`~spectrum.montecarlo.engine.BlockResult`
objects in any order (integer counts and histograms: exactly associative) and, with a file,
streams the per-event vectors to a NetCDF-4/HDF5 file in event order, so memory stays bounded
for 10^8 events.

References
----------
Rec. ITU-R SM.2028-2 (06/2017) §3.3 (criteria), §4 (probability of interference);
E. B. Wilson (1927), "Probable inference, the law of succession, and statistical inference",
JASA 22(158) (score interval).
"""
from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ..interference import CRITERIA
from .engine import HIST_BINS, HIST_LO_DBW, HIST_STEP_DB, LEVELS, VARIABLES, BlockResult

__all__ = ["Accumulator", "Results", "wilson_interval"]

#: vectors written per event
VECTOR_VARS = ("drss_dbw", "irss_dbw", "irss_unwanted_dbw", "irss_blocking_dbw", "irss_intermod_dbw", "noise_dbw",
               "valid")


def wilson_interval(k, n, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion k / n (Wilson 1927). Returns (low, high)."""
    if n <= 0:
        return (0.0, 1.0)
    z = float(special.ndtri(0.5 + confidence / 2.0))
    p = k / n
    den = 1.0 + z * z / n
    c = (p + z * z / (2 * n)) / den
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo = 0.0 if k <= 0 else min(p, max(0.0, c - h))     # exactly 0 / 1 at the ends (rounding aside)
    hi = 1.0 if k >= n else max(p, min(1.0, c + h))
    return lo, hi


def _strvar(group, name, values):
    import h5py

    v = group.create_variable(name, (name,), dtype=h5py.string_dtype("utf-8"))
    v[:] = np.array(list(values), dtype=object)


class _Writer:
    """Per-event vectors streamed to a NetCDF-4 (HDF5) file through h5netcdf, in event order,
    written to a temporary file renamed on success (:func:`spectrum.io.atomic_path`)."""

    def __init__(self, path, n_interferers: int, names, attrs: dict):
        import h5netcdf

        from ..io import atomic_path

        self._ctx = atomic_path(path, suffix=".h5")
        self.tmp = self._ctx.__enter__()
        self.f = h5netcdf.File(self.tmp, "w")
        self.f.dimensions = {"event": None, "interferer": n_interferers}
        self.vars = {}
        for v in VECTOR_VARS:
            dt = "i1" if v == "valid" else "f8"
            var = self.f.create_variable(v, ("event",), dt, chunks=(65536,), compression="gzip",
                                         compression_opts=1)
            var.attrs["units"] = "1" if v == "valid" else "dBW"
            self.vars[v] = var
        var = self.f.create_variable("irss_k_dbw", ("event", "interferer"), "f8", chunks=(16384, n_interferers),
                                     compression="gzip", compression_opts=1)
        var.attrs["units"] = "dBW"
        var.attrs["long_name"] = "iRSS of each interferer (unwanted + blocking)"
        self.vars["irss_k_dbw"] = var
        _strvar(self.f, "interferer", names)
        for k, val in attrs.items():
            self.f.attrs[k] = val
        self.n = 0

    def append(self, vec: dict):
        m = vec["drss_dbw"].shape[0]
        self.f.resize_dimension("event", self.n + m)
        for v in VECTOR_VARS:
            self.vars[v][self.n:self.n + m] = vec[v].astype(np.int8) if v == "valid" else vec[v]
        self.vars["irss_k_dbw"][self.n:self.n + m, :] = vec["irss_k_dbw"]
        self.n += m

    def close(self, summary: dict, ok: bool = True):
        try:
            if ok:
                g = self.f.create_group("summary")
                g.dimensions = {"criterion": 4, "mechanism": 4, "variable": len(VARIABLES), "bin": HIST_BINS}
                _strvar(g, "criterion", CRITERIA)
                _strvar(g, "mechanism", LEVELS)
                _strvar(g, "variable", VARIABLES)
                for k in ("probability", "ci_low", "ci_high"):
                    g.create_variable(k, ("criterion", "mechanism"), data=summary[k])
                g.create_variable("interfered", ("criterion", "mechanism"), data=summary["counts"])
                g.create_variable("histogram", ("variable", "bin"), data=summary["hist"], compression="gzip")
                for k, v in summary["attrs"].items():
                    g.attrs[k] = v
            self.f.close()
        finally:
            if ok:
                self._ctx.__exit__(None, None, None)
            else:
                with contextlib.suppress(Exception):
                    self._ctx.__exit__(RuntimeError, RuntimeError("aborted"), None)


class Accumulator:
    """Reduce :class:`BlockResult` objects (any order) into :class:`Results`.

    Parameters
    ----------
    workspace : Workspace
    seed : int
    out : path, optional
        Stream the per-event vectors to this NetCDF-4/HDF5 file.
    first_event : int
        Index of the run's first event (vectors are ordered from it).
    keep_vectors_max : int
        Keep vectors in memory while the events added do not exceed this (the CDF plots and
        :meth:`Results.dataset` then have them); beyond, only histograms (0.01 dB bins).
    """

    def __init__(self, workspace, seed: int, out=None, keep_vectors_max: int = 2_000_000, first_event: int = 0):
        self.ws = workspace
        self.seed = int(seed)
        self.counts = np.zeros((4, 4), np.int64)
        self.valid = 0
        self.n = 0
        self.hist = np.zeros((len(VARIABLES), HIST_BINS), np.int64)
        self._pending: dict[int, dict] = {}
        self._next = int(first_event)
        self._mem: list = []
        self.keep_vectors_max = keep_vectors_max
        self._drop_mem = False
        self.t0 = time.perf_counter()
        self.out = out
        self._writer = None
        if out is not None:
            from .. import __version__

            self._writer = _Writer(out, len(workspace.interferers), [it.name for it in workspace.interferers],
                                   {"software": "spectrum", "software_version": __version__,
                                    "model": "Rec. ITU-R SM.2028-2 Monte Carlo", "seed": self.seed,
                                    "workspace_json": workspace.to_json(), "Conventions": "CF-1.8"})

    def add(self, b: BlockResult) -> None:
        self.counts += b.counts
        self.valid += b.valid
        self.n += b.n
        self.hist += b.hist
        if b.vectors is None:
            self._drop_mem = True
            return
        self._pending[b.start] = b.vectors
        while self._next in self._pending:
            v = self._pending.pop(self._next)
            if self._writer is not None:
                self._writer.append(v)
            if not self._drop_mem and self.n <= self.keep_vectors_max:
                self._mem.append(v)
            else:
                self._drop_mem = True
                self._mem = []
            self._next += v["drss_dbw"].shape[0]

    def result(self, elapsed_s: float | None = None) -> "Results":
        conf = self.ws.options["confidence"]
        vec = None
        if self._mem and not self._drop_mem and not self._pending:
            vec = {k: np.concatenate([m[k] for m in self._mem]) for k in self._mem[0]}
        r = Results(self.ws, self.seed, self.n, self.valid, self.counts.copy(), self.hist.copy(), vec, conf,
                    time.perf_counter() - self.t0 if elapsed_s is None else elapsed_s)
        if self._writer is not None:
            self._writer.close(r.summary_arrays())
            self._writer = None
        return r

    def abort(self):
        if self._writer is not None:
            self._writer.close({}, ok=False)
            self._writer = None


@dataclass
class Results:
    """Probabilities of interference, CDFs and (for small runs) per-event vectors of a run."""

    workspace: object
    seed: int
    n_events: int
    n_valid: int
    counts: np.ndarray
    hist: np.ndarray
    vectors: dict | None
    confidence: float = 0.95
    elapsed_s: float = 0.0
    extra: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ numbers
    def criteria(self) -> list[str]:
        return [c for c in CRITERIA if c in self.workspace.vr.extra["criteria"]]

    def mechanisms(self) -> list[str]:
        has = {m for it in self.workspace.interferers for m in it.mechanisms}
        if not (self.workspace.options["intermod"] and sum("intermod" in it.mechanisms
                                                            for it in self.workspace.interferers) >= 2):
            has.discard("intermod")
        return ["composite"] + [m for m in LEVELS[1:] if m in has]

    def probability(self, criterion: str = "I/N", mechanism: str = "composite") -> float:
        """Probability of interference (fraction of counted events interfered)."""
        k = self.counts[CRITERIA.index(criterion), LEVELS.index(mechanism)]
        return float(k / self.n_valid) if self.n_valid else float("nan")

    def interval(self, criterion: str = "I/N", mechanism: str = "composite") -> tuple[float, float]:
        """Wilson confidence interval of :meth:`probability` at ``confidence``."""
        k = int(self.counts[CRITERIA.index(criterion), LEVELS.index(mechanism)])
        return wilson_interval(k, self.n_valid, self.confidence)

    def halfwidth(self, criterion: str = "I/N", mechanism: str = "composite") -> float:
        lo, hi = self.interval(criterion, mechanism)
        return 0.5 * (hi - lo)

    def summary_arrays(self) -> dict:
        p = np.full((4, 4), np.nan)
        lo = np.full((4, 4), np.nan)
        hi = np.full((4, 4), np.nan)
        for i in range(4):
            for j in range(4):
                if self.n_valid:
                    p[i, j] = self.counts[i, j] / self.n_valid
                    lo[i, j], hi[i, j] = wilson_interval(int(self.counts[i, j]), self.n_valid, self.confidence)
        return {"probability": p, "ci_low": lo, "ci_high": hi, "counts": self.counts, "hist": self.hist,
                "attrs": {"n_events": self.n_events, "n_valid": self.n_valid, "confidence": self.confidence,
                          "hist_lo_dbw": HIST_LO_DBW, "hist_step_db": HIST_STEP_DB}}

    def rows(self) -> list[dict]:
        out = []
        for c in self.criteria():
            for m in self.mechanisms():
                lo, hi = self.interval(c, m)
                out.append({"criterion": c, "threshold_db": self.workspace.vr.extra["criteria"][c], "mechanism": m,
                            "probability": self.probability(c, m), "ci_low": lo, "ci_high": hi,
                            "interfered": int(self.counts[CRITERIA.index(c), LEVELS.index(m)])})
        return out

    def stats(self) -> dict:
        """Mean, standard deviation and 5/50/95 percentiles of each level (from the histograms,
        0.01 dB resolution; exact means from the vectors when kept). [dBW]"""
        out = {}
        for i, v in enumerate(VARIABLES):
            h = self.hist[i]
            tot = int(h[1:].sum())
            if tot == 0:
                continue
            centres = HIST_LO_DBW + (np.arange(HIST_BINS - 2) + 0.5) * HIST_STEP_DB
            w = h[1:-1].astype(float)
            cum = np.cumsum(w)
            pct = {f"p{q}": float(centres[min(np.searchsorted(cum, q / 100.0 * cum[-1]), centres.size - 1)])
                   for q in (5, 50, 95)} if cum[-1] > 0 else {}
            mean = float((w * centres).sum() / w.sum()) if w.sum() else float("nan")
            std = float(math.sqrt(max(0.0, (w * (centres - mean) ** 2).sum() / w.sum()))) if w.sum() else float("nan")
            if self.vectors is not None:
                x = self.vectors[v][np.isfinite(self.vectors[v])]
                if x.size:
                    mean, std = float(x.mean()), float(x.std())
                    pct = {f"p{q}": float(np.percentile(x, q)) for q in (5, 50, 95)}
            out[v] = {"mean": mean, "std": std, **pct, "events": tot, "none": int(h[0])}
        return out

    def cdf(self, variable: str = "irss_dbw") -> tuple[np.ndarray, np.ndarray]:
        """Empirical CDF (levels [dBW], probabilities) of a level over all events: exact from the
        vectors when kept, else from the 0.01 dB histogram. ``-inf`` (no interference) is at 0."""
        if self.vectors is not None:
            x = np.sort(self.vectors[variable])
            x = x[np.isfinite(x)]
            n = self.vectors[variable].size
            none = n - x.size
            return x, (none + np.arange(1, x.size + 1)) / n
        h = self.hist[VARIABLES.index(variable)]
        edges = HIST_LO_DBW + np.arange(1, HIST_BINS - 1) * HIST_STEP_DB
        cum = np.cumsum(h[1:-1])
        keep = np.flatnonzero(np.diff(np.concatenate([[0], cum])) > 0)
        n = h.sum()
        return edges[keep], (h[0] + cum[keep]) / n

    # ------------------------------------------------------------------ outputs
    def to_dict(self) -> dict:
        ev_s = self.n_events / self.elapsed_s if self.elapsed_s > 0 else None
        return {"workspace": self.workspace.name, "seed": self.seed, "events": self.n_events,
                "counted_events": self.n_valid, "confidence": self.confidence,
                "probabilities": self.rows(), "levels": self.stats(), "elapsed_s": self.elapsed_s,
                "events_per_s": ev_s, **self.extra}

    def to_json(self, **kw) -> str:
        from ..io import to_json

        kw.setdefault("indent", 2)
        return to_json(self.to_dict(), **kw)

    def report(self) -> str:
        L = [f"Monte Carlo: {self.workspace.name} -- {self.n_events} events (seed {self.seed}), "
             f"{self.n_valid} counted (dRSS > sensitivity)"]
        L.append(f"{'criterion':<10}{'limit dB':>9}  {'mechanism':<10}{'P(interference)':>16}  "
                 f"{int(round(self.confidence * 100))}% interval")
        for r in self.rows():
            L.append(f"{r['criterion']:<10}{r['threshold_db']:>9.2f}  {r['mechanism']:<10}{r['probability']:>16.5f}  "
                     f"[{r['ci_low']:.5f}, {r['ci_high']:.5f}]")
        st = self.stats()
        if st:
            L.append(f"{'level':<20}{'mean':>9}{'std':>8}{'p5':>9}{'p50':>9}{'p95':>9}  (dBW)")
            for k, s in st.items():
                L.append(f"{k:<20}{s['mean']:>9.2f}{s['std']:>8.2f}{s.get('p5', np.nan):>9.2f}"
                         f"{s.get('p50', np.nan):>9.2f}{s.get('p95', np.nan):>9.2f}")
        if self.elapsed_s > 0:
            L.append(f"{self.n_events / self.elapsed_s:,.0f} events/s ({self.elapsed_s:.2f} s)")
        return "\n".join(L)

    def dataset(self):
        """The run as an :class:`xarray.Dataset`: per-event vectors (when kept) and the
        probabilities / intervals (dims criterion, mechanism)."""
        import xarray as xr

        s = self.summary_arrays()
        ds = xr.Dataset(coords={"criterion": list(CRITERIA), "mechanism": list(LEVELS)})
        for k in ("probability", "ci_low", "ci_high"):
            ds[k] = (("criterion", "mechanism"), s[k])
        ds["interfered"] = (("criterion", "mechanism"), self.counts)
        if self.vectors is not None:
            for v in VECTOR_VARS:
                ds[v] = (("event",), self.vectors[v].astype(np.int8) if v == "valid" else self.vectors[v])
                ds[v].attrs["units"] = "1" if v == "valid" else "dBW"
            ds["irss_k_dbw"] = (("event", "interferer"), self.vectors["irss_k_dbw"])
            ds["irss_k_dbw"].attrs["units"] = "dBW"
            ds = ds.assign_coords(interferer=[it.name for it in self.workspace.interferers])
        ds.attrs.update({"n_events": self.n_events, "n_valid": self.n_valid, "seed": self.seed,
                         "confidence": self.confidence, "workspace_json": self.workspace.to_json()})
        return ds

    def write(self, path) -> None:
        """Write :meth:`dataset` (NetCDF-4/HDF5 through :func:`spectrum.io.write_netcdf`)."""
        from ..io import write_netcdf

        write_netcdf(self.dataset(), path, model="Rec. ITU-R SM.2028-2 Monte Carlo")

    def plot_cdf(self, path=None, variables=("drss_dbw", "irss_dbw", "irss_unwanted_dbw", "irss_blocking_dbw",
                                             "irss_intermod_dbw")):
        """CDF plot of the levels (matplotlib); written as PNG through :func:`spectrum.io.atomic_path`
        when ``path`` is given. Returns the figure."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure

        fig = Figure(figsize=(7, 4.5))
        ax = fig.add_subplot(111)
        for v in variables:
            x, p = self.cdf(v)
            if x.size:
                ax.step(x, p, where="post", label=v.replace("_dbw", ""))
        crit = self.workspace.vr.extra["criteria"]
        if "I/N" in crit and self.vectors is not None and np.ptp(self.vectors["noise_dbw"]) == 0:
            ax.axvline(self.vectors["noise_dbw"][0] + crit["I/N"], color="k", ls="--", lw=1,
                       label=f"I/N = {crit['I/N']:g} dB limit")
        ax.set_xlabel("level [dBW]")
        ax.set_ylabel("cumulative probability")
        ax.set_title(f"{self.workspace.name}: {self.n_events} events")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
        if path is not None:
            from ..io import atomic_path

            with atomic_path(path, suffix=".png") as tmp:
                fig.savefig(tmp, format="png", dpi=110)
        return fig
