"""Monte Carlo workspace validation (errors name the field path) and the ``spectrum mc`` command."""
from __future__ import annotations

import copy
import json

import pytest

from spectrum.cli import main
from spectrum.montecarlo import demo_workspace, load_workspace, parse_workspace
from spectrum.montecarlo.schema import get_path, set_path


def small():
    return {
        "name": "small", "seed": 1, "events": 2000,
        "victim": {"rx": {"f_mhz": 900.0, "bw_khz": 200.0, "criteria": {"I/N": -6.0}},
                   "tx": {"position": {"mode": "disc", "radius_km": 1.0}, "power_dbw": 0.0}},
        "interferers": [
            {"name": "a", "tx": {"position": {"mode": "disc", "radius_km": 5.0}, "power_dbw": -10.0, "f_mhz": 900.2,
                                 "bw_khz": 200.0}},
            {"name": "b", "tx": {"position": {"mode": "ring", "r_min_km": 1.0, "radius_km": 4.0},
                                 "power_dbw": -10.0, "f_mhz": 900.4, "bw_khz": 200.0}},
        ],
    }


def _bad(path, value):
    d = small()
    set_path(d, path, value)  # checks the path exists in the document
    return set_path(d, path, value)


@pytest.mark.parametrize("path,value,msg", [
    ("interferers[1].tx.position.radius_km", -3, "interferers[1].tx.position.radius_km = -3 must be > 0"),
    ("interferers[1].tx.position.r_min_km", 5, "interferers[1].tx.position.r_min_km = 5 must be < radius_km = 4"),
    ("interferers[0].tx.power_dbw", "loud", "interferers[0].tx.power_dbw = 'loud' must be a number"),
    ("interferers[0].tx.f_mhz", {"dist": "uniform", "min": -5, "max": 3},
     "interferers[0].tx.f_mhz = .* must be > 0"),
    ("victim.rx.criteria", {"I/X": 3}, "victim.rx.criteria.I/X is not a criterion"),
    ("victim.rx.bw_khz", 0, "victim.rx.bw_khz = 0 must be > 0"),
    ("interferers[0].tx.position", {"mode": "hexagon"}, "interferers[0].tx.position.mode = 'hexagon' must be one of"),
    ("interferers[0].tx.position", {"mode": "disc", "radius_km": 2, "relative_to": "victim.nowhere"},
     "interferers[0].tx.position.relative_to = 'victim.nowhere' is not an element"),
    ("victim.tx.position", {"mode": "fixed", "x_km": 1, "relative_to": "b.tx"}, None),
    ("interferers[0].tx.antenna", {"kind": "F.1336", "g_dbi": 120}, "interferers[0].tx.antenna.g_dbi = 120 must be"),
    ("interferers[0].tx.antenna", {"kind": "yagi"}, "interferers[0].tx.antenna: antenna kind = 'yagi'"),
    ("interferers[0].tx.powr_dbw", 3, "interferers[0].tx.powr_dbw is not a field of interferer.tx"),
    ("interferers[0].propagation", {"model": "p999"}, "interferers[0].propagation.model = 'p999' must be one of"),
    ("interferers[0].propagation", {"model": "p452"}, "needs terrain"),
    ("interferers[0].propagation", {"model": "hata", "p": 1}, "interferers[0].propagation.p is not a parameter"),
    ("interferers[0].mechanisms", ["blocking"], "victim.rx.blocking is not given"),
    ("seed", -1, "seed = -1 must be >= 0"),
    ("events", 2.5, "events = 2.5 must be an integer"),
    ("victim.rx.blocking", {"mode": "sensitivity", "offset_khz": [0], "value": [-40]}, "needs criteria C/\\(N\\+I\\)"),
])
def test_errors_name_the_field(path, value, msg):
    d = _bad(path, value)
    if msg is None:
        parse_workspace(d)
        return
    with pytest.raises(ValueError, match=msg.replace("[", r"\[").replace("]", r"\]") if "\\" not in msg else msg):
        parse_workspace(d)


def test_relative_position_cycle_is_an_error():
    d = small()
    d["interferers"][0]["tx"]["position"] = {"mode": "fixed", "x_km": 1, "relative_to": "b.tx"}
    d["interferers"][1]["tx"]["position"] = {"mode": "fixed", "x_km": 1, "relative_to": "a.tx"}
    with pytest.raises(ValueError, match="circle"):
        parse_workspace(d)


def test_count_expands_interferers_with_independent_streams():
    from spectrum.montecarlo import run

    d = small()
    d["interferers"] = [dict(d["interferers"][0], count=3)]
    ws = parse_workspace(d)
    assert [it.name for it in ws.interferers] == ["a#0", "a#1", "a#2"]
    r = run(ws, 500)
    k = r.vectors["irss_k_dbw"]
    assert k.shape == (500, 3) and not (k[:, 0] == k[:, 1]).all()


def test_toml_and_json_files(tmp_path):
    p = tmp_path / "w.json"
    p.write_text(json.dumps(small()))
    assert load_workspace(p).name == "small"
    t = tmp_path / "w.toml"
    t.write_text('name = "t"\nseed = 2\n[victim.rx]\nf_mhz = 900.0\nbw_khz = 200.0\n[victim.rx.criteria]\n"I/N" = -6.0\n'
                 '[victim.tx]\npower_dbw = 0.0\n[[interferers]]\nname = "x"\n[interferers.tx]\npower_dbw = 0.0\n'
                 'f_mhz = 900.0\nbw_khz = 200.0\n[interferers.tx.position]\nmode = "disc"\nradius_km = 2.0\n')
    ws = load_workspace(t)
    assert ws.name == "t" and ws.interferers[0].tx.position.params["radius_km"] == 2.0
    (tmp_path / "bad.json").write_text("{ nope")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_workspace(tmp_path / "bad.json")
    with pytest.raises(FileNotFoundError):
        load_workspace(tmp_path / "none.json")


def test_paths():
    d = small()
    assert get_path(d, "interferers[1].tx.f_mhz") == 900.4
    assert set_path(d, "interferers[1].tx.f_mhz", 901.0)["interferers"][1]["tx"]["f_mhz"] == 901.0
    assert d["interferers"][1]["tx"]["f_mhz"] == 900.4
    with pytest.raises(KeyError):
        get_path(d, "interferers[4].tx")


def test_demo_workspace_is_valid():
    ws = parse_workspace(demo_workspace())
    assert len(ws.interferers) == 3 and ws.interferers[0].propagation.model == "p452"


# ------------------------------------------------------------------------------ command line
def test_cli_run_json_and_out(tmp_path, capsys):
    w = tmp_path / "w.json"
    w.write_text(json.dumps(small()))
    out = tmp_path / "r.h5"
    png = tmp_path / "c.png"
    assert main(["mc", "run", str(w), "--events", "3000", "--seed", "4", "--out", str(out), "--cdf", str(png),
                 "--json", "--no-progress"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["events"] == 3000 and d["seed"] == 4
    assert {r["mechanism"] for r in d["probabilities"]} == {"composite", "unwanted"}
    assert out.stat().st_size > 0 and png.read_bytes()[:4] == b"\x89PNG"
    assert main(["mc", "run", str(w), "--events", "300", "--no-progress"]) == 0
    assert "P(interference)" in capsys.readouterr().out


@pytest.mark.parametrize("args,msg", [
    (["--events", "0"], "--events 0 must be >= 1"),
    (["--seed", "-2"], "--seed -2 must be >= 0"),
    (["--out", "{w}"], "is the input"),
    (["--out", "{d}"], "is a directory"),
    (["--out", "{d}/x.h5", "--cdf", "{d}/x.h5"], "name the same file"),
    (["--target-halfwidth", "2"], "--target-halfwidth 2.0 must be in"),
])
def test_cli_errors_one_line_exit_2_nothing_written(tmp_path, capsys, args, msg):
    w = tmp_path / "w.json"
    w.write_text(json.dumps(small()))
    before = w.read_text()
    (tmp_path / "sub").mkdir()
    args = [a.replace("{w}", str(w)).replace("{d}", str(tmp_path / "sub")) for a in args]
    assert main(["mc", "run", str(w), "--no-progress", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert msg in err and "\n" not in err and "Traceback" not in err
    assert w.read_text() == before and sorted(p.name for p in tmp_path.iterdir()) == ["sub", "w.json"]
    assert not list((tmp_path / "sub").iterdir())


def test_cli_bad_workspace_names_field(tmp_path, capsys):
    d = small()
    d["interferers"][1]["tx"]["position"]["radius_km"] = -3
    w = tmp_path / "w.json"
    w.write_text(json.dumps(d))
    assert main(["mc", "validate", str(w)]) == 2
    assert "interferers[1].tx.position.radius_km = -3 must be > 0" in capsys.readouterr().err
    assert main(["mc", "run", str(w), "--out", str(tmp_path / "r.h5"), "--no-progress"]) == 2
    assert not (tmp_path / "r.h5").exists()
    (tmp_path / "trunc.json").write_text(json.dumps(small())[:-40])
    assert main(["mc", "run", str(tmp_path / "trunc.json"), "--no-progress"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_cli_translate_and_demo_print(tmp_path, capsys):
    w = tmp_path / "w.json"
    w.write_text(json.dumps(small()))
    assert main(["mc", "translate", str(w), "--parameter", "interferers[0].tx.power_dbw", "--values=-40,-20,0",
                 "--events", "1000", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["values"] == [-40.0, -20.0, 0.0] and len(d["probabilities"]["I/N composite"]["p"]) == 3
    assert main(["mc", "translate", str(w), "--parameter", "interferers[0].tx.nope", "--values", "1"]) == 2
    assert main(["mc", "demo"]) == 0
    assert json.loads(capsys.readouterr().out)["interferers"][0]["count"] == 3


def test_demo_cli_runs(capsys):
    assert main(["mc", "run", "--demo", "--events", "1500", "--json", "--no-progress"]) == 0
    d = json.loads(capsys.readouterr().out)
    mechs = {r["mechanism"] for r in d["probabilities"]}
    assert mechs == {"composite", "unwanted", "blocking", "intermod"}
    assert copy.deepcopy(d)["counted_events"] == 1500


def test_cli_dask_wiring_bit_identical(tmp_path, capsys, monkeypatch):
    """--dask goes through spectrum.distributed.run_blocks (stride options.block_events, the last
    block shorter, reduced in block order): same counts as the local run. A stand-in runner with
    that interface (client None: blocks run here) replaces the cluster."""
    import sys
    import types
    from contextlib import contextmanager

    def run_blocks(client, run_block, workspace, seed, n_events, *, block_events, reduce, kind, progress):
        sizes = [block_events] * (-(-n_events // block_events) - 1)
        sizes.append(n_events - sum(sizes))
        return reduce([run_block(workspace, seed, i, n) for i, n in enumerate(sizes)][::-1])

    @contextmanager
    def client_session(scheduler, quiet=False):
        yield None

    dist = types.ModuleType("spectrum.distributed")
    dist.run_blocks = run_blocks
    cluster = types.ModuleType("spectrum.distributed.cluster")
    cluster.client_session = client_session
    monkeypatch.setitem(sys.modules, "spectrum.distributed", dist)
    monkeypatch.setitem(sys.modules, "spectrum.distributed.cluster", cluster)
    w = tmp_path / "w.json"
    w.write_text(json.dumps(small()))
    assert main(["mc", "run", str(w), "--events", "2500", "--block-events", "700", "--json", "--no-progress",
                 "--dask", "local:2", "--out", str(tmp_path / "d.h5")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert main(["mc", "run", str(w), "--events", "2500", "--json", "--no-progress"]) == 0
    ref = json.loads(capsys.readouterr().out)
    assert d["probabilities"] == ref["probabilities"] and d["levels"] == ref["levels"]
    import xarray as xr

    with xr.open_dataset(tmp_path / "d.h5", engine="h5netcdf") as ds:
        assert ds.sizes["event"] == 2500


def test_cli_dask_missing_runner(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "spectrum.distributed", None)
    w = tmp_path / "w.json"
    w.write_text(json.dumps(small()))
    assert main(["mc", "run", str(w), "--dask", "local:2", "--no-progress"]) == 2
    assert "--dask needs spectrum.distributed" in capsys.readouterr().err


def test_relative_files_resolve_next_to_the_workspace(tmp_path, monkeypatch):
    from spectrum.datasets.register import sample_register

    study = tmp_path / "study"
    study.mkdir()
    sample_register(study / "reg.sqlite").close()
    d = small()
    d["origin"] = {"lat": 31.2, "lon": 121.4}
    d["interferers"][0]["tx"]["position"] = {"mode": "register", "register": "reg.sqlite", "within_km": 30.0}
    (study / "w.json").write_text(json.dumps(d))
    monkeypatch.chdir(tmp_path)
    ws = load_workspace(study / "w.json")
    assert ws.interferers[0].tx.position.params["register"] == str(study / "reg.sqlite")
    assert main(["mc", "run", str(study / "w.json"), "--events", "200", "--no-progress", "--json"]) == 0
    with pytest.raises(ValueError, match="is a folder"):
        load_workspace(study)
