"""Monte Carlo sharing and compatibility studies, Rec. ITU-R SM.2028-2 (the SEAMCAT method).

A workspace (JSON or TOML, :mod:`.schema`, docs/montecarlo.md) describes a victim link and any
number of interfering links; every parameter may be drawn from a distribution
(:mod:`.distributions`) on seeded, splittable streams (:mod:`.streams`). Each event places the
elements (:mod:`.positions`), computes the losses (:mod:`.propagation`), the wanted signal dRSS
and the interference iRSS by mechanism -- unwanted emissions (SM.337 FDR), blocking (three
SEAMCAT modes), receiver intermodulation -- and counts the four criteria (:mod:`.engine`);
:mod:`.results` turns the counts into probabilities with confidence intervals, CDFs, Datasets
and files; :mod:`.run` runs blocks with a convergence stop and the translation mode.

Public API::

    ws = load_workspace("study.json")           # or parse_workspace(dict)
    res = run(ws, events=100_000, seed=1, out="results.h5")
    res.probability("I/N"), res.interval("I/N"), res.plot_cdf("cdf.png")
    block = run_block(ws, seed, block_index, n_events)   # for a distributed runner
    ds = probability_map(ws, (lat0, lon0, lat1, lon1), (ny, nx), events)   # receiver at every pixel (:mod:`.maps`)
    acc = Accumulator(ws, seed); acc.add(block); acc.result()
"""
from .demo import demo_workspace
from .distributions import Distribution, parse_distribution
from .engine import BlockResult, Prepared, plan_blocks, prepare, run_block
from .maps import probability_map
from .results import Accumulator, Results, wilson_interval
from .run import run, translate
from .schema import Workspace, load_workspace, parse_workspace
from .streams import SUBSTREAM, Streams

__all__ = ["Workspace", "load_workspace", "parse_workspace", "Distribution", "parse_distribution", "Streams",
           "SUBSTREAM", "Prepared", "prepare", "run_block", "plan_blocks", "BlockResult", "Accumulator", "Results",
           "wilson_interval", "run", "translate", "demo_workspace", "reduce_blocks", "probability_map"]


def reduce_blocks(workspace, seed: int, blocks, out=None) -> Results:
    """Reduce :class:`BlockResult` objects (any order) into :class:`Results` (the distributed reducer);
    ``out`` streams the per-event vectors to a NetCDF-4/HDF5 file in event order."""
    ws = prepare(workspace).ws
    blocks = list(blocks)
    first = min((b.start for b in blocks), default=0)
    acc = Accumulator(ws, seed, out, first_event=first)
    try:
        for b in blocks:
            acc.add(b)
    except BaseException:
        acc.abort()
        raise
    return acc.result()
