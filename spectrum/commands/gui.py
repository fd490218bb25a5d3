"""``spectrum gui``: the PyQtGraph desktop viewer.

Examples::

    spectrum gui                         # sample register (temporary file) on the default terrain
    spectrum gui --db register.sqlite    # an existing register
    spectrum gui --db new.sqlite --demo  # create the sample register in new.sqlite, then open it
    spectrum gui --screenshot window.png # draw the window once, save a PNG and exit
"""
from __future__ import annotations


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "gui",
        help="desktop viewer: map, register, spectrum, path profile, request evaluation",
        description=("Open the desktop viewer (PySide6 + pyqtgraph) on a licence register and the default "
                     "terrain: shaded-relief map with stations by service, coverage/interference layers, "
                     "register table with filters, spectrum view over the allocation table, path profile "
                     "with P.452-18 components, licence-request evaluation with report export. Without "
                     "--db it opens the seeded sample register (Shanghai) built in a temporary file."),
    )
    p.add_argument("--db", metavar="FILE|URL", help="register: SQLite file or postgresql://user@host/dbname; default: the sample register (--demo)")
    p.add_argument("--demo", action="store_true",
                   help="build the seeded sample register (in --db FILE if it does not exist yet; the default "
                        "without --db)")
    p.add_argument("--dem", metavar="FILE", action="append",
                   help="terrain file (.hgt, .tif, .nc); repeat to mosaic. Default: the default terrain")
    p.add_argument("--screenshot", metavar="PNG", help="save a PNG of the window once drawn, then exit")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        import pyqtgraph  # noqa: F401
        from PySide6 import QtWidgets  # noqa: F401
    except ImportError as exc:
        raise ValueError(f"the viewer needs PySide6 and pyqtgraph (pip install 'spectrum[gui]'): {exc}") from None
    from pathlib import Path

    from spectrum.commands._common import load_dem

    from spectrum.io import check_output

    if args.screenshot is not None:
        check_output(args.screenshot, inputs=[args.db, *(args.dem or [])], allow_stdout=False)
    dem = load_dem(args.dem, default=False)
    if args.db and "://" not in args.db and not Path(args.db).exists() and not args.demo:
        raise FileNotFoundError(f"register {args.db} not found (add --demo to create the sample register there)")
    from spectrum.gui.app import run_app

    return run_app(args.db, demo=args.demo or args.db is None, dem=dem, screenshot=args.screenshot)
