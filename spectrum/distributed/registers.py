"""Register rows on the workers: a read-only snapshot of the register, sent to every worker once.

A task of a sweep or a re-evaluation reads the register (victims, existing transmitters, masks,
antenna patterns). Workers never write it, and an SQLite connection cannot travel, so the client
takes a byte snapshot of the SQLite database (``sqlite3.Connection.serialize``: committed
content, WAL included) which is scattered to every worker once and opened there as an
in-memory register, once per worker process (:func:`open_snapshot` caches it). Writes --
stored evaluations -- are made by the client alone, after every result is in
(:mod:`spectrum.distributed.reevaluate`).
"""
from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field

__all__ = ["RegisterSnapshot", "snapshot", "open_snapshot"]

_OPEN: dict = {}   # token -> Register, per worker process


@dataclass(frozen=True)
class RegisterSnapshot:
    """The bytes of an SQLite register, the user and the allocation choice; picklable."""

    data: bytes = field(repr=False)
    user: str
    allocations: object
    source: str
    token: str


def snapshot(register) -> RegisterSnapshot:
    """A read-only snapshot of ``register`` (SQLite backend) for the workers."""
    backend = register.backend
    conn = getattr(backend, "_conn", None)
    if not isinstance(conn, sqlite3.Connection):
        raise ValueError(f"--dask needs an SQLite register to snapshot (got {type(backend).__name__})")
    with backend.lock:
        data = bytearray(conn.serialize())
    if len(data) >= 20 and data[18] == 2:  # a WAL file: mark the image rollback-journal so memory can open it
        data[18] = data[19] = 1
    return RegisterSnapshot(bytes(data), register.user, register._allocations_given, str(backend.url),
                            uuid.uuid4().hex)


def open_snapshot(snap: RegisterSnapshot):
    """The snapshot as an open in-memory :class:`~spectrum.register.Register` (cached per process)."""
    reg = _OPEN.get(snap.token)
    if reg is not None:
        return reg
    from ..register import Register
    from ..register.sqlite import SQLiteBackend

    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.deserialize(snap.data)
    backend = SQLiteBackend(conn, ":memory:")
    backend._setup(False, True, 30.0)
    reg = Register(backend, user=snap.user, allocations=snap.allocations)
    _OPEN.clear()  # one run at a time per worker: drop the previous snapshot
    _OPEN[snap.token] = reg
    return reg
