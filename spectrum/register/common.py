"""Pieces shared by the register's modules: column lists, JSON text, the acting user."""
from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import getpass
import os

from .backend import RegisterError

class AllocationRefusedError(RegisterError):
    """An assignment outside the national allocations to its licence's service."""


def _default_user() -> str:
    u = os.environ.get("SPECTRUM_USER")
    if u:
        return u
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name (containers)
        return "unknown"


def _dumps(obj) -> str:
    from ..io import to_json

    return to_json(obj, sort_keys=True)


_LICENCE_COLS = "l.id, l.number, e.name, l.service, l.status, l.valid_from, l.valid_to, l.remarks, " \
                "l.created_utc, l.updated_utc"
_STATION_COLS = ("id", "licence_id", "name", "role", "lat", "lon", "h_agl_m", "antenna_pattern", "g_dbi",
                 "azimuth_deg", "tilt_deg", "polarisation", "feeder_loss_db",
                 "indoor", "building_type", "clutter_class")
_ASSIGNMENT_COLS = ("id", "station_id", "f_mhz", "bw_khz", "emission", "eirp_dbw", "tx_mask", "rx_selectivity",
                    "noise_figure_db", "protection", "protection_db",
                    "criterion", "criterion_db")
_QUERY_SQL = """SELECT l.number, e.name, l.service, l.status, s.id, s.name, s.role, s.lat, s.lon, s.h_agl_m,
 s.antenna_pattern, s.g_dbi, s.azimuth_deg, s.tilt_deg, s.polarisation, s.feeder_loss_db, a.id, a.f_mhz,
 a.bw_khz, a.emission, a.eirp_dbw, a.tx_mask, a.rx_selectivity, a.noise_figure_db, a.protection, a.protection_db,
 s.indoor, s.building_type, s.clutter_class, a.criterion, a.criterion_db
 FROM {src} JOIN station s ON s.id = a.station_id JOIN licence l ON l.id = s.licence_id
 JOIN licensee e ON e.id = l.licensee_id WHERE {where} ORDER BY a.id"""
_FLOAT_FIELDS = ("lat", "lon", "h_agl_m", "g_dbi", "azimuth_deg", "tilt_deg", "feeder_loss_db", "f_mhz", "bw_khz",
                 "eirp_dbw", "noise_figure_db", "protection_db",
                 "criterion_db")
_INT_FIELDS = ("station_id", "assignment_id")


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building many small objects (rows); the
    objects are acyclic, so collections in between would only traverse them repeatedly."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()



def utc_now() -> str:
    """The current UTC time as stored in the register: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
