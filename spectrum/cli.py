"""The ``spectrum`` command line.

Each sub-command lives in its own module ``spectrum.commands.<name>`` that defines
``add_parser(subparsers)`` (registering the sub-command, with ``set_defaults(func=run)``)
and ``run(args) -> int``. Modules are listed in :data:`COMMANDS` in the order ``--help``
shows them. Errors in user input (``ValueError``, ``FileNotFoundError``) are printed as one
clear line on stderr with exit status 2; nothing is written on failure.
"""
from __future__ import annotations

import argparse
import importlib
import os
import re
import sys

from . import __version__

#: sub-command name -> module, in ``--help`` order
COMMANDS = {
    "evaluate": "spectrum.commands.evaluate",
    "sweep": "spectrum.commands.sweep",
    "intermod": "spectrum.commands.intermod",
    "register": "spectrum.commands.register",
    "profile": "spectrum.commands.profile",
    "terrain": "spectrum.commands.terrain",
    "p452": "spectrum.commands.p452",
    "p1812": "spectrum.commands.p1812",
    "p2001": "spectrum.commands.p2001",
    "p1546": "spectrum.commands.p1546",
    "itm": "spectrum.commands.itm",
    "loss": "spectrum.commands.loss",
    "coverage": "spectrum.commands.coverage",
    "broadcast": "spectrum.commands.broadcast",
    "gui": "spectrum.commands.gui",
    "link": "spectrum.commands.link",
    "mc": "spectrum.commands.mc",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spectrum",
        description=(
            "Radio spectrum management and interference analysis: licence register, "
            "ITU-R P.452 / P.1812 / P.2108 / P.2109, NTIA ITM and Hata propagation over terrain, "
            "licence-request evaluation, channel sweeps, coverage and interference maps, desktop viewer."
        ),
        epilog=("Run 'spectrum <command> --help' for a command's options. Most commands accept --json. "
                "Long work (sweep, coverage, broadcast, mc run, register reevaluate) takes --dask SCHEDULER "
                "(tcp://host:8786 or local:N; the [dask] extra) and gives the same results on a dask cluster."),
    )
    parser.add_argument("--version", action="version", version=f"spectrum {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for name, modname in COMMANDS.items():
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:  # command not built in this installation
                continue
            raise
        mod.add_parser(sub)
    _accept_negative_values(parser)
    return parser


#: option values that start with "-" but are numbers, not options: "-33.9,18.4" (a southern
#: latitude), "-1e3", "-inf", "-10,-20" (argparse alone takes only "-5" and "-5.5")
_NEGATIVE_VALUE = re.compile(
    r"^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?(,\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?)*$|^-inf(inity)?$|^-nan$",
    re.IGNORECASE)


def _accept_negative_values(parser: argparse.ArgumentParser) -> None:
    """Let every (sub-)parser read ``--tx -33.9,18.4`` as a value rather than an unknown option."""
    parser._negative_number_matcher = _NEGATIVE_VALUE
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sp in set(action.choices.values()):
                _accept_negative_values(sp)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError, KeyError, PermissionError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"spectrum {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except OSError as exc:  # a directory given as a file, a full disk, ...: one line, never a traceback
        print(f"spectrum {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"spectrum {args.command}: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches a user
        if os.environ.get("SPECTRUM_DEBUG"):
            raise
        text = str(exc).splitlines()[0][:300] if str(exc) else ""
        print(f"spectrum {args.command}: error: {type(exc).__name__}: {text} (this input was not validated as "
              "it should have been; set SPECTRUM_DEBUG=1 for the traceback and report it)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
