"""Licence register benchmark: build a 100 000-station register, time radius + frequency queries.

    python benchmarks/bench_register.py                 # 100 000 stations, 50 queries per case
    python benchmarks/bench_register.py --n 20000 --repeats 20 --json

Times (medians, ms) for ``Register.query_arrays`` (column arrays, the pruning path) and
``Register.query`` (AssignmentRow objects) at several radii and frequency windows, beside two
baselines on the same file: a plain SQL query using only the lat/lon and frequency B-tree
indexes (no R-tree), and a numpy scan of all rows already in memory (loading them excluded).
Inserts: ``--inserts N`` licences through the API (add_licence, transition, add_station,
add_assignment, in one transaction: validation, audit rows and hash chain included), then the
same records exported to CSV and imported (streaming import), ms per licence / per row.

Both backends side by side (``--pg DSN``: a superuser DSN; a new database is created and dropped)::

    python benchmarks/bench_register.py --pg postgresql://postgres@127.0.0.1:5432/postgres
    python benchmarks/bench_register.py --pg DSN --n 100000 --import-licences 10000 --repeats 30

times the same 100 000-station radius + frequency queries (``query_arrays``) on an SQLite file and
on PostgreSQL over TCP -- with the GiST box fallback and, where the server has the postgis
extension, with PostGIS (``ST_DWithin`` on a geography GiST index) -- and the CSV import of
10 000 licences into an empty register of each (median of ``--import-runs``), with the
PostgreSQL / SQLite ratios. The three give identical rows (asserted).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _median_ms(fn, args_list, clock=time.perf_counter) -> tuple[float, int]:
    times, n = [], 0
    for args in args_list:
        t0 = clock()
        out = fn(*args)
        times.append((clock() - t0) * 1e3)
        n += len(out["lat"]) if isinstance(out, dict) else len(out)
    return statistics.median(times), n // max(len(args_list), 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="stations (default 100000)")
    ap.add_argument("--repeats", type=int, default=50, help="query centres per case (default 50)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--db", default=None, help="keep the register in this file (default: a temporary file)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--inserts", type=int, default=2000, help="licences inserted through the API (default 2000)")
    ap.add_argument("--pg", default=None, metavar="DSN",
                    help="compare SQLite with PostgreSQL (superuser DSN; a new database is created and dropped)")
    ap.add_argument("--import-licences", type=int, default=10_000, help="licences in the CSV import (with --pg)")
    ap.add_argument("--import-runs", type=int, default=3, help="CSV imports per backend (with --pg; median)")
    args = ap.parse_args(argv)
    if args.pg:
        return compare_backends(args)

    from spectrum.datasets.register import SHANGHAI, synthetic_register
    from spectrum.register import gc_distance_km

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.sqlite"
    else:
        path = Path(args.db)
        if path.exists():
            sys.exit(f"{path} exists; give a new file")
    t0 = time.perf_counter()
    reg = synthetic_register(path, args.n, seed=args.seed)
    build_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6

    rng = np.random.default_rng(1)
    centres = [(SHANGHAI[0] + rng.normal(0, 0.15), SHANGHAI[1] + rng.normal(0, 0.2)) for _ in range(args.repeats)]
    all_cols = reg.query_arrays(status=None)  # for the in-memory scan baseline (load not timed)
    conn = reg.connection

    def btree_only(lat, lon, r, f0, f1):
        dlat = np.degrees(r / 6371.0)
        dlon = dlat / np.cos(np.radians(lat))
        rows = conn.execute(
            "SELECT s.lat, s.lon, a.f_mhz FROM station s JOIN assignment a ON a.station_id = s.id "
            "JOIN licence l ON l.id = s.licence_id WHERE s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ? "
            "AND a.f_lo_mhz <= ? AND a.f_hi_mhz >= ? AND l.status = 'granted'",
            (lat - dlat, lat + dlat, lon - dlon, lon + dlon, f1, f0)).fetchall()
        la = np.array([x[0] for x in rows])
        lo = np.array([x[1] for x in rows])
        keep = gc_distance_km(lat, lon, la, lo) <= r if rows else np.zeros(0, bool)
        return {"lat": la[keep]}

    def numpy_scan(lat, lon, r, f0, f1):
        c = all_cols
        lo_f = c["f_mhz"] - c["bw_khz"] / 2000.0
        hi_f = c["f_mhz"] + c["bw_khz"] / 2000.0
        keep = (hi_f >= f0) & (lo_f <= f1) & (c["status"] == "granted")
        keep &= gc_distance_km(lat, lon, c["lat"], c["lon"]) <= r
        return {"lat": c["lat"][keep]}

    cases = [(5.0, 1800.0, 1900.0), (20.0, 1800.0, 1900.0), (50.0, 1800.0, 1900.0), (20.0, 150.0, 152.0),
             (20.0, 22000.0, 23600.0), (50.0, 30.0, 40000.0)]
    results = []
    # warm-up (page cache, statement cache)
    reg.query_arrays(lat=SHANGHAI[0], lon=SHANGHAI[1], radius_km=10, f_min_mhz=1800, f_max_mhz=1900)
    for r, f0, f1 in cases:
        qargs = [(la, lo, r, f0, f1) for la, lo in centres]
        qa_fn = (lambda la, lo, r, f0, f1: reg.query_arrays(lat=la, lon=lo, radius_km=r, f_min_mhz=f0,
                                                             f_max_mhz=f1))
        qa, n_rows = _median_ms(qa_fn, qargs)
        qa_cpu, _ = _median_ms(qa_fn, qargs, clock=time.process_time)
        q, _ = _median_ms(lambda la, lo, r, f0, f1: reg.query(lat=la, lon=lo, radius_km=r, f_min_mhz=f0,
                                                              f_max_mhz=f1), qargs)
        bt, n_bt = _median_ms(btree_only, qargs)
        sc, n_sc = _median_ms(numpy_scan, qargs)
        assert n_bt == n_rows == n_sc, (n_bt, n_rows, n_sc)
        results.append({"radius_km": r, "f_min_mhz": f0, "f_max_mhz": f1, "rows_median": n_rows,
                        "query_arrays_ms": qa, "query_arrays_cpu_ms": qa_cpu, "query_ms": q, "btree_sql_ms": bt, "numpy_scan_ms": sc})
    reg.close()
    inserts = _inserts(args.inserts, path.parent) if args.inserts > 0 else None
    if tmp is not None:
        tmp.cleanup()
    summary = {"n_stations": args.n, "build_s": build_s, "file_mb": size_mb, "repeats": args.repeats,
               "cases": results, "inserts": inserts}
    if args.json:
        print(json.dumps(summary, indent=1))
        return 0
    print(f"register of {args.n} stations built in {build_s:.1f} s ({size_mb:.0f} MB); "
          f"median over {args.repeats} query centres around Shanghai")
    print(f"{'radius':>7} {'band MHz':>15} {'rows':>6} {'query_arrays':>13} {'(CPU)':>9} {'query':>9} "
          f"{'B-tree SQL':>11} {'numpy scan':>11} {'ratio':>6}")
    for c in results:
        print(f"{c['radius_km']:>5.0f}km {c['f_min_mhz']:>7g}-{c['f_max_mhz']:<7g} {c['rows_median']:>6d} "
              f"{c['query_arrays_ms']:>10.2f} ms {c['query_arrays_cpu_ms']:>6.2f} ms {c['query_ms']:>6.2f} ms "
              f"{c['btree_sql_ms']:>8.2f} ms {c['numpy_scan_ms']:>8.2f} ms "
              f"{c['btree_sql_ms'] / c['query_arrays_ms']:>5.1f}x")
    print("wall-clock medians (CPU: process time of query_arrays); ratio = B-tree-only SQL / query_arrays; "
          f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if inserts:
        print(f"inserts: {inserts['n']} licences through the API {inserts['api_ms_per_licence']:.2f} ms per licence "
              f"(4 calls, CPU {inserts['api_cpu_ms_per_licence']:.2f} ms); CSV import "
              f"{inserts['csv_ms_per_row']:.2f} ms per row (CPU {inserts['csv_cpu_ms_per_row']:.2f} ms)")
    return 0


def _inserts(n: int, folder: Path) -> dict:
    """API inserts and the streaming CSV import of the same records, per licence / per row."""
    from spectrum.register import Register

    rng = np.random.default_rng(2)
    lat = 31.0 + rng.uniform(0, 0.5, n)
    lon = 121.0 + rng.uniform(0, 0.5, n)
    out = {"n": n}
    with Register.open(folder / "inserts.sqlite", user="bench", allocations=False) as reg:
        t0, c0 = time.perf_counter(), time.process_time()
        with reg.backend.write():
            for i in range(n):
                num = f"B-{i:06d}"
                reg.add_licence(num, "Bench Org", "fixed", valid_from="2024-01-01", valid_to="2040-01-01")
                reg.transition(num, "granted", reason="bench")
                sid = reg.add_station(num, name=f"st {i}", role="tx", lat=float(lat[i]), lon=float(lon[i]),
                                      h_agl_m=30.0, g_dbi=20.0)
                reg.add_assignment(sid, f_mhz=23030.0 + 28.0 * (i % 50), bw_khz=28000.0, eirp_dbw=20.0)
        out["api_ms_per_licence"] = (time.perf_counter() - t0) / n * 1e3
        out["api_cpu_ms_per_licence"] = (time.process_time() - c0) / n * 1e3
        text = reg.export_csv()
    with Register.open(folder / "imported.sqlite", user="bench", allocations=False) as reg:
        t0, c0 = time.perf_counter(), time.process_time()
        reg.import_csv(text)
        out["csv_ms_per_row"] = (time.perf_counter() - t0) / n * 1e3
        out["csv_cpu_ms_per_row"] = (time.process_time() - c0) / n * 1e3
    return out


def _pg_database(dsn: str, name: str, drop: bool = False) -> str:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(dsn, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            c.execute(f'CREATE DATABASE "{name}"')
    p = urlsplit(dsn)
    return urlunsplit((p.scheme, p.netloc, "/" + name, p.query, p.fragment))


def _pg_create(url: str, name: str) -> None:
    """Create the register with the spatial index the column names (GiST box fallback or PostGIS)."""
    if name == "sqlite":
        return
    from spectrum.register.postgresql import PostgreSQLBackend

    PostgreSQLBackend.open(url, spatial="postgis" if name == "postgis" else "gist").close()


def compare_backends(args) -> int:
    """The same queries and CSV import on SQLite and PostgreSQL; medians and PG/SQLite ratios."""
    from spectrum.datasets.register import SHANGHAI, synthetic_register
    from spectrum.register import Register

    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    rng = np.random.default_rng(1)
    centres = [(SHANGHAI[0] + rng.normal(0, 0.15), SHANGHAI[1] + rng.normal(0, 0.2)) for _ in range(args.repeats)]
    cases = [(5.0, 1800.0, 1900.0), (20.0, 1800.0, 1900.0), (50.0, 1800.0, 1900.0), (20.0, 150.0, 152.0)]
    urls = {"sqlite": str(folder / "bench.sqlite"), "postgresql": _pg_database(args.pg, "spectrum_bench_query")}
    import psycopg

    with psycopg.connect(args.pg, autocommit=True) as c:
        has_postgis = c.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone() is not None
    if has_postgis:
        urls["postgis"] = _pg_database(args.pg, "spectrum_bench_postgis")
    pg_names = [n for n in urls if n != "sqlite"]
    out = {"n_stations": args.n, "repeats": args.repeats, "build_s": {}, "cases": [], "import": {},
           "postgis": has_postgis or "the server has no postgis extension: GiST box fallback only"}
    times: dict = {}
    results: dict = {}
    try:
        for name, url in urls.items():
            _pg_create(url, name)
            t0 = time.perf_counter()
            reg = synthetic_register(url, args.n, seed=args.seed)
            out["build_s"][name] = time.perf_counter() - t0
            with reg:
                reg.query_arrays(lat=SHANGHAI[0], lon=SHANGHAI[1], radius_km=10, f_min_mhz=1800, f_max_mhz=1900)
                for r, f0, f1 in cases:
                    qargs = [(la, lo, r, f0, f1) for la, lo in centres]
                    results[(name, r, f0, f1)] = [reg.query_arrays(lat=la, lon=lo, radius_km=r, f_min_mhz=f0,
                                                                   f_max_mhz=f1)["assignment_id"].tolist()
                                                  for la, lo, *_ in qargs]
                    times[(name, r, f0, f1)] = _median_ms(
                        lambda la, lo, r, f0, f1: reg.query_arrays(lat=la, lon=lo, radius_km=r, f_min_mhz=f0,
                                                                   f_max_mhz=f1), qargs)
        for r, f0, f1 in cases:
            (s_ms, s_n), (p_ms, p_n) = times[("sqlite", r, f0, f1)], times[("postgresql", r, f0, f1)]
            assert s_n == p_n, (s_n, p_n)
            for name in pg_names:  # identical rows, query by query
                assert results[(name, r, f0, f1)] == results[("sqlite", r, f0, f1)], (name, r, f0, f1)
            case = {"radius_km": r, "f_min_mhz": f0, "f_max_mhz": f1, "rows_median": s_n,
                    "sqlite_ms": s_ms, "postgresql_ms": p_ms, "ratio_pg_sqlite": p_ms / s_ms}
            if has_postgis:
                g_ms = times[("postgis", r, f0, f1)][0]
                case.update(postgis_ms=g_ms, ratio_postgis_sqlite=g_ms / s_ms, ratio_postgis_gist=g_ms / p_ms)
            out["cases"].append(case)
        text = _import_csv_text(args.import_licences, folder)
        for name in urls:
            runs = []
            for k in range(args.import_runs):
                url = (str(folder / f"imp{k}.sqlite") if name == "sqlite"
                       else _pg_database(args.pg, f"spectrum_bench_import{k}"))
                _pg_create(url, name)
                with Register.open(url, user="bench", allocations=False) as reg:
                    t0 = time.perf_counter()
                    n = reg.import_csv(text)
                    runs.append(time.perf_counter() - t0)
                    assert n["licences"] == args.import_licences, n
            out["import"][name] = {"median_s": statistics.median(runs), "runs_s": runs}
        out["import"]["ratio_pg_sqlite"] = out["import"]["postgresql"]["median_s"] / out["import"]["sqlite"]["median_s"]
        out["import"]["licences"] = args.import_licences
    finally:
        _pg_database(args.pg, "spectrum_bench_query", drop=True)
        _pg_database(args.pg, "spectrum_bench_postgis", drop=True)
        for k in range(args.import_runs):
            _pg_database(args.pg, f"spectrum_bench_import{k}", drop=True)
        tmp.cleanup()
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    b = out["build_s"]
    print(f"{args.n} stations; built in {b['sqlite']:.1f} s (SQLite) / {b['postgresql']:.1f} s (PostgreSQL, GiST box)"
          + (f" / {b['postgis']:.1f} s (PostgreSQL, PostGIS)" if has_postgis else "")
          + f"; medians over {args.repeats} query centres; identical rows on every backend")
    if not has_postgis:
        print(f"PostGIS: {out['postgis']}")
    print(f"{'radius':>7} {'band MHz':>15} {'rows':>6} {'SQLite':>10} {'PG GiST box':>12} {'PG/SQLite':>10}"
          + (f" {'PG PostGIS':>11} {'PostGIS/SQLite':>14} {'PostGIS/box':>11}" if has_postgis else ""))
    for c in out["cases"]:
        print(f"{c['radius_km']:>5.0f}km {c['f_min_mhz']:>7g}-{c['f_max_mhz']:<7g} {c['rows_median']:>6d} "
              f"{c['sqlite_ms']:>7.2f} ms {c['postgresql_ms']:>9.2f} ms {c['ratio_pg_sqlite']:>9.2f}x"
              + (f" {c['postgis_ms']:>8.2f} ms {c['ratio_postgis_sqlite']:>13.2f}x {c['ratio_postgis_gist']:>10.2f}x"
                 if has_postgis else ""))
    imp = out["import"]
    print(f"CSV import of {imp['licences']} licences (median of {args.import_runs}): SQLite "
          f"{imp['sqlite']['median_s']:.2f} s, PostgreSQL {imp['postgresql']['median_s']:.2f} s"
          + (f" (PostGIS {imp['postgis']['median_s']:.2f} s)" if has_postgis else "")
          + f", PG/SQLite {imp['ratio_pg_sqlite']:.2f}x; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    return 0


def _import_csv_text(n: int, folder: Path) -> str:
    """CSV of ``n`` licences (one station, one assignment each), written through the API once."""
    from spectrum.register import Register

    rng = np.random.default_rng(3)
    with Register.open(str(folder / "src.sqlite"), user="bench", allocations=False) as reg:
        with reg.backend.write():
            for i in range(n):
                num = f"I-{i:06d}"
                reg.add_licence(num, f"Org {i % 50}", "fixed", valid_from="2024-01-01", valid_to="2040-01-01")
                reg.transition(num, "granted", reason="bench")
                sid = reg.add_station(num, name=f"st {i}", role="tx", lat=float(31.0 + rng.uniform(0, 0.5)),
                                      lon=float(121.0 + rng.uniform(0, 0.5)), h_agl_m=30.0, g_dbi=20.0)
                reg.add_assignment(sid, f_mhz=23030.0 + 28.0 * (i % 50), bw_khz=28000.0, eirp_dbw=20.0)
        return reg.export_csv()


if __name__ == "__main__":
    sys.exit(main())
