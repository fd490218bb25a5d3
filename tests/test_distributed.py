"""spectrum.distributed: sweeps, maps, Monte Carlo and re-evaluations on a 2-worker LocalCluster on
loopback, compared bit for bit with the single-process run; worker death; one-line failures."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

distributed = pytest.importorskip("distributed", reason="the [dask] extra (dask.distributed) is not installed")

from spectrum.cli import main  # noqa: E402
from spectrum.distributed import DistributedRunError, block_sizes, map_tasks, parse_scheduler  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """One 2-worker LocalCluster (loopback, single-threaded worker processes) for the module."""
    import dask

    from spectrum.distributed import client_session

    # a task that kills every worker it touches is given up after 2 deaths (default 3): faster test
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with client_session("local:2", quiet=True) as c:
            yield c


@pytest.fixture(scope="module")
def dem():
    from spectrum.datasets.terrain import default_dem

    return default_dem()


# ------------------------------------------------------------------ scheduler specs, helpers

@pytest.mark.parametrize("spec, msg", [
    ("local:0", "1 <= N"), ("local:x", "whole number"), ("local:-2", "1 <= N"), ("8786", "scheduler address"),
    ("http://host:8786", "scheduler address"), ("", "scheduler address"), ("tcp://", "scheduler address"),
])
def test_bad_scheduler_is_one_value_error(spec, msg):
    with pytest.raises(ValueError, match=msg):
        parse_scheduler(spec)


def test_good_schedulers():
    assert parse_scheduler("local:2") == ("local", 2)
    assert parse_scheduler("tcp://10.0.0.5:8786") == ("address", "tcp://10.0.0.5:8786")


def test_cli_bad_dask_value_is_one_line_exit_2(capsys):
    assert main(["coverage", "--demo", "--radius-km", "2", "--size", "8", "8", "--n-radials", "8",
                 "--dask", "local:zero"]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and "--dask 'local:zero'" in err[0]


def test_block_sizes_match_the_local_plan():
    assert block_sizes(2500, 700) == [700, 700, 700, 400]
    assert block_sizes(700, 700) == [700]
    with pytest.raises(ValueError):
        block_sizes(0, 10)


def _square_plus(k, x):
    return x * x + k


def test_map_tasks_in_item_order_with_shared_input(client):
    assert map_tasks(client, _square_plus, list(range(20)), shared=(3,), progress=False) == \
        [x * x + 3 for x in range(20)]


def _shared_dict_len(d, x):
    return len(d) + x


def test_shared_dict_travels_whole(client):
    assert map_tasks(client, _shared_dict_len, [0, 1], shared=({"a": 1, "b": 2},), progress=False) == [2, 3]


def _fails_on_three(x):
    if x == 3:
        raise ValueError("licence X-3 is outside the model's range")
    return x


def test_task_error_is_one_line(client):
    with pytest.raises(DistributedRunError, match=r"licence X-3 is outside the model's range \(dask task task 3\)"):
        map_tasks(client, _fails_on_three, list(range(6)), progress=False)


def test_progress_bar_on_stderr(client, capsys):
    map_tasks(client, _square_plus, [1, 2, 3], shared=(0,), progress=True, desc="demo")
    err = capsys.readouterr().err
    assert "demo [" in err and "3/3" in err


# ------------------------------------------------------------------ bit-identical results

def test_coverage_map_bit_identical(client, dem):
    from spectrum import coverage

    st = coverage.Station(lat=31.2, lon=121.3, h_agl_m=40, f_mhz=900, eirp_dbw=30, name="a")
    for model, p in (("p452", [1.0, 50.0]), ("itm", 50.0)):
        loc = coverage.field_strength_map(dem, st, model, radius_km=12, resolution_arcsec=30, p=p)
        dist = coverage.field_strength_map(dem, st, model, radius_km=12, resolution_arcsec=30, p=p, client=client)
        assert np.array_equal(loc.values, dist.values, equal_nan=True)
        assert np.isfinite(loc.values).mean() > 0.5
        assert loc.identical(dist)


def test_field_strength_map_auto_radials_off_centre_grid(client, dem):
    # the client resolves "auto" radials from the grid's edge only; with the station outside the grid
    # (farthest pixel a corner) and inside it, the count and the map equal the single-process run
    from spectrum import coverage

    st = coverage.Station(lat=31.2, lon=121.3, h_agl_m=40, f_mhz=900, eirp_dbw=30, name="a")
    for la, lo in ((np.linspace(31.22, 31.3, 37), np.linspace(121.32, 121.41, 41)),
                   (np.linspace(31.15, 31.26, 29), np.linspace(121.22, 121.35, 33))):
        for n_radials in ("auto", None):
            kw = dict(radius_km=15, grid=(la, lo), n_radials=n_radials)
            loc = coverage.field_strength_map(dem, st, "p452", **kw)
            dist = coverage.field_strength_map(dem, st, "p452", client=client, **kw)
            assert loc.attrs["n_radials"] == dist.attrs["n_radials"]
            assert loc.identical(dist)


def test_interference_map_bit_identical(client, dem):
    from spectrum import coverage

    a = coverage.Station(lat=31.2, lon=121.3, h_agl_m=40, f_mhz=900, eirp_dbw=30, name="a")
    b = coverage.Station(lat=31.25, lon=121.36, h_agl_m=30, f_mhz=900, eirp_dbw=20, name="b")
    vic = coverage.Receiver(h_agl_m=10, f_mhz=900, bw_khz=200, noise_figure_db=5)
    loc = coverage.interference_map(dem, vic, [a, b], "p452", resolution_arcsec=30, radius_km=10)
    dist = coverage.interference_map(dem, vic, [a, b], "p452", resolution_arcsec=30, radius_km=10, client=client)
    assert np.array_equal(loc.values, dist.values, equal_nan=True)
    assert loc.identical(dist)


def test_broadcast_maps_bit_identical(client, dem):
    from spectrum.broadcast import best_server_map, coverage_map, interference_map

    sts = [dict(lat=31.2, lon=121.3, h_agl_m=100, f_mhz=600, erp_dbw=30, name="a"),
           dict(lat=31.3, lon=121.5, h_agl_m=80, f_mhz=600, erp_dbw=27, name="b")]
    kw = dict(radius_km=20, shape=(48, 56))
    assert best_server_map(dem, sts, "dvb-t", **kw).identical(best_server_map(dem, sts, "dvb-t", client=client, **kw))
    assert coverage_map(dem, sts[0], "dvb-t", **kw).identical(coverage_map(dem, sts[0], "dvb-t", client=client, **kw))
    assert interference_map(dem, sts[0], sts[1:], "dvb-t", **kw).identical(
        interference_map(dem, sts[0], sts[1:], "dvb-t", client=client, **kw))


def test_sweep_bit_identical(client, dem):
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.requests import sample_link_request
    from spectrum.sweep import sweep_channels

    req = sample_link_request()
    ch = req.f_mhz + 28.0 * np.arange(-3, 4)
    with sample_register() as reg:
        loc = sweep_channels(reg, req, ch, heights_m=[30, 50], eirps_dbw=[30, 35], dem=dem, progress=False)
        dist = sweep_channels(reg, req, ch, heights_m=[30, 50], eirps_dbw=[30, 35], dem=dem, progress=False,
                              client=client, batch_channels=3)
    for k in loc.data_vars:
        assert np.array_equal(loc[k].values, dist[k].values, equal_nan=loc[k].dtype.kind == "f"), k
    assert loc.identical(dist)
    assert int(loc["n_victims"].max()) > 0


def test_montecarlo_blocks_bit_identical(client):
    from spectrum.distributed import run_blocks
    from spectrum.montecarlo import reduce_blocks, run, run_block
    from test_mc_schema import small

    doc = small()
    doc["options"] = {"block_events": 600}
    loc = run(doc, 2000, 7)
    dist = run_blocks(client, run_block, doc, 7, 2000, block_events=600,
                      reduce=lambda parts: reduce_blocks(doc, 7, parts), kind="montecarlo", progress=False)
    assert json.dumps(loc.to_dict()["probabilities"]) == json.dumps(dist.to_dict()["probabilities"])
    assert loc.to_dict()["levels"] == dist.to_dict()["levels"]


def test_reevaluate_bit_identical_and_stored_once(client, dem, tmp_path):
    from spectrum.datasets.register import sample_register
    from spectrum.io import to_json
    from spectrum.reevaluation import reevaluate, select_licences

    path = tmp_path / "reg.sqlite"
    sample_register(path).close()
    from spectrum.register import Register

    with Register.open(path, create=False) as reg:
        lics = select_licences(reg, status="application")
        assert len(lics) >= 4
        loc = reevaluate(reg, lics, store=False, dem=dem)
        assert any(r["records"] for r in loc)
        n0 = len(reg.evaluations())
        dist = reevaluate(reg, lics, store=True, dem=dem, client=client, batch_licences=2)
        assert to_json([r["records"] for r in loc]) == to_json([r["records"] for r in dist])
        stored = reg.evaluations()
        assert len(stored) - n0 == sum(len(r["records"]) for r in dist)
        ids = [i for r in dist for i in r["evaluation_ids"]]
        assert sorted(ids) == sorted(e["id"] for e in stored)[-len(ids):]


def test_reevaluate_filters(dem):
    from spectrum.datasets.register import sample_register
    from spectrum.reevaluation import select_licences

    with sample_register() as reg:
        mob = select_licences(reg, status="application", service="mobile")
        assert mob and all(x.startswith("MOB") for x in mob)
        assert select_licences(reg, status="application", bbox=(0.0, 1.0, 0.0, 1.0)) == []
        assert select_licences(reg, status=("application", "granted"), f_min_mhz=1800, f_max_mhz=1900)
        with pytest.raises(ValueError, match="status = 'pending'"):
            select_licences(reg, status="pending")
        with pytest.raises(ValueError, match="f_min_mhz = 2000 is above"):
            select_licences(reg, f_min_mhz=2000, f_max_mhz=1000)


def test_cli_register_reevaluate_local(tmp_path, capsys):
    from spectrum.datasets.register import sample_register

    path = tmp_path / "reg.sqlite"
    sample_register(path).close()
    assert main(["register", "--db", str(path), "reevaluate", "--service", "mobile", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["licences"] >= 1 and d["stored"]
    assert all(r["evaluation_ids"] for r in d["results"])
    assert main(["register", "--db", str(path), "evaluations", "--json"]) == 0
    assert capsys.readouterr().out.count('"decision"') >= sum(len(r["evaluation_ids"]) for r in d["results"])


# ------------------------------------------------------------------ worker death, failures

def _die_once(marker_dir, x):
    """Kills its worker process the first time item 2 runs; the retry elsewhere succeeds."""
    marker = os.path.join(marker_dir, "died")
    if x == 2 and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return x * 10


def test_worker_killed_mid_run_completes(client, tmp_path):
    assert map_tasks(client, _die_once, list(range(5)), shared=(str(tmp_path),), progress=False) == \
        [0, 10, 20, 30, 40]
    assert (tmp_path / "died").exists()
    client.wait_for_workers(2, timeout=60)


def _always_die(x):
    if x == 1:
        os._exit(1)
    return x


def test_worker_killed_every_time_fails_with_one_line(client):
    with pytest.raises(DistributedRunError, match="killed its worker"):
        map_tasks(client, _always_die, [0, 1, 2], progress=False)
    client.wait_for_workers(2, timeout=60)


def test_failed_reevaluation_writes_nothing(client, dem, tmp_path):
    from spectrum.datasets.register import sample_register
    from spectrum.reevaluation import reevaluate
    from spectrum.register import Register

    path = tmp_path / "reg.sqlite"
    sample_register(path).close()
    with Register.open(path, create=False) as reg:
        n0 = len(reg.evaluations())
        head = reg.audit_head()
        with pytest.raises(DistributedRunError, match=r"dask reevaluate run failed in task \d+: TypeError"):
            # an option the evaluation does not know: every task raises, the run stops, nothing is stored
            reevaluate(reg, ["MOB-0005", "MOB-0011"], dem=dem, client=client, batch_licences=1, no_such_option=True)
        assert len(reg.evaluations()) == n0
        assert reg.audit_head() == head


# ------------------------------------------------------------------ the commands, each with its own local:2

def test_cli_mc_run_dask_local_bit_identical(tmp_path, capsys):
    from test_mc_schema import small

    w = tmp_path / "w.json"
    w.write_text(json.dumps(small()))
    assert main(["mc", "run", str(w), "--events", "2500", "--block-events", "700", "--json", "--no-progress",
                 "--dask", "local:2", "--out", str(tmp_path / "d.h5")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert main(["mc", "run", str(w), "--events", "2500", "--block-events", "700", "--json", "--no-progress"]) == 0
    ref = json.loads(capsys.readouterr().out)
    assert d["probabilities"] == ref["probabilities"] and d["levels"] == ref["levels"]


def test_cli_coverage_dask_writes_the_same_file(tmp_path, capsys):
    import xarray as xr

    args = ["coverage", "--demo", "--radius-km", "6", "--resolution-arcsec", "15", "--n-radials", "90", "--json"]
    assert main(args + ["--out", str(tmp_path / "a.nc")]) == 0
    capsys.readouterr()
    assert main(args + ["--out", str(tmp_path / "b.nc"), "--dask", "local:2"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["valid_pixels"] > 0
    assert "dask:" not in out.err  # --json: no cluster line
    with xr.open_dataarray(tmp_path / "a.nc") as a, xr.open_dataarray(tmp_path / "b.nc") as b:
        assert np.array_equal(a.values, b.values, equal_nan=True)
        assert a.attrs == b.attrs


def test_missing_extra_is_one_line(monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)   # as if the [dask] extra were not installed
    assert main(["sweep", "--demo", "--channels", "12932", "--dask", "local:2", "--json"]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and "[dask] extra" in err[0]
