"""ITU emission designators, Radio Regulations Appendix 1 (Edition of 2020).

A designator such as ``16K0F3E`` is the necessary bandwidth in four characters
(three numerals and one letter H, K, M or G standing in the place of the decimal point,
RR Appendix 1 §2) followed by the three mandatory symbols of the class of emission
(type of modulation of the main carrier, nature of the modulating signal, type of
information, §3-4) and optionally two more (details of the signal, nature of
multiplexing, §4). An unused optional symbol may be written as a dash.

>>> e = parse_emission("16K0F3E")
>>> e.bw_khz, e.modulation, e.information
(16.0, 'F', 'E')
>>> format_bandwidth(12_500.0)
'12K5'
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "Emission", "parse_emission", "format_bandwidth", "bandwidth_hz",
    "MODULATION", "NATURE", "INFORMATION", "DETAILS", "MULTIPLEXING",
]

#: First symbol: type of modulation of the main carrier (RR Appendix 1 §4 (1)).
MODULATION = {
    "N": "unmodulated carrier",
    "A": "double-sideband amplitude modulation",
    "H": "single-sideband, full carrier",
    "R": "single-sideband, reduced or variable level carrier",
    "J": "single-sideband, suppressed carrier",
    "B": "independent sidebands",
    "C": "vestigial sideband",
    "F": "frequency modulation",
    "G": "phase modulation",
    "D": "amplitude and angle modulation, simultaneously or in a pre-established sequence",
    "P": "sequence of unmodulated pulses",
    "K": "sequence of pulses modulated in amplitude",
    "L": "sequence of pulses modulated in width/duration",
    "M": "sequence of pulses modulated in position/phase",
    "Q": "sequence of pulses with the carrier angle-modulated during the pulse",
    "V": "sequence of pulses, combination of the foregoing or produced by other means",
    "W": "combination of two or more of amplitude, angle and pulse modulation",
    "X": "cases not otherwise covered",
}
#: Second symbol: nature of signal(s) modulating the main carrier (§4 (2)).
NATURE = {
    "0": "no modulating signal",
    "1": "single channel of quantized or digital information, no modulating sub-carrier",
    "2": "single channel of quantized or digital information, with a modulating sub-carrier",
    "3": "single channel of analogue information",
    "7": "two or more channels of quantized or digital information",
    "8": "two or more channels of analogue information",
    "9": "composite system of digital and analogue channels",
    "X": "cases not otherwise covered",
}
#: Third symbol: type of information to be transmitted (§4 (3)).
INFORMATION = {
    "N": "no information transmitted",
    "A": "telegraphy for aural reception",
    "B": "telegraphy for automatic reception",
    "C": "facsimile",
    "D": "data transmission, telemetry, telecommand",
    "E": "telephony (including sound broadcasting)",
    "F": "television (video)",
    "W": "combination of the above",
    "X": "cases not otherwise covered",
}
#: Fourth (optional) symbol: details of signal(s) (Appendix 1 §4 (4)).
DETAILS = {
    "A": "two-condition code, elements of differing numbers and/or durations",
    "B": "two-condition code, same number and duration, without error-correction",
    "C": "two-condition code, same number and duration, with error-correction",
    "D": "four-condition code, each condition a signal element",
    "E": "multi-condition code, each condition a signal element",
    "F": "multi-condition code, each condition or combination a character",
    "G": "sound of broadcasting quality (monophonic)",
    "H": "sound of broadcasting quality (stereophonic or quadraphonic)",
    "J": "sound of commercial quality",
    "K": "sound of commercial quality with frequency inversion or band-splitting",
    "L": "sound of commercial quality with separate FM level-control signals",
    "M": "monochrome",
    "N": "colour",
    "W": "combination of the above",
    "X": "cases not otherwise covered",
}
#: Fifth (optional) symbol: nature of multiplexing (§4 (5)).
MULTIPLEXING = {
    "N": "none",
    "C": "code-division multiplex",
    "F": "frequency-division multiplex",
    "T": "time-division multiplex",
    "W": "combination of frequency- and time-division multiplex",
    "X": "other types of multiplexing",
}

_UNITS = {"H": 1.0, "K": 1e3, "M": 1e6, "G": 1e9}


@dataclass(frozen=True)
class Emission:
    """A parsed emission designator (RR Appendix 1).

    Attributes
    ----------
    designator : str
        Normalised designator (upper case, no spaces, trailing dashes removed).
    bw_hz, bw_khz : float
        Necessary bandwidth. [Hz], [kHz]
    modulation, nature, information : str
        The three mandatory symbols of the class of emission.
    details, multiplexing : str or None
        The optional fourth and fifth symbols.
    """

    designator: str
    bw_hz: float
    modulation: str
    nature: str
    information: str
    details: str | None = None
    multiplexing: str | None = None

    @property
    def bw_khz(self) -> float:
        return self.bw_hz / 1e3

    @property
    def bandwidth_code(self) -> str:
        return self.designator[:4]

    @property
    def emission_class(self) -> str:
        """The class of emission (3 to 5 symbols) without the bandwidth."""
        return self.designator[4:]

    def describe(self) -> dict:
        """Human-readable description of every symbol."""
        d = {
            "designator": self.designator,
            "bw_khz": self.bw_khz,
            "modulation": f"{self.modulation}: {MODULATION[self.modulation]}",
            "nature": f"{self.nature}: {NATURE[self.nature]}",
            "information": f"{self.information}: {INFORMATION[self.information]}",
        }
        if self.details:
            d["details"] = f"{self.details}: {DETAILS[self.details]}"
        if self.multiplexing:
            d["multiplexing"] = f"{self.multiplexing}: {MULTIPLEXING[self.multiplexing]}"
        return d


def bandwidth_hz(code: str) -> float:
    """Necessary bandwidth of a four-character bandwidth code, RR Appendix 1 §2.

    Parameters
    ----------
    code : str
        Three numerals and one of H, K, M, G in the place of the decimal point,
        e.g. ``"12K5"``, ``"H002"``, ``"180K"``.

    Returns
    -------
    float
        Bandwidth. [Hz]

    Raises
    ------
    ValueError
        If the code is malformed, starts with ``0`` / K / M / G, or lies outside
        the range its letter allows (H: 0.001-999 Hz; K, M, G: 1.00-999 units).
    """
    c = str(code).strip().upper()
    if len(c) != 4:
        raise ValueError(f"bandwidth code {code!r} must be 4 characters (3 numerals and one of H, K, M, G)")
    letters = [i for i, ch in enumerate(c) if ch in _UNITS]
    if len(letters) != 1 or not all(ch.isdigit() for i, ch in enumerate(c) if i != letters[0]):
        raise ValueError(f"bandwidth code {code!r} must be 3 numerals and exactly one unit letter H, K, M or G")
    pos = letters[0]
    letter = c[pos]
    if c[0] == "0":
        raise ValueError(f"bandwidth code {code!r}: the first character shall not be zero (RR Appendix 1 §2)")
    if pos == 0 and letter != "H":
        raise ValueError(f"bandwidth code {code!r}: the first character shall not be K, M or G (RR Appendix 1 §2)")
    value = float((c[:pos] or "0") + "." + (c[pos + 1:] or "0"))
    lo = 0.001 if letter == "H" else 1.0
    if value < lo:
        raise ValueError(f"bandwidth code {code!r}: {value:g} is below {lo:g}, use the next smaller unit "
                         "(RR Appendix 1 §2)")
    return value * _UNITS[letter]


def format_bandwidth(bw_hz: float) -> str:
    """Four-character necessary-bandwidth code of a bandwidth, RR Appendix 1 §2.

    Three significant figures, rounded half up (180.5 kHz -> ``181K``).

    Parameters
    ----------
    bw_hz : float
        Necessary bandwidth, 0.001 Hz to 999 GHz. [Hz]
    """
    try:
        bw = float(bw_hz)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bw_hz = {bw_hz!r} is not numeric") from exc
    if not math.isfinite(bw) or bw < 0.0005 or bw >= 999.5e9:
        raise ValueError(f"bw_hz = {bw_hz!r} is outside the valid range [0.001 Hz, 999 GHz] (RR Appendix 1 §2)")
    for letter in "HKMG":
        v = Decimal(repr(bw)) / Decimal(repr(_UNITS[letter]))
        if letter == "H" and v < 1:
            n = int((v * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if n < 1000:
                return f"H{n:03d}"
        if v < 1:  # carried over from the smaller unit by rounding (e.g. 999.7 Hz -> 1K00)
            v = Decimal(1)
        e = v.adjusted()  # decimal exponent: 0, 1 or 2 below 1000
        if e >= 3:
            continue
        q = v.quantize(Decimal(1).scaleb(e - 2), rounding=ROUND_HALF_UP)
        if q.adjusted() > e:  # rounded up into the next decade
            e += 1
            if e == 3:
                continue
            q = v.quantize(Decimal(1).scaleb(e - 2), rounding=ROUND_HALF_UP)
        s = f"{q:f}".replace(".", "")
        return s[:e + 1] + letter + s[e + 1:]
    raise ValueError(f"bw_hz = {bw_hz!r} cannot be expressed as a necessary-bandwidth code")  # pragma: no cover


def _short(value, n: int = 40) -> str:
    """``repr`` cut to ``n`` characters: an error message stays one short line whatever was given."""
    r = repr(value)
    return r if len(r) <= n else r[:n] + ("..." + r[0] if r[:1] in "'\"" else "...")


def parse_emission(designator: str) -> Emission:
    """Parse an emission designator, Radio Regulations Appendix 1 §2-§4.

    Parameters
    ----------
    designator : str
        E.g. ``"16K0F3E"`` (FM telephony), ``"180KF8EHF"`` (FM stereo sound broadcasting),
        ``"7M56G7W"``. Case and embedded spaces are ignored; unused optional symbols
        may be dashes (``"16K0F3EJ-"``).

    Returns
    -------
    Emission

    Raises
    ------
    ValueError
        Naming the designator and the offending character or part.

    References
    ----------
    ITU Radio Regulations, Appendix 1 (Rev.WRC-12), "Classification of emissions and
    necessary bandwidths"; Rec. ITU-R SM.1138-2 for the bandwidth formulae.
    """
    if not isinstance(designator, str):
        raise ValueError(f"emission designator {_short(designator)} must be a string such as '16K0F3E'")
    d = "".join(designator.split()).upper()
    if len(d) not in (7, 8, 9):
        raise ValueError(f"emission designator {_short(designator)} must have 7 characters (bandwidth + 3 "
                         f"symbols) or 9 with the optional symbols, not {len(d)}")
    try:
        bw = bandwidth_hz(d[:4])
    except ValueError as exc:
        raise ValueError(f"emission designator {designator!r}: {exc}") from None
    m, n, i = d[4], d[5], d[6]
    for sym, table, what in ((m, MODULATION, "first symbol (type of modulation)"),
                             (n, NATURE, "second symbol (nature of modulating signal)"),
                             (i, INFORMATION, "third symbol (type of information)")):
        if sym not in table:
            raise ValueError(f"emission designator {designator!r}: {what} {sym!r} is not one of "
                             f"{''.join(table)}")
    extra = d[7:]
    det = extra[0] if len(extra) >= 1 else None
    mux = extra[1] if len(extra) >= 2 else None
    if det is not None and det != "-" and det not in DETAILS:
        raise ValueError(f"emission designator {designator!r}: fourth symbol (details of signal) {det!r} "
                         f"is not one of {''.join(DETAILS)} or '-'")
    if mux is not None and mux != "-" and mux not in MULTIPLEXING:
        raise ValueError(f"emission designator {designator!r}: fifth symbol (nature of multiplexing) {mux!r} "
                         f"is not one of {''.join(MULTIPLEXING)} or '-'")
    det = None if det == "-" else det
    mux = None if mux == "-" else mux
    norm = d[:7] + (det or ("-" if mux else "")) + (mux or "")
    return Emission(designator=norm, bw_hz=bw, modulation=m, nature=n, information=i,
                    details=det, multiplexing=mux)
