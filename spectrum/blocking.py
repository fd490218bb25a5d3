"""Receiver blocking and adjacent-channel selectivity: the three SEAMCAT blocking modes beside
the SM.337 FDR (:mod:`spectrum.masks`), as array functions a Monte Carlo engine can call per
trial.

The interference a receiver suffers from an unwanted signal outside its channel through its
imperfect selectivity (blocking, ERC Report 68 Annex 2 / Rec. ITU-R SM.2028-2 §3.2.2)::

    iRSS_blocking = P_it + G_it->vr - L(d) + G_vr->it - a_vr(df)     [dBW]

(the interferer's whole power, no bandwidth correction) with the receiver attenuation a_vr from
a blocking response given in one of three modes:

- **user-defined** (an ACS / blocking mask in dB): ``a_vr = block(df)``;
- **protection ratio** (the ETSI EN 300 113 §9 measurement, block in dB):
  ``a_vr = block(df) + C/(N+I) + (N+I)/N - I/N``;
- **sensitivity** (the maximum interfering level in dBW): ``a_vr = block(df) - S + C/(N+I) - I/N``.

With a noise floor N = -144 dBW (-114 dBm), S = -128 dBW, C/(N+I) = 16 dB, I/N = -6 dB,
(N+I)/N = 1 dB, a protection ratio of 52 dB and a sensitivity limit of -75 dBW (-45 dBm) both give
a_vr = 75 dB (the SEAMCAT handbook's example A8.7).

References
----------
ERC Report 68 (2002) Annex 2; ECC SEAMCAT handbook, Annex 8 (A8.3 user-defined, A8.4 protection
ratio, A8.5 sensitivity, A8.7 receiver attenuation); Rec. ITU-R SM.2028-2 (06/2017);
ETSI EN 300 113 §9 (blocking); Rec. ITU-R SM.337-6 (FDR, the alternative).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array
from .kernels import blocking as _k

__all__ = ["MODES", "BlockingMask", "receiver_attenuation_db", "blocking_interference_dbw",
           "attenuation_user_defined", "attenuation_protection_ratio", "attenuation_sensitivity"]

MODES = {"user-defined": _k.USER_DEFINED, "protection-ratio": _k.PROTECTION_RATIO, "sensitivity": _k.SENSITIVITY}


@dataclass(frozen=True)
class BlockingMask:
    """A blocking response: values at frequency offsets (interferer minus victim), in the units of
    its ``mode`` -- dB attenuation (user-defined), dB protection ratio, or dBW maximum interfering
    level (sensitivity). Offsets >= 0 only make it symmetric.

    Parameters
    ----------
    offset_khz : sequence of float
        Increasing offsets. [kHz]
    value : sequence of float
        The response at each offset. [dB or dBW]
    mode : {"user-defined", "protection-ratio", "sensitivity"}
    """

    offset_khz: tuple
    value: tuple
    mode: str = "user-defined"

    def __post_init__(self):
        off = np.atleast_1d(as_float_array("offset_khz", self.offset_khz))
        val = np.atleast_1d(as_float_array("value", self.value))
        if off.size != val.size or off.size < 1:
            raise ValueError(f"blocking mask: offset_khz ({off.size}) and value ({val.size}) need the same "
                             f"length, at least 1")
        if np.any(np.diff(off) <= 0):
            raise ValueError(f"blocking mask: offset_khz = {off.tolist()} must increase")
        if self.mode not in MODES:
            raise ValueError(f"mode = {self.mode!r} must be one of {', '.join(MODES)}")
        object.__setattr__(self, "offset_khz", tuple(off.tolist()))
        object.__setattr__(self, "value", tuple(val.tolist()))

    @property
    def symmetric(self) -> bool:
        return self.offset_khz[0] >= 0.0

    def at(self, df_khz) -> np.ndarray:
        """The response at offsets ``df_khz`` (linear in dB between points, constant beyond)."""
        df = np.atleast_1d(as_float_array("df_khz", df_khz)).astype(float)
        out = np.empty(df.shape)
        _k.mask_db(np.asarray(self.offset_khz), np.asarray(self.value), np.ascontiguousarray(df.ravel()),
                   self.symmetric, out.reshape(-1))
        return out.reshape(np.shape(df_khz)) if np.ndim(df_khz) else out

    def attenuation_db(self, df_khz, *, c_nplusi_db=None, nplusi_n_db=None, i_n_db=None, sens_dbw=None):
        """Receiver attenuation a_vr at ``df_khz`` (:func:`receiver_attenuation_db`). [dB]"""
        return receiver_attenuation_db(self.mode, self.at(df_khz), c_nplusi_db=c_nplusi_db,
                                       nplusi_n_db=nplusi_n_db, i_n_db=i_n_db, sens_dbw=sens_dbw)


def receiver_attenuation_db(mode: str, block, *, c_nplusi_db=None, nplusi_n_db=None, i_n_db=None,
                            sens_dbw=None) -> np.ndarray:
    """Receiver attenuation a_vr of a blocking response value, SEAMCAT handbook A8.3-A8.5. [dB]

    Parameters
    ----------
    mode : {"user-defined", "protection-ratio", "sensitivity"}
    block : array_like
        The response: attenuation [dB], protection ratio [dB] or maximum interfering level [dBW].
    c_nplusi_db, i_n_db : array_like
        The victim's C/(N+I) and I/N criteria (protection-ratio and sensitivity modes). [dB]
    nplusi_n_db : array_like, optional
        (N+I)/N (protection-ratio mode); default from I/N: 10 log10(1 + 10^(I/N / 10)). [dB]
    sens_dbw : array_like
        Sensitivity S (sensitivity mode). [dBW]
    """
    if mode not in MODES:
        raise ValueError(f"mode = {mode!r} must be one of {', '.join(MODES)}")
    b = as_float_array("block", block)
    code = MODES[mode]
    if code == _k.USER_DEFINED:
        return np.asarray(b, float)
    if c_nplusi_db is None or i_n_db is None:
        raise ValueError(f"blocking mode {mode!r} needs c_nplusi_db and i_n_db (the victim's criteria)")
    cni = as_float_array("c_nplusi_db", c_nplusi_db)
    i_n = as_float_array("i_n_db", i_n_db)
    if code == _k.PROTECTION_RATIO:
        nin = 10.0 * np.log10(1.0 + 10.0 ** (i_n / 10.0)) if nplusi_n_db is None else \
            as_float_array("nplusi_n_db", nplusi_n_db)
        sens = np.zeros(())
    else:
        if sens_dbw is None:
            raise ValueError("blocking mode 'sensitivity' needs sens_dbw (the victim's sensitivity)")
        sens = as_float_array("sens_dbw", sens_dbw)
        nin = np.zeros(())
    arrs = np.broadcast_arrays(np.asarray(b, float), np.asarray(cni, float), np.asarray(nin, float),
                               np.asarray(i_n, float), np.asarray(sens, float))
    shape = arrs[0].shape
    flat = [np.ascontiguousarray(a.ravel()) for a in arrs]
    out = np.empty(flat[0].size)
    _k.attenuation_db(code, *flat, out)
    out = out.reshape(shape)
    return out[()] if out.ndim == 0 else out


def attenuation_user_defined(block_db) -> np.ndarray:
    """a_vr = block (user-defined / ACS mask mode, SEAMCAT A8.3). [dB]"""
    return receiver_attenuation_db("user-defined", block_db)


def attenuation_protection_ratio(pr_db, c_nplusi_db, i_n_db, nplusi_n_db=None) -> np.ndarray:
    """a_vr = PR + C/(N+I) + (N+I)/N - I/N (protection-ratio mode, SEAMCAT A8.4). [dB]"""
    return receiver_attenuation_db("protection-ratio", pr_db, c_nplusi_db=c_nplusi_db, nplusi_n_db=nplusi_n_db,
                                   i_n_db=i_n_db)


def attenuation_sensitivity(limit_dbw, sens_dbw, c_nplusi_db, i_n_db) -> np.ndarray:
    """a_vr = limit - S + C/(N+I) - I/N (sensitivity mode, SEAMCAT A8.5). [dB]"""
    return receiver_attenuation_db("sensitivity", limit_dbw, c_nplusi_db=c_nplusi_db, i_n_db=i_n_db,
                                   sens_dbw=sens_dbw)


def blocking_interference_dbw(p_it_dbw, g_it_dbi, g_vr_dbi, loss_db, a_vr_db) -> np.ndarray:
    """iRSS_blocking = P_it + G_it + G_vr - L - a_vr (ERC Report 68 Annex 2; the interferer's
    whole power, no bandwidth correction). [dBW]"""
    return (as_float_array("p_it_dbw", p_it_dbw) + as_float_array("g_it_dbi", g_it_dbi)
            + as_float_array("g_vr_dbi", g_vr_dbi) - as_float_array("loss_db", loss_db)
            - as_float_array("a_vr_db", a_vr_db))
