"""Transmitter spectrum masks, receiver selectivity and frequency-dependent rejection.

A :class:`Mask` is a piecewise-linear attenuation in dB versus frequency offset from the
carrier (kHz). Offsets given only for one side (all >= 0) describe a symmetric mask.
:func:`fdr_db` is the frequency-dependent rejection of Rec. ITU-R SM.337-6 Annex 1 §2:

    FDR(df) = OTR + OFR(df) = 10 log10( int P(f) df / int P(f) H(f + df) df )

computed numerically by integrating the Tx power spectral density P (from the Tx mask)
through the Rx selectivity H on a fine grid (:mod:`spectrum.kernels.fdr`).

When the register holds no mask for an assignment the generic shapes below are used
(documented assumptions, not Recommendation text):

- Tx (:meth:`Mask.generic_tx`): 0 dB across the necessary bandwidth B, then the roll-off
  40 log10(F/50 + 1) dB with F the offset beyond the band edge in percent of B (the form of the
  generic out-of-band limit of Rec. ITU-R SM.1541-6 Annex 1), up to the out-of-band /
  spurious boundary at 2.5 B from the centre (Rec. ITU-R SM.329-12), then a 60 dB spurious floor
  out to 10 B.
- Rx (:meth:`Mask.generic_rx`): 0 dB across B, 20 dB at 0.75 B, 40 dB at B (adjacent channel),
  70 dB from 2 B on.

References
----------
Rec. ITU-R SM.337-6 (10/2008), Frequency and distance separations, Annex 1 §2.
Rec. ITU-R SM.1541-6 (08/2015), Unwanted emissions in the out-of-band domain.
Rec. ITU-R SM.329-12 (09/2012), Unwanted emissions in the spurious domain.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ._validate import as_float_array, check_positive
from .kernels import fdr as _kfdr

#: grid points per narrowest bandwidth used by the FDR integration
POINTS_PER_BANDWIDTH = 400
MAX_GRID = 200_000


@dataclass(frozen=True)
class Mask:
    """Piecewise-linear attenuation versus offset.

    Parameters
    ----------
    offset_khz : sequence of float
        Offsets from the centre frequency, ascending. All >= 0 means symmetric. [kHz]
    attenuation_db : sequence of float
        Attenuation relative to the in-band level at each offset (>= 0). [dB]
    kind : {"tx", "rx"}
        Transmitter spectrum mask or receiver selectivity.
    name : str, optional
    """

    offset_khz: tuple
    attenuation_db: tuple
    kind: str = "tx"
    name: str | None = None

    def __post_init__(self):
        off = as_float_array("offset_khz", self.offset_khz)
        att = as_float_array("attenuation_db", self.attenuation_db)
        label = f"mask {self.name!r}: " if self.name else ""
        if off.ndim != 1 or off.size < 2 or off.size != att.size:
            raise ValueError(f"{label}offset_khz and attenuation_db must be 1-D of the same length >= 2 "
                             f"(got {off.size} and {att.size})")
        if np.any(np.diff(off) < 0):
            raise ValueError(f"{label}offset_khz = {off.tolist()} must be ascending")
        if np.any(att < 0):
            raise ValueError(f"{label}attenuation_db = {att.min():g} must be >= 0 dB (relative to the in-band level)")
        if self.kind not in ("tx", "rx"):
            raise ValueError(f"{label}kind = {self.kind!r} must be 'tx' or 'rx'")
        object.__setattr__(self, "offset_khz", tuple(float(x) for x in off))
        object.__setattr__(self, "attenuation_db", tuple(float(x) for x in att))

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_register(cls, d: Mapping[str, Any]) -> "Mask":
        """From ``reg.spectrum_mask(name)`` ({name, kind, offset_khz, attenuation_db}).

        Raises
        ------
        ValueError
            If ``d`` is not a mapping, lacks ``offset_khz`` / ``attenuation_db``, or those are not
            sequences of numbers (the mask's own checks then apply).
        """
        if not isinstance(d, Mapping):
            raise ValueError(f"a mask must be a mapping with offset_khz and attenuation_db, got {d!r}")
        missing = [k for k in ("offset_khz", "attenuation_db") if k not in d]
        if missing:
            raise ValueError(f"mask {d.get('name', d)!r} is missing {missing} (needs offset_khz [kHz] and "
                             f"attenuation_db [dB])")
        try:
            off, att = tuple(d["offset_khz"]), tuple(d["attenuation_db"])
        except TypeError:
            raise ValueError(f"mask {d.get('name', '')!r}: offset_khz = {d['offset_khz']!r} and attenuation_db = "
                             f"{d['attenuation_db']!r} must be sequences of numbers") from None
        return cls(off, att, d.get("kind", "tx"), d.get("name"))

    @classmethod
    def rectangular(cls, bw_khz: float, kind: str = "tx", stop_db: float = 300.0) -> "Mask":
        """An ideal rectangular mask of width ``bw_khz`` (skirts 1e-6 B wide, ``stop_db`` outside)."""
        b = float(check_positive("bw_khz", bw_khz, "kHz"))
        e = 1e-6 * b
        if kind == "tx":
            return cls((0.0, b / 2), (0.0, 0.0), "tx", f"rect {b:g} kHz")
        return cls((0.0, b / 2, b / 2 + e), (0.0, 0.0, stop_db), "rx", f"rect {b:g} kHz")

    @classmethod
    def generic_tx(cls, bw_khz: float) -> "Mask":
        """Generic Tx mask for bandwidth ``bw_khz`` (see module notes)."""
        b = float(check_positive("bw_khz", bw_khz, "kHz"))
        f_pct = np.array([0.0, 25.0, 50.0, 100.0, 150.0, 200.0])
        off = [0.0] + list(b / 2 + f_pct / 100.0 * b)
        att = [0.0] + list(40.0 * np.log10(f_pct / 50.0 + 1.0))
        off += [2.5 * b * (1 + 1e-9), 10.0 * b]
        att += [60.0, 60.0]
        return cls(tuple(off), tuple(att), "tx", f"generic-tx {b:g} kHz")

    @classmethod
    def generic_rx(cls, bw_khz: float) -> "Mask":
        """Generic Rx selectivity for bandwidth ``bw_khz`` (see module notes)."""
        b = float(check_positive("bw_khz", bw_khz, "kHz"))
        return cls((0.0, b / 2, 0.75 * b, b, 2.0 * b), (0.0, 0.0, 20.0, 40.0, 70.0), "rx",
                   f"generic-rx {b:g} kHz")

    # -- views --------------------------------------------------------------------------
    def two_sided(self) -> tuple[np.ndarray, np.ndarray]:
        """Offsets [kHz] and attenuations [dB] over both sides, ascending."""
        off = np.asarray(self.offset_khz)
        att = np.asarray(self.attenuation_db)
        if off[0] >= 0.0:
            keep = off > 0.0
            off = np.concatenate([-off[keep][::-1], off])
            att = np.concatenate([att[keep][::-1], att])
        return np.ascontiguousarray(off), np.ascontiguousarray(att)

    def attenuation_at(self, offset_khz) -> np.ndarray:
        """Attenuation at ``offset_khz`` (linear in dB; end values held outside). [dB]"""
        off, att = self.two_sided()
        return np.interp(as_float_array("offset_khz", offset_khz), off, att)

    def bandwidth_khz(self, level_db: float = 3.0) -> float:
        """Width between the outermost offsets where the attenuation is <= ``level_db``. [kHz]"""
        off, att = self.two_sided()
        x = np.linspace(off[0], off[-1], 20001)
        inside = x[np.interp(x, off, att) <= level_db]
        return float(inside[-1] - inside[0]) if inside.size else 0.0

    @property
    def key(self) -> tuple:
        return (self.kind, self.offset_khz, self.attenuation_db)

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "offset_khz": list(self.offset_khz),
                "attenuation_db": list(self.attenuation_db)}


def _grid_points(tx: Mask, rx: Mask) -> int:
    toff, _ = tx.two_sided()
    span = toff[-1] - toff[0]
    if span <= 0:
        raise ValueError(f"Tx mask {tx.name!r} spans no bandwidth")
    narrow = max(min(tx.bandwidth_khz(), rx.bandwidth_khz()), 1e-9 * span)
    return int(min(MAX_GRID, max(2001, POINTS_PER_BANDWIDTH * span / narrow + 1)))


def fdr_db(tx_mask: Mask, rx_mask: Mask, df_khz, *, method: str = "exact") -> np.ndarray:
    """Frequency-dependent rejection, Rec. ITU-R SM.337-6 Annex 1 §2, Eq. (1). [dB]

    Parameters
    ----------
    tx_mask : Mask
        Transmitter spectrum mask (its PSD shape).
    rx_mask : Mask
        Receiver selectivity.
    df_khz : array_like
        Receiver tuning minus transmitter frequency. [kHz]
    method : {"exact", "grid"}
        ``"exact"`` integrates segment by segment between the merged mask breakpoints in closed
        form (the masks are linear in dB there); ``"grid"`` is the trapezoidal rule on a uniform
        grid of :data:`POINTS_PER_BANDWIDTH` points per narrowest bandwidth (slower, kept as a check).

    Returns
    -------
    numpy.ndarray
        FDR = OTR + OFR(df) (>= 0 for masks normalised to 0 dB in-band). [dB]

    References
    ----------
    Rec. ITU-R SM.337-6 (2008).
    """
    df = as_float_array("df_khz", df_khz)
    toff, tatt = tx_mask.two_sided()
    roff, ratt = rx_mask.two_sided()
    dfc = np.ascontiguousarray(df.ravel())
    if method == "exact":
        out = _kfdr.fdr(toff, tatt, roff, ratt, dfc)
    elif method == "grid":
        out = _kfdr.fdr_grid(toff, tatt, roff, ratt, dfc, _grid_points(tx_mask, rx_mask))
    else:
        raise ValueError(f"method = {method!r} must be 'exact' or 'grid'")
    return out.reshape(df.shape)


def otr_db(tx_mask: Mask, rx_mask: Mask) -> float:
    """On-tune rejection, Rec. ITU-R SM.337-6 Annex 1 §2: FDR at df = 0. [dB]"""
    return float(fdr_db(tx_mask, rx_mask, 0.0))


def ofr_db(tx_mask: Mask, rx_mask: Mask, df_khz) -> np.ndarray:
    """Off-frequency rejection OFR(df) = FDR(df) - OTR, Rec. ITU-R SM.337-6 Annex 1 §2. [dB]"""
    return fdr_db(tx_mask, rx_mask, df_khz) - otr_db(tx_mask, rx_mask)


class FDRCache:
    """Memoised FDR over (Tx mask, Rx mask, df rounded to 1 Hz): many victims share a few
    mask pairs and offsets, so the integration runs once per distinct case."""

    def __init__(self):
        self._memo: dict[tuple, float] = {}

    def __call__(self, tx_mask: Mask, rx_mask: Mask, df_khz) -> np.ndarray:
        df = np.atleast_1d(np.asarray(df_khz, dtype=float))
        r = np.round(np.abs(df) * 1000.0) / 1000.0 if _symmetric(tx_mask, rx_mask) else np.round(df * 1000.0) / 1000.0
        uniq, inv = np.unique(r, return_inverse=True)
        kt, kr = tx_mask.key, rx_mask.key
        vals = np.empty(uniq.size)
        todo = []
        for i, u in enumerate(uniq):
            v = self._memo.get((kt, kr, float(u)))
            if v is None:
                todo.append(i)
            else:
                vals[i] = v
        if todo:
            res = fdr_db(tx_mask, rx_mask, uniq[todo])
            for i, v in zip(todo, res):
                vals[i] = v
                self._memo[(kt, kr, float(uniq[i]))] = float(v)
        return vals[inv].reshape(np.shape(df_khz)) if np.ndim(df_khz) else vals[inv]


def _symmetric(tx: Mask, rx: Mask) -> bool:
    return tx.offset_khz[0] >= 0.0 and rx.offset_khz[0] >= 0.0


__all__ = ["Mask", "fdr_db", "otr_db", "ofr_db", "FDRCache"]
