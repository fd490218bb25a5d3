"""``check`` of a PostgreSQL register: the schema's guards compared with the migrations.

The SQLite check compares every schema object's SQL with a pristine copy built in memory; the
PostgreSQL equivalent compares what tampering would change:

* every guard trigger the migrations create exists, on its table, calling its function, and is
  enabled (``ALTER TABLE ... DISABLE TRIGGER`` is reported); no other trigger exists;
* every trigger function's body equals the migrations' text (a ``CREATE OR REPLACE FUNCTION``
  that skips the guard is reported); no other function exists in the register's schema;
* the spatial index (``assignment_gist``) matches the base tables; on a PostGIS register
  (:mod:`.pg_spatial`) the extension, ``station.geog``, its GiST index and every station's point too;
* the row counters of the append-only tables are not ahead of their rows (a deleted tail).
"""
from __future__ import annotations

import functools
import re

__all__ = ["integrity_problems", "expected_objects"]

_TRIGGER_RE = re.compile(r"CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+(\w+)\s+(?:BEFORE|AFTER)\s[\s\S]*?\sON\s+(\w+)\s[\s\S]*?"
                         r"EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(\w+)\s*\(", re.I)
_FUNCTION_RE = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)\s*\([\s\S]*?AS\s+\$\$([\s\S]*?)\$\$", re.I)


@functools.lru_cache(maxsize=16)
def expected_objects(version: int) -> tuple[dict, dict]:
    """``({trigger: (table, function)}, {function: body})`` created by migrations 1..version."""
    from .postgresql import PG_MIGRATIONS, split_pg_sql

    return created_objects(stmt for _, _, sql in PG_MIGRATIONS[:version] for stmt in split_pg_sql(sql))


def created_objects(statements) -> tuple[dict, dict]:
    """``({trigger: (table, function)}, {function: body})`` that SQL ``statements`` create."""
    triggers, functions = {}, {}
    for stmt in statements:
        m = _TRIGGER_RE.match(stmt)
        if m:
            triggers[m.group(1)] = (m.group(2), m.group(3))
        m = _FUNCTION_RE.match(stmt)
        if m:
            functions[m.group(1)] = m.group(2)
    return triggers, functions


def integrity_problems(backend) -> list[str]:
    x = backend.execute
    out: list[str] = []
    from .pg_spatial import expected_extra, problems as spatial_problems

    triggers, functions = expected_objects(backend.schema_version())
    extra_t, extra_f = expected_extra(backend.spatial_mode, backend.postgis_schema)
    triggers, functions = {**triggers, **extra_t}, {**functions, **extra_f}
    have = {name: (table, fn, enabled) for name, table, fn, enabled in x(
        "SELECT t.tgname, c.relname, p.proname, t.tgenabled FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace")}
    for name, (table, fn) in sorted(triggers.items()):
        if name not in have:
            out.append(f"guard trigger {name} is missing (the database was altered outside Spectrum)")
            continue
        h_table, h_fn, enabled = have[name]
        if (h_table, h_fn) != (table, fn):
            out.append(f"guard trigger {name} was replaced: it runs {h_fn}() on {h_table}, the schema's runs {fn}() "
                       f"on {table} (the database was altered outside Spectrum)")
        if enabled == "D":
            out.append(f"guard trigger {name} is disabled (ALTER TABLE ... DISABLE TRIGGER outside Spectrum)")
    for name in sorted(set(have) - set(triggers)):
        out.append(f"unexpected trigger {name} on {have[name][0]} (not created by the schema; the database was "
                   "altered outside Spectrum)")
    bodies = dict(x("SELECT p.proname, p.prosrc FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace "
                    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"))
    for name, body in sorted(functions.items()):
        if name not in bodies:
            out.append(f"guard function {name} is missing (the database was altered outside Spectrum)")
        elif bodies[name] != body:
            out.append(f"guard function {name} was replaced: its body differs from the schema's (the database was "
                       "altered outside Spectrum)")
    for name in sorted(set(bodies) - set(functions)):
        out.append(f"unexpected function {name} (not created by the schema; the database was altered outside Spectrum)")
    bad = x("SELECT a.id FROM assignment a JOIN station s ON s.id = a.station_id "
            "LEFT JOIN assignment_gist g ON g.id = a.id WHERE g.id IS NULL "
            "OR NOT (g.pos ~= box(point(s.lon, s.lat), point(s.lon, s.lat))) "
            "OR NOT (g.band ~= box(point(a.f_lo_mhz, 0), point(a.f_hi_mhz, 0))) ORDER BY a.id").fetchall()
    if bad:
        ids = ", ".join(str(r[0]) for r in bad[:10]) + (" ..." if len(bad) > 10 else "")
        out.append(f"spatial index (GiST) out of step for {len(bad)} assignment(s) ({ids}): area and band "
                   "queries would miss them")
    extra = x("SELECT COUNT(*) FROM assignment_gist WHERE id NOT IN (SELECT id FROM assignment)").fetchone()[0]
    if extra:
        out.append(f"spatial index (GiST) holds {extra} entr(y/ies) for assignments that do not exist")
    out += spatial_problems(backend)
    seq = dict(x("SELECT name, seq FROM row_counter"))
    for table, what in (("audit", "audit rows"), ("evaluation", "stored evaluations")):
        top = x(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
        if seq.get(table, 0) > top:
            out.append(f"{what} {top + 1}..{seq[table]} at the end were deleted (the {table} counter "
                       f"reached {seq[table]})")
    return out
