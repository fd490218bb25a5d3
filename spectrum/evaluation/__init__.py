"""Licence-request evaluation: the candidate against the register, in both directions.

:func:`evaluate_request` computes

1. **forward** -- the candidate transmitter as interferer into every registered receiver that
   can be affected: I at the long-term (default 20 %) and short-term (1 %) time percentages
   against the victim's protection criterion (I/N, or C/I with the wanted signal from the
   victim's own transmitter at 50 %);
2. **reverse** -- every registered transmitter into the candidate receiver, each entry and the
   aggregate (power sum) against the candidate's criterion.

Pruning first (vectorised over ``reg.query_arrays``): distance (``max_distance_km``), a frequency
window, then an upper bound on interference (free-space loss less :func:`fs_allowance_db`:
10 dB for anomalous propagation plus the P.452 multipath/focusing enhancement 2.6 |log10(p/50)| dB,
14.4 dB at 1 %; maximum gains; SM.337 FDR) that drops entries which cannot come within
``coordination_margin_db`` of the threshold. Terrain profiles of the remaining paths come from
the DEM in one batch (:func:`spectrum.terrain.profiles`), losses from the propagation model in
batch (P.452-18 by default), antenna gains toward each other end from the path elevation angles.

Decision rule
-------------
Margins are positive when protected. Long-term: criterion as registered (e.g. I/N = -10 dB).
Short-term: the criterion relaxed by ``short_term_allowance_db`` (default 10 dB, i.e. I/N = 0 dB).
The margin of an entry is the smaller of the two.

- **refuse** if any registered victim has a margin < 0 dB;
- **needs coordination** if any victim margin is within ``coordination_margin_db`` (default 3 dB)
  of failing, or a victim could not be computed (outside the terrain data, wanted transmitter of
  a C/I victim unknown) while its free-space bound exceeds the threshold, or the candidate's own
  receiver would not be protected from the aggregate of registered transmitters (the applicant
  must accept that interference or coordinate);
- **grant** otherwise.

Stages
------
One module per stage, data flowing downhill through plain dataclasses and column tables:
:mod:`~.request` (model, validation) -> :mod:`~.scenario` (candidates from the register, pruning
bounds) -> :mod:`~.paths` (profiles, zones, elevations) -> :mod:`~.losses` (model registry and
dispatch) -> :mod:`~.budgets` (FDR, I, N, margins; :mod:`~.blocking`: receiver blocking beside the
unwanted emissions, SEAMCAT) -> :mod:`~.decision` (statuses, rules) ->
:mod:`~.report` (:class:`Evaluation`: text, JSON, HDF5, storage); :mod:`~.pipeline` runs them.

References
----------
Rec. ITU-R P.452-18 (10/2023); Rec. ITU-R SM.337-6 (2008); DESIGN.md interference convention.
"""
from __future__ import annotations

from .decision import DECISIONS, aggregate_victims, combined_decision
from .losses import (LOSS_FUNCTIONS, MODEL_NAMES, MODEL_RANGES_MHZ, free_space_loss_fn, model_version,
                     register_loss_model, resolve_model)
from .pipeline import Caches, EvaluationCancelled, compute, evaluate_licence, evaluate_request, reproduce
from .report import Evaluation
from .request import Request, Terminal
from .scenario import FS_ANOMALOUS_DB, Scenario, build_scenario, fs_allowance_db

__all__ = ["Request", "Terminal", "Evaluation", "evaluate_request", "evaluate_licence", "combined_decision",
           "aggregate_victims", "build_scenario", "compute", "Caches", "Scenario", "fs_allowance_db",
           "reproduce", "EvaluationCancelled",
           "FS_ANOMALOUS_DB", "free_space_loss_fn", "resolve_model", "model_version", "register_loss_model",
           "DECISIONS", "LOSS_FUNCTIONS", "MODEL_NAMES", "MODEL_RANGES_MHZ"]
