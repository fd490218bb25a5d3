"""``spectrum itm``: Longley-Rice Irregular Terrain Model 1.2.2 (NTIA ITM), p2p and area modes.

Examples::

    spectrum itm p2p --profile pfl.txt --f-mhz 3500 --h-tx-m 15 --h-rx-m 3 --pol v --mdvar 1
    spectrum itm p2p --profile path.csv --f-mhz 600 --h-tx-m 150 --h-rx-m 10 \\
        --reliability 10 50 90 --confidence 10 50 90 --json
    spectrum itm p2p --tx 31.10,121.20 --rx 31.40,121.60 --f-mhz 600 --h-tx-m 150 --h-rx-m 10
    spectrum itm area --d-km 10 20 50 100 --f-mhz 10000 --h-tx-m 3 --h-rx-m 3 --delta-h-m 0 \\
        --pol v --mdvar 3 --reliability 90 --confidence 50 75 90

A profile file is either an NTIA PFL file (``np, xi_m, z_0 ... z_np``, commas or
whitespace) or a CSV with columns ``d_km,h_m`` (equally spaced, d = 0 at the Tx; e.g. the
output of ``spectrum profile --csv``). Several reliability/confidence values give a table
(rows reliability, columns confidence), as NTIA's ITM driver prints it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from spectrum.commands._common import data_lines, latlon, load_dem, read_text


def _common_args(p) -> None:
    p.add_argument("--f-mhz", type=float, required=True, help="frequency [MHz], 20 to 20000")
    p.add_argument("--h-tx-m", type=float, required=True, help="Tx antenna height above ground [m]")
    p.add_argument("--h-rx-m", type=float, required=True, help="Rx antenna height above ground [m]")
    p.add_argument("--climate", type=int, default=5,
                   help="radio climate 1-7 (1 equatorial ... 5 continental temperate, 7 maritime "
                        "temperate over sea); default 5")
    ref = p.add_mutually_exclusive_group()
    ref.add_argument("--n-0", type=float, default=301.0, help="sea-level surface refractivity [N-units], default 301")
    ref.add_argument("--n-s", type=float, default=None, help="surface refractivity N_s given directly [N-units]")
    p.add_argument("--pol", default="h", help="polarisation h|v (or 0|1), default h")
    p.add_argument("--epsilon", type=float, default=15.0, help="ground relative permittivity, default 15")
    p.add_argument("--sigma", type=float, default=0.005, help="ground conductivity [S/m], default 0.005")
    p.add_argument("--time", type=float, default=None, help="time percentage (TLS form)")
    p.add_argument("--location", type=float, default=None, help="location percentage (TLS form)")
    p.add_argument("--situation", type=float, default=None, help="situation percentage (TLS form)")
    p.add_argument("--reliability", type=float, nargs="+", default=None, help="reliability percentage(s) (CR form)")
    p.add_argument("--confidence", type=float, nargs="+", default=None, help="confidence percentage(s) (CR form)")
    p.add_argument("--json", action="store_true", help="print JSON")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "itm",
        help="NTIA Irregular Terrain Model (Longley-Rice 1.2.2), point-to-point and area modes",
        description=("Basic transmission loss with the NTIA/ITS Irregular Terrain Model 1.2.2 "
                     "(Longley-Rice), NTIA reference-library semantics: intermediate values, "
                     "warning flags and error codes as NTIA reports them."),
    )
    sub = p.add_subparsers(dest="itm_mode", metavar="<mode>")
    sub.required = True

    pp = sub.add_parser("p2p", help="point-to-point mode over a terrain profile",
                        description="ITM point-to-point mode over a terrain profile.")
    src = pp.add_mutually_exclusive_group(required=True)
    src.add_argument("--profile", metavar="FILE", help="NTIA PFL file or CSV with columns d_km,h_m")
    src.add_argument("--tx", type=latlon, metavar="LAT,LON", help="Tx position (profile from the DEM; needs --rx)")
    pp.add_argument("--rx", type=latlon, metavar="LAT,LON", help="Rx position [deg]")
    pp.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder for --tx/--rx (default terrain if omitted)")
    pp.add_argument("--step-m", type=float, default=None, help="profile spacing for --tx/--rx [m]")
    _common_args(pp)
    pp.add_argument("--mdvar", type=int, default=12,
                    help="mode of variability 0-3 (+10 no location var., +20 no direct situation var.); default 12")
    pp.set_defaults(func=run)

    pa = sub.add_parser("area", help="area prediction mode",
                        description="ITM area prediction mode (distances, Delta_h and siting criteria).")
    pa.add_argument("--d-km", type=float, nargs="+", required=True, help="path distance(s) [km]")
    pa.add_argument("--delta-h-m", type=float, default=90.0, help="terrain irregularity Delta_h [m], default 90")
    pa.add_argument("--tx-siting", default="random", help="Tx siting criteria: random|careful|very_careful (0|1|2)")
    pa.add_argument("--rx-siting", default="random", help="Rx siting criteria: random|careful|very_careful (0|1|2)")
    _common_args(pa)
    pa.add_argument("--mdvar", type=int, default=1,
                    help="mode of variability 0-3 (+10 no location var., +20 no direct situation var.); default 1")
    pa.set_defaults(func=run)


# ---------------------------------------------------------------------------------------------
def read_profile_file(path) -> tuple[str, object]:
    """Read a terrain profile file: ``("pfl", array)`` or ``("dh", (d_km, h_m))``."""
    from spectrum.propagation import itm

    path = Path(path)
    text = read_text(path)
    lines = data_lines(path, text)
    first = lines[0]
    has_header = any(c.isalpha() for c in first.replace("e", "").replace("E", ""))
    fields = [len([f for f in ln.replace(",", " ").split() if f]) for ln in (lines[1:] if has_header else lines)]
    if has_header or (len(lines) > 2 and all(k >= 2 for k in fields)):
        rows = lines[1:] if has_header else lines
        cols = [c.strip().lower() for c in first.split(",")] if has_header else ["d_km", "h_m"]
        try:
            i_d, i_h = cols.index("d_km"), cols.index("h_m")
        except ValueError:
            raise ValueError(f"{path}: CSV needs columns d_km and h_m, found {cols}") from None
        data = []
        for k, ln in enumerate(rows):
            parts = [f.strip() for f in ln.split(",")] if "," in ln else ln.split()
            try:
                data.append((float(parts[i_d]), float(parts[i_h])))
            except (ValueError, IndexError):
                raise ValueError(f"{path}: line {k + 2 if has_header else k + 1} is not numeric: {ln!r}") from None
        arr = np.array(data)
        return "dh", (arr[:, 0], arr[:, 1])
    return "pfl", itm.read_pfl(path)


def _quantile_kwargs(args) -> dict:
    kw = {}
    for name in ("time", "location", "situation"):
        v = getattr(args, name)
        if v is not None:
            kw[name] = v
    if args.reliability is not None or args.confidence is not None:
        rel = np.array(args.reliability if args.reliability is not None else [50.0])
        conf = np.array(args.confidence if args.confidence is not None else [50.0])
        kw["reliability"] = rel
        kw["confidence"] = conf
    return kw


def _fmt_warnings(res) -> str:
    flags = int(np.bitwise_or.reduce(np.atleast_1d(np.asarray(res.warning_flags, dtype=np.int64)).ravel()))
    names = res.warnings
    return f"0x{flags:04X}  [{', '.join(names) if names else 'No Warnings'}]"


def _intermediate_lines(res, j=None) -> list[str]:
    def v(name):
        x = getattr(res, name)
        return float(np.ravel(x)[j]) if j is not None else float(x)

    mode = int(np.ravel(res.mode)[j]) if j is not None else int(res.mode)
    from spectrum.propagation.itm import MODE_NAMES

    return [
        f"  {'Free space loss':<24} {v('a_fs_db'):>10.1f}  dB",
        f"  {'d_km':<24} {v('d_km'):>10.3f}  km",
        f"  {'theta_hzn_tx':<24} {v('theta_hzn_tx') * 1e3:>10.3f}  mrad",
        f"  {'theta_hzn_rx':<24} {v('theta_hzn_rx') * 1e3:>10.3f}  mrad",
        f"  {'d_hzn_tx_m':<24} {v('d_hzn_tx_m'):>10.0f}  m",
        f"  {'d_hzn_rx_m':<24} {v('d_hzn_rx_m'):>10.0f}  m",
        f"  {'h_e_tx_m':<24} {v('h_e_tx_m'):>10.1f}  m",
        f"  {'h_e_rx_m':<24} {v('h_e_rx_m'):>10.1f}  m",
        f"  {'N_s':<24} {v('n_s'):>10.1f}  N-units",
        f"  {'delta_h_m':<24} {v('delta_h_m'):>10.1f}  m",
        f"  {'A_ref':<24} {v('a_ref_db'):>10.1f}  dB",
        f"  {'Mode of propagation':<24} {mode:>10d}  [{MODE_NAMES[mode]}]",
    ]


def _table(row_label, row_vals, col_label, col_vals, a) -> list[str]:
    out = [f"  {row_label:<12}" + f"{col_label} " + " ".join(f"{c:>7g}" for c in col_vals)]
    pad = len(col_label) + 1
    for i, r in enumerate(row_vals):
        out.append(f"  {r:<12g}" + " " * pad + " ".join(f"{a[i, k]:>7.1f}" for k in range(len(col_vals))))
    return out


def run(args) -> int:
    from spectrum.propagation import itm

    common = dict(climate=args.climate, n_0=args.n_0, n_s=args.n_s, pol=args.pol, epsilon=args.epsilon,
                  sigma=args.sigma, mdvar=args.mdvar)
    qkw = _quantile_kwargs(args)
    table = "reliability" in qkw and (len(qkw["reliability"]) > 1 or len(qkw["confidence"]) > 1)
    if "reliability" in qkw:
        qkw["reliability"] = qkw["reliability"][:, None]
        qkw["confidence"] = qkw["confidence"][None, :]

    if args.itm_mode == "p2p":
        if args.tx is not None:
            if args.rx is None:
                raise ValueError("--tx needs --rx")
            from spectrum import terrain

            dem = load_dem(args.dem)
            d, h = terrain.profile(dem, args.tx, args.rx, step_m=args.step_m)
            prof = (np.asarray(d), np.asarray(h))
            source = f"DEM profile {args.tx} -> {args.rx}"
        else:
            kind, prof = read_profile_file(args.profile)
            source = args.profile
        res = itm.point_to_point(prof, args.h_tx_m, args.h_rx_m, args.f_mhz, **common, **qkw)
        if args.json:
            d = res.to_dict()
            d["profile"] = source
            print(json.dumps(d, indent=2))
            return 0
        a = np.asarray(res.a_db)
        lines = [f"ITM point-to-point ({itm.MODEL})", f"  Terrain: {source}",
                 f"  {'Warning flags':<24} {_fmt_warnings(res)}",
                 f"  {'Return code':<24} {int(np.max(res.return_code))}"]
        if table:
            lines.append("Basic transmission loss [dB]")
            lines += _table("reliability", np.ravel(qkw["reliability"]), "confidence",
                            np.ravel(qkw["confidence"]), a.reshape(len(np.ravel(qkw["reliability"])), -1))
        else:
            lines.append(f"  {'Basic transmission loss':<24} {float(a.ravel()[0]):>10.1f}  dB")
        lines.append("Intermediate values")
        lines += _intermediate_lines(res)
        print("\n".join(lines))
        return 0

    # area mode
    d_km = np.asarray(args.d_km, dtype=float)
    if "reliability" in qkw:
        # rows: distances (x reliability), columns: confidence
        if len(qkw["reliability"].ravel()) > 1 and len(d_km) > 1:
            raise ValueError("area mode: give several --d-km or several --reliability values, not both")
        rows = d_km if len(d_km) > 1 else None
        qkw["reliability"] = qkw["reliability"].ravel()[:, None] if rows is None else qkw["reliability"].ravel()[0]
        dd = d_km[:, None] if rows is not None else d_km[0]
    else:
        dd = d_km if len(d_km) > 1 else d_km[0]
    res = itm.area(dd, args.h_tx_m, args.h_rx_m, args.f_mhz, args.delta_h_m, tx_siting=args.tx_siting,
                   rx_siting=args.rx_siting, **common, **qkw)
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
        return 0
    a = np.atleast_2d(np.asarray(res.a_db))
    lines = [f"ITM area mode ({itm.MODEL})",
             f"  {'Warning flags':<24} {_fmt_warnings(res)}",
             f"  {'Return code':<24} {int(np.max(res.return_code))}"]
    if np.ndim(res.a_db) == 0:
        lines.append(f"  {'Basic transmission loss':<24} {float(res.a_db):>10.1f}  dB")
        lines.append("Intermediate values")
        lines += _intermediate_lines(res)
    else:
        if "confidence" in qkw:
            cols = np.ravel(qkw["confidence"])
            col_label = "confidence"
        else:
            cols = [float(args.time or 50)]
            col_label = "time"
        if "reliability" in qkw and np.ndim(qkw["reliability"]) == 2:
            row_label, row_vals = "reliability", np.ravel(qkw["reliability"])
        else:
            row_label, row_vals = "d_km", d_km
        if a.shape[0] != len(row_vals):
            a = a.reshape(len(row_vals), -1)
        fs = np.atleast_2d(np.asarray(res.a_fs_db)).reshape(len(row_vals), -1)[:, 0]
        lines.append("Basic transmission loss [dB]")
        head = f"  {row_label:<12}{'free space':>11}  {col_label} " + " ".join(f"{c:>7g}" for c in cols)
        lines.append(head)
        pad = len(col_label) + 1
        for i, r in enumerate(row_vals):
            lines.append(f"  {r:<12g}{fs[i]:>11.1f}  " + " " * pad
                         + " ".join(f"{a[i, k]:>7.1f}" for k in range(a.shape[1])))
        modes = np.ravel(res.mode)
        lines.append("  propagation mode per row: "
                     + ", ".join(itm.MODE_NAMES[int(m)] for m in modes.reshape(len(row_vals), -1)[:, 0]))
    print("\n".join(lines))
    return 0
