"""``spectrum register``: the licence register from the command line.

Examples::

    spectrum register init --sample                     # builds ./spectrum-register.sqlite
    spectrum register list --near 31.23,121.47 --radius-km 10 --f-min-mhz 1800 --f-max-mhz 1900
    spectrum register list --service broadcasting --geojson tv.geojson --kml tv.kml
    spectrum register show MOB-0001
    spectrum register transition MOB-0002 suspended --by inspector --reason "interference complaint"
    spectrum register audit --licence MOB-0002
    spectrum register library ; spectrum register evaluations --licence NEW-0001
    spectrum register export register.json ; spectrum register --db new.sqlite import register.json
    spectrum register reevaluate --service mobile --status application [--dask local:2]

The register is ``--db FILE`` (an SQLite file) or ``--db postgresql://user@host/dbname`` (a PostgreSQL
database, extra [postgres]), else ``$SPECTRUM_REGISTER``, else ``./spectrum-register.sqlite``.
Copy an SQLite register to PostgreSQL with ``spectrum register migrate --from reg.sqlite --to URL``.
Every sub-command accepts ``--json``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from spectrum.commands._common import latlon

DEFAULT_DB = "spectrum-register.sqlite"


def _db(args) -> str:
    db = getattr(args, "db", None)
    if db is None:
        db = os.environ.get("SPECTRUM_REGISTER") or DEFAULT_DB
    if not db.strip():
        raise ValueError("--db is empty: give a register file or a postgresql:// URL")
    if db.strip() in (":memory:", "sqlite:///:memory:"):
        raise ValueError("--db :memory: would be a new, empty register that vanishes on exit: give a register file")
    return db


def _head(reg) -> dict:
    """Audit head and row count, printed by every write command's --json: keep it to detect a truncated log."""
    h = reg.audit_head()
    return {"head": h["head"], "rows": h["rows"]}


def _limit(value):
    if value is not None and value < 0:
        raise ValueError(f"--limit {value}: must be >= 0")
    return value


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        v = tuple(float(x) for x in text.split(","))
        if len(v) != 4:
            raise ValueError
        return v
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected LAT_MIN,LAT_MAX,LON_MIN,LON_MAX, got {text!r}") from exc


def add_parser(subparsers) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="FILE|URL",
                        help=f"register: SQLite file or postgresql://user@host/dbname (default $SPECTRUM_REGISTER "
                             f"or ./{DEFAULT_DB})")
    common.add_argument("--json", action="store_true", help="machine-readable JSON output")
    common.add_argument("--by", "--user", dest="user", default=None, metavar="USER",
                        help="who is acting, for the audit log (default $SPECTRUM_USER or the login name)")

    p = subparsers.add_parser("register", help="licence register: init, import/export, query, show, transition, audit",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default=None, metavar="FILE", help=argparse.SUPPRESS)
    p.set_defaults(func=lambda a: (p.print_help(), 0)[1])
    sub = p.add_subparsers(dest="register_command", metavar="<sub-command>")

    s = sub.add_parser("init", parents=[common], help="create a register (optionally the Shanghai sample)",
                       epilog="PostgreSQL: the spatial index is chosen here, once: PostGIS where the server has the "
                              "postgis extension and the role may create it, else the GiST box fallback; "
                              "SPECTRUM_PG_SPATIAL=auto|postgis|gist chooses (check names the one used)")
    s.add_argument("--sample", action="store_true", help="fill it with the seeded sample register around Shanghai")
    s.add_argument("--seed", type=int, default=0, help="seed of the sample register (default 0)")
    s.add_argument("--create-roles", action="store_true",
                   help="PostgreSQL: also create the roles spectrum_admin, spectrum_app, spectrum_read and grant "
                        "their rights (run as a superuser; see docs/register.md)")
    s.set_defaults(func=run_init)

    s = sub.add_parser("migrate", parents=[common],
                       help="copy a register losslessly into a new, empty one (e.g. SQLite -> PostgreSQL), checked")
    s.add_argument("--from", dest="source", required=True, metavar="FILE|URL", help="register to copy")
    s.add_argument("--to", dest="target", required=True, metavar="FILE|URL",
                   help="empty target: a PostgreSQL database without tables, or a new SQLite file")
    s.add_argument("--create-roles", action="store_true",
                   help="PostgreSQL target: also create the three roles and grant their rights")
    s.set_defaults(func=run_migrate)

    s = sub.add_parser("import", parents=[common], help="import a JSON or CSV file (all rows or nothing)")
    s.add_argument("file", help="file to import (.json or .csv)")
    s.add_argument("--format", choices=("auto", "json", "csv"), default="auto")
    s.set_defaults(func=run_import)

    s = sub.add_parser("export", parents=[common], help="export to JSON (everything) or CSV (a row per assignment)")
    s.add_argument("file", help="output file (.json or .csv); '-' writes JSON to stdout")
    s.add_argument("--format", choices=("auto", "json", "csv"), default="auto")
    s.set_defaults(func=run_export)

    for name in ("list", "query"):
        s = sub.add_parser(name, parents=[common], help="assignments by area, frequency, service, status")
        s.add_argument("--near", type=latlon, metavar="LAT,LON", help="centre of a radius search [deg] (write --near=-33.9,18.4 for a negative latitude)")
        s.add_argument("--radius-km", type=float, help="radius around --near [km]")
        s.add_argument("--bbox", type=_bbox, metavar="LAT_MIN,LAT_MAX,LON_MIN,LON_MAX", help="bounding box [deg] (--bbox=-10,10,170,-170 crosses the antimeridian)")
        s.add_argument("--f-min-mhz", type=float, help="lower edge of the frequency range [MHz]")
        s.add_argument("--f-max-mhz", type=float, help="upper edge of the frequency range [MHz]")
        s.add_argument("--service", action="append", help="licence service (repeatable), e.g. mobile, fixed")
        s.add_argument("--status", action="append",
                       help="licence status (repeatable; default granted; 'all' for every status)")
        s.add_argument("--role", choices=("tx", "rx"))
        s.add_argument("--limit", type=int, default=None, help="print at most this many rows")
        s.add_argument("--geojson", metavar="FILE", help="also write every matching row as GeoJSON points (RFC 7946)")
        s.add_argument("--kml", metavar="FILE", help="also write every matching row as KML, one folder per service")
        s.set_defaults(func=run_list)

    s = sub.add_parser("show", parents=[common], help="a licence with its history, stations and assignments")
    s.add_argument("number", help="licence number")
    s.set_defaults(func=run_show)

    s = sub.add_parser("transition", parents=[common], help="change a licence's status (with --by and --reason)")
    s.add_argument("number", help="licence number")
    s.add_argument("status", help="new status: granted, refused, withdrawn, suspended, expired, revoked")
    s.add_argument("--reason", required=True, help="why (recorded in the history and the audit log)")
    s.add_argument("--valid-to", default=None, help="new end of validity YYYY-MM-DD")
    s.set_defaults(func=run_transition)

    s = sub.add_parser("update", parents=[common], help="renew (validity), annotate or transfer a licence")
    s.add_argument("number", help="licence number")
    s.add_argument("--reason", required=True, help="why (recorded in the audit log)")
    s.add_argument("--valid-from", default=None, help="new start of validity YYYY-MM-DD")
    s.add_argument("--valid-to", default=None, help="new end of validity YYYY-MM-DD")
    s.add_argument("--remarks", default=None)
    s.add_argument("--licensee", default=None, help="transfer the licence to this licensee")
    s.set_defaults(func=run_update)

    s = sub.add_parser("expire", parents=[common], help="move licences past their validity to expired")
    s.add_argument("--today", default=None, help="reference date YYYY-MM-DD (default: today)")
    s.set_defaults(func=run_expire)

    s = sub.add_parser("audit", parents=[common], help="the append-only audit log")
    s.add_argument("--licence", default=None, help="rows of one licence (and its stations/assignments)")
    s.add_argument("--entity", default=None, help="licence, station, assignment, antenna_pattern, spectrum_mask, ...")
    s.add_argument("--since", default=None, help="UTC time, e.g. 2026-01-01")
    s.add_argument("--limit", type=int, default=50, help="the last N rows (default 50; 0 for all)")
    s.set_defaults(func=run_audit)

    s = sub.add_parser("evaluations", parents=[common], help="stored licence-request evaluations")
    s.add_argument("--id", type=int, default=None, help="one evaluation in full")
    s.add_argument("--licence", default=None, help="evaluations of one licence number")
    s.add_argument("--decision", default=None, help="e.g. grant, refuse, coordinate")
    s.add_argument("--limit", type=int, default=None)
    s.set_defaults(func=run_evaluations)

    s = sub.add_parser("library", parents=[common], help="antenna patterns and spectrum masks")
    s.add_argument("name", nargs="?", default=None, help="one pattern or mask in full")
    s.set_defaults(func=run_library)

    s = sub.add_parser("allocation", parents=[common],
                       help="the national frequency allocation table: list bands or check an assignment")
    s.add_argument("--f-min-mhz", type=float, default=None, help="list bands above this frequency [MHz]")
    s.add_argument("--f-max-mhz", type=float, default=None, help="list bands below this frequency [MHz]")
    s.add_argument("--service", default=None, help="only this service (lists) / the service to check")
    s.add_argument("--check", nargs=2, type=float, metavar=("F_MHZ", "BW_KHZ"),
                   help="check an assignment of --service at F_MHZ with BW_KHZ against the table")
    s.add_argument("--table", default=None, metavar="CSV",
                   help="allocation table CSV (default: the table in force in the register --db, else the sample)")
    s.set_defaults(func=run_allocation)
    imp = s.add_subparsers(dest="allocation_action", metavar="[import]").add_parser(
        "import", parents=[common], help="import the RR Article 5 table of a Region (or a national table) and "
                                         "optionally put it in force instead of the illustrative sample")
    imp.add_argument("source", nargs="?", default=None,
                     help="EarthFrequencies folder or allocations.tsv (default: ../shared/datasets/"
                          "allocations-earthfrequencies)")
    imp.add_argument("--table", default="itu3", help="itu1, itu2, itu3 (default: Region 3) or a national table: "
                                                     "us, gb, ca, eu, kr, sg, mn, fr, de ...")
    imp.add_argument("--out", metavar="CSV", help="also write the converted table to CSV")
    imp.add_argument("--activate", action="store_true",
                     help="put the imported table in force in the register --db (one audited write)")
    imp.add_argument("--reason", default=None, help="reason recorded in the audit log with --activate")
    imp.set_defaults(func=lambda a: __import__("spectrum.allocation_rr", fromlist=["x"]).run_import_command(a))

    from spectrum.commands import reevaluate

    reevaluate.add_to(sub, common, _bbox)

    s = sub.add_parser("backup", parents=[common], help="consistent copy of the register into a new file")
    s.add_argument("file", help="new file for the copy")
    s.set_defaults(func=run_backup)

    s = sub.add_parser("check", parents=[common],
                       help="integrity check, audit hash chain and record counts (exit status 1 on a problem)")
    s.add_argument("--expect-head", metavar="HASH", default=None,
                   help="an audit head kept earlier (printed by every write command's --json): it must still be "
                        "in the chain, else the log was truncated or rewritten")
    s.set_defaults(func=run_check)


def _open(args, create: bool = False, verify: tuple | None = None):
    """Open the register; ``verify``: tables checked for damage before a read command prints rows."""
    from spectrum.register import Register

    reg = Register.open(_db(args), user=args.user, create=create)
    if verify:
        try:
            reg.verify_storage(verify)
        except BaseException:
            reg.close()
            raise
    return reg


_ROWS = ("licensee", "licence", "licence_history", "station", "assignment")


def _print_json(obj) -> None:
    from spectrum.io import to_json

    print(to_json(obj, indent=1))


def _table(rows: list[list], header: list[str]) -> str:
    cells = [[("" if v is None else (f"{v:.6g}" if isinstance(v, float) else str(v))) for v in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(out)


def run_init(args) -> int:
    db = _db(args)
    from spectrum.register.postgresql import is_postgresql_url

    if args.create_roles and not is_postgresql_url(db):
        raise ValueError(f"--create-roles: {db} is not a postgresql:// register (roles are PostgreSQL's)")
    if args.sample:
        from spectrum.datasets.register import sample_register

        reg = sample_register(db, seed=args.seed, user=args.user or "sample-data")
    else:
        reg = _open(args, create=True)
    roles = None
    if args.create_roles:
        reg.close()
        from spectrum.register.postgresql import create_roles

        roles = create_roles(db)
        reg = _open(args)
    with reg:
        c = reg.counts()
        if args.json:
            _print_json({"db": reg.backend.url, "schema_version": reg.schema_version, **c, "audit": _head(reg),
                         **({"roles": roles} if roles else {})})
        else:
            print(f"register {reg.backend.url}: schema version {reg.schema_version}; {c['licence']} licences, "
                  f"{c['station']} stations, {c['assignment']} assignments, {c['antenna_pattern']} antenna patterns, "
                  f"{c['spectrum_mask']} spectrum masks")
            if roles:
                print("roles: " + ", ".join(f"{v} ({k})" for k, v in roles.items()))
    return 0


def run_migrate(args) -> int:
    from spectrum.register.copy import migrate
    from spectrum.register.postgresql import create_roles, is_postgresql_url

    src, dst = args.source.strip(), args.target.strip()
    if not src or not dst:
        raise ValueError("--from and --to name a register file or a postgresql:// URL")
    if not is_postgresql_url(src) and not os.path.isfile(src):
        raise FileNotFoundError(f"--from {src}: no such register file")
    if src == dst or (not is_postgresql_url(dst) and os.path.exists(dst) and os.path.exists(src)
                      and os.path.samefile(src, dst)):
        raise ValueError(f"--to {dst} is the source register itself")
    if args.create_roles and not is_postgresql_url(dst):
        raise ValueError(f"--create-roles: {dst} is not a postgresql:// target")
    out = migrate(src, dst, user=args.user)
    if args.create_roles:
        out["roles"] = create_roles(dst)
    if args.json:
        _print_json(out)
    else:
        c = out["counts"]
        print(f"migrated {src} -> {out['to']}: {c['licence']} licences, {c['station']} stations, "
              f"{c['assignment']} assignments, {c['audit']} audit rows, {c['evaluation']} evaluations; "
              f"check ok on both sides, audit head {out['audit']['head']}")
    return 0


def _fmt(path: str, given: str) -> str:
    if given != "auto":
        return given
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    if path == "-":
        return "json"
    raise ValueError(f"cannot tell the format of {path!r} from its name: use --format json or csv")


def run_import(args) -> int:
    fmt = _fmt(args.file, args.format)
    if not Path(args.file).exists():
        raise FileNotFoundError(f"{args.file} does not exist")
    if Path(args.file).is_dir():
        raise ValueError(f"{args.file} is a directory, not a {fmt.upper()} file")
    from spectrum.io import SQLITE_MAGIC

    with open(args.file, "rb") as fh:
        if fh.read(16) == SQLITE_MAGIC:
            raise ValueError(f"{args.file} is an SQLite database, not a {fmt.upper()} file (copy a register with "
                             "'spectrum register backup')")
    if Path(args.file).resolve() == Path(_db(args)).resolve():
        raise ValueError(f"{args.file} is the register itself")
    from spectrum.register import ImportRowsError
    from spectrum.register.postgresql import is_postgresql_url

    db = _db(args)
    new_file = not is_postgresql_url(db) and not os.path.exists(db)
    ok = False
    try:
        with _open(args, create=True) as reg:
            try:
                n = reg.import_json(args.file) if fmt == "json" else reg.import_csv(args.file)
            except ImportRowsError as exc:
                if args.json:
                    _print_json({"imported": False, "file": args.file, "errors": [{"row": r, "reason": why}
                                                                                  for r, why in exc.errors]})
                else:
                    print(str(exc), file=sys.stderr)
                return 2
            ok = True
            if args.json:
                _print_json({"imported": True, "file": args.file, **n, "audit": _head(reg)})
            else:
                print(f"imported {args.file}: " + ", ".join(f"{v} {k}" for k, v in n.items()))
    finally:
        if new_file and not ok:  # a failed import into a new register leaves no empty register behind
            for suffix in ("", "-wal", "-shm", "-journal"):
                if os.path.isfile(db + suffix):
                    os.unlink(db + suffix)
    return 0


def run_export(args) -> int:
    from spectrum.io import check_output

    fmt = _fmt(args.file, args.format)
    check_output(args.file, inputs=[_db(args)])
    with _open(args, verify=_ROWS + ("antenna_pattern", "spectrum_mask")) as reg:
        if args.file == "-":
            if fmt == "csv":
                sys.stdout.write(reg.export_csv())
            else:
                _print_json(reg.export_json())
            return 0
        if fmt == "json":
            doc = reg.export_json(args.file)
            n = {"licences": len(doc["licences"])}
        else:
            text = reg.export_csv(args.file)
            n = {"rows": text.count("\n") - 1}
        if args.json:
            _print_json({"file": args.file, "format": fmt, **n})
        else:
            print(f"exported {args.file} ({fmt}): " + ", ".join(f"{v} {k}" for k, v in n.items()))
    return 0


def run_list(args) -> int:
    lat = lon = None
    if args.near is not None:
        lat, lon = args.near
        if args.radius_km is None:
            raise ValueError("--near needs --radius-km")
    elif args.radius_km is not None:
        raise ValueError("--radius-km needs --near LAT,LON")
    _limit(args.limit)
    status = args.status or ["granted"]
    status = None if any(s == "all" for s in status) else status
    from spectrum.gis.layers import check_outputs, write_station_layers

    check_outputs({"--geojson": args.geojson, "--kml": args.kml}, [_db(args)])
    with _open(args, verify=_ROWS) as reg:
        rows = reg.query(lat=lat, lon=lon, radius_km=args.radius_km, bbox=args.bbox, f_min_mhz=args.f_min_mhz,
                         f_max_mhz=args.f_max_mhz, service=args.service, status=status, role=args.role)
    written = write_station_layers(rows, geojson=args.geojson, kml=args.kml)
    shown = rows if args.limit is None else rows[:args.limit]
    if args.json:
        _print_json({"count": len(rows), "rows": [r.to_dict() for r in shown], "written": [str(w) for w in written]})
        return 0
    header = ["licence", "service", "status", "station", "role", "lat", "lon", "h_m", "f_mhz", "bw_khz", "emission",
              "eirp_dbw", "protection"]
    body = [[r.licence_number, r.service, r.status, r.station_name, r.role, r.lat, r.lon, r.h_agl_m, r.f_mhz,
             r.bw_khz, r.emission, r.eirp_dbw,
             None if r.protection is None else f"{r.protection} {r.protection_db:g} dB"] for r in shown]
    print(_table(body, header))
    more = f" (showing {len(shown)})" if len(shown) < len(rows) else ""
    print(f"{len(rows)} assignment(s){more}")
    for w in written:
        print(f"wrote {w}")
    return 0


def run_show(args) -> int:
    with _open(args, verify=_ROWS) as reg:
        lic = reg.licence(args.number)
    if args.json:
        _print_json(lic)
        return 0
    print(f"licence {lic['number']}  {lic['service']}  {lic['status']}  licensee: {lic['licensee']}")
    print(f"valid {lic['valid_from'] or '-'} to {lic['valid_to'] or '-'}" +
          (f"  remarks: {lic['remarks']}" if lic["remarks"] else ""))
    print("history:")
    for h in lic["history"]:
        print(f"  {h['at_utc']}  {h['from_status'] or '(new)'} -> {h['to_status']}  by {h['by']}: {h['reason']}")
    print(f"stations ({len(lic['stations'])}):")
    for st in lic["stations"]:
        print(f"  [{st['id']}] {st['name']}  {st['role']}  {st['lat']:.5f}, {st['lon']:.5f}  h {st['h_agl_m']:g} m  "
              f"{st['antenna_pattern'] or 'no pattern'} {st['g_dbi']:g} dBi  az {st['azimuth_deg']:g}  "
              f"tilt {st['tilt_deg']:g}  pol {st['polarisation']}  feeder {st['feeder_loss_db']:g} dB")
        for a in st["assignments"]:
            extra = [f"EIRP {a['eirp_dbw']:g} dBW" if a["eirp_dbw"] is not None else None,
                     f"mask {a['tx_mask']}" if a["tx_mask"] else None,
                     f"selectivity {a['rx_selectivity']}" if a["rx_selectivity"] else None,
                     f"NF {a['noise_figure_db']:g} dB" if a["noise_figure_db"] is not None else None,
                     f"{a['protection']} {a['protection_db']:g} dB" if a["protection"] else None]
            print(f"      ({a['id']}) {a['f_mhz']:.6g} MHz  {a['bw_khz']:g} kHz  {a['emission'] or ''}  " +
                  "  ".join(e for e in extra if e))
    return 0


def run_transition(args) -> int:
    with _open(args) as reg:
        lic = reg.transition(args.number, args.status, reason=args.reason, user=args.user, valid_to=args.valid_to)
        head = _head(reg)
    if args.json:
        _print_json({**lic, "audit": head})
    else:
        print(f"licence {lic['number']} is now {lic['status']}")
    return 0


def run_update(args) -> int:
    with _open(args) as reg:
        lic = reg.update_licence(args.number, reason=args.reason, user=args.user, valid_from=args.valid_from,
                                 valid_to=args.valid_to, remarks=args.remarks, licensee=args.licensee)
        head = _head(reg)
    if args.json:
        _print_json({**lic, "audit": head})
    else:
        print(f"licence {lic['number']}: {lic['licensee']}, valid {lic['valid_from'] or '-'} to {lic['valid_to'] or '-'}")
    return 0


def run_expire(args) -> int:
    with _open(args) as reg:
        numbers = reg.expire_due(args.today, user=args.user)
        head = _head(reg)
    if args.json:
        _print_json({"expired": numbers, "audit": head})
    else:
        print(f"{len(numbers)} licence(s) expired" + (": " + ", ".join(numbers) if numbers else ""))
    return 0


def run_audit(args) -> int:
    with _open(args, verify=("audit",)) as reg:
        rows = reg.audit(licence_number=args.licence, entity=args.entity, since=args.since,
                         limit=_limit(args.limit) or None)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        what = f"{r['entity']} {r['entity_key'] or ''}".strip()
        why = f"  ({r['reason']})" if r["reason"] else ""
        print(f"{r['id']:>6}  {r['at_utc']}  {r['who']:<12}  {r['action']:<32}  {what}{why}")
    return 0


def run_evaluations(args) -> int:
    with _open(args, verify=("evaluation",)) as reg:
        if args.id is not None:
            ev = reg.evaluation(args.id)
            if args.json:
                _print_json(ev)
            else:
                print(f"evaluation {ev['id']}  {ev['created_utc']}  by {ev['user']}  licence {ev['licence_number'] or '-'}"
                      f"  decision: {ev['decision']}")
                print("model versions: " + ", ".join(f"{k} {v}" for k, v in ev["model_versions"].items()))
                print("request: " + json.dumps(ev["request"], sort_keys=True)[:2000])
            return 0
        rows = reg.evaluations(licence_number=args.licence, decision=args.decision, limit=_limit(args.limit))
    if args.json:
        _print_json(rows)
        return 0
    body = [[e["id"], e["created_utc"], e["user"], e["licence_number"], e["decision"],
             ", ".join(f"{k} {v}" for k, v in e["model_versions"].items())[:60]] for e in rows]
    print(_table(body, ["id", "created_utc", "user", "licence", "decision", "models"]))
    return 0


def run_library(args) -> int:
    from spectrum.register import NotFoundError

    with _open(args, verify=("antenna_pattern", "spectrum_mask")) as reg:
        if args.name is not None:
            try:
                item = reg.antenna_pattern(args.name)
            except NotFoundError:
                item = reg.spectrum_mask(args.name)
            _print_json(item)
            return 0
        pats, masks = reg.antenna_patterns(), reg.spectrum_masks()
    if args.json:
        _print_json({"antenna_patterns": pats, "spectrum_masks": masks})
        return 0
    print("antenna patterns:")
    print(_table([[p["name"], p["kind"], p["g_max_dbi"],
                   ", ".join(f"{k}={v}" for k, v in p["params"].items() if k != "g_max_dbi")] for p in pats],
                 ["name", "kind", "g_max_dbi", "params"]))
    print("spectrum masks:")
    print(_table([[m["name"], m["kind"], " ".join(f"{o:g}:{a:g}" for o, a in zip(m["offset_khz"], m["attenuation_db"]))]
                  for m in masks], ["name", "kind", "offset_khz:attenuation_db"]))
    return 0


def _table_in_force(args):
    """The allocation table a command works on: ``--table CSV``, else the register's own (when the
    register file exists), else the shipped sample; with a one-line description."""
    from spectrum.allocation import default_allocation_table, load_allocation_table

    if args.table:
        t = load_allocation_table(args.table)
        return t, f"table {t.name}"
    db = _db(args)
    if "://" in db or os.path.exists(db):
        with _open(args) as reg:
            info = reg.allocation_table_info()
            t = reg.allocations
        return t, f"table in force in {db}: {info['name']}"
    t = default_allocation_table()
    return t, f"table {t.name} (no register at {db})"


def run_allocation(args) -> int:
    import math

    from spectrum.allocation import check_service

    for flag, v in (("--f-min-mhz", args.f_min_mhz), ("--f-max-mhz", args.f_max_mhz)):
        if v is not None and not (math.isfinite(v) and v >= 0):
            raise ValueError(f"{flag} {v:g}: must be a finite frequency >= 0 MHz")
    if args.f_min_mhz is not None and args.f_max_mhz is not None and args.f_max_mhz < args.f_min_mhz:
        raise ValueError(f"--f-max-mhz {args.f_max_mhz:g} is below --f-min-mhz {args.f_min_mhz:g}")

    table, which = _table_in_force(args)
    if args.check is not None:
        if args.service is None:
            raise ValueError("--check needs --service")
        chk = table.check(args.check[0], args.check[1], args.service)
        if args.json:
            _print_json({"ok": chk.ok, "service": chk.service, "f_lo_mhz": chk.f_lo_mhz, "f_hi_mhz": chk.f_hi_mhz,
                         "category": chk.category, "reason": chk.reason})
        else:
            print(f"{which}\n" + ("permitted: " if chk.ok else "refused: ") + chk.reason)
        return 0 if chk.ok else 1
    svc = check_service(args.service) if args.service else None
    rows = [a for a in table.allocations
            if (args.f_min_mhz is None or a.f_hi_mhz > args.f_min_mhz)
            and (args.f_max_mhz is None or a.f_lo_mhz < args.f_max_mhz)
            and (svc is None or a.permits(svc))]
    if args.json:
        _print_json([{"f_lo_mhz": a.f_lo_mhz, "f_hi_mhz": a.f_hi_mhz, "service": a.service, "category": a.category,
                      "excludes": list(a.excludes), "footnotes": list(a.footnotes), "remarks": a.remarks}
                     for a in rows])
        return 0
    print(which)
    print(_table([[a.f_lo_mhz, a.f_hi_mhz, a.service, a.category, " ".join(a.excludes) and
                   "except " + " ".join(a.excludes), " ".join(a.footnotes), a.remarks] for a in rows],
                 ["f_lo_mhz", "f_hi_mhz", "service", "category", "restriction", "footnotes", "remarks"]))
    return 0


def run_backup(args) -> int:
    with _open(args) as reg:
        path = reg.backup(args.file)
        c = reg.counts()
        head = _head(reg)
    if args.json:
        _print_json({"backup": path, **c, "audit": head})
    else:
        print(f"backed up {_db(args)} to {path} ({c['licence']} licences, {c['audit']} audit rows)")
    return 0


def run_check(args) -> int:
    from spectrum.register import DamagedRegisterError

    try:
        reg = _open(args)
    except DamagedRegisterError as exc:  # the damage is the finding: report it, exit 1
        if args.json:
            _print_json({"ok": False, "problems": [str(exc)]})
        else:
            print(f"integrity problems:\n  {exc}")
        return 1
    with reg:
        problems = reg.integrity_check(expect_head=args.expect_head)
        try:
            chain = reg.verify_audit()
            c = reg.counts()
        except DamagedRegisterError as exc:
            chain, c = None, None
            problems.append(str(exc))
        v = reg.schema_version
        spatial = getattr(reg.backend, "spatial_index", "R-tree (SQLite rtree module)")
        mode = getattr(reg.backend, "spatial_mode", "rtree")
        note = getattr(reg.backend, "spatial_note", None)
    if args.json:
        _print_json({"ok": not problems, "problems": problems, "schema_version": v, "audit_chain": chain,
                     "backend": reg.backend.url, "spatial_index": spatial, "spatial_mode": mode,
                     "spatial_note": note, **(c or {})})
        return 0 if not problems else 1
    if c is not None:
        print(f"register {reg.backend.url}; spatial index: {spatial}")
        if note:
            print(f"note: {note}")
        print(f"schema version {v}; " + ", ".join(f"{c[k]} {k}" for k in ("licence", "station", "assignment",
                                                                           "audit", "evaluation")))
    if chain is not None:
        legacy = (f"; {chain['legacy']} older row(s) before the chain start (written before the chain existed: "
                  "covered by its digest since)") if chain["legacy"] else ""
        print(f"audit hash chain: {chain['chained']} of {chain['rows']} rows hashed from the genesis{legacy}; "
              f"head {chain['head']}" + (f" (expected head {args.expect_head} found)"
                                        if args.expect_head and not problems else ""))
    print("integrity: ok" if not problems else "integrity problems:\n  " + "\n  ".join(problems))
    return 0 if not problems else 1
