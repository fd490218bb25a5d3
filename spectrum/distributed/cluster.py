"""Connecting to a dask.distributed cluster: ``tcp://host:port`` or ``local:N``.

:func:`client_session` is the one way a command gets a :class:`distributed.Client`:

* ``tcp://host:port`` (or ``tls://``, ``ucx://``, ``inproc://``) -- an existing scheduler
  (``dask scheduler`` on one machine, ``dask worker tcp://host:8786`` on each of the others);
  the client only disconnects on exit, the cluster stays up.
* ``local:N`` -- a :class:`distributed.LocalCluster` of ``N`` single-threaded worker processes
  on the loopback interface, closed on exit. Numba kernels compile once per worker process and
  are read from the on-disk cache (``cache=True``) after the first run.

The dashboard link is printed to stderr when the dashboard is running (``bokeh`` installed),
unless ``quiet``.
"""
from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import Iterator

__all__ = ["client_session", "parse_scheduler", "require_distributed", "MAX_LOCAL_WORKERS"]

#: Most worker processes ``local:N`` starts.
MAX_LOCAL_WORKERS = 256
_ADDRESS = re.compile(r"^(tcp|tls|ucx|inproc)://[^\s/]+(:\d+)?/?$")


def require_distributed():
    """Import :mod:`distributed` or raise a one-line ValueError naming the extra."""
    try:
        import distributed
    except ImportError:
        raise ValueError("--dask needs the [dask] extra (dask.distributed): pip install 'spectrum[dask]'") from None
    return distributed


def parse_scheduler(spec) -> tuple[str, object]:
    """``("address", "tcp://host:port")`` or ``("local", n_workers)`` from a ``--dask`` value.

    Raises
    ------
    ValueError
        One line naming the value and the accepted forms.
    """
    s = str(spec).strip() if spec is not None else ""
    if s.startswith("local:") or s == "local":
        n = s[6:] if s != "local" else ""
        try:
            k = int(n)
        except ValueError:
            raise ValueError(f"--dask {spec!r}: local:N needs a whole number of workers, e.g. local:2") from None
        if not 1 <= k <= MAX_LOCAL_WORKERS:
            raise ValueError(f"--dask {spec!r}: local:N needs 1 <= N <= {MAX_LOCAL_WORKERS} workers")
        return "local", k
    if _ADDRESS.match(s):
        return "address", s
    raise ValueError(f"--dask {spec!r} must be a scheduler address (tcp://host:8786) or local:N "
                     "(N local worker processes)")


@contextmanager
def client_session(spec, quiet: bool = False) -> Iterator["object"]:
    """A :class:`distributed.Client` for ``spec`` (module notes); closed (and a local cluster shut
    down) on exit, also when the run fails.

    Parameters
    ----------
    spec : str
        ``tcp://host:port`` or ``local:N``.
    quiet : bool
        Do not print the dashboard link / cluster line to stderr (``--json``).

    Raises
    ------
    ValueError
        A malformed ``spec``, the [dask] extra missing, or a scheduler that cannot be reached
        (one line).
    """
    kind, val = parse_scheduler(spec)
    require_distributed()
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    client = None
    try:
        if kind == "local":
            # quiet the worker-start chatter: one line (the dashboard) is what a user needs
            logging.getLogger("distributed").setLevel(logging.CRITICAL)
            try:
                # one thread per worker process, Numba's prange included: N workers use N cores
                cluster = LocalCluster(n_workers=int(val), threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL,
                                       env={"NUMBA_NUM_THREADS": "1"})
            except Exception as exc:  # noqa: BLE001 - one line for any start failure
                raise ValueError(f"--dask {spec}: could not start a local cluster: {type(exc).__name__}: {exc}") \
                    from None
            client = Client(cluster)
        else:
            try:
                client = Client(val, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise ValueError(f"--dask {val}: cannot reach the dask scheduler ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else 'timeout'})") from None
        if not quiet:
            n = len(client.scheduler_info().get("workers", {}))
            link = _dashboard(client)
            print(f"dask: {client.scheduler.address}, {n} worker(s)" + (f", dashboard {link}" if link else ""),
                  file=sys.stderr)
        yield client
    finally:
        if client is not None:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing must not hide the run's own error
                pass
        if cluster is not None:
            try:
                cluster.close()
            except Exception:  # noqa: BLE001
                pass


def _dashboard(client) -> str | None:
    try:
        link = client.dashboard_link
    except Exception:  # noqa: BLE001 - no bokeh: no dashboard
        return None
    if not link:
        return None
    try:  # the dashboard only runs with bokeh installed
        info = client.scheduler_info().get("services", {})
        if "dashboard" not in info:
            return None
    except Exception:  # noqa: BLE001
        return None
    return link
