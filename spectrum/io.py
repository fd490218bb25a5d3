"""The one module that writes output files: HDF5, NetCDF, text (STYLE.md rule 9).

Every file carries provenance attributes (package version, model and revision, inputs,
creation time) and is written to a temporary file in the target directory, flushed,
fsync'ed and renamed over the target, so a reader never sees a half-written file and an
existing file is untouched if writing fails. :func:`check_output` / :func:`atomic_path` refuse
an output that is one of the command's inputs or an existing SQLite database, write through
symlinks, keep an existing file's mode and hard links, and turn every ``OSError`` into one
:class:`OutputError` naming the user's path (see ``docs/DEVELOPING.md``, "Writing outputs").
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

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


# ---------------------------------------------------------------------- safe outputs
class OutputError(ValueError):
    """An output that cannot or must not be written; the message names the user's path.

    A ``ValueError``, so the command line prints it as one line with exit status 2.
    """


#: the first 16 bytes of every SQLite database file
SQLITE_MAGIC = b"SQLite format 3\x00"
#: output path meaning standard output
STDOUT = "-"
_SIDECARS = ("", "-wal", "-shm", "-journal")
_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    with _UMASK_LOCK:
        m = os.umask(0o022)
        os.umask(m)
    return m


def _shown(path) -> str:
    s = os.fspath(path)
    return os.fsdecode(s) if isinstance(s, bytes) else s


def _is_input(out: Path, inp) -> bool:
    """Whether ``out`` is (or is a companion file of) the input ``inp``: same resolved path or same inode."""
    try:
        s = _shown(inp)
    except TypeError:
        return False
    if s in ("", STDOUT, ":memory:") or s.startswith(("postgresql:", "postgres:")):
        return False
    if s.startswith("sqlite:///"):
        s = s[len("sqlite:///"):]
    base = os.path.expanduser(s)
    out_real = os.path.realpath(out)
    for side in _SIDECARS:
        cand = base + side
        if os.path.realpath(cand) == out_real:
            return True
        try:
            if os.path.samefile(cand, out):
                return True
        except OSError:
            pass
    return False


def _oserror_text(exc: BaseException, shown: str, tmp: Path | None = None) -> str:
    why = getattr(exc, "strerror", None) or str(exc)
    if tmp is not None:
        why = why.replace(str(tmp), shown)
    return why


def check_output(path, inputs: Iterable[Any] = (), *, allow_stdout: bool = True):
    """Check an output path before any work is done; return the target.

    Refuses (:class:`OutputError`, one line naming ``path``): an empty path; an output that
    resolves to any of ``inputs`` (same path after symlinks, the same file through a hard link,
    or an input register's ``-wal``/``-shm``/``-journal``); an existing SQLite database (a
    register is never overwritten by an export or a report); a directory; a block device or
    socket; a path whose parent is not a directory. Character devices and FIFOs are allowed
    (written directly, e.g. ``/dev/null``), and ``"-"`` means standard output when
    ``allow_stdout``.

    Parameters
    ----------
    path : str or path-like
        The user's output path.
    inputs : iterable
        Every file the same command reads (register, DEM, request, profile, ...); ``None``
        entries are ignored.

    Returns
    -------
    pathlib.Path or str
        The path (``~`` expanded), or ``"-"`` for standard output.
    """
    if path is None:
        raise OutputError("output path is missing")
    shown = _shown(path)
    if shown == "":
        raise OutputError("output path is empty: give a file name")
    if "\x00" in shown:
        raise OutputError(f"output path {shown!r} contains a NUL character")
    if shown == STDOUT:
        if not allow_stdout:
            raise OutputError("output '-' (standard output) is not possible here: give a file name")
        return STDOUT
    p = Path(os.path.expanduser(shown))
    for inp in inputs or ():
        if inp is not None and _is_input(p, inp):
            raise OutputError(f"output {shown} is the input {_shown(inp)} of the same command: refusing to "
                              "overwrite an input; choose another output name")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if shown.endswith(("/", os.sep)):
            raise OutputError(f"output {shown} names a directory; give a file name") from None
        parent = Path(os.path.realpath(p)).parent
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"cannot write {shown}: {parent} is not a directory") from None
        return p
    except NotADirectoryError:
        raise OutputError(f"cannot write {shown}: a parent of it is not a directory") from None
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_oserror_text(exc, shown)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"output {shown} is a directory; give a file name")
    if stat.S_ISREG(st.st_mode):
        head = b""
        if st.st_size >= len(SQLITE_MAGIC):
            try:
                with open(p, "rb") as fh:
                    head = fh.read(len(SQLITE_MAGIC))
            except OSError:
                head = b""
        if head == SQLITE_MAGIC:
            raise OutputError(f"output {shown} is an existing SQLite database (a register?): refusing to "
                              "overwrite it; choose another output name")
        return p
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return p
    if stat.S_ISREG(st.st_mode):  # pragma: no cover - handled above
        return p
    kind = "block device" if stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "special file"
    raise OutputError(f"output {shown} is a {kind}, not a regular file; give a file name or '-' for standard output")


def check_outputs(paths: Iterable[Any], inputs: Iterable[Any] = (), *, allow_stdout: bool = True) -> list:
    """:func:`check_output` for every non-``None`` path of a command, which must also differ from each other."""
    inputs = [i for i in (inputs or ()) if i is not None]
    out, seen = [], []
    for path in paths:
        if path is None:
            out.append(None)
            continue
        t = check_output(path, inputs, allow_stdout=allow_stdout)
        for prev in seen:
            if t != STDOUT and _is_input(Path(os.path.expanduser(_shown(path))), prev):
                raise OutputError(f"outputs {_shown(prev)} and {_shown(path)} name the same file; give each output "
                                  "its own name")
        if t == STDOUT and STDOUT in out:
            raise OutputError("two outputs of the same command are both '-' (standard output)")
        out.append(t)
        if t != STDOUT:
            seen.append(path)
    return out


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _copy_in_place(src: Path, dst: Path, old_size: int) -> None:
    """Copy ``src`` into the existing file ``dst`` (same inode: hard links and mode kept); the
    space is reserved first so that a full disk fails before the first byte of ``dst`` changes."""
    size = src.stat().st_size
    fd = os.open(dst, os.O_WRONLY)
    try:
        if size > old_size and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, size)
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise
        with open(src, "rb") as fh:
            off = 0
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                view = memoryview(chunk)
                while view:
                    n = os.pwrite(fd, view, off)
                    off += n
                    view = view[n:]
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")


def _fd_of(path) -> int | None:
    """The descriptor a path like ``/dev/stdout`` or ``/dev/fd/3`` names (None for other paths)."""
    p = os.path.normpath(os.path.abspath(os.fspath(path)))
    if p == "/dev/stdout":
        return 1
    if p == "/dev/stderr":
        return 2
    m = _FD_PATH.match(p)
    return int(m.group(1)) if m else None


def _copy_to_stream(src: Path, dst) -> None:
    """Copy ``src`` to ``"-"`` (standard output), an open descriptor named by path (``/dev/stdout``,
    ``/dev/fd/N``: written through the descriptor, at its offset), or a character device / FIFO."""
    if dst == STDOUT:  # Python's stdout (it may be redirected inside the process)
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        with open(src, "rb") as fh:
            if out is None:
                sys.stdout.write(fh.read().decode("utf-8", "replace"))
            else:
                shutil.copyfileobj(fh, out)
                out.flush()
        return
    fd = _fd_of(dst)
    if fd is not None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with open(src, "rb") as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view):]
        return
    with open(src, "rb") as fh, open(dst, "ab") as out:
        shutil.copyfileobj(fh, out)
        out.flush()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None, *, inputs: Iterable[Any] = ()) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``path``, never half-written.

    The target is checked first with :func:`check_output` (``inputs`` are the command's input
    files). Then, by what ``path`` is:

    * a new file: created with the permissions ``0666`` less the umask (like ``open``);
    * an existing regular file: replaced by rename (atomic), keeping its mode (and owner where
      allowed);
    * an existing file with several hard links: the complete new content is first written
      aside, then copied into the same inode (space reserved first), so that every name keeps
      seeing the same file, as ``cp`` and editors do; this copy is not atomic;
    * a symlink: written through to its target (the link is kept);
    * ``"-"``, a character device (``/dev/null``) or a FIFO: the content is written there
      directly once complete.

    Every ``OSError`` (directory not writable, disk full, ...) becomes :class:`OutputError`
    naming ``path`` (not the hidden temporary file), and the temporary file is removed; an
    existing file is then untouched.
    """
    shown = _shown(path)
    target = check_output(path, inputs)
    stream = target == STDOUT
    real = None if stream else Path(os.path.realpath(target))
    try:
        st = None if stream else os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_oserror_text(exc, shown)}") from None
    # /dev/stdout, /dev/fd/N, /proc/self/fd/N name an open descriptor (a pipe, a terminal, or the file
    # the shell redirected to): write into it, never rename a new file over what it resolves to
    via_fd = not stream and os.path.abspath(os.path.expanduser(shown)).startswith(("/dev/", "/proc/"))
    direct = stream or via_fd or (st is not None and not stat.S_ISREG(st.st_mode))
    linked = st is not None and not direct and st.st_nlink > 1
    tmp_path = None
    try:
        if direct:
            fd, tmp = tempfile.mkstemp(prefix=".spectrum-out.", suffix=suffix or ".tmp")
        else:
            real.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=suffix or ".tmp", dir=real.parent)
        os.close(fd)
        tmp_path = Path(tmp)
    except OSError as exc:
        why = _oserror_text(exc, shown)
        if isinstance(exc, PermissionError) and real is not None:
            why += f" (directory {real.parent} is not writable)"
        raise OutputError(f"cannot write {shown}: {why}") from None
    try:
        try:
            yield tmp_path
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {_oserror_text(exc, shown, tmp_path)}") from None
        try:
            with open(tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
            if direct:
                _copy_to_stream(tmp_path, STDOUT if stream else Path(os.path.expanduser(shown)) if via_fd else real)
            elif linked:
                _copy_in_place(tmp_path, real, st.st_size)
            else:
                if st is not None:
                    os.chmod(tmp_path, stat.S_IMODE(st.st_mode))
                    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                        with contextlib.suppress(OSError):
                            os.chown(tmp_path, st.st_uid, st.st_gid)
                else:
                    os.chmod(tmp_path, 0o666 & ~_umask())
                os.replace(tmp_path, real)
                _fsync_dir(real.parent)
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {_oserror_text(exc, shown, tmp_path)}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def write_text(path, text: str, *, inputs: Iterable[Any] = ()) -> Path | str:
    """Write a text file (UTF-8) through :func:`atomic_path`; ``"-"`` writes to standard output."""
    with atomic_path(path, inputs=inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path if _shown(path) == STDOUT else Path(path)


def write_netcdf(obj, path, *, model: str | None = None, inputs: Mapping[str, Any] | None = None,
                 input_files: Iterable[Any] = ()) -> Path:
    """Write an ``xarray`` DataArray/Dataset to NetCDF-4 (h5netcdf engine) atomically with provenance.

    ``inputs`` are provenance attributes; ``input_files`` the files the output must not overwrite
    (see :func:`check_output`)."""
    import xarray as xr

    ds = obj.to_dataset(name=obj.name or "data") if isinstance(obj, xr.DataArray) else obj.copy()
    ds.attrs = {**ds.attrs, **provenance(model, inputs), "Conventions": "CF-1.8"}
    with atomic_path(path, suffix=".nc", inputs=input_files) as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf")
    return Path(path)


def write_hdf5(path, datasets: Mapping[str, Any], *, attrs: Mapping[str, Any] | None = None,
               model: str | None = None, inputs: Mapping[str, Any] | None = None,
               group_attrs: Mapping[str, Mapping[str, Any]] | None = None, input_files: Iterable[Any] = ()) -> Path:
    """Write plain arrays (and string tables) to HDF5 atomically with provenance.

    Parameters
    ----------
    datasets : mapping
        ``"group/name" -> array``. Arrays of str are stored as UTF-8 strings.
    attrs : mapping, optional
        Extra root attributes.
    group_attrs : mapping, optional
        ``"group" -> {attr: value}``.
    input_files : iterable, optional
        Files the output must not overwrite (see :func:`check_output`).
    """
    import h5py

    with atomic_path(path, suffix=".h5", inputs=input_files) as tmp:
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


def write_dataarray_hdf5(da, path, *, model: str | None = None, inputs: Mapping[str, Any] | None = None,
                         input_files: Iterable[Any] = ()) -> Path:
    """Write a DataArray to HDF5: the values, one dataset per coordinate, attrs kept."""
    datasets = {da.name or "data": da.values}
    for c in da.coords:
        datasets[f"coords/{c}"] = da.coords[c].values
    attrs = {k: v for k, v in da.attrs.items()}
    attrs["dims"] = ",".join(da.dims)
    return write_hdf5(path, datasets, attrs=attrs, model=model, inputs=inputs, input_files=input_files)
