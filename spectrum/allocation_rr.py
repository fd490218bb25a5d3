"""Real allocation tables: ITU RR Article 5 (Regions 1-3) and national tables in the
EarthFrequencies TSV form, converted to the register's :class:`~spectrum.allocation.AllocationTable`.

The EarthFrequencies data (``../shared/datasets/allocations-earthfrequencies``, CC BY-SA 4.0)
gives one row per service per band: ``region, sub-table, lower_frequency, upper_frequency
[Hz], category (p / s / empty), service, footnotes[, applications]``, columns in any order
(read by header name; ``Category`` and ``legion`` spellings accepted). Rows whose service is
``-`` carry only the band's footnotes; they are merged into the band's allocations.

Service names map onto :data:`spectrum.allocation.SERVICES` (RR Article 1): qualifiers in
parentheses (``(passive)``, ``(Earth-to-space)``, ``(R)``, ``(OR)`` …) are kept in ``remarks``;
``X except Y`` becomes an exclusion of Y. Services the register does not model (standard
frequency and time signal, radiodetermination-satellite, land/maritime/aeronautical
mobile-satellite, …) and "Not allocated" rows are skipped and counted in the import report,
never silently widened to a broader service.

``--activate`` puts a converted table in force in one register
(:meth:`spectrum.register.Register.set_allocation_table`: stored in the register, one audited write,
verified by ``spectrum register check``); assignments of that register are then checked against it.
Nothing outside the register changes, so other registers on the machine are not affected.

References
----------
ITU Radio Regulations (2012 edition), Article 5 (Table of Frequency Allocations), Article 1
(Nos. 1.19-1.60, radiocommunication services).
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .allocation import SERVICES, Allocation, AllocationTable

#: RR service name (lower case, hyphens kept) -> register service.
SERVICE_NAMES = {
    "fixed": "fixed", "mobile": "mobile", "land mobile": "land_mobile", "maritime mobile": "maritime_mobile",
    "aeronautical mobile": "aeronautical_mobile", "broadcasting": "broadcasting",
    "radionavigation": "radionavigation", "aeronautical radionavigation": "aeronautical_radionavigation",
    "maritime radionavigation": "maritime_radionavigation", "radiolocation": "radiolocation",
    "amateur": "amateur", "amateur-satellite": "amateur_satellite", "radio astronomy": "radio_astronomy",
    "space operation": "space_operation", "space research": "space_research",
    "earth exploration-satellite": "earth_exploration_satellite", "meteorological aids": "meteorological_aids",
    "meteorological-satellite": "meteorological_satellite", "fixed-satellite": "fixed_satellite",
    "mobile-satellite": "mobile_satellite", "broadcasting-satellite": "broadcasting_satellite",
    "radionavigation-satellite": "radionavigation_satellite", "inter-satellite": "inter_satellite",
}
assert set(SERVICE_NAMES.values()) <= set(SERVICES)

_PAREN = re.compile(r"\s*\(([^)]*)\)")


@dataclass
class ImportReport:
    """What an import read, kept and skipped."""

    source: str
    rows: int = 0
    allocations: int = 0
    footnote_rows: int = 0
    skipped: Counter = field(default_factory=Counter)
    no_category: int = 0
    zero_width: list = field(default_factory=list)
    gaps: list = field(default_factory=list)

    def text(self) -> str:
        s = (f"{self.source}: {self.rows} rows -> {self.allocations} allocations "
             f"({self.footnote_rows} footnote-only rows merged into their bands)")
        if self.no_category:
            s += f"; {self.no_category} rows without a category taken as secondary"
        if self.skipped:
            s += "; skipped (services the register does not model): " + ", ".join(
                f"{k} x{v}" for k, v in self.skipped.most_common())
        if self.zero_width:
            s += f"; {len(self.zero_width)} zero-width rows skipped (rows {', '.join(map(str, self.zero_width[:8]))}" \
                 + (" ..." if len(self.zero_width) > 8 else "") + ")"
        if self.gaps:
            s += "; gaps with no row at all (upstream transcription gaps: assignments there are refused): " + \
                 ", ".join(f"{a:g}-{b:g} MHz" for a, b in self.gaps[:10]) + (" ..." if len(self.gaps) > 10 else "")
        return s


def parse_service(text: str) -> tuple[str | None, tuple[str, ...], str]:
    """``"Mobile except aeronautical mobile (R)"`` -> ``("mobile", ("aeronautical_mobile",), "(R)")``.

    Returns ``(service or None if not modelled, excludes, qualifier remarks)``.
    """
    t = " ".join(text.strip().split())
    quals = [q for q in _PAREN.findall(t)]
    base = _PAREN.sub("", t).strip().lower()
    excl: tuple[str, ...] = ()
    if " except " in base:
        base, rest = base.split(" except ", 1)
        names = [n.strip() for n in re.split(r",| and ", rest) if n.strip()]
        excl = tuple(SERVICE_NAMES[n] for n in names if n in SERVICE_NAMES)
    base = base.strip()
    words = base.split()
    while words and base not in SERVICE_NAMES and any(ch.isdigit() for ch in words[-1]):
        quals.append(words.pop().upper())  # a footnote glued to the name ("Radiolocation  G56")
        base = " ".join(words)
    svc = SERVICE_NAMES.get(base)
    return svc, excl, " ".join(f"({q})" for q in quals)


def _col(header: list[str], *names: str) -> int | None:
    low = [h.strip().lower() for h in header]
    for n in names:
        if n in low:
            return low.index(n)
    return None


def parse_tsv(text: str, name: str) -> tuple[AllocationTable, ImportReport]:
    """Parse one EarthFrequencies ``allocations.tsv`` into an :class:`AllocationTable`."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    if not rows:
        raise ValueError(f"{name}: empty allocation table")
    hdr = rows[0]
    ci = {k: _col(hdr, *v) for k, v in {"lo": ("lower_frequency",), "hi": ("upper_frequency",),
                                        "cat": ("category",), "svc": ("service",), "fn": ("footnotes",)}.items()}
    missing = [k for k in ("lo", "hi", "svc") if ci[k] is None]
    if missing:
        raise ValueError(f"{name}: not an allocation table in the EarthFrequencies form (header {hdr!r} lacks "
                         "lower_frequency/upper_frequency/service)")
    rep = ImportReport(name)
    bands: dict[tuple[float, float], list] = {}
    band_fn: dict[tuple[float, float], list[str]] = {}
    for n, r in enumerate(rows[1:], start=2):
        if not any(x.strip() for x in r):
            continue
        rep.rows += 1
        get = lambda k: (r[ci[k]].strip() if ci[k] is not None and ci[k] < len(r) else "")  # noqa: E731
        try:
            lo, hi = float(get("lo")) / 1e6, float(get("hi")) / 1e6
        except ValueError:
            raise ValueError(f"{name}: row {n}: frequencies {get('lo')!r}..{get('hi')!r} are not numbers (Hz)") from None
        if hi == lo:
            rep.zero_width.append(n)
            continue
        if not hi > lo >= 0.0:
            raise ValueError(f"{name}: row {n}: band {lo:g}..{hi:g} MHz must have 0 <= lower < upper")
        fns = [f.strip() for f in re.split(r"[,\s]+", get("fn")) if f.strip()]
        svc_text = get("svc")
        if svc_text in ("-", ""):
            rep.footnote_rows += 1
            band_fn.setdefault((lo, hi), []).extend(fns)
            continue
        svc, excl, quals = parse_service(svc_text)
        if svc is None:
            rep.skipped[_PAREN.sub("", svc_text).strip().lower()] += 1
            continue
        cat = {"p": "primary", "s": "secondary", "primary": "primary", "secondary": "secondary"}.get(get("cat").lower())
        if cat is None:
            rep.no_category += 1
            cat = "secondary"
        bands.setdefault((lo, hi), []).append((svc, cat, excl, fns, quals))
    out: dict = {}
    for (lo, hi), items in bands.items():
        extra = band_fn.get((lo, hi), [])
        for svc, cat, excl, fns, quals in items:
            key = (lo, hi, svc, cat, excl, quals)  # national tables list a band once per sub-table
            old = out.get(key)
            f = tuple(dict.fromkeys((old.footnotes if old else ()) + tuple(fns) + tuple(extra)))
            out[key] = Allocation(lo, hi, svc, cat, excl, f, quals)
    out = list(out.values())
    rep.allocations = len(out)
    edges = sorted(set(bands) | set(band_fn))
    reach = edges[0][1] if edges else 0.0
    for lo, hi in edges[1:]:
        if lo > reach + 1e-9:
            rep.gaps.append((reach, lo))
        reach = max(reach, hi)
    if not out:
        why = (f"every row has lower == upper frequency ({len(rep.zero_width)} rows): the table is broken upstream"
               if rep.zero_width and len(rep.zero_width) >= rep.rows - rep.footnote_rows - sum(rep.skipped.values())
               else "no allocation to a service the register models")
        raise ValueError(f"{name}: {why}")
    return AllocationTable(out, name=name), rep


def find_source(source=None, table: str = "itu3") -> Path:
    """The ``allocations.tsv`` of ``table`` (``itu1``-``itu3``, ``us``, ``kr``, ``gb`` …) under
    ``source`` (the EarthFrequencies folder, its ``allocation-tables`` folder, or a TSV file);
    default: ``allocations-earthfrequencies`` in ``$SPECTRUM_DATA_DIR`` or ``../shared/datasets``."""
    if source is None:
        from .datasets.terrain import data_dirs

        for d in data_dirs():
            if (d / "allocations-earthfrequencies").is_dir():
                source = d / "allocations-earthfrequencies"
                break
        else:
            raise FileNotFoundError("no allocations-earthfrequencies folder in $SPECTRUM_DATA_DIR or ../shared/datasets;"
                                    " give the folder or the allocations.tsv file")
    p = Path(source)
    if p.is_file():
        return p
    for cand in (p / "allocation-tables" / table / "allocations.tsv", p / table / "allocations.tsv"):
        if cand.is_file():
            return cand
    raise FileNotFoundError(f"no table {table!r} under {p} (looked for allocation-tables/{table}/allocations.tsv)")


def import_table(source=None, table: str = "itu3") -> tuple[AllocationTable, ImportReport]:
    """Read and convert one table (see :func:`find_source`)."""
    p = find_source(source, table)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}: not UTF-8 text ({exc.reason})") from None
    return parse_tsv(text, f"{table} ({p})")


def table_csv(t: AllocationTable, header: str = "") -> str:
    """The table in the register's CSV form (what :func:`spectrum.allocation.load_allocation_table` reads)."""
    buf = io.StringIO()
    for line in header.splitlines():
        buf.write(f"# {line}\n")
    w = csv.DictWriter(buf, fieldnames=["f_lo_mhz", "f_hi_mhz", "service", "category", "excludes", "footnotes",
                                        "remarks"], lineterminator="\n")
    w.writeheader()
    for r in t.to_records():
        r["f_lo_mhz"] = repr(float(r["f_lo_mhz"]))
        r["f_hi_mhz"] = repr(float(r["f_hi_mhz"]))
        w.writerow(r)
    return buf.getvalue()


def run_import_command(args) -> int:
    """``spectrum register allocation import [SOURCE] [--table itu3] [--out CSV] [--activate]``."""
    import json

    from .io import write_text

    t, rep = import_table(args.source, args.table)
    header = (f"Converted from EarthFrequencies {args.table} ({rep.source}); data CC BY-SA 4.0 "
              "(Earth Frequencies project, J. Lhermitte & A. J. Mas); not a primary source.\n" + rep.text())
    written = []
    if args.out:
        written.append(str(write_text(args.out, table_csv(t, header))))
    installed = None
    if args.activate:
        from .commands.register import _db, _head, _open

        with _open(args) as reg:
            installed = reg.set_allocation_table(t, source=rep.source, reason=getattr(args, "reason", None))
            installed["register"] = _db(args)
            installed["audit"] = _head(reg)
    doc = {"table": args.table, "source": rep.source, "rows": rep.rows, "allocations": rep.allocations,
           "footnote_rows": rep.footnote_rows, "skipped": dict(rep.skipped), "no_category": rep.no_category,
           "zero_width_rows": rep.zero_width, "gaps_mhz": rep.gaps,
           "f_min_mhz": t.f_min_mhz, "f_max_mhz": t.f_max_mhz, "written": written, "active": bool(args.activate),
           "installed": installed}
    if getattr(args, "json", False):
        print(json.dumps(doc, indent=1))
        return 0
    print(rep.text())
    for w in written:
        print(f"wrote {w}")
    if installed is not None:
        print(f"this table is now in force in the register ({installed['bands']} bands, digest "
              f"{installed['digest'][:16]}...): new and changed assignments are checked against it")
        bad = installed["nonconforming"]
        if bad:
            print(f"{len(bad)} existing assignment(s) are outside the new table (not changed; review them):")
            for b in bad[:20]:
                print(f"  {b['licence']} assignment {b['assignment_id']}: {b['reason']}")
            if len(bad) > 20:
                print(f"  ... and {len(bad) - 20} more (--json lists all)")
    elif not args.out:
        print("nothing written: add --activate to put the table in force in the register --db, or --out FILE")
    return 0
