"""Storage backends of the licence register.

:class:`~spectrum.register.Register` holds the domain rules (validation, lifecycle,
allocation checks, audit) and talks to storage only through :class:`RegisterBackend`.
A backend provides a DB-API-like connection with serialised write transactions,
savepoints, schema migrations, error classification and the spatial/spectral prefilter.
:class:`~spectrum.register.sqlite.SQLiteBackend` is the default (one file, WAL,
foreign keys, CHECK constraints, R-tree). :class:`~spectrum.register.postgresql.PostgreSQLBackend`
implements the same methods (psycopg 3; ``?`` placeholders translated to ``%s`` in :meth:`execute`;
an advisory lock serialising :meth:`write`; a GiST index over (position box, band box) for
:meth:`prefilter_sql`; the same migrations written in its dialect, with triggers raising on
UPDATE/DELETE/TRUNCATE of the append-only tables).

Every SQL statement :class:`Register` issues uses ``?`` placeholders and portable SQL
(no SQLite-only functions outside the backend).
"""
from __future__ import annotations

import abc
import contextlib
from typing import Any, Iterable, Iterator, Sequence

__all__ = ["RegisterBackend", "RegisterError", "NotFoundError", "IllegalTransitionError",
           "ImportRowsError", "CorruptRegisterError", "DamagedRegisterError"]


class RegisterError(ValueError):
    """A request the register refuses (bad input, rule violated); the message says why."""


class NotFoundError(RegisterError, KeyError):
    """No such licence / station / assignment / pattern / mask / evaluation."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class IllegalTransitionError(RegisterError):
    """A licence status change not allowed by the lifecycle."""


class CorruptRegisterError(RegisterError):
    """The file is not a Spectrum register, is damaged, or is newer than this software."""


class DamagedRegisterError(CorruptRegisterError):
    """A Spectrum register whose storage is damaged (a page cannot be read); ``check`` reports it."""


class ImportRowsError(RegisterError):
    """An import refused as a whole; ``errors`` lists ``(row, reason)`` for every bad row (the
    message shows the first :attr:`SHOWN`)."""

    SHOWN = 100

    def __init__(self, source: str, errors: Sequence[tuple[int, str]]):
        self.source = source
        self.errors = list(errors)
        shown = self.errors[:self.SHOWN]
        lines = "\n".join(f"  row {r}: {why}" for r, why in shown)
        more = len(self.errors) - len(shown)
        if more:
            lines += f"\n  ... and {more} more bad row(s) (all of them in --json / ImportRowsError.errors)"
        super().__init__(f"{source}: {len(self.errors)} bad row(s), nothing imported:\n{lines}")


class RegisterBackend(abc.ABC):
    """Interface a register storage backend implements.

    Transactions: :meth:`write` opens a serialised read-write transaction (committed on
    normal exit, rolled back on any exception, including in the middle of a bulk import);
    :meth:`read` a consistent read snapshot; :meth:`savepoint` a nested unit inside
    :meth:`write` that can be rolled back alone (used to test every row of an import).

    Migrations: after applying a migration's SQL, and in the same transaction, :meth:`migrate`
    calls :func:`spectrum.register.audit.after_migration` ``(backend, description)``, which
    writes the backend-neutral rows a migration needs (the audit chain's start row).
    """

    #: human-readable location (file path or URL without password)
    url: str
    #: re-entrant lock held by :class:`Register` for each public call and by write()/read(),
    #: so that one register may be shared by several threads
    lock: Any
    #: opened read-only (reads work; :meth:`write` raises RegisterError)
    read_only: bool = False

    @classmethod
    @abc.abstractmethod
    def open(cls, url: str, *, timeout_s: float = 30.0, create: bool = True) -> "RegisterBackend":
        """Connect, creating an empty register if allowed, and apply pending migrations."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; idempotent."""

    @property
    @abc.abstractmethod
    def connection(self) -> Any:
        """The underlying DB-API connection (for inspection; the schema guards itself)."""

    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement with ``?`` placeholders; return a cursor (fetchone/fetchall/lastrowid)."""

    @abc.abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        """Execute one statement for many parameter rows."""

    @abc.abstractmethod
    def write(self) -> contextlib.AbstractContextManager:
        """Serialised read-write transaction (re-entrant: an inner call joins the outer one)."""

    @abc.abstractmethod
    def read(self) -> contextlib.AbstractContextManager:
        """Consistent read-only snapshot."""

    @abc.abstractmethod
    def savepoint(self) -> contextlib.AbstractContextManager:
        """Nested transaction inside :meth:`write`, rolled back alone on exception."""

    @abc.abstractmethod
    def schema_version(self) -> int:
        """Highest applied migration."""

    @abc.abstractmethod
    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each in its own transaction; return those applied."""

    @abc.abstractmethod
    def is_integrity_error(self, exc: BaseException) -> bool:
        """Whether ``exc`` is a constraint / trigger violation (rather than an I/O failure)."""

    @abc.abstractmethod
    def prefilter_sql(self, boxes: Sequence[tuple[float, float, float, float]] | None,
                      f_min_mhz: float | None, f_max_mhz: float | None, circle=None) -> tuple[str, str, list]:
        """Join and condition selecting candidate assignment ids.

        Returns ``(join_sql, where_sql, params)``; the join must expose the assignment
        table as ``a``. ``boxes`` are ``(lat_min, lat_max, lon_min, lon_max)`` (already
        split at the antimeridian); ``circle`` is ``(lat, lon, radius_km)`` of a radius query
        (the boxes enclose it), for a backend that can use it directly (PostGIS ``ST_DWithin``),
        ``s`` being the station in the condition. Candidates may include false positives (the
        caller refines exactly), never false negatives.
        """

    @abc.abstractmethod
    def backup_to(self, path: str) -> None:
        """Consistent online copy of the register (SQLite: backup API; PostgreSQL: pg_dump)."""

    @abc.abstractmethod
    def json_field_sql(self, column: str, key: str) -> str:
        """SQL expression for the text of top-level ``key`` in JSON text ``column``."""

    def is_operational_error(self, exc: BaseException) -> bool:
        """Whether ``exc`` is an operational failure (busy/locked beyond the timeout, read-only, disk full)."""
        return False

    def is_corruption_error(self, exc: BaseException) -> bool:
        """Whether ``exc`` says the stored data is damaged (a page or row cannot be read)."""
        return False

    def quick_check(self, tables: Sequence[str]) -> list[str]:
        """Fast structural check of ``tables`` and their indexes (damaged pages, constraint
        violations), run by read commands before they print rows. Empty when sound."""
        return []

    def integrity_check(self) -> list[str]:
        """Problems found by the backend's own consistency check (empty when sound): storage
        damage, the schema (tables, indexes, triggers) compared with what the migrations create,
        and the spatial index compared with the base tables. Never raises on damage: it is reported."""
        return []

    @contextlib.contextmanager
    def _noop(self) -> Iterator[None]:  # pragma: no cover - helper for subclasses
        yield
