"""Shared fixtures: where the reference data is, seeded synthetic terrain."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_REPO = Path(__file__).resolve().parent.parent


def reference_dir() -> Path:
    """``$SPECTRUM_REFERENCE_DIR`` or ``../shared/reference`` beside the repository."""
    env = os.environ.get("SPECTRUM_REFERENCE_DIR")
    return Path(env) if env else (_REPO.parent / "shared" / "reference")


REFERENCE_DIR = reference_dir()


def require_reference(sub: str) -> Path:
    """Path of a reference sub-folder; the test module is skipped, with the reason, if it is absent."""
    p = REFERENCE_DIR / sub
    if not p.exists():
        pytest.skip(f"reference data {p} not found (set SPECTRUM_REFERENCE_DIR)", allow_module_level=True)
    return p


@pytest.fixture(scope="session")
def ref_dir() -> Path:
    return REFERENCE_DIR


# ---------------------------------------------------------------------- register backends
# The register suite runs against both backends through these fixtures: SQLite always,
# PostgreSQL when SPECTRUM_TEST_PG names a superuser DSN of a throwaway cluster (.ci/run starts
# one); each PostgreSQL register is a new database, created from a migrated template.
import sqlite3 as _sqlite3  # noqa: E402
import uuid as _uuid  # noqa: E402

PG_DSN = os.environ.get("SPECTRUM_TEST_PG", "").strip()
try:
    import psycopg as _psycopg
except ImportError:  # pragma: no cover - the [postgres] extra not installed
    _psycopg = None
_PG_SKIP = ("PostgreSQL register tests need SPECTRUM_TEST_PG (a superuser DSN of a throwaway cluster; "
            ".ci/run starts one)" if not PG_DSN else
            "PostgreSQL register tests need psycopg: pip install -e '.[postgres]'" if _psycopg is None else None)
#: raw-SQL refusals by the schema (CHECK, UNIQUE, trigger) on either backend
DB_INTEGRITY_ERRORS = (_sqlite3.IntegrityError,) + ((_psycopg.IntegrityError,) if _psycopg else ())
#: any database error on either backend (a refusal by a trigger, a privilege or the authorizer)
DB_ERRORS = (_sqlite3.DatabaseError,) + ((_psycopg.Error,) if _psycopg else ())
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
#: the query tests add PostgreSQL with PostGIS ("postgresql" is the GiST box fallback, forced)
SPATIAL_BACKENDS = BACKENDS + [pytest.param("postgis", marks=pytest.mark.postgresql)]
_POSTGIS: list = []


def postgis_skip_reason() -> str | None:
    """Why the PostGIS cases cannot run here (no server, or no postgis extension on it), or None."""
    if _PG_SKIP:
        return _PG_SKIP
    if not _POSTGIS:
        with _psycopg.connect(PG_DSN, autocommit=True) as c:
            ok = c.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
        _POSTGIS.append(None if ok else "the PostgreSQL server of SPECTRUM_TEST_PG has no postgis extension "
                        "(apt-get install postgresql-<major>-postgis-3; .ci/pg_cluster.sh tries): "
                        "PostGIS cases skipped")
    return _POSTGIS[0]


#: login users of the test cluster in the application and read-only roles (trust authentication)
PG_APP_USER, PG_READ_USER = "spectrum_test_app", "spectrum_test_read"


def _pg_url(dbname: str, user: str | None = None) -> str:
    from urllib.parse import urlsplit, urlunsplit

    p = urlsplit(PG_DSN)
    netloc = p.netloc if user is None else f"{user}@{p.netloc.rsplit('@', 1)[-1]}"
    return urlunsplit((p.scheme, netloc, "/" + dbname, p.query, p.fragment))


def pg_as(url: str, who: str = "admin") -> str:
    """The same PostgreSQL database as ``url`` for the superuser (``admin``), the application
    user (``app``) or the read-only user (``read``)."""
    return _pg_url(url.rsplit("/", 1)[1], {"admin": None, "app": PG_APP_USER, "read": PG_READ_USER}[who])


_TEMPLATE: dict[str, str] = {}


def pg_new_database(migrated: bool = True, spatial: str = "gist") -> str:
    """URL of a new, uniquely named database (a migrated register unless ``migrated=False``, with
    the GiST box fallback or, ``spatial="postgis"``, PostGIS)."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    if spatial == "postgis" and postgis_skip_reason():
        pytest.skip(postgis_skip_reason())
    name = "spectrum_test_" + _uuid.uuid4().hex[:16]
    with _psycopg.connect(PG_DSN, autocommit=True) as c:
        if migrated and spatial not in _TEMPLATE:
            tpl = "spectrum_template_" + _uuid.uuid4().hex[:8]
            c.execute(f'CREATE DATABASE "{tpl}"')
            from spectrum.register.postgresql import PostgreSQLBackend

            PostgreSQLBackend.open(_pg_url(tpl), spatial=spatial).close()
            from spectrum.register.postgresql import create_roles

            create_roles(_pg_url(tpl))
            for user, role in ((PG_APP_USER, "spectrum_app"), (PG_READ_USER, "spectrum_read")):
                if c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone() is None:
                    c.execute(f"CREATE ROLE {user} LOGIN IN ROLE {role}")
            c.execute(f'ALTER DATABASE "{tpl}" WITH IS_TEMPLATE true')
            _TEMPLATE[spatial] = tpl
        c.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{_TEMPLATE[spatial]}"' if migrated else ""))
    _CREATED.append(name)
    return _pg_url(name)


def raw_connection(reg):
    """A connection to ``reg``'s database as a tool bypassing the API would use (SQLite: a plain
    sqlite3 connection without the authorizer; PostgreSQL: the superuser), autocommit."""
    if reg.backend.url.startswith(("postgresql://", "postgres://")):
        return _psycopg.connect(pg_as(reg.backend.url), autocommit=True)
    return _sqlite3.connect(reg.backend.url, isolation_level=None)


_CREATED: list[str] = []


def _drop_databases(names) -> None:
    if not names or _psycopg is None or not PG_DSN:
        return
    with _psycopg.connect(PG_DSN, autocommit=True) as c:
        for n in names:
            c.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')


@pytest.fixture(scope="session", autouse=True)
def _pg_cleanup():
    yield
    _drop_databases(_CREATED)
    for t in _TEMPLATE.values():
        with _psycopg.connect(PG_DSN, autocommit=True) as c:
            c.execute(f'ALTER DATABASE "{t}" WITH IS_TEMPLATE false')
    _drop_databases(list(_TEMPLATE.values()))


@pytest.fixture(params=BACKENDS)
def backend_name(request) -> str:
    """``"sqlite"`` or ``"postgresql"`` (the latter skipped, with the reason, without a server)."""
    return _backend_param(request.param)


def _backend_param(name: str) -> str:
    if name in ("postgresql", "postgis") and _PG_SKIP:
        pytest.skip(_PG_SKIP)
    if name == "postgis" and postgis_skip_reason():
        pytest.skip(postgis_skip_reason())
    return name


@pytest.fixture
def new_register_url(backend_name, tmp_path):
    """Factory: a new register location per call (SQLite ``:memory:`` or a file when
    ``shared=True``; PostgreSQL a new database)."""
    made = []

    def make(shared: bool = False, migrated: bool = True, role: str = "app") -> str:
        if backend_name in ("postgresql", "postgis"):
            url = pg_new_database(migrated, spatial="postgis" if backend_name == "postgis" else "gist")
            made.append(url.rsplit("/", 1)[1])
            return pg_as(url, role) if migrated else url
        return str(tmp_path / f"reg{len(made)}-{_uuid.uuid4().hex[:6]}.sqlite") if shared else ":memory:"
    yield make
    _drop_databases(made)


@pytest.fixture
def open_register(new_register_url):
    """Factory: ``open_register(**kw)`` opens a new, empty register on the parametrised backend."""
    from spectrum.register import Register

    opened = []

    def make(url: str | None = None, **kw):
        r = Register.open(url or new_register_url(), **kw)
        opened.append(r)
        return r
    yield make
    for r in opened:
        r.close()


@pytest.fixture
def register_url(new_register_url) -> str:
    """One new register location shared by the processes / connections of a test."""
    return new_register_url(shared=True)


def is_pg(reg) -> bool:
    return reg.backend.url.startswith(("postgresql://", "postgres://"))


def raw_execute(reg, sql: str, params=()):
    """Raw SQL around the API's Python checks. SQLite: through the API's own connection (its
    authorizer and the schema's triggers apply). PostgreSQL: as the superuser (the triggers
    apply, the GRANTs of the application role do not), with ``?`` placeholders."""
    if not is_pg(reg):
        return reg.backend.execute(sql, params)
    from spectrum.register.postgresql import _translate

    with _psycopg.connect(pg_as(reg.backend.url), autocommit=True) as c:
        cur = c.execute(_translate(sql)[0].removesuffix(" RETURNING id"), list(params))
        return cur.fetchall() if cur.description else None
