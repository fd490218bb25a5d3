"""Sample licence requests in the Shanghai sample-register region (inside ``DEFAULT_BOUNDS``).

:func:`sample_request` is the request ``spectrum evaluate --demo`` evaluates: a new LTE-1800
base-station sector of "Mobile Operator B" at a new site in Minhang (31.10 N, 121.38 E),
FDD 1870 MHz down / 1775 MHz up, 20 MHz channels (``18M0W7D``), 30 dBW EIRP from a 17 dBi
F.1336 sector antenna at 35 m pointing 60 deg with 4 deg down-tilt, receiver noise figure 5 dB
and I/N = -6 dB -- the patterns and masks are those of :func:`spectrum.datasets.register.sample_register`.
:func:`sample_link_request` is a new 7 GHz fixed point-to-point hop.
"""
from __future__ import annotations

from ..evaluation import Request, Terminal

__all__ = ["sample_request", "sample_request_dict", "sample_link_request"]


def sample_request_dict() -> dict:
    """The sample request as a JSON-ready dict (the format ``spectrum evaluate --request`` reads)."""
    site = dict(lat=31.10, lon=121.38, h_agl_m=35.0, g_dbi=17.0, antenna_pattern="BS-SECTOR-65-17",
                azimuth_deg=60.0, tilt_deg=-4.0, feeder_loss_db=0.5)
    return {
        "licence_number": "MOB-NEW-01",
        "licensee": "Mobile Operator B (sample)",
        "service": "mobile",
        "f_mhz": 1870.0,
        "rx_f_mhz": 1775.0,
        "emission": "18M0W7D",
        "bw_khz": 20000.0,
        "eirp_dbw": 30.0,
        "tx": {**site, "name": "Minhang new site sector 1 tx"},
        "rx": {**site, "name": "Minhang new site sector 1 rx"},
        "polarisation": "v",
        "noise_figure_db": 5.0,
        "protection": "I/N",
        "protection_db": -6.0,
        "tx_mask": "LTE-20M-TX",
        "rx_selectivity": "LTE-20M-RX",
    }


def sample_request() -> Request:
    """A realistic request in the sample-register region (see the module notes)."""
    return Request.from_dict(sample_request_dict())


def sample_link_request() -> Request:
    """A new 7 GHz fixed link hop (Songjiang -> Qingpu, 14 km), 28 MHz, F.699 dishes, I/N = -10 dB."""
    return Request(
        service="fixed", f_mhz=7240.0, bw_khz=28000.0, emission="28M0D7W", eirp_dbw=45.0,
        tx=Terminal(lat=31.03, lon=121.23, h_agl_m=40.0, g_dbi=38.0, antenna_pattern={"kind": "F.699", "params": {}},
                    azimuth_deg=315.0, feeder_loss_db=1.5, name="Songjiang hop A"),
        rx=Terminal(lat=31.12, lon=121.12, h_agl_m=40.0, g_dbi=38.0, antenna_pattern={"kind": "F.699", "params": {}},
                    azimuth_deg=135.0, feeder_loss_db=1.5, name="Qingpu hop B"),
        noise_figure_db=6.0, protection="I/N", protection_db=-10.0, tx_mask="FS-28M-TX",
        rx_selectivity="FS-28M-RX", licence_number="FS-07-NEW", licensee="Mobile Operator C (sample)")
