"""The licence register: the administration's record of who may transmit what, where.

>>> from spectrum.register import Register
>>> with Register.open(":memory:", user="clerk") as reg:
...     _ = reg.add_licence("FM-001", "Example Radio", "broadcasting", valid_from="2024-01-01")
...     sid = reg.add_station("FM-001", name="Mast", role="tx", lat=31.24, lon=121.50, h_agl_m=300.0, g_dbi=2.15)
...     _ = reg.add_assignment(sid, f_mhz=98.1, emission="180KF8EHF", eirp_dbw=47.0)
...     _ = reg.transition("FM-001", "granted", reason="technical examination passed")
...     [r.f_mhz for r in reg.query(lat=31.2, lon=121.5, radius_km=20, f_min_mhz=98.0, f_max_mhz=98.2)]
[98.1]

SQLite by default (:mod:`spectrum.register.sqlite`), PostgreSQL for ``postgresql://`` URLs
(:mod:`spectrum.register.postgresql`, extra ``[postgres]``), behind the backend interface of
:mod:`spectrum.register.backend`; :mod:`spectrum.register.copy` copies a register between them; schema and ordered migrations in ``migration_*.sql``;
records and checks in :mod:`spectrum.register.models`; JSON/CSV in
:mod:`spectrum.register.transfer`. See ``docs/register.md``.
"""
from __future__ import annotations

from .backend import (CorruptRegisterError, DamagedRegisterError, IllegalTransitionError, ImportRowsError,
                      NotFoundError, RegisterBackend, RegisterError)
from .core import AllocationRefusedError, Register, gc_distance_km, radius_boxes
from .models import (ASSIGNMENT_FIELDS, STATUSES, TERMINAL_STATUSES, TRANSITIONS, AssignmentRow)
from .postgresql import PostgreSQLBackend
from .sqlite import SQLiteBackend

__all__ = [
    "Register", "AssignmentRow", "ASSIGNMENT_FIELDS", "STATUSES", "TRANSITIONS", "TERMINAL_STATUSES",
    "RegisterBackend", "SQLiteBackend", "PostgreSQLBackend", "RegisterError", "NotFoundError", "IllegalTransitionError",
    "ImportRowsError", "CorruptRegisterError", "DamagedRegisterError", "AllocationRefusedError", "gc_distance_km",
    "radius_boxes",
]
