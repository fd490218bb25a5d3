"""PyQtGraph (PySide6) desktop viewer, started with ``spectrum gui``. Imports the library, never the reverse.

Modules: :mod:`~spectrum.gui.compute` (Qt-free hill shading and path analysis),
:mod:`~spectrum.gui.model` (the QObject model owning the state), :mod:`~spectrum.gui.workers`
(cancellable thread-pool tasks), :mod:`~spectrum.gui.views` (widgets that only draw),
:mod:`~spectrum.gui.main_window` (the wiring) and :mod:`~spectrum.gui.app` (:func:`run_app`).
Qt is imported only by those that need it, so ``spectrum.gui.compute`` works without PySide6.
"""
