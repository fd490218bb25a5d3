"""PostgreSQL backend of the licence register (``postgresql://user@host:port/dbname``), for an
office where many officers on several machines share one register.

Needs the ``[postgres]`` extra (psycopg 3). Same tables, CHECK constraints, lifecycle and guards
as the SQLite schema, written in PostgreSQL's dialect (``postgresql_000N_*.sql``, numbered like the
SQLite migrations): guards are PL/pgSQL trigger functions raising SQLSTATE 23000; the append-only
tables (audit, licence history, stored evaluations) refuse UPDATE, DELETE and TRUNCATE by trigger.

Transactions: every write is one transaction that first takes a database-wide advisory lock
(``pg_advisory_xact_lock``), so writers from any machine are serialised exactly as SQLite's
``BEGIN IMMEDIATE`` serialises them (the audit hash chain needs one writer at a time); the lock
waits at most ``timeout_s`` (``lock_timeout``). Reads run in ``REPEATABLE READ READ ONLY``
snapshots. A client killed mid-transaction loses its connection and the server rolls the
transaction back: nothing half-written remains.

Spatial/spectral prefilter: a GiST index over (position box, band box) of every assignment
(``assignment_gist``, kept in step by triggers), PostgreSQL's built-in box operator class, so no
extension is needed; where the server has PostGIS when the register is created, radius queries use
``ST_DWithin`` on a geography point per station instead (:mod:`.pg_spatial`);
:attr:`PostgreSQLBackend.spatial_index` says which index is used.

Roles (:func:`create_roles`): ``spectrum_admin`` owns the schema and runs migrations,
``spectrum_app`` may insert audit/history/evaluation rows but never update or delete them
(GRANTs, and the triggers besides), ``spectrum_read`` may only read (viewers). See docs/register.md.
"""
from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from importlib import resources
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from .backend import CorruptRegisterError, RegisterBackend, RegisterError
from .common import utc_now

__all__ = ["PostgreSQLBackend", "PG_MIGRATIONS", "is_postgresql_url", "create_roles", "ROLES"]

_MIG_RE = re.compile(r"^postgresql_(\d{4})_([a-z0-9_]+)\.sql$")
#: key of the advisory lock that serialises writers ("SPEC")
WRITE_LOCK_KEY = 0x53504543
#: the three roles of :func:`create_roles`
ROLES = {"admin": "spectrum_admin", "app": "spectrum_app", "read": "spectrum_read"}
#: tables whose ``id`` is generated (``INSERT`` statements get ``RETURNING id`` for ``lastrowid``)
_ID_TABLES = {"licensee", "licence", "licence_history", "antenna_pattern", "spectrum_mask", "station",
              "assignment", "audit", "evaluation", "allocation_band"}
_IDENTITY_TABLES = _ID_TABLES - {"audit", "evaluation"}
_INSERT_RE = re.compile(r"^\s*INSERT\s+INTO\s+([a-z_]+)\s*\(([^)]*)\)", re.I)
#: what :meth:`PostgreSQLBackend.integrity_check` compares with the migrations
SPATIAL_INDEX = "GiST over (position box, band box) with PostgreSQL's built-in box operator class"


#: the tables of the register's schema, without an extension's (PostGIS created in ``public``)
_OWN_TABLES_SQL = ("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN "
                   "(SELECT c.relname FROM pg_depend d JOIN pg_class c ON c.oid = d.objid WHERE d.deptype = 'e')")


def _load() -> list[tuple[int, str, str]]:
    out = []
    for entry in resources.files("spectrum.register").iterdir():
        m = _MIG_RE.match(entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    out.sort()
    return out


#: ``[(version, description, sql)]``, numbered and described like the SQLite migrations
PG_MIGRATIONS = _load()


def is_postgresql_url(url) -> bool:
    return isinstance(url, str) and url.strip().lower().startswith(("postgresql://", "postgres://"))


def public_url(url: str) -> str:
    """The URL without its password (for messages and ``Register.backend.url``)."""
    try:
        p = urlsplit(url)
        if p.password is not None:
            host = p.hostname or ""
            netloc = f"{p.username}@{host}" + (f":{p.port}" if p.port else "")
            return urlunsplit((p.scheme, netloc, p.path, p.query, p.fragment))
    except ValueError:
        pass
    return url


@functools.lru_cache(maxsize=4096)
def _translate(sql: str) -> tuple[str, str | None, bool]:
    """``?`` placeholders -> ``%s`` (``%`` doubled) outside quotes; the table of an INSERT needing
    ``RETURNING id``; whether it names ``id`` explicitly."""
    out, q = [], None
    for ch in sql:
        if q:
            out.append("%%" if ch == "%" else ch)
            if ch == q:
                q = None
        elif ch in "'\"":
            q = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    text = "".join(out)
    m = _INSERT_RE.match(sql)
    table = explicit = None
    if m and m.group(1).lower() in _ID_TABLES:
        table = m.group(1).lower()
        explicit = "id" in [c.strip().lower() for c in m.group(2).split(",")]
        if "returning" not in sql.lower():
            text += " RETURNING id"
    return text, table, bool(explicit)


def split_pg_sql(script: str) -> list[str]:
    """Statements of a migration (``;`` at a line end outside ``$$`` bodies ends one)."""
    stmts, buf, in_body = [], [], False
    for line in script.splitlines():
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if not in_body and line.rstrip().endswith(";"):
            stmts.append("\n".join(buf).strip())
            buf = []
    if "".join(buf).strip():
        raise ValueError(f"incomplete SQL statement in migration: {' '.join(buf)[:80]!r}")
    return stmts


class _Cursor:
    """A psycopg cursor with ``lastrowid`` (from ``RETURNING id``)."""

    __slots__ = ("_cur", "lastrowid")

    def __init__(self, cur, lastrowid):
        self._cur, self.lastrowid = cur, lastrowid

    def fetchone(self):
        return None

    def fetchall(self):
        return []

    def __iter__(self):
        return iter(())

    @property
    def rowcount(self):
        return self._cur.rowcount


class PostgreSQLBackend(RegisterBackend):
    """Register storage in a PostgreSQL database (one register per database, schema ``public``
    or the first schema of the connection's ``search_path``)."""

    spatial_index = SPATIAL_INDEX
    #: ``"postgis"`` or ``"gist_box"`` (recorded at creation, see :mod:`.pg_spatial`)
    spatial_mode = "gist_box"
    postgis_schema: str | None = None
    #: a remark for ``check`` (a fallback register on a server that has PostGIS), or None
    spatial_note: str | None = None

    def __init__(self, conn, url: str):
        self._conn = conn
        self.url = public_url(url)
        self._depth = 0
        self._rdepth = 0
        self._sp = 0
        self._explicit: set[str] = set()
        self.read_only = False
        self.lock = threading.RLock()
        self._bare = False

    # ------------------------------------------------------------------ open / close
    @classmethod
    def open(cls, url: str, *, timeout_s: float = 30.0, create: bool = True, bare: bool = False,
             spatial: str | None = None) -> "PostgreSQLBackend":
        """``spatial``: ``auto`` / ``postgis`` / ``gist`` for a register created here (default
        ``$SPECTRUM_PG_SPATIAL``, else ``auto``: PostGIS where the server has it)."""
        from . import pg_spatial

        pg_spatial.requested_mode(spatial)
        try:
            import psycopg
        except ImportError:
            raise RegisterError(f"register {public_url(url)}: the PostgreSQL backend needs psycopg: "
                                "pip install 'spectrum[postgres]'") from None
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout_s)),
                                   application_name="spectrum register")
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RegisterError(f"register {public_url(url)} cannot be reached: {first}") from None
        self = cls(conn, url)
        self._bare = bare
        self._spatial_req = spatial
        try:
            conn.execute(f"SET lock_timeout = {int(timeout_s * 1000)}")
            conn.execute("SET client_min_messages = warning")
            tables = self._tables()
            if tables and "schema_version" not in tables:
                raise CorruptRegisterError(f"register {self.url} is a PostgreSQL database but not a Spectrum register "
                                           f"(tables: {', '.join(sorted(tables))[:200]})")
            if not tables and not create:
                raise CorruptRegisterError(f"register {self.url} is an empty database, not a register; create a "
                                           "register with 'spectrum register init --db URL'")
            if tables:
                ok = conn.execute("SELECT has_table_privilege('audit', 'INSERT')").fetchone()[0]
                self.read_only = not ok
            if self.read_only:
                current = self.schema_version()
                if current != len(PG_MIGRATIONS):
                    raise RegisterError(f"register {self.url} is read-only for this role and at schema version "
                                        f"{current}, but this software needs {len(PG_MIGRATIONS)}: let the admin "
                                        "role upgrade it")
            else:
                self.migrate()
            self.spatial_mode, self.postgis_schema, detail = pg_spatial.read_mode(conn)
            self.spatial_index = pg_spatial.describe(self.spatial_mode, detail)
            self.spatial_note = pg_spatial.note(conn, self.spatial_mode)
            return self
        except psycopg.Error as exc:
            conn.close()
            raise RegisterError(f"register {self.url} cannot be used: {str(exc).strip().splitlines()[0]}") from None
        except BaseException:
            conn.close()
            raise

    def _tables(self) -> set[str]:
        return {r[0] for r in self._conn.execute(_OWN_TABLES_SQL)}

    def close(self) -> None:
        with self.lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    @property
    def connection(self):
        if self._conn is None:
            raise ValueError(f"register {self.url} is closed")
        return self._conn

    # ------------------------------------------------------------------ statements
    def execute(self, sql: str, params: Sequence[Any] = ()):
        text, table, explicit = _translate(sql)
        cur = self.connection.execute(text, list(params))
        if table is None:
            return cur
        if explicit and table in _IDENTITY_TABLES:
            self._explicit.add(table)
        rows = cur.fetchall()
        return _Cursor(cur, rows[-1][0] if rows else None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]):
        text, table, explicit = _translate(sql)
        if table is not None:
            text = text[:-len(" RETURNING id")] if text.endswith(" RETURNING id") else text
            if explicit and table in _IDENTITY_TABLES:
                self._explicit.add(table)
        cur = self.connection.cursor()
        cur.executemany(text, [list(r) for r in rows])
        return cur

    def _sync_identities(self) -> None:
        """After rows were inserted with explicit ids, move the identity sequences past them."""
        for t in sorted(self._explicit):
            self._conn.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                               f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t}), 1), "
                               f"(SELECT COUNT(*) > 0 FROM {t}))")
        self._explicit.clear()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self.lock:
            if self.read_only and not self._depth:
                raise RegisterError(f"register {self.url} is read-only for this database role: it can be listed, "
                                    "shown and checked, not changed")
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            conn = self.connection
            conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            self._depth = 1
            self._explicit.clear()
            try:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                yield
                self._sync_identities()
            except BaseException:
                self._depth = 0
                self._explicit.clear()
                self._rollback()
                raise
            self._depth = 0
            conn.execute("COMMIT")

    def _rollback(self) -> None:
        import psycopg

        if self._conn is not None and not self._conn.closed:
            with contextlib.suppress(psycopg.Error):
                self._conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self.lock:
            if self._depth or self._rdepth:
                self._rdepth += 1
                try:
                    yield
                finally:
                    self._rdepth -= 1
                return
            self.connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._rdepth = 1
            try:
                yield
            finally:
                self._rdepth = 0
                self._rollback()

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
            import psycopg

            with contextlib.suppress(psycopg.Error):
                self._conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self._conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self._conn.execute(f"RELEASE SAVEPOINT {name}")

    def is_integrity_error(self, exc: BaseException) -> bool:
        import psycopg

        return isinstance(exc, (psycopg.IntegrityError, psycopg.DataError, psycopg.errors.InsufficientPrivilege))

    def is_operational_error(self, exc: BaseException) -> bool:
        import psycopg

        return isinstance(exc, psycopg.OperationalError)

    # ------------------------------------------------------------------ migrations
    def schema_version(self) -> int:
        row = self.connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending migrations (each in one transaction, under the write lock)."""
        target = len(PG_MIGRATIONS) if target is None else int(target)
        applied = []
        fresh = "schema_version" not in self._tables()
        if not fresh and self.schema_version() >= target:
            self._check_newer()
            return applied  # nothing to do: roles without CREATE rights open it as well
        plan = None
        if fresh and target:
            from . import pg_spatial

            plan = pg_spatial.prepare(self, getattr(self, "_spatial_req", None))
        for version, description, sql in PG_MIGRATIONS[:target]:
            with self.write():
                c = self._conn
                if "schema_version" not in self._tables():
                    c.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                              "applied_utc TEXT NOT NULL, description TEXT NOT NULL)")
                current = self.schema_version()
                if current > len(PG_MIGRATIONS):
                    raise CorruptRegisterError(
                        f"register {self.url} has schema version {current}, newer than this software "
                        f"supports ({len(PG_MIGRATIONS)}): upgrade spectrum")
                if version <= current:
                    continue
                for stmt in split_pg_sql(sql):
                    c.execute(stmt)
                if plan is not None and version == target:  # the spatial index, with the last migration
                    from . import pg_spatial

                    pg_spatial.apply(self, plan)
                if not self._bare:
                    from .audit import after_migration

                    after_migration(self, description)
                c.execute("INSERT INTO schema_version (version, applied_utc, description) VALUES (%s, %s, %s)",
                          (version, utc_now(), description.replace("_", " ")))
                applied.append(version)
        if applied and self._role_exists(ROLES["app"]):
            with self.write():
                _grant(self._conn)
        self._check_newer()
        return applied

    def _check_newer(self) -> None:
        current = self.schema_version()
        if current > len(PG_MIGRATIONS):
            raise CorruptRegisterError(f"register {self.url} has schema version {current}, newer than this "
                                       f"software supports ({len(PG_MIGRATIONS)}): upgrade spectrum")

    def _role_exists(self, name: str) -> bool:
        return self.connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None

    # ------------------------------------------------------------------ queries
    def prefilter_sql(self, boxes, f_min_mhz, f_max_mhz, circle=None):
        if circle is not None and self.spatial_mode == "postgis":
            from .pg_spatial import prefilter

            return prefilter(self.postgis_schema, circle, f_min_mhz, f_max_mhz)
        if not boxes and f_min_mhz is None and f_max_mhz is None:
            return "assignment a", "TRUE", []
        fmin = -1.0 if f_min_mhz is None else float(f_min_mhz)
        fmax = 1e12 if f_max_mhz is None else float(f_max_mhz)
        boxes = boxes or [(-90.0, 90.0, -180.0, 180.0)]
        parts, params = [], []
        for la0, la1, lo0, lo1 in boxes:
            parts.append("(g.pos && box(point(?, ?), point(?, ?)) AND g.band && box(point(?, 0), point(?, 0)))")
            params += [lo0, la0, lo1, la1, fmin, fmax]
        return "assignment_gist g JOIN assignment a ON a.id = g.id", f"({' OR '.join(parts)})", params

    def backup_to(self, path: str) -> None:
        """A consistent copy of the register into the new SQLite file ``path`` (same rows, ids and
        audit chain; checked like a migration)."""
        from .copy import copy_backend

        with self.lock, self.read():
            copy_backend(self, path)

    def json_field_sql(self, column: str, key: str) -> str:
        if not re.fullmatch(r"[a-z_]+", column) or not re.fullmatch(r"[a-z_]+", key):
            raise ValueError(f"bad JSON column/key {column!r}/{key!r}")
        return f"(CASE WHEN spectrum_json_valid({column}) THEN ({column}::json ->> '{key}') END)"

    def integrity_check(self) -> list[str]:
        from .pg_check import integrity_problems

        return integrity_problems(self)


def _grant(conn) -> None:
    """The three roles' rights on every table of the register (idempotent)."""
    a, app, rd = ROLES["admin"], ROLES["app"], ROLES["read"]
    tables = [r[0] for r in conn.execute(_OWN_TABLES_SQL)]
    if not tables:
        return
    conn.execute(f"GRANT USAGE ON SCHEMA {_schema(conn)} TO {app}, {rd}")
    conn.execute(f"GRANT ALL ON SCHEMA {_schema(conn)} TO {a}")
    for t in tables:
        conn.execute(f"ALTER TABLE {t} OWNER TO {a}")
        conn.execute(f"REVOKE ALL ON {t} FROM {app}, {rd}")
        conn.execute(f"GRANT SELECT ON {t} TO {app}, {rd}")
    for (fn,) in conn.execute("SELECT p.oid::regprocedure::text FROM pg_proc p "
                              "WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS "
                              "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')").fetchall():
        conn.execute(f"ALTER FUNCTION {fn} OWNER TO {a}")
    writable = {"licensee": "INSERT, UPDATE", "licence": "INSERT, UPDATE", "station": "INSERT, UPDATE, DELETE",
                "assignment": "INSERT, UPDATE, DELETE", "antenna_pattern": "INSERT, UPDATE",
                "spectrum_mask": "INSERT, UPDATE", "allocation_band": "INSERT, DELETE",
                "allocation_table_info": "INSERT, DELETE",
                # append-only: INSERT alone (and the triggers refuse UPDATE/DELETE/TRUNCATE for everyone)
                "audit": "INSERT", "licence_history": "INSERT", "evaluation": "INSERT"}
    for t, rights in writable.items():
        if t in tables:
            conn.execute(f"GRANT {rights} ON {t} TO {app}")
    conn.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema(conn)} TO {app}")
    from .pg_spatial import read_mode

    mode, pg_schema, _ = read_mode(conn)
    if mode == "postgis" and pg_schema:  # the readers' ST_DWithin and the station trigger need the schema
        q = conn.execute("SELECT quote_ident(%s)", (pg_schema,)).fetchone()[0]
        conn.execute(f"GRANT USAGE ON SCHEMA {q} TO {a}, {app}, {rd}")


def _schema(conn) -> str:
    return conn.execute("SELECT quote_ident(current_schema())").fetchone()[0]


def create_roles(url: str) -> dict:
    """Create (if missing) the admin, application and read-only roles and grant them their rights
    on the register at ``url`` (run as a superuser or a role with CREATEROLE owning the tables).

    Roles are group roles (NOLOGIN); give them to login users: ``GRANT spectrum_app TO alice``.
    """
    b = PostgreSQLBackend.open(url)
    try:
        with b.write():
            for name in ROLES.values():
                if not b._role_exists(name):
                    b._conn.execute(f"CREATE ROLE {name} NOLOGIN")
            _grant(b._conn)
        return dict(ROLES)
    finally:
        b.close()


def drop_database_if_exists(admin_url: str, name: str) -> None:  # pragma: no cover - test helper
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_ready(url: str, timeout_s: float = 10.0) -> None:  # pragma: no cover - CI helper
    import psycopg

    t_end = time.monotonic() + timeout_s
    while True:
        try:
            psycopg.connect(url).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > t_end:
                raise
            time.sleep(0.2)
