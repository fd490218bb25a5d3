"""Licence-request form, run/cancel with progress, decision and margin tables, report export."""
from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPlainTextEdit, QProgressBar, QPushButton, QScrollArea, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

__all__ = ["RequestView", "VICTIM_COLUMNS", "INTERFERER_COLUMNS", "INTERMOD_COLUMNS", "MODELS", "RULES", "CRITERIA"]

MODELS = ("service", "p452", "p1812", "p1546", "itm", "free-space", "auto")
RULES = ("absolute", "degradation", "single-entry")
CRITERIA = ("I/N", "C/I", "C/(N+I)", "(N+I)/N")
CLUTTER = ("", "water/sea", "open/rural", "suburban", "urban", "trees/forest", "dense urban")
DECISION_COLOURS = {"grant": "#1a7f37", "needs coordination": "#b07d00", "refuse": "#c0392b"}

VICTIM_COLUMNS = (
    ("licence_number", "licence", "{}"), ("station_name", "station", "{}"), ("service", "service", "{}"),
    ("f_mhz", "f MHz", "{:.3f}"), ("d_km", "d km", "{:.1f}"), ("fdr_db", "FDR dB", "{:.1f}"),
    ("gt_dbi", "Gt dBi", "{:.1f}"), ("gr_dbi", "Gr dBi", "{:.1f}"),
    ("lb_long_db", "Lb long dB", "{:.1f}"), ("lb_short_db", "Lb short dB", "{:.1f}"),
    ("i_long_dbw", "I long dBW", "{:.1f}"), ("i_blocking_long_dbw", "I blocking dBW", "{:.1f}"),
    ("blocking_mode", "blocking mode", "{}"), ("n_dbw", "N dBW", "{:.1f}"),
    ("i_existing_long_dbw", "I existing dBW", "{:.1f}"), ("n_existing", "existing entries", "{}"),
    ("margin_alone_db", "margin alone", "{:+.1f}"), ("margin_total_db", "margin total", "{:+.1f}"),
    ("dt_over_t_percent", "ΔT/T %", "{:.2f}"), ("clutter_db", "clutter dB", "{:.1f}"),
    ("building_entry_db", "building dB", "{:.1f}"), ("criterion", "criterion", "{}"),
    ("protection_db", "crit dB", "{:g}"), ("margin_long_db", "margin long", "{:+.1f}"),
    ("margin_short_db", "margin short", "{:+.1f}"), ("margin_db", "margin dB", "{:+.1f}"), ("status", "status", "{}"),
)
INTERFERER_COLUMNS = (
    ("licence_number", "licence", "{}"), ("station_name", "station", "{}"), ("service", "service", "{}"),
    ("f_mhz", "f MHz", "{:.3f}"), ("d_km", "d km", "{:.1f}"), ("eirp_dbw", "EIRP dBW", "{:.1f}"),
    ("fdr_db", "FDR dB", "{:.1f}"), ("lb_long_db", "Lb long dB", "{:.1f}"), ("i_long_dbw", "I long dBW", "{:.1f}"),
    ("i_blocking_long_dbw", "I blocking dBW", "{:.1f}"), ("i_over_n_long_db", "I/N dB", "{:.1f}"), ("share_percent", "share %", "{:.1f}"),
)

INTERMOD_COLUMNS = (
    ("product", "product", "{}"), ("kind", "Tx/Rx IM", "{}"), ("order", "order", "{}"),
    ("f_product_mhz", "f MHz", "{:.4f}"), ("licence_number", "licence", "{}"), ("station_name", "receiver", "{}"),
    ("f_rx_mhz", "rx MHz", "{:.4f}"), ("d_km", "d km", "{:.2f}"), ("i_dbw", "I dBW", "{:.1f}"),
    ("margin_db", "margin dB", "{:+.1f}"), ("status", "status", "{}"), ("sources", "sources", "{}"),
)

_GENERAL = (("licence_number", "licence number", "text"), ("licensee", "licensee", "text"),
            ("f_mhz", "Tx frequency [MHz]", "float"), ("rx_f_mhz", "Rx frequency [MHz] (duplex)", "float"),
            ("bw_khz", "bandwidth [kHz]", "float"), ("emission", "emission designator", "text"),
            ("tx_mask", "Tx mask (register name)", "text"),
            ("rx_selectivity", "Rx selectivity (register name)", "text"))
_TERMINAL = (("lat", "lat [°N]", "float"), ("lon", "lon [°E]", "float"), ("h_agl_m", "height agl [m]", "float"),
             ("g_dbi", "max gain [dBi]", "float"), ("antenna_pattern", "pattern (register name)", "text"),
             ("azimuth_deg", "azimuth [°]", "float"), ("tilt_deg", "tilt [°] (+ up)", "float"),
             ("feeder_loss_db", "feeder loss [dB]", "float"), ("name", "station name", "text"))


def _fmt(v, fmt):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    try:
        return fmt.format(v)
    except (ValueError, TypeError):
        return str(v)


def _parse(kind, text, name):
    t = text.strip()
    if not t:
        return None
    if kind == "float":
        try:
            return float(t)
        except ValueError:
            raise ValueError(f"{name} = {t!r} is not a number") from None
    return t


class RequestView(QWidget):
    """The request workflow: fill the form, run (off the GUI thread), read the decision, export."""

    runRequested = Signal(dict, str)
    cancelRequested = Signal()
    fromSelectionRequested = Signal()
    exportRequested = Signal(str)  # "text" | "json" | "hdf5" | "html" | "pdf"
    victimActivated = Signal(dict)
    interfererActivated = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        from spectrum.allocation import SERVICES

        self.fields: dict[str, tuple[QLineEdit, str]] = {}
        general = QFormLayout()
        self.service = QComboBox()
        self.service.setEditable(True)
        self.service.addItems(list(SERVICES))
        general.addRow("service", self.service)
        for key, label, kind in _GENERAL:
            w = QLineEdit()
            self.fields[key] = (w, kind)
            general.addRow(label, w)
        self.pol = QComboBox()
        self.pol.addItems(["v", "h"])
        general.addRow("polarisation", self.pol)
        self.model_box = QComboBox()
        self.model_box.addItems(list(MODELS))
        general.addRow("propagation model", self.model_box)
        self.store_box = QCheckBox("store the evaluation in the register (audited)")
        general.addRow("", self.store_box)
        self.options_box = self._options_box()
        self.tx_box, txf = self._terminal_box("transmitter", "tx")
        w = QLineEdit()
        self.fields["eirp_dbw"] = (w, "float")
        txf.addRow("EIRP [dBW]", w)
        self.rx_box, rxf = self._terminal_box("receiver", "rx")
        w = QLineEdit()
        self.fields["noise_figure_db"] = (w, "float")
        rxf.addRow("noise figure [dB]", w)
        self.protection = QComboBox()
        self.protection.addItems(list(CRITERIA))
        rxf.addRow("criterion", self.protection)
        w = QLineEdit()
        self.fields["protection_db"] = (w, "float")
        rxf.addRow("criterion value [dB]", w)
        form_w = QWidget()
        grid = QGridLayout(form_w)
        grid.addLayout(general, 0, 0)
        grid.addWidget(self.tx_box, 1, 0)
        grid.addWidget(self.rx_box, 2, 0)
        grid.addWidget(self.options_box, 3, 0)
        grid.setRowStretch(4, 1)
        scroll = QScrollArea()
        scroll.setWidget(form_w)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(330)
        # actions
        self.from_sel = QPushButton("From selected licence")
        self.run_btn = QPushButton("Run evaluation")
        self.run_btn.setDefault(True)
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress_text = QLabel("")
        self.from_sel.clicked.connect(self.fromSelectionRequested.emit)
        self.run_btn.clicked.connect(self._run)
        self.cancel_btn.clicked.connect(self.cancelRequested.emit)
        # results
        self.decision = QLabel("No evaluation yet.")
        self.decision.setTextFormat(Qt.RichText)
        self.decision.setWordWrap(True)
        self.decision.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.victims = self._table(VICTIM_COLUMNS)
        self.interferers = self._table(INTERFERER_COLUMNS)
        self.intermod = self._table(INTERMOD_COLUMNS)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setStyleSheet("font-family: monospace")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.victims, "Victims (candidate Tx → registered Rx)")
        self.tabs.addTab(self.interferers, "Interferers (registered Tx → candidate Rx)")
        self.tabs.addTab(self.intermod, "Intermodulation at the site")
        self.tabs.addTab(self.report, "Report")
        self.export_btns = {}
        exp = QHBoxLayout()
        exp.addWidget(QLabel("Export report:"))
        for fmt, label in (("text", "Text…"), ("json", "JSON…"), ("hdf5", "HDF5…"), ("html", "HTML…"), ("pdf", "PDF…")):
            b = QPushButton(label)
            b.setEnabled(False)
            b.clicked.connect(lambda _=False, f=fmt: self.exportRequested.emit(f))
            self.export_btns[fmt] = b
            exp.addWidget(b)
        exp.addStretch(1)
        self.victims.cellDoubleClicked.connect(lambda i, _: self._activated(self.victims, i, self.victimActivated))
        self.interferers.cellDoubleClicked.connect(
            lambda i, _: self._activated(self.interferers, i, self.interfererActivated))
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        btns = QHBoxLayout()
        for b in (self.from_sel, self.run_btn, self.cancel_btn):
            btns.addWidget(b)
        btns.addWidget(self.progress, 1)
        rl.addLayout(btns)
        rl.addWidget(self.progress_text)
        rl.addWidget(self.decision)
        rl.addWidget(self.tabs, 1)
        rl.addLayout(exp)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self._rows = {"victims": [], "interferers": []}
        self._inline: dict[str, dict] = {}
        self._stage = ""
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self._tick)
        for key, (w, _) in self.fields.items():  # a user edit replaces an inline dict by the typed text
            w.textEdited.connect(lambda _text, k=key: self._inline.pop(k, None))

    def _terminal_box(self, title: str, prefix: str):
        """A checkable group box with the ``_TERMINAL`` fields (registered as ``prefix.key``);
        returns the box and its form layout."""
        box = QGroupBox(title)
        box.setCheckable(True)
        form = QFormLayout(box)
        for key, label, kind in _TERMINAL:
            w = QLineEdit()
            self.fields[prefix + "." + key] = (w, kind)
            form.addRow(label, w)
        env = {"indoor": QCheckBox("indoor (P.2109 building entry)"), "building_type": QComboBox(),
               "clutter_class": QComboBox()}
        env["building_type"].addItems(["traditional", "thermally efficient"])
        env["clutter_class"].addItems(list(CLUTTER))
        form.addRow("", env["indoor"])
        form.addRow("building type", env["building_type"])
        form.addRow("clutter class (P.2108)", env["clutter_class"])
        self.env = getattr(self, "env", {})
        self.env[prefix] = env
        return box, form

    def _options_box(self) -> QGroupBox:
        """Evaluation choices (recorded with the evaluation): rule, existing interference, time
        percentages, building entry, intermodulation, criteria by service."""
        box = QGroupBox("evaluation options")
        f = QFormLayout(box)
        self.rule_box = QComboBox()
        self.rule_box.addItems(list(RULES))
        self.rule_box.setToolTip("absolute: existing + candidate must meet each victim's criterion; degradation: "
                                 "the candidate may raise N+I by at most ΔT/T; single-entry: the candidate alone")
        f.addRow("decision rule", self.rule_box)
        self.opt = {}
        for key, label, default in (("dt_over_t_percent", "permitted ΔT/T [%]", "6"),
                                    ("p_long", "long-term p [%]", "20"), ("p_short", "short-term p [%]", "1"),
                                    ("bel_p_percent", "building entry p [%]", "50"),
                                    ("intermod_radius_m", "site radius for IM [m]", "500")):
            w = QLineEdit(default)
            self.opt[key] = w
            f.addRow(label, w)
        self.existing_box = QCheckBox("existing interference at each victim")
        self.existing_box.setChecked(True)
        f.addRow("", self.existing_box)
        self.scope_box = QComboBox()
        self.scope_box.addItems(["decisive", "all"])
        f.addRow("existing interference at", self.scope_box)
        self.intermod_box = QCheckBox("intermodulation at the candidate's site")
        self.intermod_box.setChecked(True)
        f.addRow("", self.intermod_box)
        self.blocking_box = QCheckBox("receiver blocking beside the FDR (SEAMCAT)")
        self.blocking_box.setChecked(True)
        self.blocking_box.setToolTip("where channels do not overlap: I = I_unwanted (+) I_blocking, a_vr from the "
                                     "receiver's selectivity mask, else the generic ETSI EN 300 113 receiver")
        f.addRow("", self.blocking_box)
        self.criteria_edit = QLineEdit()
        self.criteria_edit.setPlaceholderText("e.g. broadcasting=C/(N+I):20; fixed=I/N:-10")
        f.addRow("criteria by service", self.criteria_edit)
        return box

    def options(self) -> dict:
        """The evaluation choices as keyword arguments of :func:`spectrum.evaluation.evaluate_request`;
        ValueError names a field that is not a number or a malformed criterion."""
        num = {k: _parse("float", w.text(), k) for k, w in self.opt.items()}
        crit = {}
        for item in [x for x in self.criteria_edit.text().split(";") if x.strip()]:
            try:
                svc, rest = item.split("=", 1)
                c, db = rest.rsplit(":", 1)
                crit[svc.strip()] = (c.strip(), float(db))
            except ValueError:
                raise ValueError(f"criteria by service: {item.strip()!r} must be SERVICE=CRITERION:DB") from None
        out = {"rule": self.rule_box.currentText(), "existing_interference": self.existing_box.isChecked(),
               "existing_scope": self.scope_box.currentText(), "intermod": self.intermod_box.isChecked(),
               "blocking": self.blocking_box.isChecked(),
               "criteria_by_service": crit}
        if num["p_long"] is not None or num["p_short"] is not None:
            out["p_percent"] = (num["p_long"] if num["p_long"] is not None else 20.0,
                                num["p_short"] if num["p_short"] is not None else 1.0)
        for k in ("dt_over_t_percent", "bel_p_percent", "intermod_radius_m"):
            if num[k] is not None:
                out[k] = num[k]
        return out

    @staticmethod
    def _table(columns):
        t = QTableWidget(0, len(columns))
        t.setHorizontalHeaderLabels([c[1] for c in columns])
        t.verticalHeader().setVisible(False)
        t.setEditTriggers(QTableWidget.NoEditTriggers)
        t.setSelectionBehavior(QTableWidget.SelectRows)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        t.setToolTip("double-click a row to draw its path in the Path view")
        return t

    # -- form ---------------------------------------------------------------------------------
    def set_request(self, req: dict) -> None:
        """Fill the form from a request dict (as :meth:`spectrum.evaluation.Request.to_dict`).

        Inline pattern / mask dicts are shown by name and given back as the same dicts by
        :meth:`request` until the user edits the field.
        """
        self._inline = {}
        for key, (w, _) in self.fields.items():
            if "." in key:
                end, k = key.split(".")
                t = req.get(end) or {}
                v = t.get(k)
            else:
                v = req.get(key)
            if isinstance(v, dict):  # an inline pattern or mask dict
                self._inline[key] = v
                v = v.get("name") or v.get("kind")
            w.setText("" if v is None else (f"{v:.12g}" if isinstance(v, float) else str(v)))
        self.service.setCurrentText(str(req.get("service", "")))
        self.pol.setCurrentText(req.get("polarisation") or "v")
        self.protection.setCurrentText(req.get("protection") or "I/N")
        self.tx_box.setChecked(bool(req.get("tx")))
        self.rx_box.setChecked(bool(req.get("rx")))
        for end, env in self.env.items():
            t = req.get(end) or {}
            env["indoor"].setChecked(bool(t.get("indoor")))
            env["building_type"].setCurrentText(t.get("building_type") or "traditional")
            env["clutter_class"].setCurrentText(t.get("clutter_class") or "")

    def request(self) -> dict:
        """The request dict typed in the form; ValueError names a field that is not a number."""
        out: dict = {"service": self.service.currentText().strip(), "polarisation": self.pol.currentText(),
                     "protection": self.protection.currentText()}
        ends = {"tx": {}, "rx": {}}
        for key, (w, kind) in self.fields.items():
            v = _parse(kind, w.text(), key)
            inline = self._inline.get(key)
            if inline is not None:
                v = inline
            if v is None:
                continue
            if "." in key:
                end, k = key.split(".")
                ends[end][k] = v
            else:
                out[key] = v
        for end, env in self.env.items():
            if env["indoor"].isChecked():
                ends[end]["indoor"] = True
                ends[end]["building_type"] = env["building_type"].currentText()
            if env["clutter_class"].currentText():
                ends[end]["clutter_class"] = env["clutter_class"].currentText()
        if self.tx_box.isChecked():
            out["tx"] = ends["tx"]
        else:
            out.pop("eirp_dbw", None)
            out.pop("tx_mask", None)
        if self.rx_box.isChecked():
            out["rx"] = ends["rx"]
        else:
            for k in ("noise_figure_db", "protection_db", "rx_f_mhz", "rx_selectivity"):
                out.pop(k, None)
            out.pop("protection", None)
        return out

    def model(self) -> str:
        return self.model_box.currentText()

    def _run(self) -> None:
        try:
            req = self.request()
            self.options()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.runRequested.emit(req, self.model())

    # -- state --------------------------------------------------------------------------------
    def show_running(self) -> None:
        """Busy indicator, then the stage reached (the library reports each stage) and the elapsed time."""
        self.run_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.progress.setRange(0, 0)
        self._stage = "starting"
        self._clock.start()
        self._ticker.start()
        self._tick()
        self.decision.setText("Evaluating ...")

    def show_progress(self, percent: int, text: str) -> None:
        self._stage = text
        if percent > 0:
            self.progress.setRange(0, 100)
            self.progress.setValue(int(percent))
        self._tick()

    def _tick(self) -> None:
        self.progress_text.setText(f"{self._stage} — {self._clock.elapsed() / 1000.0:.1f} s")

    def _idle(self) -> None:
        self._ticker.stop()
        self.run_btn.setEnabled(True)
        self.cancel_btn.setEnabled(False)
        self.progress.setRange(0, 100)

    def show_cancelled(self) -> None:
        self._idle()
        self.progress.setValue(0)
        self.progress_text.setText("cancelled")
        self.decision.setText("Evaluation cancelled.")

    def show_error(self, msg: str) -> None:
        self._idle()
        self.progress.setValue(0)
        self.progress_text.setText("")
        self.decision.setText(f"<span style='color:#c0392b'><b>Error:</b> {msg}</span>")

    def show_evaluation(self, ev) -> None:
        """Decision, reasons, victim and interferer tables, the text report."""
        self._idle()
        self.progress.setValue(100)
        self.progress_text.setText(f"done in {self._clock.elapsed() / 1000.0:.1f} s"
                                   if self._clock.isValid() else "done")
        colour = DECISION_COLOURS.get(ev.decision, "#000")
        worst = (f" — worst victim margin {ev.worst_margin_db:+.1f} dB" if math.isfinite(ev.worst_margin_db) else "")
        agg = ""
        a = ev.aggregate or {}
        if a and a.get("margin_db") is not None and math.isfinite(a.get("margin_db", float("nan"))):
            agg = (f"<br>Aggregate into the candidate receiver: I = {a['i_long_dbw']:.1f} dBW, "
                   f"N = {a['n_dbw']:.1f} dBW, margin {a['margin_db']:+.1f} dB")
        reasons = "".join(f"<li>{r}</li>" for r in ev.reasons)
        if ev.evaluation_id is not None:
            reasons += f"<li>stored in the register as evaluation {ev.evaluation_id}</li>"
        self.decision.setText(f"<span style='font-size:15pt; color:{colour}'><b>{ev.decision.upper()}</b></span>"
                              f"{worst}{agg}<ul>{reasons}</ul>")
        vrows = sorted(ev.victim_rows(), key=lambda r: (r.get("margin_db") is None, r.get("margin_db") or 0.0))
        irows = sorted(ev.interferer_rows(), key=lambda r: -(r.get("i_long_dbw") or -1e9))
        self._fill(self.victims, VICTIM_COLUMNS, vrows)
        self._fill(self.interferers, INTERFERER_COLUMNS, irows)
        self._fill(self.intermod, INTERMOD_COLUMNS, sorted(ev.intermod_rows(), key=lambda r: r.get("margin_db") or 0.0))
        self._rows = {"victims": vrows, "interferers": irows}
        self.report.setPlainText(ev.report())
        for b in self.export_btns.values():
            b.setEnabled(True)

    @staticmethod
    def _fill(table, columns, rows) -> None:
        table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, (key, _, fmt) in enumerate(columns):
                v = r.get(key)
                item = QTableWidgetItem(_fmt(v, fmt))
                if isinstance(v, (int, float)):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if key in ("margin_db", "status"):
                    m = r.get("margin_db")
                    if m is not None and math.isfinite(m):
                        item.setForeground(Qt.darkRed if m < 0 else (Qt.darkYellow if m < 3 else Qt.darkGreen))
                table.setItem(i, j, item)

    def _activated(self, table, i, signal) -> None:
        which = "victims" if table is self.victims else "interferers"
        if 0 <= i < len(self._rows[which]):
            signal.emit(self._rows[which][i])

    def victim_rows_shown(self) -> list[dict]:
        return list(self._rows["victims"])
