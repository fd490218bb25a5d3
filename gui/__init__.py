"""PyQtGraph (PySide6) desktop viewer, started with ``spectrum gui``. Imports the library, never the reverse."""
