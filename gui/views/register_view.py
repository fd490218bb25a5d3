"""Register table with filters, and the licence details panel."""
from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QTextBrowser,
                               QVBoxLayout, QWidget)

__all__ = ["RegisterView", "RowsTableModel", "LicencePanel", "COLUMNS"]

#: (field, header, format)
COLUMNS = (
    ("licence_number", "licence", "{}"),
    ("licensee", "licensee", "{}"),
    ("service", "service", "{}"),
    ("status", "status", "{}"),
    ("station_name", "station", "{}"),
    ("role", "role", "{}"),
    ("f_mhz", "f MHz", "{:.4f}"),
    ("bw_khz", "bw kHz", "{:g}"),
    ("emission", "emission", "{}"),
    ("eirp_dbw", "EIRP dBW", "{:.1f}"),
    ("lat", "lat", "{:.5f}"),
    ("lon", "lon", "{:.5f}"),
    ("h_agl_m", "h m", "{:g}"),
    ("g_dbi", "G dBi", "{:.1f}"),
    ("azimuth_deg", "az °", "{:g}"),
    ("antenna_pattern", "pattern", "{}"),
    ("protection", "criterion", "{}"),
    ("protection_db", "crit dB", "{:g}"),
)


def _fmt(value, fmt):
    if value is None:
        return ""
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


class RowsTableModel(QAbstractTableModel):
    """Qt table adapter over a list of ``AssignmentRow`` (sortable by any column)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        key, _, fmt = COLUMNS[index.column()]
        v = getattr(r, key)
        if role == Qt.DisplayRole:
            return _fmt(v, fmt)
        if role == Qt.UserRole:
            return v
        if role == Qt.TextAlignmentRole and isinstance(v, (int, float)) and not isinstance(v, bool):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section][1]
        return None

    def sort(self, column, order=Qt.AscendingOrder):
        key = COLUMNS[column][0]
        self.beginResetModel()
        self.rows.sort(key=lambda r: (getattr(r, key) is None, getattr(r, key) if getattr(r, key) is not None else 0),
                       reverse=order == Qt.DescendingOrder)
        self.endResetModel()


class RegisterView(QWidget):
    """Filters (service, status, frequency range, text) over the register table."""

    filtersChanged = Signal(dict)
    licenceActivated = Signal(str)
    exportRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.service = QComboBox()
        self.status = QComboBox()
        self.f_min = QLineEdit()
        self.f_min.setPlaceholderText("f min MHz")
        self.f_max = QLineEdit()
        self.f_max.setPlaceholderText("f max MHz")
        self.text = QLineEdit()
        self.text.setPlaceholderText("search licence, licensee, station, emission ...")
        self.clear = QPushButton("Clear")
        self.export_btn = QPushButton("Export CSV…")
        self.export_btn.clicked.connect(self.exportRequested.emit)
        self.count = QLabel("")
        self.error = QLabel("")
        self.error.setStyleSheet("color:#b00")
        bar = QHBoxLayout()
        for lbl, w in (("service", self.service), ("status", self.status)):
            bar.addWidget(QLabel(lbl))
            bar.addWidget(w)
        bar.addWidget(QLabel("MHz"))
        bar.addWidget(self.f_min)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.f_max)
        bar.addWidget(self.text, 2)
        bar.addWidget(self.clear)
        bar.addWidget(self.export_btn)
        bar.addWidget(self.count)
        self.table_model = RowsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(20)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.error)
        lay.addWidget(self.table, 1)
        self.service.currentIndexChanged.connect(self._emit)
        self.status.currentIndexChanged.connect(self._emit)
        for w in (self.f_min, self.f_max, self.text):
            w.editingFinished.connect(self._emit)
        # typing filters after a short pause, not on every key (large registers)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._emit)
        self.text.textChanged.connect(self._debounce.start)
        self.clear.clicked.connect(self.clear_filters)
        self.table.clicked.connect(self._row_clicked)
        self._quiet = False
        self.show_error("")

    def set_choices(self, services, statuses) -> None:
        self._quiet = True
        try:
            for combo, items in ((self.service, services), (self.status, statuses)):
                cur = combo.currentData()
                combo.clear()
                combo.addItem("(any)", None)
                for s in items:
                    combo.addItem(s, s)
                i = combo.findData(cur)
                combo.setCurrentIndex(max(i, 0))
        finally:
            self._quiet = False

    def set_rows(self, rows, total: int) -> None:
        self.table_model.set_rows(rows)
        self.count.setText(f"{len(rows)} of {total} rows")

    def filters(self) -> dict:
        """The filters as typed; ValueError names a field that is not a number."""
        out = {"service": self.service.currentData(), "status": self.status.currentData(), "text": self.text.text()}
        for key, w in (("f_min_mhz", self.f_min), ("f_max_mhz", self.f_max)):
            t = w.text().strip()
            if not t:
                out[key] = None
                continue
            try:
                out[key] = float(t)
            except ValueError:
                raise ValueError(f"{key} = {t!r} is not a number (MHz)") from None
        return out

    def _emit(self, *_):
        if self._quiet:
            return
        try:
            f = self.filters()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.filtersChanged.emit(f)

    def show_error(self, msg: str) -> None:
        self.error.setText(msg)
        self.error.setVisible(bool(msg))

    def clear_filters(self) -> None:
        self._quiet = True
        try:
            self.service.setCurrentIndex(0)
            self.status.setCurrentIndex(0)
            for w in (self.f_min, self.f_max, self.text):
                w.clear()
        finally:
            self._quiet = False
        self._emit()

    def _row_clicked(self, index) -> None:
        r = self.table_model.rows[index.row()]
        self.licenceActivated.emit(r.licence_number)

    def select_licence(self, licence_number: str | None) -> None:
        """Scroll to and select the first row of ``licence_number``."""
        if licence_number is None:
            self.table.clearSelection()
            return
        for i, r in enumerate(self.table_model.rows):
            if r.licence_number == licence_number:
                idx = self.table_model.index(i, 0)
                self.table.blockSignals(True)
                self.table.selectRow(i)
                self.table.blockSignals(False)
                self.table.scrollTo(idx)
                return


class LicencePanel(QWidget):
    """Details of the selected licence: record, stations, assignments; buttons for further views."""

    pathRequested = Signal()
    coverageRequested = Signal()
    interferenceRequested = Signal()
    requestRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.path_btn = QPushButton("Path between stations")
        self.cov_btn = QPushButton("Coverage layer")
        self.int_btn = QPushButton("Interference layer")
        self.req_btn = QPushButton("Evaluate as request")
        self.path_btn.clicked.connect(self.pathRequested.emit)
        self.cov_btn.clicked.connect(self.coverageRequested.emit)
        self.int_btn.clicked.connect(self.interferenceRequested.emit)
        self.req_btn.clicked.connect(self.requestRequested.emit)
        bar = QHBoxLayout()
        for b in (self.path_btn, self.cov_btn, self.int_btn, self.req_btn):
            bar.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.browser, 1)
        lay.addLayout(bar)
        self.show_selection(None)

    def show_selection(self, sel, *, coverage: bool = False) -> None:
        for b in (self.path_btn, self.cov_btn, self.int_btn, self.req_btn):
            b.setEnabled(sel is not None)
        if sel is None:
            self.browser.setHtml("<p>Click a station on the map, a row of the register or a bar of the "
                                 "spectrum view.</p>")
            return
        lic = sel.licence
        e = html.escape
        roles = {r.role for r in sel.rows}
        self.cov_btn.setEnabled(coverage and "tx" in roles)
        self.int_btn.setEnabled(coverage and "rx" in roles)
        self.path_btn.setEnabled(bool(sel.rows))  # two ends: drawn at once; one site: pick the far end
        out = [f"<h3>{e(sel.licence_number)} — {e(str(lic.get('licensee', '')))}</h3>",
               "<table cellspacing=2>"]
        for k in ("service", "status", "valid_from", "valid_to", "remarks"):
            if lic.get(k) not in (None, ""):
                out.append(f"<tr><td><b>{k}</b></td><td>{e(str(lic[k]))}</td></tr>")
        out.append("</table>")
        stations: dict[int, list] = {}
        for r in sel.rows:
            stations.setdefault(r.station_id, []).append(r)
        out.append(f"<p>{len(stations)} station(s), {len(sel.rows)} assignment(s)</p>")
        for sid, rs in stations.items():
            s = rs[0]
            out.append(f"<p><b>{e(s.station_name)}</b> ({s.role}) {s.lat:.5f} N {s.lon:.5f} E, h {s.h_agl_m:g} m agl, "
                       f"{e(s.antenna_pattern or 'omni')} {s.g_dbi:.1f} dBi, az {s.azimuth_deg:g}°, "
                       f"tilt {s.tilt_deg:g}°, pol {s.polarisation}, feeder {s.feeder_loss_db:g} dB</p>")
            out.append("<table border=1 cellspacing=0 cellpadding=2><tr><th>f MHz</th><th>bw kHz</th>"
                       "<th>emission</th><th>EIRP dBW</th><th>mask / selectivity</th><th>NF dB</th>"
                       "<th>criterion</th></tr>")
            for r in rs:
                crit = f"{r.protection} {r.protection_db:g} dB" if r.protection else ""
                out.append(f"<tr><td>{r.f_mhz:.4f}</td><td>{r.bw_khz:g}</td><td>{e(r.emission or '')}</td>"
                           f"<td>{'' if r.eirp_dbw is None else format(r.eirp_dbw, '.1f')}</td>"
                           f"<td>{e(r.tx_mask or r.rx_selectivity or '')}</td>"
                           f"<td>{'' if r.noise_figure_db is None else format(r.noise_figure_db, 'g')}</td>"
                           f"<td>{e(crit)}</td></tr>")
            out.append("</table>")
        self.browser.setHtml("\n".join(out))

    def text(self) -> str:
        return self.browser.toPlainText()
