"""The licence register: domain rules over a storage backend.

Every mutating call runs in one serialised write transaction that also appends its audit
row (who, when, what, before/after JSON): either both land or neither does.

:class:`Register` is assembled from one mixin per part of the data's path:
:mod:`.licences` (licensees, licences, lifecycle), :mod:`.stations` (patterns, masks, stations,
assignments), :mod:`.query` (area/band queries), :mod:`.audit` (audit log, hash chain, integrity
reconciliation) and :mod:`.evaluations` (stored evaluations, import/export entry points); this
module holds opening, closing, the shared row helpers and the per-call lock.
"""
from __future__ import annotations

import functools
import inspect
import os
import types
import unicodedata
from pathlib import Path
from typing import Any, Sequence

from ..allocation import AllocationTable
from .allocations import AllocationMixin, reconcile_allocation_table
from .audit import AuditMixin
from .backend import DamagedRegisterError, NotFoundError, RegisterBackend, RegisterError
from .common import (_ASSIGNMENT_COLS, _LICENCE_COLS, _STATION_COLS, AllocationRefusedError, _default_user)
from .evaluations import EvaluationMixin
from .geometry import gc_distance_km, radius_boxes
from .licences import LicenceMixin
from .models import TERMINAL_STATUSES, _text, check_id
from .query import QueryMixin
from .postgresql import is_postgresql_url
from .sqlite import SQLiteBackend
from .stations import StationMixin

__all__ = ["Register", "AllocationRefusedError", "gc_distance_km", "radius_boxes"]


class Register(LicenceMixin, StationMixin, QueryMixin, AuditMixin, EvaluationMixin, AllocationMixin):
    """A licence register (SQLite file by default).

    Open with :meth:`open`; use as a context manager or call :meth:`close`.

    Parameters
    ----------
    backend : RegisterBackend
    user : str, optional
        Who is acting, recorded in the audit log (default ``$SPECTRUM_USER`` or the login name);
        every mutating method also takes ``user=``.
    allocations : AllocationTable or False, optional
        The national allocation table assignments are checked against (default: the table stored
        in the register by ``spectrum register allocation import --activate``, else the shipped
        illustrative sample); ``False`` disables the check (e.g. a register of another administration).
    """

    def __init__(self, backend: RegisterBackend, *, user: str | None = None,
                 allocations: AllocationTable | bool | None = None):
        self.backend = backend
        self.user = user or _default_user()
        if allocations is True:
            allocations = None
        if allocations is not None and allocations is not False and not isinstance(allocations, AllocationTable):
            raise TypeError("allocations must be an AllocationTable, True/None (the register's own) or False")
        self._allocations_given = allocations
        self._allocations_cache = None

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | os.PathLike = ":memory:", *, user: str | None = None, create: bool = True,
             timeout_s: float = 30.0, allocations: AllocationTable | bool | None = None,
             spatial: str | None = None) -> "Register":
        """Open (creating if missing, unless ``create=False``) a register.

        Parameters
        ----------
        path : str or path-like
            SQLite file, ``sqlite:///file``, ``":memory:"``, or ``postgresql://user@host/dbname`` (the
            PostgreSQL backend, extra ``[postgres]``).
        timeout_s : float
            How long a write waits for another process's transaction. [s]
        spatial : {"auto", "postgis", "gist"}, optional
            PostgreSQL only, when the register is created: PostGIS where the server has it (``auto``,
            the default, or ``$SPECTRUM_PG_SPATIAL``), PostGIS or an error, or the GiST box fallback.

        Raises
        ------
        ValueError (CorruptRegisterError)
            The file is not an SQLite database, not a Spectrum register, damaged, or of a newer schema.
        FileNotFoundError
            ``create=False`` and the file does not exist.
        """
        s = str(path)
        if is_postgresql_url(s):
            from .postgresql import PostgreSQLBackend

            backend = PostgreSQLBackend.open(s.strip(), timeout_s=timeout_s, create=create, spatial=spatial)
            return cls(backend, user=user, allocations=allocations)
        if "://" in s and not s.startswith("sqlite:///"):
            raise RegisterError(f"register URL {s!r}: give an SQLite file or a postgresql://user@host/dbname URL")
        return cls(SQLiteBackend.open(path, timeout_s=timeout_s, create=create), user=user, allocations=allocations)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Register {self.backend.url}>"

    @property
    def connection(self):
        """The backend's DB connection (raw SQL cannot bypass the schema's guards)."""
        return self.backend.connection

    @property
    def schema_version(self) -> int:
        return self.backend.schema_version()

    def integrity_check(self, expect_head: str | None = None) -> list[str]:
        """Every problem found, empty when the register is sound (see ``docs/register.md``, "What
        check verifies"): the backend's check (storage damage, foreign keys, schema objects and
        their SQL, spatial index against the base tables, deleted tail rows), the audit hash chain
        (:meth:`verify_audit`, anchored on ``expect_head`` if given) and the reconciliation of
        licences, history and audit (:func:`spectrum.register.reconcile.reconcile`). Damage is
        reported, not raised."""
        from .reconcile import reconcile

        problems = self.backend.integrity_check()
        for what, fn in (("audit log", lambda: self.verify_audit(expect_head)["problems"]),
                         ("records", lambda: reconcile(self)),
                         ("allocation table", lambda: reconcile_allocation_table(self))):
            try:
                problems += fn()
            except DamagedRegisterError as exc:
                problems.append(f"{what}: {exc}")
            except RegisterError:
                raise
            except Exception as exc:  # noqa: BLE001 - damage is reported, not raised
                if not self.backend.is_corruption_error(exc):
                    raise
                problems.append(f"{what}: cannot be read ({exc}): the file is damaged")
        return problems

    def verify_storage(self, tables: Sequence[str] = ("licensee", "licence", "licence_history", "station",
                                                      "assignment")) -> None:
        """Raise DamagedRegisterError if the backend's fast check finds damage in ``tables`` (and
        their indexes): a damaged index or page could otherwise make a listing silently short.
        The command line runs it before printing rows; :meth:`integrity_check` is the full check."""
        problems = self.backend.quick_check(tables)
        if problems:
            raise DamagedRegisterError(f"register {self.backend.url} is damaged ({'; '.join(problems[:3])}): "
                                       "nothing listed; run 'spectrum register check'")

    def backup(self, path: str | os.PathLike, *, user: str | None = None) -> str:
        """Write a consistent copy of the register to a new file while others may keep writing.

        Uses the backend's online backup (SQLite backup API) into a temporary file beside
        ``path``, then renames it; ``path`` must not exist. The backup is recorded in the audit
        log. Returns the path.
        """
        who = self._who(user)
        target = Path(os.path.expanduser(os.fspath(path)))
        if target.exists():
            raise RegisterError(f"backup target {target} exists; give a new file name")
        from ..io import atomic_path

        with atomic_path(target, suffix=".sqlite") as tmp:
            self.backend.backup_to(str(tmp))
        with self.backend.write():
            self._audit(who, "backup", "register", str(target))
        return str(target)

    # ------------------------------------------------------------------ helpers
    def _x(self, sql: str, params: Sequence[Any] = ()):
        return self.backend.execute(sql, params)

    def _one(self, sql: str, params: Sequence[Any] = ()):
        return self._x(sql, params).fetchone()

    def _who(self, user: str | None) -> str:
        return _text("user", user if user is not None else self.user, max_len=200, identifier=True)

    def _licence_row(self, number: str):
        if isinstance(number, str):
            number = unicodedata.normalize("NFC", number).strip()
        elif not isinstance(number, (int, float)) or isinstance(number, bool):
            raise RegisterError(f"licence number {number!r} must be text")
        else:
            number = str(number)
        row = self._one(f"SELECT {_LICENCE_COLS} FROM licence l JOIN licensee e ON e.id = l.licensee_id "
                        "WHERE l.number = ?", (number,))
        if row is None:
            raise NotFoundError(f"licence {number!r} is not in the register")
        return row

    @staticmethod
    def _licence_dict(row) -> dict:
        keys = ("id", "number", "licensee", "service", "status", "valid_from", "valid_to", "remarks",
                "created_utc", "updated_utc")
        return dict(zip(keys, row))

    def _station_dict(self, station_id: int) -> dict:
        row = self._one(f"SELECT {', '.join(_STATION_COLS)} FROM station WHERE id = ?", (check_id("station", station_id),))
        if row is None:
            raise NotFoundError(f"station {station_id} is not in the register")
        return dict(zip(_STATION_COLS, row))

    def _assignment_dict(self, assignment_id: int) -> dict:
        row = self._one(f"SELECT {', '.join(_ASSIGNMENT_COLS)} FROM assignment WHERE id = ?", (check_id("assignment", assignment_id),))
        if row is None:
            raise NotFoundError(f"assignment {assignment_id} is not in the register")
        return dict(zip(_ASSIGNMENT_COLS, row))

    def _licence_of_station(self, station_id: int):
        row = self._one("SELECT l.number, l.status, l.service FROM station s JOIN licence l ON l.id = s.licence_id "
                        "WHERE s.id = ?", (check_id("station", station_id),))
        if row is None:
            raise NotFoundError(f"station {station_id} is not in the register")
        return row

    @staticmethod
    def _require_open(number: str, status: str, what: str) -> None:
        if status in TERMINAL_STATUSES:
            raise RegisterError(f"licence {number} is {status}: its records are closed, cannot {what}")

    def check_allocation(self, f_mhz: float, bw_khz: float, service: str):
        """Check an assignment against the allocation table; return the
        :class:`~spectrum.allocation.AllocationCheck` (None when checking is disabled)."""
        if self.allocations is None:
            return None
        return self.allocations.check(f_mhz, bw_khz, service)

    def _enforce_allocation(self, f_mhz, bw_khz, service) -> None:
        chk = self.check_allocation(f_mhz, bw_khz, service)
        if chk is not None and not chk.ok:
            raise AllocationRefusedError(f"assignment refused: {chk.reason}")

    def _pattern_gain(self, name: str) -> float:
        row = self._one("SELECT g_max_dbi FROM antenna_pattern WHERE name = ?", (name,))
        if row is None:
            raise NotFoundError(f"antenna pattern {name!r} is not in the register")
        return float(row[0])

    def _mask_kind(self, name: str) -> str:
        row = self._one("SELECT kind FROM spectrum_mask WHERE name = ?", (name,))
        if row is None:
            raise NotFoundError(f"spectrum mask {name!r} is not in the register")
        return row[0]


def _locked(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        with self.backend.lock:
            try:
                return fn(self, *args, **kwargs)
            except RegisterError:
                raise
            except Exception as exc:
                # a constraint the Python checks did not anticipate: still a clear ValueError
                if self.backend.is_integrity_error(exc):
                    raise RegisterError(f"{fn.__name__} refused by the register: {exc}") from exc
                if self.backend.is_operational_error(exc):
                    raise RegisterError(f"register {self.backend.url}: {fn.__name__} failed: {exc} "
                                        "(nothing was changed)") from exc
                if self.backend.is_corruption_error(exc):
                    raise DamagedRegisterError(f"register {self.backend.url} is damaged: {fn.__name__} failed: "
                                               f"{exc} (run 'spectrum register check')") from exc
                if isinstance(exc, (RecursionError, OverflowError)):
                    raise RegisterError(f"{fn.__name__}: {type(exc).__name__}: {exc}") from exc
                raise
    return wrapper


# One connection shared by threads (e.g. a GUI worker pool): every public call holds the
# backend's re-entrant lock for its whole duration (statements, fetches and transaction).
for _name in dir(Register):
    _fn = inspect.getattr_static(Register, _name)
    if not _name.startswith("_") and isinstance(_fn, types.FunctionType) and _name != "close":
        setattr(Register, _name, _locked(_fn))
del _name, _fn
