"""Copy a register between backends, losslessly: every row with its id, the audit log verbatim
(so the hash chain and its head are the same), then ``check`` on both sides.

``spectrum register migrate --from reg.sqlite --to postgresql://...`` uses :func:`migrate`;
a PostgreSQL register's :meth:`backup` uses :func:`copy_backend` into a new SQLite file.
The target must be empty (a new SQLite file, or a PostgreSQL database without tables): its schema
is created by the migrations without their own rows, and everything is written in one
transaction that is rolled back if the target's check disagrees with the source.
"""
from __future__ import annotations

from .backend import RegisterError

__all__ = ["migrate", "copy_backend", "TABLES"]

#: tables copied, parents first (``status_transition`` and ``schema_version`` come from the migrations)
TABLES = ("licensee", "licence", "licence_history", "antenna_pattern", "spectrum_mask", "station", "assignment",
          "audit", "evaluation", "allocation_band", "allocation_table_info")
_GENERATED = {"f_lo_mhz", "f_hi_mhz", "geog"}  # geog: PostGIS point, set by its trigger
_COUNTED = ("licensee", "licence", "licence_history", "station", "assignment", "antenna_pattern", "spectrum_mask",
            "audit", "evaluation", "allocation_band")


def _columns(backend, table: str) -> list[str]:
    cur = backend.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    cur = getattr(cur, "_cur", cur)
    return [d[0] for d in cur.description if d[0] not in _GENERATED]


def _open_target(url: str):
    from .postgresql import _OWN_TABLES_SQL, PostgreSQLBackend, is_postgresql_url
    from .sqlite import SQLiteBackend

    if is_postgresql_url(url):
        import psycopg

        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as c:
                n = len(c.execute(_OWN_TABLES_SQL).fetchall())
        except psycopg.Error as exc:
            raise RegisterError(f"target {url}: cannot be reached: {str(exc).strip().splitlines()[0]}") from None
        if n:
            raise RegisterError(f"target {url} is not empty ({n} table(s)): migrate copies into an empty database "
                                "(createdb a new one)")
        return PostgreSQLBackend.open(url, bare=True)
    import os

    if os.path.exists(url) and os.path.getsize(url) > 0:
        raise RegisterError(f"target {url} exists and is not empty: migrate copies into a new register file")
    return SQLiteBackend.open(url, bare=True)


def copy_backend(src, dst_url: str) -> dict:
    """Copy every row of backend ``src`` into a new register at ``dst_url``; return the counts."""
    dst = _open_target(dst_url)
    try:
        with src.read(), dst.write():
            counts = {}
            for t in TABLES:
                cols = _columns(src, t)
                keep = [c for c in cols if c in set(_columns(dst, t))]
                missing = set(cols) - set(keep)
                if missing:
                    raise RegisterError(f"target lacks column(s) {', '.join(sorted(missing))} of {t}")
                rows = src.execute(f"SELECT {', '.join(keep)} FROM {t} ORDER BY "
                                   f"{'id' if 'id' in keep else keep[0]}").fetchall()
                if rows:
                    dst.executemany(f"INSERT INTO {t} ({', '.join(keep)}) VALUES ({', '.join('?' * len(keep))})",
                                    rows)
                counts[t] = len(rows)
            for t in _COUNTED:
                n = dst.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                if n != counts[t]:  # pragma: no cover - an insert the target silently dropped
                    raise RegisterError(f"copy of {t}: {counts[t]} rows read, {n} written")
        return counts
    except BaseException:
        dst.close()
        raise
    finally:
        if dst._conn is not None:
            dst.close()


def migrate(src_url: str, dst_url: str, *, user: str | None = None) -> dict:
    """Copy the register ``src_url`` into the empty target ``dst_url`` and verify it: ``check`` on
    both sides must pass, with the same counts and the same audit head. Returns a summary."""
    from .core import Register

    with Register.open(src_url, create=False, user=user, allocations=False) as src:
        before = src.integrity_check()
        if before:
            raise RegisterError(f"source {src_url} does not pass check ({before[0]}); repair it before migrating")
        src_counts = src.counts()
        src_head = src.audit_head()
        with src.backend.lock:
            copy_backend(src.backend, dst_url)
    with Register.open(dst_url, create=False, user=user, allocations=False) as dst:
        problems = dst.integrity_check(expect_head=src_head["head"])
        dst_counts = dst.counts()
        dst_head = dst.audit_head()
    if problems:
        raise RegisterError(f"target {dst_url} fails check after the copy: {problems[0]}")
    if dst_counts != src_counts or dst_head != src_head:
        raise RegisterError(f"target {dst_url} differs from the source after the copy (counts {dst_counts} vs "
                            f"{src_counts}, head {dst_head['head']} vs {src_head['head']})")
    return {"from": src_url, "to": dst.backend.url, "counts": src_counts, "audit": src_head, "check": "ok"}
