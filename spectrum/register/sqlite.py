"""SQLite backend of the licence register: one file, WAL, foreign keys, CHECK constraints,
R-tree prefilter, ordered migrations recorded in ``schema_version``.

Durability: ``journal_mode=WAL`` with ``synchronous=FULL`` (a committed record survives a
power cut), ``busy_timeout`` so concurrent writers queue instead of failing, and every
write in a ``BEGIN IMMEDIATE`` transaction (no lock-upgrade deadlocks). A process killed
mid-transaction leaves the database as it was before the transaction began.

Tamper guard: besides the schema's triggers (audit log, licence history and stored
evaluations are append-only), the connection carries an SQLite authorizer that refuses
``DROP``/``ALTER`` of any table, trigger or index and the pragmas that would switch the
guards off (``writable_schema``, ``foreign_keys``, ``ignore_check_constraints``,
``recursive_triggers``) outside migrations.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sqlite3
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .backend import CorruptRegisterError, RegisterBackend

__all__ = ["SQLiteBackend", "MIGRATIONS", "APPLICATION_ID"]

#: ``PRAGMA application_id`` of a Spectrum register file ("SPEC")
APPLICATION_ID = 0x53504543
_MAGIC = b"SQLite format 3\x00"

_MIG_RE = re.compile(r"^migration_(\d{4})_([a-z0-9_]+)\.sql$")


def _load_migrations() -> list[tuple[int, str, str]]:
    out = []
    for entry in resources.files("spectrum.register").iterdir():
        m = _MIG_RE.match(entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    out.sort()
    for i, (v, _, _) in enumerate(out, start=1):
        if v != i:
            raise RuntimeError(f"register migrations must be numbered 1..n without gaps; found {v} at position {i}")
    return out


#: ``[(version, description, sql)]`` in order
MIGRATIONS = _load_migrations()


def split_sql(script: str) -> list[str]:
    """Split an SQL script into complete statements (trigger bodies kept whole)."""
    stmts, buf = [], ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            stmts.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()[:80]!r}")
    return stmts


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_DENY_ACTIONS = {
    sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_DROP_VIEW, sqlite3.SQLITE_DROP_TEMP_TRIGGER, sqlite3.SQLITE_ALTER_TABLE,
    getattr(sqlite3, "SQLITE_DROP_VTABLE", 30),
}
_DENY_PRAGMAS_SET = {"writable_schema", "foreign_keys", "ignore_check_constraints", "recursive_triggers",
                     "application_id", "user_version", "schema_version"}


class SQLiteBackend(RegisterBackend):
    """Register storage in one SQLite file (``":memory:"`` for a throw-away register)."""

    def __init__(self, conn: sqlite3.Connection, url: str):
        self._conn = conn
        self.url = url
        self._depth = 0
        self._sp = 0
        self._migrating = False
        #: serialises use of the one connection by several threads (a GUI worker pool)
        self.lock = threading.RLock()

    # ------------------------------------------------------------------ open / close
    @classmethod
    def open(cls, url: str | os.PathLike, *, timeout_s: float = 30.0, create: bool = True) -> "SQLiteBackend":
        path = os.fspath(url)
        if path.startswith("sqlite:///"):
            path = path[len("sqlite:///"):]
        path = os.path.expanduser(path)
        memory = path == ":memory:"
        if not memory:
            p = Path(path)
            if p.is_dir():
                raise CorruptRegisterError(f"register {path} is a directory, not a register file")
            if p.exists():
                if p.stat().st_size > 0:
                    with open(p, "rb") as fh:
                        head = fh.read(16)
                    if head != _MAGIC:
                        raise CorruptRegisterError(f"register {path} is not an SQLite database "
                                                   "(not a Spectrum register file)")
            elif not create:
                raise FileNotFoundError(f"register {path} does not exist (create it with 'spectrum register init')")
            elif not p.parent.exists():
                raise FileNotFoundError(f"register {path}: directory {p.parent} does not exist")
        try:
            conn = sqlite3.connect(path, timeout=timeout_s, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise CorruptRegisterError(f"register {path} cannot be opened: {exc}") from None
        self = cls(conn, path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
            conn.execute("PRAGMA schema_version").fetchone()  # reads page 1: detects a damaged file
            if not memory:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":  # pragma: no cover - file systems without shared memory
                    raise CorruptRegisterError(f"register {path}: cannot enable WAL journal (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA recursive_triggers = ON")  # REPLACE fires DELETE triggers (append-only guards)
            self._check_identity()
            self.migrate()
            conn.set_authorizer(self._authorize)
        except sqlite3.OperationalError as exc:  # read-only file, locked beyond the timeout, ...
            conn.close()
            from .backend import RegisterError

            raise RegisterError(f"register {path} cannot be used: {exc}") from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CorruptRegisterError(f"register {path} is damaged or not a Spectrum register: {exc}") from None
        except BaseException:
            conn.close()
            raise
        return self

    def close(self) -> None:
        with self.lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    @property
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError(f"register {self.url} is closed")
        return self._conn

    # ------------------------------------------------------------------ guard
    def _authorize(self, action, arg1, arg2, dbname, source):
        if self._migrating:
            return sqlite3.SQLITE_OK
        if action in _DENY_ACTIONS:
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg1 and arg1.lower() in _DENY_PRAGMAS_SET and arg2 is not None:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    def _check_identity(self) -> None:
        c = self._conn
        app = c.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app not in (0, APPLICATION_ID) or (tables and "schema_version" not in tables):
            raise CorruptRegisterError(f"register {self.url} is an SQLite database but not a Spectrum register "
                                       f"(application_id {app:#x}, tables: {', '.join(sorted(tables))[:200]})")

    # ------------------------------------------------------------------ statements
    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.connection.executemany(sql, rows)

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self.lock:
            with self._write():
                yield

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.connection.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self.lock:
            with self._read():
                yield

    @contextlib.contextmanager
    def _read(self) -> Iterator[None]:
        if self._depth or self.connection.in_transaction:
            yield
            return
        self._conn.execute("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        if not self._depth:
            raise RuntimeError("savepoint() must be used inside write()")
        self._sp += 1
        name = f"sp{self._sp}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            raise
        else:
            self._conn.execute(f"RELEASE {name}")

    def is_integrity_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.IntegrityError)

    def is_operational_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError)

    # ------------------------------------------------------------------ migrations
    def schema_version(self) -> int:
        row = self.connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending migrations up to ``target`` (default: all), each in one transaction."""
        target = len(MIGRATIONS) if target is None else int(target)
        applied = []
        self._migrating = True
        try:
            for version, description, sql in MIGRATIONS[:target]:
                with self.write():
                    c = self._conn
                    c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                              "applied_utc TEXT NOT NULL, description TEXT NOT NULL)")
                    current = self.schema_version()
                    if current > len(MIGRATIONS):
                        raise CorruptRegisterError(
                            f"register {self.url} has schema version {current}, newer than this software "
                            f"supports ({len(MIGRATIONS)}): upgrade spectrum")
                    if version <= current:
                        continue
                    for stmt in split_sql(sql):
                        c.execute(stmt)
                    c.execute("INSERT INTO schema_version (version, applied_utc, description) VALUES (?, ?, ?)",
                              (version, utc_now(), description.replace("_", " ")))
                    c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    c.execute(f"PRAGMA user_version = {version}")
                    applied.append(version)
            with self.read():
                current = self.schema_version()
            if current > len(MIGRATIONS):
                raise CorruptRegisterError(
                    f"register {self.url} has schema version {current}, newer than this software "
                    f"supports ({len(MIGRATIONS)}): upgrade spectrum")
        finally:
            self._migrating = False
        return applied

    # ------------------------------------------------------------------ queries
    def prefilter_sql(self, boxes, f_min_mhz, f_max_mhz):
        if not boxes and f_min_mhz is None and f_max_mhz is None:
            return "assignment a", "1", []
        fmin = -1.0 if f_min_mhz is None else float(f_min_mhz)
        fmax = 1e12 if f_max_mhz is None else float(f_max_mhz)
        boxes = boxes or [(-90.0, 90.0, -180.0, 180.0)]
        parts, params = [], []
        for la0, la1, lo0, lo1 in boxes:
            parts.append("SELECT id FROM assignment_rtree WHERE max_lat >= ? AND min_lat <= ? "
                         "AND max_lon >= ? AND min_lon <= ? AND max_f >= ? AND min_f <= ?")
            params += [la0, la1, lo0, lo1, fmin, fmax]
        return "assignment a", f"a.id IN ({' UNION ALL '.join(parts)})", params

    def backup_to(self, path: str) -> None:
        """Online backup of the whole database into the (new or empty) file ``path``."""
        with self.lock:
            dst = sqlite3.connect(path)
            try:
                self.connection.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            finally:
                dst.close()

    def json_field_sql(self, column: str, key: str) -> str:
        if not re.fullmatch(r"[a-z_]+", column) or not re.fullmatch(r"[a-z_]+", key):
            raise ValueError(f"bad JSON column/key {column!r}/{key!r}")
        return f"json_extract({column}, '$.{key}')"

    def integrity_check(self) -> list[str]:
        rows = [r[0] for r in self.connection.execute("PRAGMA integrity_check")]
        problems = [] if rows == ["ok"] else rows
        problems += [f"foreign key violation in {r[0]} row {r[1]}" for r in
                     self.connection.execute("PRAGMA foreign_key_check")]
        have = {r[0] for r in self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        version = self.schema_version()
        for v, _, sql in MIGRATIONS[:version]:
            for name in re.findall(r"CREATE TRIGGER (\w+)", sql):
                if name not in have:
                    problems.append(f"guard trigger {name} is missing (the file was altered outside Spectrum)")
        n_a = self.connection.execute("SELECT COUNT(*) FROM assignment").fetchone()[0]
        n_r = self.connection.execute("SELECT COUNT(*) FROM assignment_rtree").fetchone()[0]
        if n_a != n_r:
            problems.append(f"R-tree out of step: {n_a} assignments, {n_r} index entries")
        return problems
