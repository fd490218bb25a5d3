"""Spectrum: radio spectrum management and interference analysis.

Numba-accelerated ITU-R / NTIA propagation kernels over gridded terrain in xarray,
a licence register, licence-request evaluation, sweeps, maps and a desktop viewer.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("spectrum")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

__all__ = ["__version__"]
