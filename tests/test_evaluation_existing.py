"""The evaluation beyond the single entry: existing interference at each victim and the three
rules, the four SM.2028 criteria (per receiver, per service), P.2108 clutter and P.2109 building
entry with the clutter-provider hook, choices recorded, cancellation, the model registry and the
register fields behind them. Hand-checked over flat terrain with free-space loss."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from spectrum import geo
from spectrum.evaluation import Request, Terminal, evaluate_request, free_space_loss_fn
from spectrum.evaluation.losses import LOSS_FUNCTIONS, MODEL_NAMES, MODEL_RANGES_MHZ, register_loss_model
from spectrum.evaluation.pipeline import EvaluationCancelled
from spectrum.interference import max_interference_dbw, noise_dbw
from spectrum.terrain import make_dem
from test_evaluation import FIELDS, MASKS, RECT_TX, FakeRegister, station

EXTRA = ("indoor", "building_type", "clutter_class", "criterion", "criterion_db")


class Reg(FakeRegister):
    """The contract register with the fields of migration 0005."""

    def query_arrays(self, **kw):
        rows = self._sel(**kw)
        return {k: np.array([r.get(k) for r in rows], dtype=object) for k in list(FIELDS) + list(EXTRA)}


@pytest.fixture(scope="module")
def flat_dem():
    lat = np.linspace(30.0, 31.0, 121)
    lon = np.linspace(120.0, 121.2, 145)
    return make_dem(np.zeros((lat.size, lon.size)), lat, lon, source="flat test terrain")


N = float(noise_dbw(1000.0, 5.0))


def fspl(a, b, f=2000.0):
    return 32.45 + 20 * math.log10(float(geo.distance_km(*a, *b))) + 20 * math.log10(f)


CAND = (30.5, 120.5)
VICT = (30.5, 120.6)
EXIST = (30.5, 120.7)


def candidate(eirp, **kw):
    base = dict(service="fixed", f_mhz=2000.0, bw_khz=1000.0, eirp_dbw=eirp, tx=Terminal(*CAND, 20.0),
                tx_mask=RECT_TX, licence_number="NEW-1", licensee="Applicant")
    base.update(kw)
    return Request(**base)


def tx_row(**kw):
    base = dict(licence_number="T-1", station_id=20, station_name="existing", role="tx", lat=EXIST[0],
                lon=EXIST[1], rx_selectivity=None, noise_figure_db=None, protection=None, protection_db=None,
                tx_mask="rect-tx-1M", assignment_id=20)
    base.update(kw)
    return station(**base)


def run(reg, req, dem, **kw):
    return evaluate_request(reg, req, dem=dem, loss_fn=free_space_loss_fn, intermod=False, **kw)


def _scenario(alone=5.0, existing=4.0, extra_rows=()):
    """Victim I/N -10 dB; the candidate alone leaves it ``alone`` dB, the registered transmitter
    alone ``existing`` dB."""
    e_c = N - 10.0 - alone + fspl(CAND, VICT)
    e_t = N - 10.0 - existing + fspl(EXIST, VICT)
    rows = [station(lat=VICT[0], lon=VICT[1]), tx_row(eirp_dbw=e_t), *extra_rows]
    return Reg(rows, masks=MASKS), e_c


def test_existing_interference_power_sum_and_absolute_rule(flat_dem):
    own = tx_row(licence_number="V-1", station_id=21, station_name="victim's own", assignment_id=21, eirp_dbw=30.0,
                 lat=30.55)
    app = tx_row(licence_number="T-9", status="application", station_id=22, station_name="pending",
                 assignment_id=22, eirp_dbw=30.0, lat=30.52)
    reg, e_c = _scenario(extra_rows=(own, app))
    ev = run(reg, candidate(e_c), flat_dem)
    v = ev.victim_rows()[0]
    assert v["n_existing"] == 1                        # the victim's own licence and applications excluded
    assert v["i_existing_long_dbw"] == pytest.approx(N - 14.0, abs=1e-6)
    assert v["i_long_dbw"] == pytest.approx(N - 15.0, abs=1e-6)
    total = 10 * math.log10(10 ** ((N - 15.0) / 10) + 10 ** ((N - 14.0) / 10))
    assert v["i_total_long_dbw"] == pytest.approx(total, abs=1e-9)
    assert v["margin_alone_db"] == pytest.approx(5.0, abs=1e-6)
    assert v["margin_existing_db"] == pytest.approx(4.0, abs=1e-6)
    assert v["margin_total_db"] == pytest.approx(N - 10.0 - total, abs=1e-6)
    assert v["margin_db"] == v["margin_total_db"] and v["status"] == "marginal"   # 1.46 dB < 3 dB
    assert ev.decision == "needs coordination"
    d = json.loads(ev.to_json())                        # strict JSON: no Infinity / NaN
    assert d["inputs"]["choices"]["rule"] == "absolute" and d["victims"][0]["n_existing"] == 1


def test_rules_single_entry_and_degradation(flat_dem):
    reg, e_c = _scenario()
    ev = run(reg, candidate(e_c), flat_dem, rule="single-entry", existing_scope="all")
    v = ev.victim_rows()[0]
    assert v["margin_db"] == pytest.approx(5.0, abs=1e-6) and ev.decision == "grant"
    assert v["n_existing"] == 1 and v["margin_total_db"] < 3.0     # reported all the same
    ev = run(reg, candidate(e_c), flat_dem, rule="degradation", dt_over_t_percent=10.0, existing_scope="all")
    v = ev.victim_rows()[0]
    dtt = 10 ** (-15.0 / 10) / (1 + 10 ** (-14.0 / 10))              # I_c / (N + I_existing)
    assert v["dt_over_t_percent"] == pytest.approx(100 * dtt, rel=1e-9)
    assert v["margin_db"] == pytest.approx(10 * math.log10(0.10 / dtt), abs=1e-6)
    assert ev.decision == "grant"
    # "decisive" scope: over N alone the candidate already keeps 5 dB, existing interference only adds
    # to N + I -- not computed, the margin stays the (smaller) one over N
    v = run(reg, candidate(e_c), flat_dem, rule="degradation", dt_over_t_percent=10.0).victim_rows()[0]
    assert v["n_existing"] == 0 and v["margin_db"] == pytest.approx(10 * math.log10(0.10 / 10 ** -1.5), abs=1e-6)
    ev = run(reg, candidate(e_c + 6.0), flat_dem, rule="degradation", dt_over_t_percent=10.0)
    assert ev.victim_rows()[0]["margin_db"] == pytest.approx(10 * math.log10(0.10 / dtt) - 6.0, abs=1e-6)


def test_existing_interference_reach_and_switch(flat_dem):
    reg, e_c = _scenario()
    assert run(reg, candidate(e_c), flat_dem, existing_max_distance_km=5.0).victim_rows()[0]["n_existing"] == 0
    ev = run(reg, candidate(e_c), flat_dem, existing_interference=False)
    assert ev.victim_rows()[0]["n_existing"] == 0 and ev.decision == "grant"
    assert ev.inputs["choices"]["existing"] is False


def test_candidate_harmful_alone_is_harmful_whatever_the_existing(flat_dem):
    reg, e_c = _scenario(alone=-2.0)
    ev = run(reg, candidate(e_c), flat_dem)
    v = ev.victim_rows()[0]
    assert v["status"] == "harmful" and ev.decision == "refuse"
    assert v["n_existing"] == 0           # "decisive" scope: not needed for the decision
    v = run(reg, candidate(e_c), flat_dem, existing_scope="all").victim_rows()[0]
    assert v["n_existing"] == 1 and v["margin_db"] < v["margin_alone_db"]


# ------------------------------------------------------------------ criteria
def test_c_over_n_plus_i_and_n_plus_i_over_n_victims(flat_dem):
    wanted = tx_row(licence_number="V-1", station_id=7, station_name="wanted", lat=30.5, lon=120.8, eirp_dbw=0.0,
                    assignment_id=7)
    cni = station(protection=None, protection_db=None, criterion="C/(N+I)", criterion_db=10.0, lat=VICT[0],
                  lon=VICT[1])
    nin = station(licence_number="V-2", station_id=2, station_name="nin", assignment_id=2, lat=30.45, lon=120.6,
                  criterion="(N+I)/N", criterion_db=1.0)
    reg = Reg([cni, nin, wanted], masks=MASKS)
    e_c = N - 20.0 + fspl(CAND, VICT)
    ev = run(reg, candidate(e_c), flat_dem)
    rows = {r["station_name"]: r for r in ev.victim_rows()}
    c = 0.0 - fspl((30.5, 120.8), VICT)
    v = rows["victim"]
    assert v["criterion"] == "C/(N+I)" and v["criterion_source"] == "register"
    assert v["c_dbw"] == pytest.approx(c, abs=1e-6)
    imax = 10 * math.log10(10 ** ((c - 10.0) / 10) - 10 ** (N / 10))
    assert v["margin_long_db"] == pytest.approx(imax - v["i_long_dbw"], abs=1e-6)
    w = rows["nin"]
    assert w["criterion"] == "(N+I)/N"           # the register's criterion overrides protection (I/N -10)
    assert w["margin_alone_db"] == pytest.approx(N + 10 * math.log10(10 ** 0.1 - 1) - w["i_long_dbw"], abs=1e-6)
    assert w["n_existing"] == 1 and w["margin_db"] < w["margin_alone_db"]   # V-1's transmitter hits V-2
    assert max_interference_dbw("(N+I)/N", 1.0, N) == pytest.approx(N - 5.868, abs=1e-3)


def test_noise_limited_victim_is_not_the_candidates_doing(flat_dem):
    wanted = tx_row(licence_number="V-1", station_id=7, station_name="wanted", lat=30.5, lon=121.1, eirp_dbw=-60.0,
                    assignment_id=7)
    reg = Reg([station(protection="C/I", protection_db=None, criterion="C/(N+I)", criterion_db=20.0), wanted],
              masks=MASKS)
    ev = run(reg, candidate(N - 20.0 + fspl(CAND, VICT)), flat_dem)
    assert ev.victim_rows()[0]["status"] == "noise-limited" and ev.decision == "grant"
    assert any("without interference" in r for r in ev.reasons)


def test_criteria_by_service(flat_dem):
    reg = Reg([station(protection=None, protection_db=None, noise_figure_db=5.0)], masks=MASKS)
    e_c = N - 10.0 - 2.0 + fspl(CAND, VICT)         # +2 dB against I/N -10, -2 dB against I/N -6... inverted:
    ev = run(reg, candidate(e_c), flat_dem)
    assert ev.victim_rows()[0]["criterion_source"] == "default"
    assert ev.victim_rows()[0]["margin_db"] == pytest.approx(2.0, abs=1e-6)
    ev = run(reg, candidate(e_c), flat_dem, criteria_by_service={"Fixed": ("I/N", -6.0)})
    v = ev.victim_rows()[0]
    assert v["criterion_source"] == "service" and v["protection_db"] == -6.0
    assert v["margin_db"] == pytest.approx(6.0, abs=1e-6)
    assert ev.inputs["choices"]["criteria_by_service"] == {"fixed": ["I/N", -6.0]}
    with pytest.raises(ValueError, match="criteria_by_service"):
        run(reg, candidate(e_c), flat_dem, criteria_by_service={"fixed": ("S/N", 3.0)})


def test_candidate_receiver_c_over_n_plus_i(flat_dem):
    t1 = tx_row(lat=30.5, lon=120.6, eirp_dbw=0.0)
    reg = Reg([t1], masks=MASKS)
    rx = Terminal(30.5, 120.45, 20.0)
    req = candidate(30.0, rx=rx, noise_figure_db=5.0, rx_selectivity="rect-1M", protection="C/(N+I)",
                    protection_db=20.0)
    ev = run(reg, req, flat_dem)
    a = ev.aggregate
    c = 30.0 - fspl(CAND, (30.5, 120.45))
    i = 0.0 - fspl((30.5, 120.6), (30.5, 120.45))
    assert a["c_dbw"] == pytest.approx(c, abs=1e-6) and a["i_long_dbw"] == pytest.approx(i, abs=1e-6)
    assert a["margin_long_db"] == pytest.approx(10 * math.log10(10 ** ((c - 20) / 10) - 10 ** (N / 10)) - i, abs=1e-6)
    with pytest.raises(ValueError, match=r"protection_db = 0 must be > 0 dB for \(N\+I\)/N"):
        candidate(30.0, rx=rx, noise_figure_db=5.0, protection="(N+I)/N", protection_db=0.0).validate()


# ------------------------------------------------------------------ clutter and building entry
def test_indoor_victim_takes_p2109_and_clutter_p2108(flat_dem):
    from spectrum.propagation import p2108, p2109

    rows = [station(indoor=True, building_type="thermally efficient"),
            station(licence_number="V-2", station_id=2, station_name="urban", assignment_id=2, lat=30.45, lon=120.6,
                    h_agl_m=8.0, clutter_class="urban"),
            station(licence_number="V-3", station_id=3, station_name="plain", assignment_id=3, lat=30.55, lon=120.6)]
    reg = Reg(rows, masks=MASKS)
    ev = run(reg, candidate(0.0), flat_dem, bel_p_percent=30.0)
    r = {x["station_name"]: x for x in ev.victim_rows()}
    bel = float(p2109.building_entry_loss(2.0, 30.0, "thermally efficient", r["victim"]["elev_r_deg"]))
    assert r["victim"]["building_entry_db"] == pytest.approx(bel, abs=1e-9) and bel > 10.0
    assert r["victim"]["i_long_dbw"] == pytest.approx(0.0 - fspl(CAND, VICT) - bel, abs=1e-6)
    cl = float(p2108.clutter_loss_terminal(2.0, 8.0, "urban"))
    assert r["urban"]["clutter_db"] == pytest.approx(cl, abs=1e-9) and cl > 0
    assert r["plain"]["clutter_db"] == 0.0 and r["plain"]["building_entry_db"] == 0.0
    assert "P.2109" in ev.inputs["clutter"] and ev.model_versions["building_entry"] == "ITU-R P.2109-2"


def test_clutter_provider_hook(flat_dem):
    from spectrum.propagation import p2108

    seen = []

    def landcover(lat, lon):
        seen.append((np.asarray(lat).copy(), np.asarray(lon).copy()))
        return np.array(["dense urban"] * len(lat), dtype=object)

    reg = Reg([station(h_agl_m=12.0), station(licence_number="V-2", station_id=2, station_name="registered",
                                              assignment_id=2, lat=30.45, clutter_class="open/rural")], masks=MASKS)
    ev = run(reg, candidate(0.0), flat_dem, clutter_provider=landcover)
    r = {x["station_name"]: x for x in ev.victim_rows()}
    assert r["victim"]["clutter_db"] == pytest.approx(float(p2108.clutter_loss_terminal(2.0, 12.0, 6)), abs=1e-9)
    assert r["registered"]["clutter_db"] == 0.0             # the register's class wins over the provider
    assert any(np.any(np.isclose(la, VICT[0])) and np.any(np.isclose(lo, VICT[1])) for la, lo in seen)
    assert ev.inputs["choices"]["clutter_provider"].endswith("landcover")


# ------------------------------------------------------------------ record, cancel, registry
def test_choices_recorded_in_the_stored_evaluation(flat_dem):
    reg, e_c = _scenario()
    ev = run(reg, candidate(e_c), flat_dem, rule="degradation", dt_over_t_percent=6.0, p_percent=(10.0, 0.5),
             store=True)
    st = reg.stored[0]["result"]["inputs"]
    for k, v in (("rule", "degradation"), ("dt_over_t_percent", 6.0), ("p_long", 10.0), ("p_short", 0.5),
                 ("existing", True), ("existing_max_entries", 4), ("bel_p_percent", 50.0)):
        assert st["choices"][k] == v
    assert st["model"] == "custom" and reg.stored[0]["model_versions"]["criteria"] == "ITU-R SM.2028-2 §3.3"
    json.dumps(reg.stored[0]["result"], allow_nan=False)


def test_cancel_stops_between_stages_and_progress_reports(flat_dem):
    reg, e_c = _scenario()
    with pytest.raises(EvaluationCancelled):
        run(reg, candidate(e_c), flat_dem, cancelled=lambda: True)
    polls = []

    def late():
        polls.append(1)
        return len(polls) > 2     # cancelled after the scenario was built
    said = []
    with pytest.raises(EvaluationCancelled):
        run(reg, candidate(e_c), flat_dem, cancelled=late, progress=lambda p, t: said.append(p))
    assert said and said == sorted(said) and said[-1] < 100
    said.clear()
    run(reg, candidate(e_c), flat_dem, progress=lambda p, t: said.append(p))
    assert said[-1] == 100


def test_registered_loss_model_is_dispatched(flat_dem):
    def fs_minus_6(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **kw):
        return free_space_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m) - 6.0

    register_loss_model("fs-6", fs_minus_6, f_range_mhz=(1.0, 1e5), version="test model FS-6")
    try:
        reg = Reg([station()], masks=MASKS)
        ev = evaluate_request(reg, candidate(0.0), dem=flat_dem, model="fs-6", intermod=False)
        assert ev.model_versions["propagation"] == "test model FS-6"
        assert ev.victim_rows()[0]["lb_long_db"] == pytest.approx(fspl(CAND, VICT) - 6.0, abs=1e-6)
        with pytest.raises(ValueError, match="f_mhz"):
            register_loss_model("narrow", fs_minus_6, f_range_mhz=(100.0, 200.0), version="x")
            evaluate_request(reg, candidate(0.0), dem=flat_dem, model="narrow")
    finally:
        for k in ("fs-6", "narrow"):
            LOSS_FUNCTIONS.pop(k, None)
            MODEL_RANGES_MHZ.pop(k, None)
            MODEL_NAMES.pop(k, None)


# ------------------------------------------------------------------ the register's fields
def test_register_fields_round_trip_and_reach_the_evaluation(tmp_path):
    from spectrum.register import Register
    from spectrum.register.backend import RegisterError

    with Register.open(":memory:", user="t") as r:
        r.add_licence("FS-1", "Org", "fixed", valid_from="2024-01-01", valid_to="2040-01-01")
        r.transition("FS-1", "granted", reason="ok")
        sid = r.add_station("FS-1", name="rx", role="rx", lat=31.2, lon=121.4, h_agl_m=8.0, g_dbi=30.0,
                            indoor="yes", building_type="thermally-efficient", clutter_class="Urban")
        r.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, noise_figure_db=6.0, protection="I/N",
                         protection_db=-10.0, criterion="c/(n+i)", criterion_db=17.0)
        a = r.query_arrays()
        assert a["indoor"][0] == 1 and a["building_type"][0] == "thermally efficient"
        assert a["clutter_class"][0] == "urban" and a["criterion"][0] == "C/(N+I)" and a["criterion_db"][0] == 17.0
        doc = r.export_json()
        csv_text = r.export_csv()
        for bad, match in ((dict(criterion="S/N", criterion_db=3.0), "criterion"),
                           (dict(criterion="I/N"), "go together"),
                           (dict(criterion="(N+I)/N", criterion_db=-1.0), "must be > 0 dB")):
            with pytest.raises(RegisterError, match=match):
                r.add_assignment(sid, f_mhz=23100.0, bw_khz=28000.0, noise_figure_db=6.0, **bad)
        with pytest.raises(RegisterError, match="clutter_class"):
            r.add_station("FS-1", name="x", role="rx", lat=31.2, lon=121.4, h_agl_m=8.0, g_dbi=0.0,
                          clutter_class="jungle")
        row = r.query()[0]
        req = Request._from_rows(None, row, "FS-1")
        assert req.protection == "C/(N+I)" and req.protection_db == 17.0
        assert req.rx.indoor is True and req.rx.clutter_class == "urban"
    for load in ("json", "csv"):
        with Register.open(":memory:", user="t") as r2:
            r2.import_json(doc) if load == "json" else r2.import_csv(csv_text)
            b = r2.query_arrays()
            assert (b["indoor"][0], b["building_type"][0], b["clutter_class"][0], b["criterion"][0],
                    b["criterion_db"][0]) == (1, "thermally efficient", "urban", "C/(N+I)", 17.0)


def test_strongest_pairs_kernel_against_brute_force():
    """The per-victim selection of registered interferers (approximate free-space bound, other
    licence, within reach and one channel) against a slow, obvious Python selection."""
    from spectrum.kernels.interference import strongest_pairs, top_k_per_group

    rng = np.random.default_rng(11)
    nv, nt, k = 40, 400, 3
    v = dict(lat=rng.uniform(30.2, 30.8, nv), lon=rng.uniform(120.2, 120.9, nv), f=rng.choice([2000.0, 2001.0], nv),
             bw=np.full(nv, 1000.0), lic=rng.integers(0, 30, nv), floor=np.full(nv, -200.0))
    t = dict(lat=rng.uniform(30.0, 31.0, nt), lon=rng.uniform(120.0, 121.2, nt),
             f=rng.choice([1998.0, 2000.0, 2000.5, 2001.0, 2003.5], nt), bw=rng.choice([200.0, 1000.0, 5000.0], nt),
             lic=rng.integers(0, 30, nt), eirp=rng.uniform(0, 40, nt))
    order = np.lexsort((t["f"], t["bw"]))
    ts = {key: np.ascontiguousarray(val[order]) for key, val in t.items()}
    cls_start = np.concatenate([[0], np.flatnonzero(np.diff(ts["bw"]) != 0) + 1, [nt]]).astype(np.int64)
    out_t = np.empty((nv, k), np.int64)
    out_s = np.empty((nv, k))
    out_d = np.empty((nv, k))
    strongest_pairs(v["lat"], v["lon"], v["f"], v["bw"], v["lic"], v["floor"], ts["lat"], ts["lon"], ts["f"], ts["bw"],
                    ts["lic"], ts["eirp"], cls_start, 40.0, 30.0, out_t, out_s, out_d)
    for i in range(nv):
        cand = []
        for j in range(nt):
            if ts["lic"][j] == v["lic"][i]:
                continue
            half = (v["bw"][i] + ts["bw"][j]) / 2000
            g = max(v["bw"][i], ts["bw"][j]) / 1000
            off = abs(ts["f"][j] - v["f"][i])
            if off > half + g:
                continue
            d = float(geo.distance_km(v["lat"][i], v["lon"][i], ts["lat"][j], ts["lon"][j]))
            if d > 40.0:
                continue
            fdr = 10 * math.log10(max(1.0, ts["bw"][j] / v["bw"][i])) if off <= half else 30.0
            cand.append((ts["eirp"][j] - (32.45 + 20 * math.log10(d) + 20 * math.log10(ts["f"][j])) - fdr, j))
        best = sorted(cand, reverse=True)[:k]
        got = sorted(((s, j) for s, j in zip(out_s[i], out_t[i]) if j >= 0), reverse=True)
        assert [j for _, j in got] == [j for _, j in best]
        np.testing.assert_allclose([s for s, _ in got], [s for s, _ in best], atol=1e-9)
    keep = np.zeros(6, dtype=bool)
    top_k_per_group(np.array([0, 0, 0, 1, 1, 2]), np.array([5.0, 4.0, 3.0, 9.0, -1.0, 0.0]), 2,
                    np.array([0.0, 0.0, 1.0]), keep)
    assert keep.tolist() == [True, True, False, True, False, False]


def test_stored_evaluation_reproduces_from_the_register_alone():
    try:
        from spectrum.datasets.register import sample_register
        from spectrum.datasets.requests import sample_request
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"sample register not installed: {exc}")
    from spectrum.evaluation import reproduce

    with sample_register() as reg:
        ev = evaluate_request(reg, sample_request(), model="free-space", rule="degradation", dt_over_t_percent=10.0,
                              criteria_by_service={"broadcasting": ("C/(N+I)", 20.0)}, p_percent=(10.0, 0.5),
                              store=True)
        again = reproduce(reg, ev.evaluation_id)
        assert again.decision == ev.decision and again.reasons == ev.reasons
        np.testing.assert_allclose(again.victims["margin_db"], ev.victims["margin_db"])
        assert again.inputs["choices"] == ev.inputs["choices"]
        with pytest.raises(ValueError, match="custom loss function"):
            reproduce(reg, evaluate_request(reg, sample_request(), loss_fn=free_space_loss_fn, store=True,
                                            intermod=False).evaluation_id)


def test_cli_evaluate_options(capsys, tmp_path):
    from spectrum.cli import main

    assert main(["evaluate", "--demo", "--json", "--rule", "degradation", "--dt-over-t", "10",
                 "--criterion", "broadcasting=C/(N+I):20", "--no-intermod", "--model", "free-space"]) == 0
    d = json.loads(capsys.readouterr().out)
    c = d["inputs"]["choices"]
    assert c["rule"] == "degradation" and c["dt_over_t_percent"] == 10.0 and c["intermod"] is False
    assert c["criteria_by_service"] == {"broadcasting": ["C/(N+I)", 20.0]}
    assert main(["evaluate", "--demo", "--model", "free-space", "--hdf5", str(tmp_path / "ev.h5")]) == 0
    h5py = pytest.importorskip("h5py")
    with h5py.File(tmp_path / "ev.h5", "r") as f:
        assert "victims/margin_total_db" in f and "victims/n_existing" in f
    for bad, msg in ((["--criterion", "fixed=I/N"], "SERVICE=CRITERION:DB"),
                     (["--dt-over-t", "-5"], "dt_over_t_percent"),
                     (["--criterion", "fixed=S/N:3"], "criteria_by_service")):
        assert main(["evaluate", "--demo", "--model", "free-space", *bad]) == 2
        assert msg in capsys.readouterr().err
    assert main(["sweep", "--demo", "--json", "--rule", "single-entry", "--no-existing", "--quiet"]) == 0
    capsys.readouterr()
