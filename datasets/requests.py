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

__all__ = ["sample_request", "sample_request_dict", "sample_link_request", "BS_SECTOR_65_17", "LTE_20M_TX",
           "LTE_20M_RX"]


#: the sample register's sector antenna and LTE masks, for a self-contained request
BS_SECTOR_65_17 = {"name": "BS-SECTOR-65-17", "kind": "F.1336", "g_max_dbi": 17.0,
                   "params": {"phi3_deg": 65.0, "k_p": 0.7, "k_h": 0.7, "k_v": 0.3}}
LTE_20M_TX = {"name": "LTE-20M-TX", "kind": "tx", "offset_khz": [0.0, 9000.0, 10000.0, 15000.0, 30000.0],
              "attenuation_db": [0.0, 0.0, 30.0, 45.0, 50.0]}
LTE_20M_RX = {"name": "LTE-20M-RX", "kind": "rx", "offset_khz": [0.0, 10000.0, 12500.0, 20000.0, 40000.0],
              "attenuation_db": [0.0, 0.0, 33.0, 45.0, 60.0]}


def sample_request_dict(embedded: bool = False) -> dict:
    """The sample request as a JSON-ready dict (the format ``spectrum evaluate --request`` reads).

    Parameters
    ----------
    embedded : bool
        Carry the antenna pattern and masks inline (for registers that lack the sample
        register's named patterns and masks, e.g. ``synthetic_register``) instead of by name.
    """
    site = dict(lat=31.10, lon=121.38, h_agl_m=35.0, g_dbi=17.0,
                antenna_pattern=BS_SECTOR_65_17 if embedded else "BS-SECTOR-65-17",
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
        "tx_mask": LTE_20M_TX if embedded else "LTE-20M-TX",
        "rx_selectivity": LTE_20M_RX if embedded else "LTE-20M-RX",
    }


def sample_request(embedded: bool = False) -> Request:
    """A realistic request in the sample-register region (see the module notes); ``embedded``
    as :func:`sample_request_dict`."""
    return Request.from_dict(sample_request_dict(embedded))


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
