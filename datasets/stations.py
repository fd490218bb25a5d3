"""Real station lists -> the register's JSON import document (``spectrum register import``).

* :func:`weather_radars_document`: the 131 CINRAD weather radars of China
  (``stations-cn-weather-radars/radar_info.json``, pycwr 2019, MIT) as **protected
  radiolocation receivers**.
* :func:`fcc_tv_document`: the FCC TVStudy station parameters (``stations-fcc-tv-2015/
  parameters.csv``, CDBS 2015, public domain) as broadcasting transmitters with their
  directional antenna patterns. **Longitude is positive west there**; it is negated here.

Nothing here writes to a register: the documents go through the register's own import
(all-or-nothing, every bad row reported), e.g.::

    python -m spectrum.datasets.stations radars radars.json
    python -m spectrum.datasets.stations fcc-tv tv.json --country US --channels 14-36
    spectrum register --db r.sqlite import radars.json

The field mapping, and the values the sources do not give (assumptions), are in
docs/data.md and in each licence's ``remarks``.
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

__all__ = ["weather_radars_document", "fcc_tv_document", "tv_channel_mhz", "find_dataset"]

FORMAT = {"format": "spectrum-register", "format_version": 1}

#: Weather-radar receiver values the source does not give (ITU-R M.1849-2 typical values).
RADAR_DEFAULTS = {"h_agl_m": 30.0, "g_dbi": 44.0, "bw_khz": 1000.0, "noise_figure_db": 2.0, "protection_db": -10.0}
#: Nominal band centres the source gives per band. [MHz]
RADAR_BANDS = {"S": 2765.0, "C": 5592.0}
RADAR_S_TYPES = ("SA", "SB", "SC")


def find_dataset(rel: str) -> Path:
    """``rel`` under ``$SPECTRUM_DATA_DIR`` or ``../shared/datasets``."""
    from .terrain import data_dirs

    for d in data_dirs():
        if (d / rel).exists():
            return d / rel
    raise FileNotFoundError(f"data set {rel} not found in $SPECTRUM_DATA_DIR or ../shared/datasets")


def weather_radars_document(path=None, **defaults) -> dict:
    """The CINRAD radars as a register document: licensee CMA, one licence per radar (service
    radiolocation, granted), one receiver station with one protected assignment (I/N criterion).

    Parameters
    ----------
    path : path, optional
        ``radar_info.json`` (default: the shared data set).
    **defaults
        Override :data:`RADAR_DEFAULTS` (antenna height above ground, gain, bandwidth, noise
        figure, I/N) -- values the source does not give.
    """
    p = Path(path) if path else find_dataset("stations-cn-weather-radars/radar_info.json")
    try:
        cols = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p}: not a radar list (JSON column -> {{station_id -> value}}): {exc}") from None
    need = ("Longitude", "Latitude", "Elevation", "Datatype")
    if not isinstance(cols, dict) or any(k not in cols for k in need):
        raise ValueError(f"{p}: expected the columns {need} (pycwr radar_info.json)")
    d = {**RADAR_DEFAULTS, **defaults}
    licences = []
    for sid in sorted(cols["Longitude"], key=str):
        dtype = str(cols["Datatype"].get(sid, "")).strip().upper()
        band = "S" if dtype in RADAR_S_TYPES else "C" if dtype.startswith("C") else None
        if band is None:
            raise ValueError(f"{p}: radar {sid}: radar type {dtype!r} is neither S-band (SA/SB/SC) nor C-band (C*)")
        name = (cols.get("Name", {}).get(sid) or "").strip() or cols.get("Abbr.", {}).get(sid) or sid
        lat, lon = float(cols["Latitude"][sid]), float(cols["Longitude"][sid])
        elev = float(cols["Elevation"][sid])
        licences.append({
            "number": f"CINRAD-{sid}", "licensee": "China Meteorological Administration", "service": "radiolocation",
            "status": "granted",
            "remarks": (f"CINRAD/{dtype} {band}-band weather radar {cols.get('Abbr.', {}).get(sid, '')} (station {sid}); "
                        f"site {elev:g} m AMSL; frequency = nominal {band}-band value of the source, not the assigned "
                        f"one; h_agl, gain, bandwidth, NF, I/N assumed (ITU-R M.1849). Source pycwr radar_info.json "
                        "(MIT, 2019)"),
            "stations": [{
                "name": f"{name} weather radar", "role": "rx", "lat": lat, "lon": lon, "h_agl_m": d["h_agl_m"],
                "g_dbi": d["g_dbi"], "antenna_pattern": None, "azimuth_deg": 0.0, "tilt_deg": 0.0,
                "polarisation": "h", "feeder_loss_db": 0.0,
                "assignments": [{"f_mhz": RADAR_BANDS[band], "bw_khz": d["bw_khz"], "noise_figure_db": d["noise_figure_db"],
                                 "protection": "I/N", "protection_db": d["protection_db"]}],
            }],
        })
    return {**FORMAT, "licensees": [{"name": "China Meteorological Administration", "country": "CN",
                                     "address": None, "contact": None}],
            "antenna_patterns": [], "spectrum_masks": [], "licences": licences}


def tv_channel_mhz(ch: int) -> float:
    """Centre frequency of a North-American 6 MHz TV channel (2-69). [MHz]"""
    ch = int(ch)
    if 2 <= ch <= 4:
        return 57.0 + 6.0 * (ch - 2)
    if 5 <= ch <= 6:
        return 79.0 + 6.0 * (ch - 5)
    if 7 <= ch <= 13:
        return 177.0 + 6.0 * (ch - 7)
    if 14 <= ch <= 69:
        return 473.0 + 6.0 * (ch - 14)
    raise ValueError(f"TV channel {ch} is not a North-American channel 2-69")


def _f(v, what, row):
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"row {row}: {what} = {v!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"row {row}: {what} = {v!r} is not finite")
    return x


def fcc_tv_document(path=None, *, country: str | None = "US", channels=None, limit: int | None = None) -> tuple[dict, dict]:
    """FCC TVStudy records as a register document, and a report of what was skipped.

    Parameters
    ----------
    path : path, optional
        ``parameters.csv`` (default: the shared data set).
    country : str or None
        Keep one country's records (US, CA, MX); None keeps all.
    channels : (lo, hi), optional
        Keep RF channels in this range.
    limit : int, optional
        Keep the first ``limit`` records (after the filters).

    Returns
    -------
    (document, report) : report counts records read, kept, continuation rows and rows skipped.
    """
    p = Path(path) if path else find_dataset("stations-fcc-tv-2015/parameters.csv")
    with open(p, newline="", encoding="latin-1") as fh:
        rows = list(csv.reader(fh))
    hdr_i = next((i for i, r in enumerate(rows[:20]) if r[:2] == ["FacID", "SrcKey"]), None)
    if hdr_i is None:
        raise ValueError(f"{p}: no 'FacID,SrcKey,...' header in the first 20 lines: not a TVStudy parameters file")
    hdr = rows[hdr_i]
    col = {h: i for i, h in enumerate(hdr[:34]) if h}
    pat0 = hdr.index("0", 34)
    rep = {"records": 0, "continuation_rows": 0, "other_country": 0, "other_channel": 0, "kept": 0,
           "directional": 0, "negative_haat": 0, "haat_over_1000": 0, "skipped": []}
    patterns, licences, licensees = {}, [], {}
    for n, r in enumerate(rows[hdr_i + 1:], start=hdr_i + 2):
        if not r or not any(r):
            continue
        if len(r) < 34 or not r[col["Call"]].strip():
            rep["continuation_rows"] += 1  # MX rows carrying only FacID/SrcKey and areas
            continue
        rep["records"] += 1
        cc = r[col["Country"]].strip()
        if country and cc != country:
            rep["other_country"] += 1
            continue
        ch = int(_f(r[col["Ch"]], "Ch", n))
        if channels and not channels[0] <= ch <= channels[1]:
            rep["other_channel"] += 1
            continue
        if limit is not None and rep["kept"] >= limit:
            break
        try:
            lic = _tv_record(r, n, col, pat0, ch, cc, patterns, licensees, rep)
        except ValueError as exc:  # a record with a missing or bad field: reported, not guessed at
            rep["skipped"].append(f"{r[col['Call']].strip()} (row {n}): {exc}")
            continue
        licences.append(lic)
        rep["kept"] += 1
    doc = {**FORMAT, "licensees": list(licensees.values()), "antenna_patterns": list(patterns.values()),
           "spectrum_masks": [], "licences": licences}
    return doc, rep


def _tv_record(r, n, col, pat0, ch, cc, patterns, licensees, rep) -> dict:
    if True:
        lat = _f(r[col["Lat"]], "Lat", n)
        lon = -_f(r[col["Lon"]], "Lon", n)  # TVStudy: positive WEST
        haat = _f(r[col["HAAT"]], "HAAT", n)
        erp_kw = _f(r[col["ERP"]], "ERP", n)
        if erp_kw <= 0:
            raise ValueError(f"row {n}: ERP = {erp_kw:g} kW must be > 0")
        call = r[col["Call"]].strip()
        fac = r[col["FacID"]].strip()
        pattern = None
        fv = [x for x in r[pat0:pat0 + 36]]
        if r[col["DA"]].strip() == "DA" and all(x.strip() for x in fv):
            az = [10.0 * k for k in range(36)]
            g = [_f(x, "field value", n) for x in fv]
            extra = r[pat0 + 37:]
            for a, v in zip(extra[0::2], extra[1::2]):
                if a.strip() and v.strip():
                    az.append(_f(a, "Az", n) % 360.0)
                    g.append(_f(v, "FV", n))
            order = sorted(range(len(az)), key=lambda k: az[k])
            az = [az[k] for k in order]
            g = [g[k] for k in order]
            keep = [k for k in range(len(az)) if k == 0 or az[k] > az[k - 1]]  # drop repeated azimuths
            az, g = [az[k] for k in keep], [g[k] for k in keep]
            gmax = max(g)
            h_db = [round(20.0 * math.log10(max(v / gmax, 1e-3)), 3) for v in g]
            name = f"FCC-ANT-{r[col['AntID']].strip() or fac}"
            if name in patterns and patterns[name]["h_gain_db"] != h_db:
                name = f"{name}-{r[col['SrcKey']].strip()}"
            patterns[name] = {"name": name, "kind": "table", "g_max_dbi": 2.15, "params": {},
                              "h_az_deg": az + [360.0], "h_gain_db": h_db + [h_db[0]],
                              "v_el_deg": None, "v_gain_db": None}
            pattern = name
            rep["directional"] += 1
        if haat < 1.0:
            rep["negative_haat"] += 1
        if haat > 1000.0:
            rep["haat_over_1000"] += 1
        lic_name = f"{call} (FCC facility {fac})"
        licensees[lic_name] = {"name": lic_name, "country": cc, "address": r[col["City"]].strip() + ", " +
                               r[col["St"]].strip(), "contact": None}
        return {
            "number": f"FCC-TV-{fac}-{r[col['SrcKey']].strip()}", "licensee": lic_name, "service": "broadcasting",
            "status": "granted",
            "remarks": (f"{call} ch {ch}, {r[col['City']].strip()} {r[col['St']].strip()}; RCAMSL "
                        f"{_f(r[col['RCAMSL']], 'RCAMSL', n):g} m, HAAT {haat:g} m, ERP {erp_kw:g} kW; h_agl_m = HAAT "
                        "clipped to 1..1000 m (proxy: TVStudy gives no height above ground); FCC TVStudy CDBS "
                        "2015-10-16 (public domain)"),
            "stations": [{
                "name": f"{call} ch {ch}", "role": "tx", "lat": lat, "lon": lon, "h_agl_m": min(max(haat, 1.0), 1000.0),
                "g_dbi": 2.15, "antenna_pattern": pattern,
                "azimuth_deg": _f(r[col["Rot"]] or 0, "Rot", n) % 360.0,
                "tilt_deg": -_f(r[col["Tilt"]] or 0, "Tilt", n), "polarisation": "h", "feeder_loss_db": 0.0,
                "assignments": [{"f_mhz": tv_channel_mhz(ch), "bw_khz": 6000.0,
                                 "eirp_dbw": round(10.0 * math.log10(erp_kw * 1000.0) + 2.15, 3)}],
            }],
        }


def main(argv=None) -> int:
    """``python -m spectrum.datasets.stations {radars,fcc-tv} OUT.json [...]``."""
    import argparse

    from spectrum.io import write_text

    ap = argparse.ArgumentParser(prog="python -m spectrum.datasets.stations",
                                 description="Convert real station lists to register import documents.")
    ap.add_argument("which", choices=("radars", "fcc-tv"))
    ap.add_argument("out", help="JSON document to write ('-' for stdout)")
    ap.add_argument("--source", default=None, help="input file (default: the shared data set)")
    ap.add_argument("--country", default="US", help="fcc-tv: US, CA, MX or ALL")
    ap.add_argument("--channels", default=None, help="fcc-tv: LO-HI RF channels, e.g. 14-36")
    ap.add_argument("--limit", type=int, default=None)
    a = ap.parse_args(argv)
    try:
        return _main(a, write_text)
    except (ValueError, FileNotFoundError) as exc:
        import sys

        print(f"spectrum.datasets.stations: error: {exc}", file=sys.stderr)
        return 2


def _main(a, write_text) -> int:
    if a.which == "radars":
        doc, rep = weather_radars_document(a.source), None
    else:
        ch = tuple(int(x) for x in a.channels.split("-")) if a.channels else None
        doc, rep = fcc_tv_document(a.source, country=None if a.country.upper() == "ALL" else a.country.upper(),
                                   channels=ch, limit=a.limit)
    text = json.dumps(doc, indent=1) + "\n"
    if a.out == "-":
        print(text, end="")
    else:
        write_text(a.out, text)
        print(f"wrote {a.out}: {len(doc['licences'])} licences")
        if rep:
            print("  " + ", ".join(f"{k} {v}" for k, v in rep.items() if k != "skipped"))
            for why in rep["skipped"]:
                print(f"  skipped {why}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
