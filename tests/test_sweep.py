"""Channel sweeps: per-channel results equal single evaluations, ranking by worst margin,
height/EIRP dims, the log-f loss interpolation against exact per-channel losses, outputs, CLI."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from spectrum import geo
from spectrum.evaluation import Request, Terminal, evaluate_request, free_space_loss_fn
from spectrum.sweep import channel_plan, sweep_channels, write_sweep
from spectrum.terrain import make_dem
from test_evaluation import MASKS, RECT_TX, FakeRegister, station  # the contract-shaped stand-in register


@pytest.fixture(scope="module")
def flat_dem():
    lat = np.linspace(30.0, 31.0, 121)
    lon = np.linspace(120.0, 121.2, 145)
    return make_dem(np.zeros((lat.size, lon.size)), lat, lon, source="flat test terrain")


def _reg():
    # victims at 2000 MHz (near) and 2010 MHz (farther): channels near 2000 are worst
    return FakeRegister([station(lat=30.5, lon=120.62, f_mhz=2000.0, rx_selectivity="rx-60"),
                         station(station_id=2, station_name="v2", lat=30.5, lon=120.9, f_mhz=2010.0,
                                 rx_selectivity="rx-60", assignment_id=2)], masks=MASKS)


def _req(**kw):
    base = dict(service="fixed", f_mhz=2000.0, bw_khz=1000.0, eirp_dbw=10.0, tx=Terminal(30.5, 120.5, 20.0),
                tx_mask=RECT_TX, licence_number="NEW-1")
    base.update(kw)
    return Request(**base)


def test_channel_plan():
    np.testing.assert_allclose(channel_plan(100.0, 101.0, 0.25), [100, 100.25, 100.5, 100.75, 101])
    with pytest.raises(ValueError, match="f_stop_mhz"):
        channel_plan(101.0, 100.0, 0.25)
    with pytest.raises(ValueError, match="spacing_mhz"):
        channel_plan(100.0, 101.0, -1.0)


@pytest.mark.parametrize("blocking", [True, False])
def test_sweep_equals_single_evaluations_and_ranks(flat_dem, blocking):
    reg = _reg()
    ch = np.array([1995.0, 2000.0, 2005.0, 2010.0, 2020.0])
    ds = sweep_channels(reg, _req(), ch, dem=flat_dem, loss_fn=free_space_loss_fn, progress=False, blocking=blocking)
    assert ds.sizes["channel"] == ch.size and ds.attrs["blocking"] == int(blocking)
    for i, f in enumerate(ch):
        ev = evaluate_request(reg, _req(f_mhz=float(f)), dem=flat_dem, loss_fn=free_space_loss_fn, blocking=blocking)
        w = ev.worst_margin_db
        if math.isnan(w):
            assert np.isnan(ds["worst_margin_db"].values[i])
        else:
            assert ds["worst_margin_db"].values[i] == pytest.approx(w, abs=1e-9)
        assert ["grant", "needs coordination", "refuse"][int(ds["decision"].values[i])] == ev.decision
    # ranking: the largest worst margin first (no victim in reach counts as best)
    w = np.where(np.isnan(ds["worst_margin_db"].values), np.inf, ds["worst_margin_db"].values)
    order = np.argsort(ds["channel_rank"].values)
    ws = w[order]
    assert np.all(ws[:-1] >= ws[1:])
    # co-channel with the near victim is the worst channel
    assert int(ds["channel_rank"].values[1]) == ch.size


def test_height_and_eirp_dims(flat_dem):
    reg = _reg()
    ch = [2000.0, 2010.0]
    ds = sweep_channels(reg, _req(), ch, heights_m=[10.0, 40.0], eirps_dbw=[0.0, 10.0], dem=flat_dem,
                        loss_fn=free_space_loss_fn, progress=False)
    assert ds["worst_margin_db"].dims == ("channel", "height", "eirp")
    # margins fall 1:1 with EIRP
    d = ds["worst_margin_db"].values
    np.testing.assert_allclose(d[:, :, 0] - d[:, :, 1], 10.0, atol=1e-9)
    # each (height, eirp) cell equals a single evaluation with those values
    ev = evaluate_request(reg, _req(eirp_dbw=0.0, tx=Terminal(30.5, 120.5, 40.0)), dem=flat_dem,
                          loss_fn=free_space_loss_fn)
    assert d[0, 1, 0] == pytest.approx(ev.worst_margin_db, abs=1e-9)


def test_frequency_node_interpolation_matches_exact_p452(flat_dem):
    reg = _reg()
    ch = channel_plan(1990.0, 2030.0, 2.0)
    fast = sweep_channels(reg, _req(), ch, dem=flat_dem, progress=False)
    exact = sweep_channels(reg, _req(), ch, dem=flat_dem, progress=False, freq_node_ratio=None)
    a, b = fast["worst_margin_db"].values, exact["worst_margin_db"].values
    fin = np.isfinite(b)
    assert fin.any()
    np.testing.assert_allclose(a[fin], b[fin], atol=0.02)
    assert fast.attrs["model"].startswith("ITU-R P.452")


def test_outputs(flat_dem, tmp_path):
    xr = pytest.importorskip("xarray")
    ds = sweep_channels(_reg(), _req(), [2000.0, 2010.0], dem=flat_dem, loss_fn=free_space_loss_fn, progress=False)
    p = write_sweep(ds, tmp_path / "s.nc")
    back = xr.open_dataset(p, engine="h5netcdf")
    np.testing.assert_allclose(back["worst_margin_db"].values, ds["worst_margin_db"].values)
    assert "software_version" in back.attrs
    back.close()
    h5py = pytest.importorskip("h5py")
    p = write_sweep(ds, tmp_path / "s.h5")
    with h5py.File(p, "r") as f:
        np.testing.assert_allclose(f["worst_margin_db"][:], ds["worst_margin_db"].values)
        np.testing.assert_allclose(f["coords/f_tx_mhz"][:], [2000.0, 2010.0])


def test_bad_sweeps(flat_dem):
    with pytest.raises(ValueError, match="channels_mhz"):
        sweep_channels(_reg(), _req(), [], dem=flat_dem, loss_fn=free_space_loss_fn)
    with pytest.raises(ValueError, match="heights_m"):
        sweep_channels(_reg(), _req(), [2000.0], heights_m=[-5.0], dem=flat_dem, loss_fn=free_space_loss_fn)
    with pytest.raises(ValueError, match=r"f_mhz = 60000"):
        sweep_channels(_reg(), _req(), [2000.0, 60000.0], dem=flat_dem)


# ------------------------------------------------------------------ CLI on the embedded defaults
@pytest.fixture(scope="module")
def sample_available():
    try:
        from spectrum.datasets.register import sample_register  # noqa: F401
        from spectrum.datasets.terrain import default_dem  # noqa: F401
    except ImportError as exc:  # the register / terrain packages are other engineers' modules
        pytest.skip(f"sample register or default terrain not installed: {exc}")
    return True


def test_cli_evaluate_demo_json(sample_available, capsys, tmp_path):
    from spectrum.cli import main

    rc = main(["evaluate", "--demo", "--json", "--hdf5", str(tmp_path / "ev.h5"), "--report", str(tmp_path / "r.txt")])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert d["decision"] in ("grant", "needs coordination", "refuse")
    assert d["request"]["licence_number"] == "MOB-NEW-01"
    assert d["model_versions"]["propagation"].startswith("ITU-R P.452")
    assert len(d["victims"]) > 0 and len(d["interferers"]) > 0
    # every victim row's margin obeys the documented rule
    for v in d["victims"]:
        if v["margin_db"] is not None:
            assert v["margin_db"] == pytest.approx(min(v["margin_long_db"], v["margin_short_db"]))
    assert (tmp_path / "ev.h5").exists() and "DECISION" in (tmp_path / "r.txt").read_text()


def test_cli_sweep_demo(sample_available, capsys):
    from spectrum.cli import main

    assert main(["sweep", "--demo", "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = [ln.split() for ln in out.splitlines()[2:] if ln.strip() and ln.split()[0].isdigit()]
    assert len(lines) == 13                               # 12932 MHz +- 6 channels of 28 MHz
    ranks = {float(ln[1]): int(ln[0]) for ln in lines}
    # the requested channel is shared with two registered links nearby: the worst of the sweep
    assert ranks[12932.0] == 13
    assert "refuse" in out and "grant" in out


def test_cli_errors(capsys, tmp_path):
    from spectrum.cli import main

    assert main(["evaluate", "--db", str(tmp_path / "none.sqlite"), "--request", "x.json"]) == 2
    assert "error" in capsys.readouterr().err
    assert main(["sweep", "--demo", "--channels", "18a0"]) == 2
    assert "--channels" in capsys.readouterr().err


def test_cli_with_a_register_file(sample_available, tmp_path, capsys):
    """The real register: a request file evaluated and stored, an application evaluated pair by pair."""
    from spectrum.cli import main
    from spectrum.datasets.register import sample_register
    from spectrum.register import Register

    db = tmp_path / "reg.sqlite"
    sample_register(db).close()
    assert main(["evaluate", "--sample-request"]) == 0
    (tmp_path / "req.json").write_text(capsys.readouterr().out)
    assert main(["evaluate", "--db", str(db), "--request", str(tmp_path / "req.json"), "--store", "--user", "t"]) == 0
    assert "Stored as evaluation 1" in capsys.readouterr().out
    assert main(["evaluate", "--db", str(db), "--licence", "FS-07-011", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d["evaluations"]) == 2                     # both hops of the link
    assert {e["request"]["tx"]["name"] for e in d["evaluations"]} == {"Link 11 end A tx", "Link 11 end B tx"}
    with Register.open(db, create=False) as reg:
        stored = reg.evaluations()
        assert len(stored) == 1 and stored[0]["user"] == "t"
        assert reg.evaluation(stored[0]["id"])["decision"] in ("grant", "needs coordination", "refuse")


def test_receive_only_sweep_ranks_by_candidate_receiver(flat_dem):
    # a receive-only request: the registered transmitter on 2000 MHz makes that channel the worst
    t = station(licence_number="T-1", station_id=11, station_name="tx", role="tx", lat=30.5, lon=120.6,
                eirp_dbw=0.0, rx_selectivity=None, tx_mask="rect-tx-1M", assignment_id=11)
    reg = FakeRegister([t], masks=MASKS)
    req = Request(service="fixed", f_mhz=2000.0, bw_khz=1000.0, rx=Terminal(30.5, 120.5, 20.0), noise_figure_db=5.0,
                  rx_selectivity="rx-60", licence_number="NEW-RX")
    ds = sweep_channels(reg, req, [1990.0, 2000.0, 2010.0], rx_channels_mhz=[1990.0, 2000.0, 2010.0], dem=flat_dem,
                        loss_fn=free_space_loss_fn, progress=False)
    assert np.all(np.isnan(ds["worst_margin_db"].values))            # no transmitter in the request
    agg = ds["aggregate_margin_db"].values
    assert agg[1] < agg[0] and agg[0] == pytest.approx(agg[2])          # co-channel worst; 60 dB floor either side
    assert agg[0] - agg[1] == pytest.approx(60.0, abs=1e-6)
    assert int(ds["channel_rank"].values[1]) == 3
    with pytest.raises(ValueError, match="rx_channels_mhz"):
        sweep_channels(reg, req, [1990.0, 2000.0], rx_channels_mhz=[1990.0], dem=flat_dem, loss_fn=free_space_loss_fn)


def test_sweep_eirps_with_existing_interference_match_evaluations(flat_dem):
    """Under the absolute rule the total margin is not 1:1 with the EIRP (power sum with the
    registered interferer): each EIRP of the sweep equals an evaluation at that EIRP."""
    t = station(licence_number="T-1", station_id=20, station_name="existing", role="tx", lat=30.5, lon=120.75,
                eirp_dbw=-20.0, rx_selectivity=None, noise_figure_db=None, protection=None, protection_db=None,
                tx_mask="rect-tx-1M", assignment_id=20)
    reg = FakeRegister([station(lat=30.5, lon=120.62, f_mhz=2000.0, rx_selectivity="rect-1M"), t], masks=MASKS)
    eirps = [-25.0, -20.0, -15.0]
    ds = sweep_channels(reg, _req(), [2000.0], eirps_dbw=eirps, dem=flat_dem, loss_fn=free_space_loss_fn,
                        progress=False)
    for k, e in enumerate(eirps):
        ev = evaluate_request(reg, _req(eirp_dbw=e), dem=flat_dem, loss_fn=free_space_loss_fn, intermod=False,
                              existing_scope="all")
        assert ev.victim_rows()[0]["n_existing"] == 1
        assert ds["worst_margin_db"].values[0, k] == pytest.approx(ev.worst_margin_db, abs=1e-9)
    # not 1:1: 5 dB more EIRP costs less than 5 dB of total margin here
    w = ds["worst_margin_db"].values[0]
    assert w[0] - w[1] < 5.0 - 1e-3
