"""Helpers shared by the ``spectrum`` subcommands: argparse value types and DEM loading.

Each subcommand module used to carry its own copy of these; they live here once so that
every command parses ``LAT,LON`` and loads ``--dem`` files the same way.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def latlon(text: str) -> tuple[float, float]:
    """argparse type for ``"LAT,LON"`` in degrees; returns ``(lat, lon)`` as floats.

    Raises
    ------
    argparse.ArgumentTypeError
        When ``text`` is not two comma-separated numbers (argparse turns it into a usage error
        naming the option and the value).
    """
    try:
        a, b = text.split(",")
        return float(a), float(b)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected LAT,LON in degrees, got {text!r}") from exc


def load_dem(files, default: bool = True):
    """The DEM named by a ``--dem FILE [FILE ...]`` option.

    One file is read with :func:`spectrum.terrain.load_dem`; several are joined with
    :func:`spectrum.terrain.mosaic`. With no file, the packaged default terrain
    (:func:`spectrum.datasets.terrain.default_dem`) when ``default`` is true, else ``None``
    (the caller then works without terrain).
    """
    return open_terrain_option(files, default=default)


def data_lines(path, text: str) -> list[str]:
    """The stripped, non-blank lines of a profile file's ``text`` that are not ``#`` comments.

    Raises
    ------
    ValueError
        When there are none, naming ``path``.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ValueError(f"{path}: empty profile file")
    return lines


def read_text(path) -> str:
    """The text of a profile file, with a decoding failure reported as a ValueError naming ``path``."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except IsADirectoryError:
        raise ValueError(f"{path} is a directory, not a profile file") from None
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} does not exist") from None
    except OSError as exc:
        raise ValueError(f"{path} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a text file (undecodable byte at offset {exc.start}: {exc.reason}); "
                         f"profiles are UTF-8/ASCII CSV or PFL text") from None


def open_terrain_option(paths, default: bool = True):
    """The terrain named by a ``--dem PATH [--dem PATH ...]`` option: a DEM file, several adjacent
    tiles (joined with :func:`spectrum.terrain.mosaic`), or a folder of tiles (a
    :class:`spectrum.terrain.Catalogue`, indexed once and read lazily). With no ``--dem``,
    ``$SPECTRUM_TERRAIN`` (a file or a folder) when set, else the packaged default terrain
    (:func:`spectrum.datasets.terrain.default_dem`) when ``default`` is true, else ``None``.
    """
    import os

    from spectrum import terrain

    paths = list(paths or ())
    if not paths:
        env = os.environ.get("SPECTRUM_TERRAIN", "").strip()
        if env:
            if not Path(env).exists():
                raise FileNotFoundError(f"SPECTRUM_TERRAIN={env}: no such file or folder")
            return terrain.open_terrain(env)
        if not default:
            return None
        from spectrum.datasets.terrain import default_dem

        return default_dem()
    if len(paths) == 1:
        return terrain.open_terrain(paths[0])
    if any(Path(p).is_dir() for p in paths):
        raise ValueError(f"--dem {' '.join(map(str, paths))}: give one folder (a tile catalogue, searched "
                         "recursively) or DEM files, not both")
    return terrain.mosaic(paths)


def add_dask_options(parser, what: str = "the work") -> None:
    """``--dask SCHEDULER`` and ``--no-progress`` for commands that can run on a dask cluster."""
    parser.add_argument("--dask", metavar="SCHEDULER", default=None,
                        help=f"run {what} on a dask cluster: tcp://host:8786 (an existing scheduler) or local:N "
                             "(N local worker processes); results are bit-identical to the local run "
                             "(needs the [dask] extra)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def dask_session(args):
    """A context manager yielding a :class:`distributed.Client` for ``args.dask``, or None
    without ``--dask`` (the dashboard line is not printed with ``--json``)."""
    from contextlib import nullcontext

    if not getattr(args, "dask", None):
        return nullcontext(None)
    from spectrum.distributed.cluster import client_session

    return client_session(args.dask, quiet=bool(getattr(args, "json", False)))


def show_progress(args) -> bool:
    """Draw a progress bar: not with ``--json``, ``--no-progress`` or ``--quiet``."""
    return not (getattr(args, "json", False) or getattr(args, "no_progress", False) or getattr(args, "quiet", False))
