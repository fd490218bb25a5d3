"""Numba kernels: float64 ndarrays in, float64 ndarrays out. No xarray, no I/O.

Imported as ``spectrum.kernels``. The public, validated API lives in :mod:`spectrum`.
"""
