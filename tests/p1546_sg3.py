"""Reading the WP 3K P.1546-6 validation set (profiles, logs, combined results) for the tests."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SUB = "itu-p1546-6_eeveetza"


def read_profile(path) -> dict:
    """An ITU-R SG3 'Table C' profile with its measurement block (P.1546 columns)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    out = {"first_point_tx": True, "x": [], "h": [], "cov": [], "hgc": [], "zone": [], "meas": []}
    mode = None
    for ln in lines:
        s = ln.strip()
        if s.startswith("First Point TX or RX"):
            out["first_point_tx"] = s.split(",")[1].strip().upper().startswith("T")
        elif s == "{Begin of Profile}":
            mode = "p"
        elif s == "{End of Profile}":
            mode = None
        elif s == "{Begin of Measurements}":
            mode = "m"
        elif s == "{End of Measurements}":
            mode = None
        elif mode == "p" and not s.startswith("Number"):
            c = s.split(",")
            out["x"].append(float(c[0]))
            out["h"].append(float(c[1]))
            out["cov"].append(int(float(c[2])))
            out["hgc"].append(float(c[3]) if c[3] else np.nan)
            out["zone"].append(int(float(c[4])))
        elif mode == "m":
            c = s.split(",")
            if len(c) < 18:  # e.g. a count line
                continue
            out["meas"].append({"f": float(c[0]), "h_tx": float(c[1]), "h_rx": float(c[3]),
                                "erp_dbw": float(c[12]), "t": float(c[14]), "e": float(c[16]),
                                "lb": float(c[17])})
    for k in ("x", "h", "hgc"):
        out[k] = np.array(out[k], dtype=float)
    for k in ("cov", "zone"):
        out[k] = np.array(out[k], dtype=int)
    return out


def read_log(path) -> dict:
    """A WP 3K log file (',' or ';' separated) as {label: value or None}."""
    out = {}
    for ln in Path(path).read_text(encoding="utf-8").splitlines():
        c = [x.strip() for x in ln.replace(";", ",").split(",")]
        if len(c) < 4 or not c[0] or c[0].startswith("#"):
            continue
        v = c[3]
        try:
            out[c[0]] = float(v)
        except ValueError:
            out[c[0]] = v if v else None
    return out


def combined(ref: Path) -> list[tuple[str, int, float]]:
    rows = []
    with open(ref / "validation_results" / "combined_results.csv", newline="") as fh:
        for r in csv.reader(fh):
            if not r or r[0].startswith("%"):
                continue
            rows.append((r[1].strip(), int(r[2]), float(r[3])))
    return rows


_AREA = {1: "sea", 2: "rural", 3: "suburban", 4: "urban", 5: "dense urban"}  # other codes: suburban (as WP 3K)


def case_inputs(prof: dict, k: int) -> dict:
    """Model inputs of dataset ``k`` (1-based) of a profile, as the WP 3K validation script derives
    them (terminal swap when the first point is the receiver, clutter from the end samples)."""
    m = prof["meas"][k - 1]
    x, h, zone, cov, hgc = prof["x"], prof["h"], prof["zone"], prof["cov"], prof["hgc"]
    h_tx, h_rx = m["h_tx"], m["h_rx"]
    r1 = 0.0 if np.isnan(hgc[0]) else hgc[0]
    r2 = 0.0 if np.isnan(hgc[-1]) else hgc[-1]
    a_tx, a_rx = cov[0], cov[-1]
    if not prof["first_point_tx"]:
        x = x[-1] - x[::-1]
        h, zone = h[::-1], zone[::-1]
        h_tx, h_rx = h_rx, h_tx
        r1, r2 = r2, r1
        a_tx, a_rx = a_rx, a_tx
    return {"d_km": x, "h_m": h, "zone": zone, "ha_m": h_tx, "h2_m": h_rx, "r1_m": r1, "r2_m": r2,
            "area": _AREA.get(int(a_rx), "suburban"), "f_mhz": m["f"], "t": m["t"], "erp_kw": 10 ** (m["erp_dbw"] / 10) / 1000,
            "e_ref": m["e"], "lb_ref": m["lb"]}
