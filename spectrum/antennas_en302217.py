"""Radiation pattern envelope (RPE) classes of point-to-point antennas, ETSI EN 302 217-4 V2.2.1
(2025-07) clause 4 / Figures 5-44: co-polar and cross-polar envelopes by frequency range and class.

The envelopes are **absolute gains** (dBi) against the off-axis angle, defined from the first
tabulated angle (5 deg in ranges 1-9; 10-20 deg in range 0) to 180 deg, linear in dB between the
corner points; a repeated angle is a vertical step of the published mask. Inside the first angle the
EN defines no envelope: :func:`rpe_class_gain_dbi` uses the Rec. ITU-R F.699-8 main lobe
Gmax - 2.5e-3 (D/lambda phi)^2 (D/lambda from the gain, F.699-8 Note 1) and never less than the
envelope value at the first angle (a plateau up to it), always at most Gmax. That region is a
stated assumption of this module, not the EN's.

Provenance. The EN is a free download from ETSI, but it could not be fetched from this workplace.
The corner points below were read from a public transcription of the EN's Figures 5-44 (a
pre-compliance checker: ``PavolCapek/antenna-toolkit-dev``, ``compliance/standards.py`` at commit
1cfb2c1b647f7fa9934ba6f455a4cd3aec72dfb5, "Corner points transcribed from figures 5 through 44",
edition string "ETSI EN 302 217-4 V2.2.1 (2025-07)"), which compares simulated directivity in dBi
directly with these limits. They have **not** been checked against the ETSI PDF itself; an
administration relying on them should check them against its copy of the EN (docs/links.md lists
what is verified). The frequency ranges 0-9 follow the EN's scope clause (V2.2.1: 1-3, 3-14, 14-20,
20-24, 24-30, 30-47, 47-71, 71-86, 92-114.25, 130-174.8 GHz; V2.1.1 had 47-66 and 66-86 GHz).
The range-0 class 1C elevation-plane envelope is not applied separately (every direction uses its
off-axis angle against the azimuth envelope).

References
----------
ETSI EN 302 217-4 V2.2.1 (2025-07), Fixed Radio Systems; Characteristics and requirements for
point-to-point equipment and antennas; Part 4: Antennas, clause 4.3 and Figures 5-44.
Rec. ITU-R F.699-8 (01/2018) recommends 2.1 and Note 1 (main lobe, D/lambda from the gain).
"""
from __future__ import annotations

import numpy as np

__all__ = ["RANGES_GHZ", "CLASSES", "rpe_range", "rpe_classes", "rpe_class_envelope"]

#: EN 302 217-4 V2.2.1 frequency ranges: index -> (lower, upper) [GHz], lower edge inclusive.
RANGES_GHZ = {0: (1.0, 3.0), 1: (3.0, 14.0), 2: (14.0, 20.0), 3: (20.0, 24.0), 4: (24.0, 30.0),
              5: (30.0, 47.0), 6: (47.0, 71.0), 7: (71.0, 86.0), 8: (92.0, 114.25), 9: (130.0, 174.8)}

# (range, class) -> {"co": ((deg, dBi), ...), "cx": (...), optional "co_h"/"co_v" (polarisation-
# specific co-polar envelopes), optional "pol" (the only polarisation the class is defined for)}.
_T = tuple
CLASSES: dict[tuple[int, str], dict] = {
    (0, "1A"): {"co": _T([(20, 16), (50, 6), (100, 6), (140, -5), (180, -5)]),
                "cx": _T([(20, 0), (30, 0), (50, -6), (180, -6)])},
    (0, "1B"): {"co": _T([(15, 20), (40, 6), (100, 6), (140, -5), (180, -5)]),
                "cx": _T([(20, 0), (30, 0), (50, -6), (180, -6)])},
    (0, "1C"): {"co": _T([(20, 12), (40, 4), (110, -7), (180, -7)]),
                "cx": _T([(20, 0), (30, 0), (100, -10), (180, -10)])},
    (0, "2"): {"co": _T([(20, 12), (40, 4), (90, 4), (120, -12), (180, -12)]),
               "cx": _T([(20, 0), (30, 0), (100, -15), (180, -15)])},
    (0, "3"): {"co": _T([(10, 18), (30, 3), (80, 2), (110, -18), (180, -18)]),
               "cx": _T([(20, 0), (30, 0), (100, -20), (180, -20)])},
    (1, "1"): {"co": _T([(5, 26), (10, 20), (20, 12), (50, 5), (110, 5), (140, -8), (170, -8), (170, -6),
                         (180, -6)]),
               "cx": _T([(5, 10), (8, 7), (15, 5), (30, -2), (70, -2), (100, -5), (120, -8), (180, -8)])},
    (1, "2"): {"co": _T([(5, 26), (10, 20), (20, 12), (50, 5), (65, 2), (80, 2), (105, -20), (180, -20)]),
               "cx": _T([(5, 10), (10, 5), (15, 5), (30, -3), (70, -3), (100, -20), (180, -20)])},
    (1, "3"): {"co": _T([(5, 20), (20, 8), (70, -5), (100, -25), (180, -25)]),
               "cx": _T([(5, 5), (10, 0), (13, -5), (20, -5), (40, -6), (50, -10), (75, -15), (95, -25),
                         (180, -25)])},
    (1, "4"): {"co": _T([(5, 16), (10, 5), (20, -7), (50, -18), (70, -20), (85, -24), (105, -30), (180, -30)]),
               "cx": _T([(5, 5), (10, 0), (13, -5), (20, -15), (30, -20), (40, -24), (45, -24), (70, -25),
                         (85, -25), (105, -33), (180, -33)])},
    (2, "1"): {"co": _T([(5, 25), (15, 15), (25, 10), (110, 4), (140, -8), (170, -8), (170, -6), (180, -6)]),
               "cx": _T([(5, 10), (15, 3), (20, 3), (30, 0), (45, 0), (55, -3), (90, -3), (120, -8),
                         (180, -8)])},
    (2, "2"): {"co": _T([(5, 25), (15, 13), (20, 10), (70, 0), (80, -8), (100, -18), (160, -20), (180, -20)]),
               "cx": _T([(5, 10), (7, 7), (15, 2), (20, 2), (25, -1), (45, -1), (70, -10), (90, -20),
                         (180, -20)])},
    (2, "3"): {"co": _T([(5, 18), (10, 9), (25, 2), (60, -4), (95, -27), (180, -27)]),
               "cx": _T([(5, 5), (10, 1), (30, -13), (50, -15), (85, -25), (95, -31), (180, -31)])},
    (2, "4"): {"co": _T([(5, 18), (10, 9), (20, -4), (40, -13), (80, -25), (100, -30), (180, -30)]),
               "cx": _T([(5, -3), (13, -7), (20, -15), (30, -20), (65, -22), (95, -31), (180, -31)])},
    (3, "1"): {"co": _T([(5, 20), (10, 12), (20, 12), (80, 2), (100, -7), (180, -10)]),
               "cx": _T([(5, 0), (10, -5), (20, -5), (100, -7), (180, -10)])},
    (3, "2"): {"co": _T([(5, 20), (10, 12), (20, 10), (50, 2), (70, 0), (100, -20), (180, -20)]),
               "cx": _T([(5, -5), (20, -5), (35, -7), (100, -25), (180, -25)])},
    (3, "3"): {"co": _T([(5, 20), (10, 12), (20, 7), (40, 3), (50, 0), (100, -23), (180, -23)]),
               "cx": _T([(5, -5), (10, -5), (15, -8), (35, -8), (100, -30), (180, -30)])},
    (3, "4"): {"co": _T([(5, 18), (10, 9), (20, -4), (40, -13), (80, -25), (100, -30), (180, -30)]),
               "cx": _T([(5, -5), (13, -7), (20, -15), (30, -20), (65, -22), (95, -31), (180, -31)])},
    (4, "1"): {"co": _T([(5, 20), (10, 15), (50, 5), (80, 2), (100, -7), (180, -10)]),
               "cx": _T([(5, 0), (20, 0), (100, -7), (180, -10)])},
    (4, "2"): {"co": _T([(5, 23), (12, 13), (30, 4), (70, -1), (100, -18), (180, -18)]),
               "cx": _T([(5, 2), (15, 2), (25, -4), (80, -20), (180, -20)])},
    (4, "3"): {"co": _T([(5, 20), (20, 5), (55, 0), (100, -23), (180, -25)]),
               "cx": _T([(5, -3), (20, -3), (80, -25), (180, -25)])},
    (4, "4"): {"co": _T([(5, 18), (10, 9), (20, -4), (40, -13), (80, -25), (100, -30), (180, -30)]),
               "cx": _T([(5, -3), (13, -7), (20, -15), (30, -20), (65, -22), (95, -31), (180, -31)])},
    (5, "1"): {"co": _T([(5, 25), (10, 17), (15, 14), (40, 8), (110, 2), (125, -10), (175, -10), (180, -7)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (80, -5), (95, -10), (180, -10)])},
    (5, "2"): {"co": _T([(5, 25), (10, 17), (15, 13), (25, 8), (30, 4), (70, -4), (90, -17), (180, -17)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (25, -4), (55, -6), (75, -18), (180, -18)])},
    (5, "3A"): {"co": _T([(5, 16), (10, 9), (15, 5), (20, 0), (40, -7), (50, -8), (65, -10), (75, -10), (90, -17),
                          (180, -17)]),
                "cx": _T([(5, 5), (15, 5), (20, 0), (40, -7), (50, -8), (65, -10), (75, -10), (90, -17),
                          (180, -17)]),
                "pol": "v"},
    (5, "3B"): {"co_h": _T([(5, 20), (10, 11), (15, 6), (20, 0), (50, -1), (70, -4), (90, -17), (180, -17)]),
                "co_v": _T([(5, 16), (10, 9), (15, 5), (20, 0), (40, -7), (50, -8), (65, -10), (75, -10),
                            (90, -17), (180, -17)]),
                "cx": _T([(5, -2), (8, -5), (12, -10), (20, -10), (30, -12), (50, -15), (70, -17), (180, -17)])},
    (5, "3C"): {"co_h": _T([(5, 20), (10, 11), (15, 6), (20, 0), (50, -1), (70, -4), (90, -17), (180, -17)]),
                "co_v": _T([(5, 12), (9, 9), (10, 6), (15, 2), (20, 0), (30, -4), (40, -7), (45, -9), (60, -14),
                            (70, -18), (180, -18)]),
                "cx": _T([(5, -4), (9, -8), (10, -10), (15, -10), (20, -10), (30, -10), (40, -10), (45, -13),
                          (55, -13), (70, -18), (180, -18)])},
    (5, "4"): {"co": _T([(5, 12), (10, 5), (20, -4), (40, -13), (90, -24), (180, -24)]),
               "cx": _T([(5, -4), (10, -10), (30, -20), (70, -22), (100, -27), (180, -27)])},
    (6, "1"): {"co": _T([(5, 25), (10, 17), (15, 14), (40, 8), (110, 2), (125, -10), (175, -10), (180, -7)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (80, -5), (95, -10), (180, -10)])},
    (6, "2"): {"co": _T([(5, 25), (10, 17), (15, 14), (40, 2), (70, -2), (90, -18), (180, -18)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (60, -8), (75, -18), (180, -18)])},
    (6, "3A"): {"co": _T([(5, 16), (10, 9), (15, 5), (20, 0), (40, -7), (50, -8), (65, -10), (75, -10), (90, -17),
                          (180, -17)]),
                "cx": _T([(5, 5), (15, 5), (20, 0), (40, -7), (50, -8), (65, -10), (75, -10), (90, -17),
                          (180, -17)]),
                "pol": "v"},
    (6, "3B"): {"co_h": _T([(5, 16), (10, 6), (20, 1), (75, -10), (90, -17), (180, -17)]),
                "co_v": _T([(5, 16), (10, 9), (15, 5), (20, 0), (40, -7), (50, -8), (65, -10), (75, -10),
                            (90, -17), (180, -17)]),
                "cx": _T([(5, -4), (10, -8), (40, -8), (65, -10), (75, -18), (180, -18)])},
    (7, "1"): {"co": _T([(5, 25), (10, 17), (15, 14), (40, 3), (70, 0), (100, 0), (100, -5), (180, -5)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (80, -5), (180, -5)])},
    (7, "2"): {"co": _T([(5, 25), (15, 10), (20, 7), (40, 2), (70, -2), (88.75, -7), (100, -7), (100, -10),
                         (180, -10)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (60, -8), (100, -10), (180, -10)])},
    (7, "3"): {"co": _T([(5, 16), (10, 9), (20, 1), (50, -1), (70, -4), (90, -17), (180, -17)]),
               "cx": _T([(5, 3), (15, 3), (20, -2), (60, -10), (90, -17), (180, -17)])},
    (7, "4"): {"co": _T([(5, 12), (10, 5), (20, -4), (90, -21), (180, -21)]),
               "cx": _T([(5, 0), (15, 0), (20, -4), (90, -21), (180, -21)])},
    (8, "2"): {"co": _T([(5, 25), (15, 10), (20, 7), (40, 2), (70, -2), (88.75, -7), (100, -7), (100, -10),
                         (180, -10)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (60, -8), (100, -10), (180, -10)])},
    (8, "3"): {"co": _T([(5, 16), (10, 9), (20, 1), (50, -1), (70, -4), (90, -17), (180, -17)]),
               "cx": _T([(5, 3), (15, 3), (20, -2), (60, -10), (90, -17), (180, -17)])},
    (9, "2"): {"co": _T([(5, 25), (15, 10), (20, 7), (40, 2), (70, -2), (88.75, -7), (100, -7), (100, -10),
                         (180, -10)]),
               "cx": _T([(5, 5), (15, 5), (20, 0), (60, -8), (100, -10), (180, -10)])},
    (9, "3"): {"co": _T([(5, 16), (10, 9), (20, 1), (50, -1), (70, -4), (90, -17), (180, -17)]),
               "cx": _T([(5, 3), (15, 3), (20, -2), (60, -10), (90, -17), (180, -17)])},
}


def rpe_range(f_ghz: float) -> int:
    """EN 302 217-4 V2.2.1 frequency range (0-9) of ``f_ghz`` (lower edges inclusive, the top of
    range 7, 8 and 9 inclusive).

    Raises
    ------
    ValueError
        If the frequency is not finite or lies outside every range (below 1 GHz, 86-92 GHz,
        114.25-130 GHz, above 174.8 GHz).
    """
    f = float(f_ghz)
    if not np.isfinite(f):
        raise ValueError(f"f_ghz = {f_ghz!r} must be a finite frequency (EN 302 217-4 RPE classes)")
    for r, (lo, hi) in RANGES_GHZ.items():
        if lo <= f < hi or (r in (7, 8, 9) and f == hi):
            return r
    spans = ", ".join(f"{lo:g}-{hi:g}" for lo, hi in RANGES_GHZ.values())
    raise ValueError(f"f_ghz = {f:g} GHz is outside the EN 302 217-4 ranges ({spans} GHz): no RPE class applies")


def rpe_classes(f_ghz: float) -> tuple[str, ...]:
    """The RPE class names defined in the EN 302 217-4 range of ``f_ghz`` (e.g. ("1", "2", "3", "4"))."""
    r = rpe_range(f_ghz)
    return tuple(c for (rr, c) in CLASSES if rr == r)


def _normalise_class(rpe_class) -> str:
    c = str(rpe_class).strip().upper()
    for prefix in ("CLASS", "C"):
        if c.startswith(prefix) and len(c) > len(prefix):
            c = c[len(prefix):].strip()
            break
    return c


def rpe_class_envelope(f_ghz: float, rpe_class, polarisation: str | None = None):
    """Co-polar and cross-polar envelopes of an EN 302 217-4 RPE class at ``f_ghz``.

    Parameters
    ----------
    f_ghz : float
        Frequency; selects the EN's range 0-9. [GHz]
    rpe_class : str or int
        Class name within that range: "1" .. "4", and "1A"/"1B"/"1C" (range 0), "3A"/"3B"/"3C"
        (30-47 GHz), "3A"/"3B" (47-71 GHz).
    polarisation : {"h", "v"} or None
        Selects the polarisation-specific co-polar envelope of classes 3B / 3C; ``None`` takes the
        larger (the envelope an antenna of unknown polarisation is known to meet: conservative for
        interference). Class 3A is defined for vertical polarisation only.

    Returns
    -------
    co_deg, co_dbi, cx_deg, cx_dbi : numpy.ndarray
        Off-axis angles [deg] (non-decreasing; a repeated angle is a step) and absolute gains [dBi].

    Raises
    ------
    ValueError
        If the frequency is outside every range, the class is not defined in the frequency's range,
        or ``polarisation`` is not "h", "v" or None (or is "h" for class 3A).
    """
    r = rpe_range(f_ghz)
    c = _normalise_class(rpe_class)
    entry = CLASSES.get((r, c))
    if entry is None:
        lo, hi = RANGES_GHZ[r]
        raise ValueError(f"rpe_class = {rpe_class!r} is not an EN 302 217-4 class of range {r} ({lo:g}-{hi:g} GHz, "
                         f"f = {float(f_ghz):g} GHz); classes there: {', '.join(rpe_classes(f_ghz))}")
    pol = None if polarisation is None else str(polarisation).strip().lower()[:1]
    if pol not in (None, "h", "v"):
        raise ValueError(f"polarisation = {polarisation!r} must be 'h', 'v' or None")
    if entry.get("pol") and pol not in (None, entry["pol"]):
        raise ValueError(f"EN 302 217-4 class {c} in range {r} is defined for {entry['pol'].upper()} "
                         f"polarisation only (polarisation = {polarisation!r})")
    cx = np.array(entry["cx"], float)
    if "co" in entry:
        co = np.array(entry["co"], float)
    elif pol is not None:
        co = np.array(entry["co_" + pol], float)
    else:  # the upper envelope of the H and V masks on the union of their corner angles
        h, v = np.array(entry["co_h"], float), np.array(entry["co_v"], float)
        ang = np.unique(np.concatenate([h[:, 0], v[:, 0]]))
        dh = np.interp(ang, h[:, 0], h[:, 1]) - np.interp(ang, v[:, 0], v[:, 1])
        k = np.nonzero(dh[:-1] * dh[1:] < 0)[0]  # the masks cross inside these spans: add the crossings
        ang = np.sort(np.concatenate([ang, ang[k] + (ang[k + 1] - ang[k]) * dh[k] / (dh[k] - dh[k + 1])]))
        co = np.column_stack([ang, np.maximum(np.interp(ang, h[:, 0], h[:, 1]), np.interp(ang, v[:, 0], v[:, 1]))])
    return (np.ascontiguousarray(co[:, 0]), np.ascontiguousarray(co[:, 1]),
            np.ascontiguousarray(cx[:, 0]), np.ascontiguousarray(cx[:, 1]))
