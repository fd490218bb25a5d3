"""The register under concurrent writers and a process killed in the middle of an import, on both
backends (``register_url``: an SQLite file, or a new PostgreSQL database reached over TCP)."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time

import pytest

from spectrum.register import Register

_CTX = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def _writer(path: str, tag: str, n: int, start, out) -> None:
    try:
        with Register.open(path, user=f"writer-{tag}", timeout_s=60.0) as reg:
            start.wait(30)
            for i in range(n):
                number = f"{tag}-{i:04d}"
                reg.add_licence(number, f"Org {tag}", "fixed", valid_to="2099-01-01")
                sid = reg.add_station(number, name="s", role="tx", lat=31.0 + i * 1e-4, lon=121.0, h_agl_m=20.0,
                                      g_dbi=30.0)
                reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, eirp_dbw=20.0)
                reg.transition(number, "granted", reason="concurrency test")
        out.put((tag, "ok"))
    except BaseException as exc:  # pragma: no cover - reported to the parent
        out.put((tag, repr(exc)))


def _run_all(target, tags, args, get_timeout: float, join_timeout: float) -> dict:
    """Start one process per tag running ``target(path, tag, *args, start, out)`` (``args`` holds the
    path first), release them together and return ``{tag: "ok" or the exception repr}``."""
    start = _CTX.Event()
    out = _CTX.Queue()
    procs = [_CTX.Process(target=target, args=(args[0], t, *args[1:], start, out)) for t in tags]
    for p in procs:
        p.start()
    start.set()
    results = dict(out.get(timeout=get_timeout) for _ in procs)
    for p in procs:
        p.join(join_timeout)
    return results


def test_two_processes_writing_at_once_lose_nothing(register_url):
    path = register_url
    Register.open(path).close()
    n = 60
    results = _run_all(_writer, ("A", "B"), (path, n), 120, 30)
    assert results == {"A": "ok", "B": "ok"}
    with Register.open(path) as reg:
        c = reg.counts()
        assert (c["licence"], c["station"], c["assignment"]) == (2 * n, 2 * n, 2 * n)
        assert c["by_status"] == {"granted": 2 * n}
        # every mutation audited: the chain-start row, licensee (1 per writer) + 4 rows per licence
        assert c["audit"] == 1 + 2 + 2 * n * 4
        for tag in ("A", "B"):
            assert len(reg.licences(licensee=f"Org {tag}")) == n
            assert len(reg.audit(user=f"writer-{tag}")) == 1 + 4 * n
        assert reg.integrity_check() == []
        chain = reg.verify_audit()  # the hash chain stays linear under concurrent writers
        assert chain["ok"] and chain["chained"] == chain["rows"] == c["audit"]


def _slow_import(path: str, doc: dict, started) -> None:
    def progress(i):
        if i == 200:
            started.set()
        if i >= 200:
            time.sleep(0.01)

    with Register.open(path, user="importer") as reg:
        reg.import_json(doc, progress=progress)


def _big_doc(n: int) -> dict:
    with Register.open(":memory:") as src:  # only the document's frame (SQLite in memory)
        doc = src.export_json()
    doc["licences"] = [{
        "number": f"IMP-{i:05d}", "licensee": "Importer Org", "service": "fixed", "status": "granted",
        "valid_from": "2024-01-01", "valid_to": "2040-01-01", "remarks": None,
        "stations": [{"name": f"st {i}", "role": "tx", "lat": 31.0 + (i % 100) * 1e-3, "lon": 121.0,
                      "h_agl_m": 30.0, "antenna_pattern": None, "g_dbi": 30.0, "azimuth_deg": 0.0, "tilt_deg": 0.0,
                      "polarisation": "v", "feeder_loss_db": 0.0,
                      "assignments": [{"f_mhz": 23030.0, "bw_khz": 28000.0, "emission": None, "eirp_dbw": 20.0,
                                       "tx_mask": None, "rx_selectivity": None, "noise_figure_db": None,
                                       "protection": None, "protection_db": None}]}]} for i in range(n)]
    return doc


def test_process_killed_mid_import_leaves_register_as_before(register_url):
    path = register_url
    with Register.open(path, user="setup") as reg:
        reg.add_licence("KEEP-1", "Org", "fixed")
        before = reg.export_json()
        audit_before = reg.audit()
    doc = _big_doc(3000)
    started = _CTX.Event()
    child = _CTX.Process(target=_slow_import, args=(path, doc, started))
    child.start()
    assert started.wait(120), "the import did not start"
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert child.exitcode == -signal.SIGKILL
    with Register.open(path, user="after") as reg:
        assert reg.integrity_check() == []
        after = reg.export_json()
        assert {k: v for k, v in after.items() if k != "exported_utc"} == \
               {k: v for k, v in before.items() if k != "exported_utc"}
        assert reg.audit() == audit_before
        # the register is writable again: no stale lock
        reg.add_licence("KEEP-2", "Org", "fixed")
        assert reg.counts()["licence"] == 2


def test_reader_sees_committed_state_during_a_write(register_url):
    path = register_url
    with Register.open(path) as w, Register.open(path) as r:
        w.add_licence("A", "Org", "fixed")
        with w.backend.write():
            w.add_licence("B", "Org", "fixed")
            # WAL: the reader is not blocked and sees only committed licences
            assert [x["number"] for x in r.licences()] == ["A"]
        assert [x["number"] for x in r.licences()] == ["A", "B"]


@pytest.mark.slow
def test_many_writers_soak(register_url):
    path = register_url
    Register.open(path).close()
    tags = [f"W{i}" for i in range(6)]
    results = _run_all(_writer, tags, (path, 150), 600, 60)
    assert set(results.values()) == {"ok"}
    with Register.open(path) as reg:
        assert reg.counts()["licence"] == 6 * 150
        assert reg.integrity_check() == []


def test_one_register_shared_by_threads(register_url):
    """A GUI worker pool may query and write through one Register from several threads."""
    import threading

    errors = []
    with Register.open(register_url, user="gui") as reg:
        def work(tag):
            try:
                for i in range(25):
                    number = f"{tag}-{i}"
                    reg.add_licence(number, "Org", "fixed")
                    sid = reg.add_station(number, name="s", role="tx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=10.0)
                    reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, eirp_dbw=10.0)
                    reg.query_arrays(lat=31.0, lon=121.0, radius_km=5.0, status=None)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(repr(exc))

        threads = [threading.Thread(target=work, args=(f"T{k}",)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        c = reg.counts()
        assert (c["licence"], c["assignment"]) == (100, 100)
        assert len(reg.query(status=None)) == 100 and reg.integrity_check() == []


def _open_and_write(path: str, tag: str, start, out) -> None:
    try:
        start.wait(30)
        with Register.open(path, user=tag, timeout_s=60.0) as reg:
            reg.add_licence(f"L-{tag}", "Org", "fixed")
        out.put((tag, "ok"))
    except BaseException as exc:  # pragma: no cover - reported to the parent
        out.put((tag, repr(exc)))


def test_processes_creating_the_same_new_register_at_once(new_register_url):
    from spectrum.register.sqlite import MIGRATIONS

    path = new_register_url(shared=True, migrated=False)
    tags = [f"P{k}" for k in range(4)]
    results = _run_all(_open_and_write, tags, (path,), 120, 30)
    assert results == {t: "ok" for t in tags}
    with Register.open(path) as reg:
        versions = [r[0] for r in reg.connection.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))  # each migration applied exactly once
        assert sorted(x["number"] for x in reg.licences()) == [f"L-{t}" for t in tags]
        assert reg.integrity_check() == []


def test_writer_blocked_beyond_timeout_gets_a_clear_error(register_url):
    path = register_url
    with Register.open(path) as holder, Register.open(path, timeout_s=0.2) as other:
        with holder.backend.write():
            holder.add_licence("A", "Org", "fixed")
            with pytest.raises(ValueError, match="lock.*nothing was changed"):
                other.add_licence("B", "Org", "fixed")
        other.add_licence("B", "Org", "fixed")  # works once the lock is released
        assert sorted(x["number"] for x in other.licences()) == ["A", "B"]


def _busy_writer(path: str, tag: str, seconds: float, start, out) -> None:
    """Write whole licences (licence, station, assignment, grant: one transaction each) until the
    deadline; report how many were committed."""
    done = 0
    try:
        with Register.open(path, user=f"client-{tag}", timeout_s=120.0) as reg:
            start.wait(60)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                number = f"{tag}-{done:05d}"
                with reg.backend.write():
                    reg.add_licence(number, f"Org {tag}", "fixed", valid_to="2099-01-01")
                    sid = reg.add_station(number, name="s", role="tx", lat=31.0 + (done % 500) * 1e-4, lon=121.0,
                                          h_agl_m=20.0, g_dbi=30.0)
                    reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, eirp_dbw=20.0)
                    reg.transition(number, "granted", reason="network concurrency test")
                done += 1
        out.put((tag, done))
    except BaseException as exc:  # pragma: no cover - reported to the parent
        out.put((tag, repr(exc)))


def _eight_clients(path: str, seconds: float) -> None:
    """8 client processes write whole licences for ``seconds``; a 9th is SIGKILLed mid-stream."""
    start, out = _CTX.Event(), _CTX.Queue()
    tags = [f"C{k}" for k in range(8)]
    procs = [_CTX.Process(target=_busy_writer, args=(path, t, seconds, start, out)) for t in tags]
    victim = _CTX.Process(target=_busy_writer, args=(path, "KILLED", seconds * 4, start, _CTX.Queue()))
    for p in procs + [victim]:
        p.start()
    start.set()
    time.sleep(seconds / 2)
    os.kill(victim.pid, signal.SIGKILL)  # most likely inside a write transaction
    victim.join(30)
    results = dict(out.get(timeout=seconds + 300) for _ in procs)
    for p in procs:
        p.join(60)
    assert all(isinstance(v, int) for v in results.values()), results
    total = sum(results.values())
    assert total > 8
    with Register.open(path) as reg:
        for tag, n in results.items():  # exact counts per client: nothing lost, nothing duplicated
            got = sorted(x["number"] for x in reg.licences(licensee=f"Org {tag}"))
            assert got == [f"{tag}-{i:05d}" for i in range(n)]
        c = reg.counts()
        killed = len(reg.licences(licensee="Org KILLED", status=None))
        assert c["licence"] == total + killed
        # no half-written licence, not even the killed client's: each has its station, assignment, grant
        assert c["station"] == c["assignment"] == c["licence"] and c["by_status"] == {"granted": c["licence"]}
        assert reg.integrity_check() == []
        chain = reg.verify_audit()
        assert chain["ok"] and chain["rows"] == c["audit"]


def test_eight_clients_writing_lose_nothing(register_url):
    _eight_clients(register_url, 5.0)


@pytest.mark.slow
def test_eight_clients_writing_for_30_s_lose_nothing(register_url):
    _eight_clients(register_url, 30.0)
