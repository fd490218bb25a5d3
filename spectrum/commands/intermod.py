"""``spectrum intermod``: intermodulation products at a shared site and the receivers they hit.

Examples::

    spectrum intermod --demo
    spectrum intermod --db register.sqlite --site 31.188,121.437 --radius-m 500
    spectrum intermod --db register.sqlite --site 31.188,121.437 --orders 3 --json

Transmitter intermodulation (2- and 3-signal, 3rd and 5th order) among the transmitters within
``--radius-m`` of the site, and receiver intermodulation (two-signal, 3rd order, ERC Report 68)
in every registered receiver within ``--victim-radius-km`` whose passband a product hits, with the
interference level and the margin to the receiver's criterion (:mod:`spectrum.intermod`).

``--demo`` scans the FM mast of the sample register (four FM transmitters and a VHF PMR base:
the PMR receiver is hit by 150.5 + 98.2 - 93.2 MHz).
"""
from __future__ import annotations

import sys

from spectrum.commands._common import latlon


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "intermod",
        help="intermodulation products at a shared site, the registered receivers they hit and the margins",
        description=("Transmitter intermodulation (2/3-signal, 3rd/5th order) among the transmitters of a site "
                     "and receiver intermodulation (2-signal 3rd order, ERC Report 68 / SM.2028), checked "
                     "against every registered receiver whose passband a product hits."),
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--demo", action="store_true", help="the FM mast of the sample register (in memory)")
    src.add_argument("--db", metavar="FILE|URL", help="register: SQLite file or postgresql://user@host/dbname")
    p.add_argument("--site", type=latlon, metavar="LAT,LON", help="site centre (required with --db)")
    p.add_argument("--radius-m", type=float, default=500.0, metavar="M",
                   help="transmitters within this distance form the site (default 500)")
    p.add_argument("--victim-radius-km", type=float, default=10.0, metavar="KM",
                   help="receivers within this distance are checked (default 10)")
    p.add_argument("--orders", default="3,5", metavar="3,5", help="product orders (default 3,5)")
    p.add_argument("--two-signal-only", action="store_true", help="no 3-signal products")
    p.add_argument("--no-receiver-im", action="store_true", help="transmitter intermodulation only")
    p.add_argument("--k3", type=float, default=None, metavar="DB",
                   help="3rd-order transmitter IM conversion loss [dB] (default 20)")
    p.add_argument("--k5", type=float, default=None, metavar="DB",
                   help="5th-order transmitter IM conversion loss [dB] (default 40)")
    p.add_argument("--im-rejection", type=float, default=None, metavar="DB",
                   help="receiver intermodulation response rejection [dB] (default 65)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from spectrum import intermod

    try:
        orders = tuple(int(x) for x in str(args.orders).split(",") if x.strip())
    except ValueError:
        raise ValueError(f"--orders {args.orders!r} must be 3, 5 or 3,5") from None
    if not orders or any(o not in (3, 5) for o in orders):
        raise ValueError(f"--orders {args.orders!r} must be 3, 5 or 3,5")
    if args.demo:
        from spectrum.datasets.register import FM_MAST, sample_register

        if args.site is not None:
            raise ValueError("--demo scans the sample FM mast: drop --site")
        reg = sample_register()
        lat, lon = FM_MAST[1], FM_MAST[2]
    else:
        if args.site is None:
            raise ValueError("--db needs --site LAT,LON")
        from spectrum.register import Register

        reg = Register.open(args.db, create=False)
        lat, lon = args.site
    kw = {}
    if args.k3 is not None:
        kw["k3_db"] = args.k3
    if args.k5 is not None:
        kw["k5_db"] = args.k5
    if args.im_rejection is not None:
        kw["rx_im_rejection_db"] = args.im_rejection
    try:
        res = intermod.scan_site(reg, lat, lon, args.radius_m, victim_radius_km=args.victim_radius_km, orders=orders,
                                 three_signal=not args.two_signal_only, receiver_im=not args.no_receiver_im, **kw)
    finally:
        reg.close()
    if args.json:
        sys.stdout.write(res.to_json() + "\n")
    else:
        print(res.report())
    return 0
