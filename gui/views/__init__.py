"""Widgets of the viewer: they draw what the model holds and emit the user's gestures as signals."""
from .map_view import MapView
from .path_view import PathView
from .register_view import LicencePanel, RegisterView
from .request_view import RequestView
from .spectrum_view import SpectrumView

__all__ = ["MapView", "PathView", "LicencePanel", "RegisterView", "RequestView", "SpectrumView"]
