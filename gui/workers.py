"""Work off the GUI thread: a cancellable :class:`Task` run on a :class:`QThreadPool`.

A task wraps a plain function ``fn(progress, cancelled, *args, **kwargs)``; the function may
call ``progress(percent, text)`` and poll ``cancelled()`` between steps (raising
:class:`Cancelled` to stop early). Library calls that take the two callables themselves (e.g.
:func:`spectrum.evaluation.evaluate_request`, which polls ``cancelled()`` between its stages and
raises ``EvaluationCancelled``) stop the worker thread too: any exception raised once the task
is cancelled ends it as cancelled. Results and errors travel back to the GUI thread as Qt
signals (queued connections), so slots run in the GUI thread.
"""
from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, QRunnable, Signal

__all__ = ["Cancelled", "Task", "TaskSignals"]


class Cancelled(Exception):
    """Raised inside a task function when the user cancelled it."""


class TaskSignals(QObject):
    """Signals of a :class:`Task` (a QRunnable cannot emit signals itself).

    Each carries the task, so that receivers are bound methods of QObjects living in the GUI
    thread (queued delivery there) rather than lambdas, which Qt would call in the worker thread.
    """

    progress = Signal(int, str)
    finished = Signal(object, object)  # task, result
    failed = Signal(object, str)  # task, message
    cancelled = Signal(object)  # task


class Task(QRunnable):
    """A cancellable unit of work for :class:`QThreadPool`.

    Parameters
    ----------
    fn : callable
        ``fn(progress, cancelled, *args, **kwargs) -> result``.
    name : str
        What it does (for messages).
    """

    def __init__(self, fn, *args, name: str = "task", **kwargs):
        super().__init__()
        self.setAutoDelete(False)  # the model keeps a reference until the signals have arrived
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.name = name
        self.signals = TaskSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the task to stop; it is abandoned (its result dropped) if it cannot stop sooner."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, percent: int, text: str = "") -> None:
        if not self._cancel.is_set():
            self.signals.progress.emit(int(percent), str(text))

    def run(self) -> None:  # runs in a pool thread
        try:
            result = self.fn(self._progress, self.is_cancelled, *self.args, **self.kwargs)
        except Cancelled:
            self.signals.cancelled.emit(self)
            return
        except Exception as exc:  # noqa: BLE001 - every failure must reach the GUI, not kill the thread
            if self._cancel.is_set():
                self.signals.cancelled.emit(self)
                return
            msg = str(exc) if isinstance(exc, (ValueError, KeyError, FileNotFoundError)) else \
                f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}"
            self.signals.failed.emit(self, msg)
            return
        if self._cancel.is_set():
            self.signals.cancelled.emit(self)
        else:
            self.signals.finished.emit(self, result)
