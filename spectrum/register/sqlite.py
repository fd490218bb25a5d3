"""SQLite backend of the licence register: one file, WAL, foreign keys, CHECK constraints,
R-tree prefilter, ordered migrations recorded in ``schema_version``.

Durability: ``journal_mode=WAL`` with ``synchronous=FULL`` (a committed record survives a
power cut), ``busy_timeout`` so concurrent writers queue instead of failing, and every
write in a ``BEGIN IMMEDIATE`` transaction (no lock-upgrade deadlocks). A process killed
mid-transaction leaves the database as it was before the transaction began.

Tamper guard: besides the schema's triggers (audit log, licence history and stored
evaluations are append-only), the connection carries an SQLite authorizer (see
:data:`AUTHORIZER_RULES`) that, outside migrations, refuses every schema change (``CREATE``,
``DROP``, ``ALTER`` of tables, indexes, triggers and views, temporary ones included: a
``TEMP TRIGGER ... RAISE(IGNORE)`` or a temporary table shadowing ``audit`` would silently skip
the audit), ``ATTACH``/``DETACH``, writes to ``sqlite_sequence`` and to the R-tree (other than by
its maintenance triggers), ``load_extension`` and the pragmas that would switch guards or
durability off.

Read-only files (file or directory not writable) are opened read-only: listing, showing and
checking work, writes are refused with a clear error.
"""
from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .backend import CorruptRegisterError, DamagedRegisterError, RegisterBackend, RegisterError

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


from .common import utc_now  # noqa: E402  (re-exported: spectrum.register.sqlite.utc_now)


_DENY_ACTIONS = {
    sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_DROP_VIEW, sqlite3.SQLITE_DROP_TEMP_TRIGGER, sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_DROP_TEMP_TABLE, sqlite3.SQLITE_DROP_TEMP_INDEX, sqlite3.SQLITE_DROP_TEMP_VIEW,
    getattr(sqlite3, "SQLITE_DROP_VTABLE", 30),
    sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_VIEW, getattr(sqlite3, "SQLITE_CREATE_VTABLE", 29),
    sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_CREATE_TEMP_INDEX, sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
    sqlite3.SQLITE_CREATE_TEMP_VIEW,
    sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH,
}
_DENY_PRAGMAS_SET = {"writable_schema", "foreign_keys", "ignore_check_constraints", "recursive_triggers",
                     "application_id", "user_version", "schema_version", "journal_mode", "synchronous",
                     "defer_foreign_keys", "legacy_alter_table", "trusted_schema", "cell_size_check",
                     "locking_mode"}
_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
#: the R-tree and its shadow tables; written only by the triggers below (and SQLite's own R-tree code)
_RTREE = "assignment_rtree"
_RTREE_TABLES = {_RTREE, _RTREE + "_node", _RTREE + "_rowid", _RTREE + "_parent"}
_RTREE_TRIGGERS = {"assignment_rtree_i", "assignment_rtree_u", "assignment_rtree_d", "station_rtree_u"}

#: what the authorizer of the API's connection refuses outside migrations (documented in docs/register.md)
AUTHORIZER_RULES = (
    "CREATE/DROP/ALTER of any table, index, trigger, view or virtual table (temporary ones included)",
    "ATTACH and DETACH of other databases",
    "INSERT/UPDATE/DELETE on sqlite_sequence",
    "INSERT/UPDATE/DELETE on the R-tree assignment_rtree and its shadow tables, except by its triggers",
    "load_extension()",
    "setting the pragmas " + ", ".join(sorted(_DENY_PRAGMAS_SET)),
)


class SQLiteBackend(RegisterBackend):
    """Register storage in one SQLite file (``":memory:"`` for a throw-away register)."""

    #: the spatial/spectral prefilter (``spectrum register check`` prints it)
    spatial_index = "R-tree over (lat, lon, band) (SQLite rtree module)"

    def __init__(self, conn: sqlite3.Connection, url: str):
        self._conn = conn
        self.url = url
        self._depth = 0
        self._sp = 0
        self._migrating = False
        self._bare = False
        self._internal = 0  # > 0 while the API itself prepares statements (see _authorize)
        #: opened read-only (file or directory not writable): reads work, writes are refused
        self.read_only = False
        #: serialises use of the one connection by several threads (a GUI worker pool)
        self.lock = threading.RLock()

    # ------------------------------------------------------------------ open / close
    @classmethod
    def open(cls, url: str | os.PathLike, *, timeout_s: float = 30.0, create: bool = True,
             bare: bool = False) -> "SQLiteBackend":
        path = os.fspath(url)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if path.startswith("sqlite:///"):
            path = path[len("sqlite:///"):]
        if not path.strip():
            raise RegisterError("register path is empty: give a register file (e.g. --db register.sqlite)")
        path = os.path.expanduser(path)
        memory = path == ":memory:"
        if memory and not create:
            raise RegisterError("register ':memory:' is a new, empty register that vanishes on exit: "
                                "give a register file")
        if path.startswith("file:"):
            raise RegisterError(f"register {path!r}: SQLite URI file names are not accepted; give a file path")
        read_only = False
        if not memory:
            p = Path(path)
            if p.is_dir():
                raise CorruptRegisterError(f"register {path} is a directory, not a register file")
            if p.exists():
                if not p.is_file():
                    raise CorruptRegisterError(f"register {path} is not a regular file")
                size = p.stat().st_size
                if size > 0:
                    try:
                        with open(p, "rb") as fh:
                            head = fh.read(16)
                    except OSError as exc:
                        raise RegisterError(f"register {path} cannot be read: {exc.strerror}") from None
                    if head != _MAGIC:
                        raise CorruptRegisterError(f"register {path} is not an SQLite database "
                                                   "(not a Spectrum register file)")
                elif not create:
                    raise CorruptRegisterError(f"register {path} is an empty (0-byte) file, not a register; "
                                               "create a register with 'spectrum register init'")
                d = p.resolve().parent
                read_only = size > 0 and not (os.access(p, os.W_OK) and os.access(d, os.W_OK | os.X_OK))
                if read_only and create and size == 0:  # pragma: no cover - an empty file nobody can write
                    raise RegisterError(f"register {path} is empty and not writable")
            elif not create:
                raise FileNotFoundError(f"register {path} does not exist (create it with 'spectrum register init')")
            elif not p.parent.exists():
                raise FileNotFoundError(f"register {path}: directory {p.parent} does not exist")
        try:
            if read_only:
                conn = cls._connect_read_only(path, timeout_s)
            else:
                conn = sqlite3.connect(path, timeout=timeout_s, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise CorruptRegisterError(f"register {path} cannot be opened: {exc}") from None
        self = cls(conn, path)
        self.read_only = read_only
        self._bare = bare  # migrations without their rows (a copy brings the source's audit log)
        import time

        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._setup(create, memory, timeout_s)
                return self
            except sqlite3.OperationalError as exc:  # locked beyond the timeout, ...
                msg = str(exc).lower()
                if ("locked" in msg or "busy" in msg) and time.monotonic() < deadline:
                    # another process is creating or upgrading the same file: SQLite may answer BUSY
                    # without waiting while it switches the journal mode or recovers the WAL
                    time.sleep(0.05)
                    continue
                conn.close()
                raise RegisterError(f"register {path} cannot be used: {exc}") from None
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise DamagedRegisterError(f"register {path} is damaged or not a Spectrum register: {exc}") from None
            except BaseException:
                conn.close()
                raise

    def _setup(self, create: bool, memory: bool, timeout_s: float) -> None:
        conn, path, read_only = self._conn, self.url, self.read_only
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        conn.execute("PRAGMA schema_version").fetchone()  # reads page 1: detects a damaged file
        self._check_identity(create)
        if not memory and not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - file systems without shared memory
                raise CorruptRegisterError(f"register {path}: cannot enable WAL journal (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")  # REPLACE fires DELETE triggers (append-only guards)
        if read_only:
            current = self.schema_version()
            if current != len(MIGRATIONS):
                raise RegisterError(
                    f"register {path} is read-only and at schema version {current}, but this software needs "
                    f"{len(MIGRATIONS)}: open it once where it is writable to upgrade it")
        else:
            self.migrate()
        # connect the R-tree module now: it prepares its shadow-table statements once per connection,
        # and the authorizer refuses those outside the API's own statements
        conn.execute("SELECT 1 FROM assignment_rtree LIMIT 0").fetchall()
        conn.set_authorizer(self._authorize)

    @staticmethod
    def _connect_read_only(path: str, timeout_s: float) -> sqlite3.Connection:
        """A read-only connection; ``immutable`` when the WAL index cannot be created beside the file."""
        from urllib.parse import quote

        uri = "file:" + quote(os.path.abspath(path))
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout_s, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
        return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, timeout=timeout_s, isolation_level=None,
                               check_same_thread=False)

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
        if action in _WRITES:
            if arg1 == "sqlite_sequence":
                return sqlite3.SQLITE_DENY
            if arg1 in _RTREE_TABLES and not self._internal:
                # the R-tree module prepares its own shadow-table statements when it connects; they
                # are allowed while the API runs a statement, and the R-tree by its own triggers
                if not (arg1 == _RTREE and source in _RTREE_TRIGGERS):
                    return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and arg1 and arg1.lower() in _DENY_PRAGMAS_SET and arg2 is not None:
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION and arg2 and arg2.lower() == "load_extension":
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    def _check_identity(self, create: bool = True) -> None:
        c = self._conn
        app = c.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app not in (0, APPLICATION_ID) or (tables and "schema_version" not in tables):
            raise CorruptRegisterError(f"register {self.url} is an SQLite database but not a Spectrum register "
                                       f"(application_id {app:#x}, tables: {', '.join(sorted(tables))[:200]})")
        if not tables and not create and self.url != ":memory:":
            raise CorruptRegisterError(f"register {self.url} is an empty SQLite database, not a register; "
                                       "create a register with 'spectrum register init'")

    # ------------------------------------------------------------------ statements
    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        conn = self.connection
        self._internal += 1
        try:
            return conn.execute(sql, params)
        finally:
            self._internal -= 1

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        conn = self.connection
        self._internal += 1
        try:
            return conn.executemany(sql, rows)
        finally:
            self._internal -= 1

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self.lock:
            if self.read_only and not self._depth:
                raise RegisterError(f"register {self.url} is read-only (the file or its directory is not "
                                    "writable): it can be listed, shown and checked, not changed")
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
            if not self._conn.in_transaction:
                # SQLite rolled the transaction back itself (disk full, I/O error): say so, never COMMIT
                # the statements that ran after it in autocommit mode as if all were well
                raise RegisterError(f"register {self.url}: the transaction was rolled back by SQLite "
                                    "(disk full or I/O error?); nothing was changed")
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
            # after SQLITE_FULL / an I/O error SQLite may have rolled back the whole transaction, and
            # the savepoint with it: never let "no such savepoint" hide the real error
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute(f"ROLLBACK TO {name}")
                    self._conn.execute(f"RELEASE {name}")
            raise
        else:
            self._conn.execute(f"RELEASE {name}")

    def is_integrity_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.IntegrityError)

    def is_operational_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError)

    def is_corruption_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, (sqlite3.OperationalError, sqlite3.IntegrityError, sqlite3.ProgrammingError))

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
                    if not self._bare:
                        from .audit import after_migration

                        after_migration(self, description)
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
    def prefilter_sql(self, boxes, f_min_mhz, f_max_mhz, circle=None):
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
        """Storage damage (``PRAGMA integrity_check``), foreign keys, the schema compared object by
        object (SQL text included) with what the migrations create, the R-tree compared with the
        base tables, and the AUTOINCREMENT high-water marks (rows deleted at the end of the audit
        log or of the stored evaluations). A part that cannot be read is reported, never raised."""
        problems: list[str] = []
        c = self  # statements through execute(): prepared as the API's own

        def guarded(what, fn):
            try:
                fn()
            except sqlite3.DatabaseError as exc:
                if not self.is_corruption_error(exc):
                    raise
                problems.append(f"{what}: cannot be read ({exc}): the file is damaged")

        def storage():
            rows = [r[0] for r in c.execute("PRAGMA integrity_check(100)")]
            if rows != ["ok"]:
                problems.extend(f"storage: {r}" for r in rows)

        guarded("storage check", storage)
        guarded("foreign keys", lambda: problems.extend(
            f"foreign key violation in {r[0]} row {r[1]}" for r in c.execute("PRAGMA foreign_key_check")))
        guarded("schema", lambda: problems.extend(self._schema_problems()))
        guarded("spatial index", lambda: problems.extend(self._rtree_problems()))
        guarded("row counters", lambda: problems.extend(self._sequence_problems()))
        return problems

    def quick_check(self, tables) -> list[str]:
        out = []
        for t in tables:
            if not re.fullmatch(r"[a-z_]+", t):
                raise ValueError(f"bad table name {t!r}")
            try:
                rows = [r[0] for r in self.execute(f"PRAGMA quick_check({t})")]
            except sqlite3.DatabaseError as exc:
                if not self.is_corruption_error(exc):
                    raise
                rows = [str(exc)]
            if rows != ["ok"]:
                out += [f"{t}: {r.splitlines()[-1] if r else r}" for r in rows[:3]]
        return out

    def _schema_problems(self) -> list[str]:
        version = self.schema_version()
        want = _pristine_schema(version)
        have = {(t, n): sql for t, n, sql in self.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        out = []
        for (typ, name), sql in sorted(want.items()):
            what = "guard trigger" if typ == "trigger" else typ
            if (typ, name) not in have:
                out.append(f"{what} {name} is missing (the file was altered outside Spectrum)")
            elif have[(typ, name)] != sql:
                out.append(f"{what} {name} was replaced: its SQL differs from the schema's (the file was altered "
                           "outside Spectrum)")
        for (typ, name) in sorted(set(have) - set(want)):
            out.append(f"unexpected {typ} {name} (not created by the schema; the file was altered outside Spectrum)")
        return out

    def _rtree_problems(self) -> list[str]:
        c = self  # statements through execute(): prepared as the API's own
        bad = c.execute(
            "SELECT a.id FROM assignment a JOIN station s ON s.id = a.station_id "
            "LEFT JOIN assignment_rtree r ON r.id = a.id WHERE r.id IS NULL "
            "OR r.min_lat > s.lat OR r.max_lat < s.lat OR r.min_lon > s.lon OR r.max_lon < s.lon "
            "OR r.min_f > a.f_lo_mhz OR r.max_f < a.f_hi_mhz ORDER BY a.id").fetchall()
        out = []
        if bad:
            ids = ", ".join(str(r[0]) for r in bad[:10]) + (" ..." if len(bad) > 10 else "")
            out.append(f"spatial index (R-tree) out of step for {len(bad)} assignment(s) ({ids}): area and band "
                       "queries would miss them")
        extra = c.execute("SELECT COUNT(*) FROM assignment_rtree WHERE id NOT IN (SELECT id FROM assignment)"
                          ).fetchone()[0]
        if extra:
            out.append(f"spatial index (R-tree) holds {extra} entr(y/ies) for assignments that do not exist")
        return out

    def _sequence_problems(self) -> list[str]:
        c = self  # statements through execute(): prepared as the API's own
        out = []
        seq = dict(c.execute("SELECT name, seq FROM sqlite_sequence WHERE name IN ('audit', 'evaluation')"))
        for table, what in (("audit", "audit rows"), ("evaluation", "stored evaluations")):
            top = c.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
            if seq.get(table, 0) > top:
                out.append(f"{what} {top + 1}..{seq[table]} at the end were deleted (the {table} counter "
                           f"reached {seq[table]})")
        return out


_PRISTINE: dict[int, dict] = {}


def _pristine_schema(version: int) -> dict:
    """``{(type, name): sql}`` of a register created by migrations 1..version (cached)."""
    if version not in _PRISTINE:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                         "applied_utc TEXT NOT NULL, description TEXT NOT NULL)")
            for _, _, sql in MIGRATIONS[:version]:
                for stmt in split_sql(sql):
                    conn.execute(stmt)
            _PRISTINE[version] = {(t, n): sql for t, n, sql in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        finally:
            conn.close()
    return _PRISTINE[version]
