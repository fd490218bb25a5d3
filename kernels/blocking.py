"""Receiver blocking kernels (SEAMCAT / ERC Report 68 blocking response): the blocking mask
interpolated at frequency offsets and the receiver attenuation of the three blocking modes."""
from __future__ import annotations

import numpy as np

from ._jit import jit

#: blocking modes (codes of :func:`attenuation_db`)
USER_DEFINED = 0
PROTECTION_RATIO = 1
SENSITIVITY = 2


@jit
def mask_db(offset_khz, value, df_khz, symmetric, out):
    """Blocking mask at offsets ``df_khz``: linear interpolation in dB between the points
    (``offset_khz`` increasing), held constant beyond the first / last point; ``symmetric``
    evaluates the mask at |df| (a mask given for positive offsets only)."""
    n = offset_khz.size
    for k in range(df_khz.size):
        x = abs(df_khz[k]) if symmetric else df_khz[k]
        if x <= offset_khz[0]:
            out[k] = value[0]
        elif x >= offset_khz[n - 1]:
            out[k] = value[n - 1]
        else:
            j = np.searchsorted(offset_khz, x, side="right") - 1
            w = (x - offset_khz[j]) / (offset_khz[j + 1] - offset_khz[j])
            out[k] = value[j] + w * (value[j + 1] - value[j])


@jit
def attenuation_db(mode, block, c_nplusi_db, nplusi_n_db, i_n_db, sens_dbw, out):
    """Receiver attenuation a_VR of each entry (arrays broadcast by the caller to one length):

    - user-defined (0):      a = block                                   [block in dB]
    - protection ratio (1):  a = block + C/(N+I) + (N+I)/N - I/N          [block in dB]
    - sensitivity (2):       a = block - S + C/(N+I) - I/N                [block in dBW, S dBW]
    """
    for k in range(block.size):
        if mode == USER_DEFINED:
            out[k] = block[k]
        elif mode == PROTECTION_RATIO:
            out[k] = block[k] + c_nplusi_db[k] + nplusi_n_db[k] - i_n_db[k]
        else:
            out[k] = block[k] - sens_dbw[k] + c_nplusi_db[k] - i_n_db[k]
