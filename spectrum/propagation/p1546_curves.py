"""Tabulated field-strength curves of Rec. ITU-R P.1546-6 (Figures 1-24), read, never hand-typed.

The 24 figures x 78 distances x 8 transmitting heights (14 976 values, 4 decimals) come from one
of two places, in this order:

1. ``p1546_tabulated_E_long.csv`` in ``$SPECTRUM_P1546_CURVES`` (a folder), or in
   ``<reference>/itu-p1546-6_curves_eeveetza/`` where ``<reference>`` is
   ``$SPECTRUM_REFERENCE_DIR`` or ``../shared/reference`` beside the repository;
2. otherwise the packaged compact copy ``p1546_curves.npz`` next to this module, which
   :func:`build_packaged` generates from that same CSV (values stored as integers of
   1e-4 dB(uV/m), so the round trip is exact). ``python -m spectrum.propagation.p1546_curves
   --build`` regenerates it; ``tests/test_p1546_curves.py`` checks it equals the CSV.

Why a packaged copy: an installed package must predict without the shared reference folder,
and the numbers are the ITU-R tabulation as distributed with the WP 3K reference implementation
(eeveetza/p1546, "OFCOM permissive" BSD-style licence: redistribution with the copyright notice,
which :data:`NOTICE` carries into the file and docs/p1546.md repeats).

Layout: ``table[figure - 1, i_distance, i_height]`` in dB(uV/m) for 1 kW e.r.p., 50 % locations,
receiving antenna at the representative clutter height. Figure order per frequency (100, 600,
2 000 MHz): land 50 %, land 10 %, land 1 %, sea 50 %, cold sea 10 %, cold sea 1 %, warm sea 10 %,
warm sea 1 %.

References
----------
Rec. ITU-R P.1546-6 (08/2019), Annex 1 §3 (computer-based tabulations) and Figures 1-24.
"""
from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["DISTANCES_KM", "HEIGHTS_M", "FREQUENCIES_MHZ", "load_table", "read_csv", "build_packaged",
           "curves_source", "NOTICE"]

#: The 78 nominal distances of Table 1. [km]
DISTANCES_KM = np.array([*range(1, 21), *range(25, 101, 5), *range(110, 201, 10), *range(225, 1001, 25)],
                        dtype=np.float64)
#: The 8 nominal transmitting/base antenna heights h1. [m]
HEIGHTS_M = np.array([10.0, 20.0, 37.5, 75.0, 150.0, 300.0, 600.0, 1200.0])
#: The nominal frequencies of the figures. [MHz]
FREQUENCIES_MHZ = np.array([100.0, 600.0, 2000.0])
_PATHS = [("land", 50), ("land", 10), ("land", 1), ("sea", 50), ("cold_sea", 10), ("cold_sea", 1),
          ("warm_sea", 10), ("warm_sea", 1)]
_SUB = "itu-p1546-6_curves_eeveetza"
_CSV = "p1546_tabulated_E_long.csv"
_NPZ = Path(__file__).with_name("p1546_curves.npz")
_SCALE = 10000.0

NOTICE = ("Rec. ITU-R P.1546-6 tabulated field strengths (Figures 1-24), as distributed with the ITU-R WP 3K "
          "reference implementation github.com/eeveetza/p1546 (v6.2): Copyright (c) 2013-16 Ivica Stevanovic, "
          "Copyright (c) 2009 Jef Statham; redistribution permitted with this notice (OFCOM permissive licence).")


def _candidate_dirs() -> list[Path]:
    out = []
    env = os.environ.get("SPECTRUM_P1546_CURVES")
    if env:
        out.append(Path(env))
    ref = os.environ.get("SPECTRUM_REFERENCE_DIR")
    if ref:
        out.append(Path(ref) / _SUB)
    out.append(Path(__file__).resolve().parents[2].parent / "shared" / "reference" / _SUB)
    return out


def read_csv(path) -> np.ndarray:
    """Read ``p1546_tabulated_E_long.csv`` into a (24, 78, 8) array; checks every cell is given once.

    Raises
    ------
    ValueError
        A malformed file (unknown figure, distance or height, a missing or repeated value).
    """
    path = Path(path)
    table = np.full((24, DISTANCES_KM.size, HEIGHTS_M.size), np.nan)
    d_index = {float(d): i for i, d in enumerate(DISTANCES_KM)}
    h_index = {float(h): i for i, h in enumerate(HEIGHTS_M)}
    with open(path, newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        for n, row in enumerate(rows, start=2):
            try:
                fig = int(row["figure"])
                i = d_index[float(row["d_km"])]
                j = h_index[float(row["h1_m"])]
                v = float(row["E_dBuVm"])
                fmhz = float(row["f_MHz"])
                kind = (row["path"], int(float(row["t_pct"])))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}: line {n} is not a P.1546 curve value ({exc})") from exc
            if not 1 <= fig <= 24 or FREQUENCIES_MHZ[(fig - 1) // 8] != fmhz or _PATHS[(fig - 1) % 8] != kind:
                raise ValueError(f"{path}: line {n}: figure {fig} does not match f = {fmhz:g} MHz, {kind}")
            if not np.isnan(table[fig - 1, i, j]):
                raise ValueError(f"{path}: line {n}: figure {fig}, d = {row['d_km']} km, h1 = {row['h1_m']} m repeated")
            table[fig - 1, i, j] = v
    if np.isnan(table).any():
        raise ValueError(f"{path}: {int(np.isnan(table).sum())} of {table.size} curve values are missing")
    return table


def curves_source() -> Path:
    """The file :func:`load_table` reads: the reference CSV if found, else the packaged copy."""
    for d in _candidate_dirs():
        if (d / _CSV).is_file():
            return d / _CSV
    if _NPZ.is_file():
        return _NPZ
    raise FileNotFoundError(
        f"Rec. ITU-R P.1546-6 curves not found: neither {_CSV} (set SPECTRUM_P1546_CURVES or "
        f"SPECTRUM_REFERENCE_DIR) nor the packaged {_NPZ.name}")


def _read_npz(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as z:
        q = z["e_1e4"]
        if q.shape != (24, DISTANCES_KM.size, HEIGHTS_M.size) or not np.array_equal(z["d_km"], DISTANCES_KM) \
                or not np.array_equal(z["h1_m"], HEIGHTS_M):
            raise ValueError(f"{path}: not a P.1546-6 curve table (shape {q.shape})")
        return q.astype(np.float64) / _SCALE


@lru_cache(maxsize=4)
def _load(path: str) -> np.ndarray:
    p = Path(path)
    t = read_csv(p) if p.suffix == ".csv" else _read_npz(p)
    t.setflags(write=False)
    return t


def load_table() -> np.ndarray:
    """The (24, 78, 8) field-strength table [dB(uV/m)], read-only, cached (see the module text)."""
    return _load(str(curves_source()))


def build_packaged(csv_path=None, out=None) -> Path:
    """Generate the packaged compact copy from the reference CSV (exact: integers of 1e-4 dB).

    Parameters
    ----------
    csv_path : path, optional
        ``p1546_tabulated_E_long.csv``; default the first found as in :func:`curves_source`.
    out : path, optional
        Output ``.npz``; default ``p1546_curves.npz`` beside this module.
    """
    from .. import io

    if csv_path is None:
        found = [d / _CSV for d in _candidate_dirs() if (d / _CSV).is_file()]
        if not found:
            raise FileNotFoundError(f"{_CSV} not found (set SPECTRUM_REFERENCE_DIR)")
        csv_path = found[0]
    t = read_csv(csv_path)
    q = np.rint(t * _SCALE)
    if np.max(np.abs(q / _SCALE - t)) > 1e-9:
        raise ValueError(f"{csv_path}: values have more than 4 decimals; the compact copy would not be exact")
    out = Path(out) if out is not None else _NPZ
    with io.atomic_path(out, suffix=".npz") as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, e_1e4=q.astype(np.int32), d_km=DISTANCES_KM, h1_m=HEIGHTS_M,
                                f_mhz=FREQUENCIES_MHZ, notice=np.array(NOTICE))
    return out


if __name__ == "__main__":  # pragma: no cover
    import sys

    if "--build" in sys.argv:
        print(build_packaged())
    else:
        print(curves_source())
