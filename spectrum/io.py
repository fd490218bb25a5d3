"""The one module that writes HDF5 and NetCDF files (STYLE.md rule 9).

Every file carries provenance attributes (package version, model and revision, inputs,
creation time) and is written to a temporary file in the target directory, flushed,
fsync'ed and renamed over the target, so a reader never sees a half-written file and an
existing file is untouched if writing fails.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from . import __version__


def provenance(model: str | None = None, inputs: Mapping[str, Any] | None = None, **extra) -> dict:
    """Provenance attributes for a written file.

    Parameters
    ----------
    model : str, optional
        Model and revision, e.g. ``"ITU-R P.452-18"``.
    inputs : mapping, optional
        Inputs of the computation; stored as a JSON string.
    """
    attrs = {
        "software": "spectrum",
        "software_version": __version__,
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    if model is not None:
        attrs["model"] = model
    if inputs is not None:
        attrs["inputs_json"] = json.dumps(inputs, default=_json_default, sort_keys=True)
    for k, v in extra.items():
        attrs[k] = v if isinstance(v, (str, int, float, np.number)) else json.dumps(v, default=_json_default)
    return attrs


def _json_default(o):
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, (_dt.date, _dt.datetime)):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def to_json(obj, **kw) -> str:
    """``json.dumps`` that understands numpy arrays/scalars, dates and paths."""
    return json.dumps(obj, default=_json_default, **kw)


def _output_target(path) -> Path:
    """The file an output path names: a symbolic link is followed (the file it points to is
    replaced, the link kept); a directory, device, FIFO or socket is refused, since renaming a
    temporary file over it would destroy it (``--out /dev/null`` run as root)."""
    target = Path(path)
    if str(path) == "" or target.name in ("", ".", ".."):
        raise ValueError(f"output {str(path)!r} is not a file name")
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise ValueError(f"output {path} is a directory; give a file name")
    if target.exists() and not target.is_file():
        raise ValueError(f"output {path} is not a regular file (a device, FIFO or socket); give a file name")
    if target.is_file() and _is_sqlite(target):
        # nothing writes over a database (register backups go to new files): a --report or --hdf5
        # naming the register replaced every licence with a text report
        raise ValueError(f"output {path} is an SQLite database (a licence register?); it is never overwritten: "
                         "choose another file name")
    return target


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _output_mode(target: Path) -> int:
    """Permissions for a written file: those of the file it replaces, else 0666 less the umask
    (``mkstemp`` creates 0600, which would hide outputs from the group)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    On any exception the temporary file is removed and ``path`` is left as it was. A directory,
    device, FIFO, socket or SQLite database at ``path`` is refused (``ValueError``); a symbolic
    link is written through; the file gets the replaced file's permissions, else 0666 less the umask.
    """
    target = _output_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent)
    except OSError as exc:
        up = next((a for a in target.parents if a.exists()), None)
        why = f"{up} is not a folder" if up is not None and not up.is_dir() else (exc.strerror or str(exc))
        raise ValueError(f"output {path}: cannot write there ({why})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, _output_mode(target))
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_text(path, text: str) -> Path:
    """Write a text file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_netcdf(obj, path, *, model: str | None = None, inputs: Mapping[str, Any] | None = None) -> Path:
    """Write an ``xarray`` DataArray/Dataset to NetCDF-4 (h5netcdf engine) atomically with provenance."""
    import xarray as xr

    ds = obj.to_dataset(name=obj.name or "data") if isinstance(obj, xr.DataArray) else obj.copy()
    ds.attrs = {**ds.attrs, **provenance(model, inputs), "Conventions": "CF-1.8"}
    with atomic_path(path, suffix=".nc") as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf")
    return Path(path)


def write_hdf5(path, datasets: Mapping[str, Any], *, attrs: Mapping[str, Any] | None = None,
               model: str | None = None, inputs: Mapping[str, Any] | None = None,
               group_attrs: Mapping[str, Mapping[str, Any]] | None = None) -> Path:
    """Write plain arrays (and string tables) to HDF5 atomically with provenance.

    Parameters
    ----------
    datasets : mapping
        ``"group/name" -> array``. Arrays of str are stored as UTF-8 strings.
    attrs : mapping, optional
        Extra root attributes.
    group_attrs : mapping, optional
        ``"group" -> {attr: value}``.
    """
    import h5py

    with atomic_path(path, suffix=".h5") as tmp:
        with h5py.File(tmp, "w") as f:
            for k, v in {**provenance(model, inputs), **(attrs or {})}.items():
                f.attrs[k] = v if isinstance(v, (str, int, float, np.number, np.ndarray)) else to_json(v)
            for name, value in datasets.items():
                arr = np.asarray(value)
                if arr.dtype.kind in "OU":
                    arr = arr.astype(object)
                    f.create_dataset(name, data=arr, dtype=h5py.string_dtype("utf-8"))
                else:
                    f.create_dataset(name, data=arr, compression="gzip" if arr.size > 1024 else None)
            for g, ga in (group_attrs or {}).items():
                grp = f.require_group(g)
                for k, v in ga.items():
                    grp.attrs[k] = v if isinstance(v, (str, int, float, np.number)) else to_json(v)
    return Path(path)


def write_dataarray_hdf5(da, path, *, model: str | None = None, inputs: Mapping[str, Any] | None = None) -> Path:
    """Write a DataArray to HDF5: the values, one dataset per coordinate, attrs kept."""
    datasets = {da.name or "data": da.values}
    for c in da.coords:
        datasets[f"coords/{c}"] = da.coords[c].values
    attrs = {k: v for k, v in da.attrs.items()}
    attrs["dims"] = ",".join(da.dims)
    return write_hdf5(path, datasets, attrs=attrs, model=model, inputs=inputs)
