"""The viewer's request form with the evaluation options, and Cancel stopping the worker: the
library polls the cancellation flag between its stages, so a cancelled evaluation stops
computing (it is not merely discarded)."""
from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from gui_fixtures import REQUEST, db, sample_db, small_dem, window  # noqa: E402,F401  (fixtures)

pytestmark = pytest.mark.gui


def test_form_offers_the_evaluation_options(window):  # noqa: F811 (pytest fixture)
    rv = window.request
    rv.set_request(dict(REQUEST, protection="C/(N+I)", protection_db=15.0,
                        rx=dict(REQUEST["rx"], indoor=True, building_type="thermally efficient",
                                clutter_class="urban")))
    assert [rv.protection.itemText(i) for i in range(rv.protection.count())] == ["I/N", "C/I", "C/(N+I)", "(N+I)/N"]
    req = rv.request()
    assert req["protection"] == "C/(N+I)" and req["rx"]["indoor"] is True
    assert req["rx"]["building_type"] == "thermally efficient" and req["rx"]["clutter_class"] == "urban"
    rv.rule_box.setCurrentText("degradation")
    rv.opt["dt_over_t_percent"].setText("10")
    rv.opt["p_short"].setText("0.5")
    rv.existing_box.setChecked(False)
    rv.intermod_box.setChecked(False)
    rv.criteria_edit.setText("broadcasting=C/(N+I):20; fixed=I/N:-10")
    o = rv.options()
    assert o["rule"] == "degradation" and o["dt_over_t_percent"] == 10.0 and o["p_percent"] == (20.0, 0.5)
    assert o["existing_interference"] is False and o["intermod"] is False
    assert o["blocking"] is True                                  # receiver blocking on by default
    rv.blocking_box.setChecked(False)
    assert rv.options()["blocking"] is False
    assert rv.model() == "service"                                # the default model follows the service
    assert o["criteria_by_service"] == {"broadcasting": ("C/(N+I)", 20.0), "fixed": ("I/N", -10.0)}
    rv.criteria_edit.setText("fixed=I/N")
    with pytest.raises(ValueError, match="SERVICE=CRITERION:DB"):
        rv.options()
    rv._run()                                     # a bad option is shown, nothing starts
    assert "SERVICE=CRITERION:DB" in rv.decision.text() and not window.model.evaluation_running


def test_options_reach_the_recorded_evaluation(window, qtbot):  # noqa: F811 (pytest fixture)
    m, rv = window.model, window.request
    rv.set_request(REQUEST)
    rv.rule_box.setCurrentText("single-entry")
    rv.intermod_box.setChecked(False)
    rv.blocking_box.setChecked(False)
    done = []
    m.evaluationFinished.connect(done.append)
    qtbot.mouseClick(rv.run_btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: not m.evaluation_running, timeout=180000)
    ev = done[0]
    assert ev.inputs["choices"]["rule"] == "single-entry" and ev.inputs["choices"]["intermod"] is False
    assert ev.inputs["choices"]["blocking"] is False and ev.inputs["choices"]["model_requested"] == "service"
    assert rv.progress.value() == 100 and rv.intermod.rowCount() == 0


def test_cancel_stops_the_running_evaluation(window, qtbot):  # noqa: F811 (pytest fixture)
    """A slow loss model: Cancel while the forward losses are computed; the worker stops at the
    next stage boundary -- the reverse direction (two more loss calls) never runs."""
    from spectrum.evaluation import free_space_loss_fn

    m, rv = window.model, window.request
    rv.set_request(REQUEST)
    started = threading.Event()
    calls = []
    ended = []

    def slow_loss(*a, **kw):
        calls.append(time.monotonic())
        started.set()
        time.sleep(0.3)
        return free_space_loss_fn(*a, **kw)

    window.run_request(REQUEST, "p452")  # warm the JIT and caches without the slow model
    qtbot.waitUntil(lambda: not m.evaluation_running, timeout=180000)
    task = m.run_evaluation(REQUEST, loss_fn=slow_loss, existing_interference=False, intermod=False)
    task.signals.cancelled.connect(lambda t: ended.append("cancelled"))
    task.signals.finished.connect(lambda t, r: ended.append("finished"))
    assert started.wait(60)
    qtbot.mouseClick(rv.cancel_btn, Qt.LeftButton)
    assert not m.evaluation_running and "cancelled" in rv.decision.text().lower()
    m.pool.waitForDone(60000)
    qtbot.waitUntil(lambda: bool(ended), timeout=10000)
    assert ended == ["cancelled"]
    assert len(calls) <= 2          # the forward pair (long/short term); a full run makes four or more
    assert m.evaluation is not None and m.evaluation.inputs["choices"]["rule"] == "absolute"  # the warm-up's
