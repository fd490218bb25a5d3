"""Broadcast planning with Rec. ITU-R P.1546-6: coverage, interference (protection), best server, C/I.

Modules: :mod:`~spectrum.broadcast.criteria` (minimum usable field strengths, protection ratios),
:mod:`~spectrum.broadcast.fieldmap` (P.1546-6 station fields on a grid),
:mod:`~spectrum.broadcast.coverage` (coverage and interference maps),
:mod:`~spectrum.broadcast.bestserver` (best-server and C/I maps),
:mod:`~spectrum.broadcast.evaluation` (hooks for the licence-request evaluation).
"""
from .bestserver import best_server_map
from .coverage import coverage_map, interference_map, save
from .criteria import SYSTEMS, min_field_strength_dbuvm, protection_ratio_db, system

__all__ = ["coverage_map", "interference_map", "best_server_map", "save", "SYSTEMS", "system",
           "min_field_strength_dbuvm", "protection_ratio_db"]
