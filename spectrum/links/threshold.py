"""Receiver threshold of a digital fixed link for a bit error ratio: noise (k T0 B + NF) plus
the carrier-to-noise ratio the modulation needs for that BER in additive white Gaussian noise.

BER of Gray-coded square M-QAM (and M-PSK for M <= 4) in AWGN, Pb ~ (4/k)(1 - 1/sqrt(M)) Q(sqrt(3k Eb/N0/(M-1))),
k = log2 M (Proakis & Salehi, *Digital Communications*, 5th ed., §4.3; the same form is used for the
non-square 32- and 128-QAM), solved for Es/N0 by bisection; C/N in the channel bandwidth B with a
root-raised-cosine symbol rate Rs = B / (1 + roll-off) is Es/N0 - 10 log10(1 + roll-off), plus an
implementation margin (equipment loss against theory, an input: the 2 dB default is a planning
assumption, not a standard value).

References
----------
Rec. ITU-R P.372-16 §1 (k T0 B noise); Rec. ITU-R F.1101 (characteristics of digital fixed wireless
systems below about 17 GHz) for the threshold / BER description; J. G. Proakis, M. Salehi,
Digital Communications, 5th ed. (2008), §4.3.
"""
from __future__ import annotations

import math

from .._validate import check_range
from ..interference import noise_dbw

__all__ = ["MODULATIONS", "required_cn_db", "threshold_dbw"]

#: Modulation name -> bits per symbol.
MODULATIONS = {"BPSK": 1, "QPSK": 2, "4QAM": 2, "8PSK": 3, "16QAM": 4, "32QAM": 5, "64QAM": 6,
               "128QAM": 7, "256QAM": 8, "512QAM": 9, "1024QAM": 10, "2048QAM": 11, "4096QAM": 12}


def _q(x: float) -> float:
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def _ber(mod: str, es_n0_db: float) -> float:
    k = MODULATIONS[mod]
    es_n0 = 10.0 ** (es_n0_db / 10.0)
    if k == 1:
        return _q(math.sqrt(2.0 * es_n0))
    if mod == "8PSK":  # nearest-neighbour approximation, Gray coded
        return 2.0 / 3.0 * _q(math.sqrt(2.0 * es_n0) * math.sin(math.pi / 8.0))
    m = 2.0 ** k
    return min(0.5, 4.0 / k * (1.0 - 1.0 / math.sqrt(m)) * _q(math.sqrt(3.0 * es_n0 / (m - 1.0))))


def _mod(modulation: str) -> str:
    key = str(modulation).strip().upper().replace("-", "").replace(" ", "")
    if key not in MODULATIONS:
        raise ValueError(f"modulation = {modulation!r} is not one of {', '.join(MODULATIONS)}")
    return key


def required_cn_db(modulation: str = "16QAM", ber: float = 1e-6, *, rolloff: float = 0.25,
                   impl_margin_db: float = 2.0) -> float:
    """Carrier-to-noise ratio in the channel bandwidth needed for ``ber`` (AWGN, Gray coding). [dB]

    Parameters
    ----------
    modulation : str
        One of :data:`MODULATIONS`.
    ber : float
        Bit error ratio, 1e-12 to 1e-2 (1e-6 the usual fixed-link threshold). [-]
    rolloff : float
        Root-raised-cosine roll-off, 0 to 1. [-]
    impl_margin_db : float
        Equipment implementation loss against theory, 0 to 10. [dB]

    Returns
    -------
    float
        C/N. [dB]
    """
    mod = _mod(modulation)
    check_range("ber", ber, 1e-12, 1e-2, "", "threshold")
    check_range("rolloff", rolloff, 0.0, 1.0, "")
    check_range("impl_margin_db", impl_margin_db, 0.0, 10.0, "dB")
    lo, hi = -10.0, 80.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _ber(mod, mid) > ber:
            lo = mid
        else:
            hi = mid
    es_n0 = 0.5 * (lo + hi)
    return es_n0 - 10.0 * math.log10(1.0 + rolloff) + impl_margin_db


def threshold_dbw(bw_khz: float, nf_db: float, modulation: str = "16QAM", ber: float = 1e-6, **kw) -> float:
    """Receiver threshold for ``ber``: N + C/N_required, N = 10 log10(k T0 B) + NF. [dBW]

    Parameters
    ----------
    bw_khz : float
        Channel (noise) bandwidth. [kHz]
    nf_db : float
        Receiver noise figure. [dB]
    modulation, ber, **kw
        As :func:`required_cn_db`.
    """
    return float(noise_dbw(bw_khz, nf_db)) + required_cn_db(modulation, ber, **kw)
