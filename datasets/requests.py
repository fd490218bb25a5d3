"""Sample licence requests in the Shanghai sample-register region (inside ``DEFAULT_BOUNDS``).

:func:`sample_request` is the request ``spectrum evaluate --demo`` evaluates: a new LTE-1800
base-station sector of "Mobile Operator B" at a new site in Minhang (31.10 N, 121.38 E),
FDD 1870 MHz down / 1775 MHz up, 20 MHz channels (``18M0W7D``), 30 dBW EIRP from a 17 dBi
F.1336 sector antenna at 35 m pointing 60 deg with 4 deg down-tilt, receiver noise figure 5 dB
and I/N = -6 dB -- the patterns and masks are those of :func:`spectrum.datasets.register.sample_register`.
:func:`sample_link_request` is a new 13 GHz fixed point-to-point hop on a channel already used
nearby (the ``spectrum sweep --demo`` case).
"""
from __future__ import annotations

from ..evaluation import Request, Terminal

__all__ = ["sample_request", "sample_request_dict", "sample_link_request", "sample_mast_request", "BS_SECTOR_65_17", "LTE_20M_TX",
           "LTE_20M_RX", "FS_28M_TX", "FS_28M_RX", "DISH_09M_13GHZ"]


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


#: the sample register's 28 MHz fixed-service masks and a 0.9 m 13 GHz dish (F.1245-3)
FS_28M_TX = {"name": "FS-28M-TX", "kind": "tx", "offset_khz": [0.0, 14000.0, 28000.0, 42000.0, 70000.0],
             "attenuation_db": [0.0, 0.0, 25.0, 45.0, 55.0]}
FS_28M_RX = {"name": "FS-28M-RX", "kind": "rx", "offset_khz": [0.0, 14000.0, 28000.0, 56000.0],
             "attenuation_db": [0.0, 0.0, 30.0, 60.0]}
DISH_09M_13GHZ = {"name": "DISH-0.9m-13GHz", "kind": "F.1245", "g_max_dbi": 39.5, "params": {"diameter_m": 0.9}}


def sample_link_request() -> Request:
    """A new 13 GHz fixed point-to-point hop, ``FS-13-NEW`` (Mobile Operator C): Putuo
    (31.275 N, 121.425 E, 50 m) -> Yangpu (31.240 N, 121.555 E, 45 m), 13.0 km, on 12932 MHz --
    the channel the sample register's two 13 GHz links (FS-13-005, FS-13-014) already use nearby.
    28 MHz (``28M0D7W``), 35.5 dBW EIRP, 0.9 m F.1245 dishes, NF 6 dB, I/N = -10 dB (Rec. ITU-R
    F.758). ``spectrum sweep --demo`` sweeps it over the 28 MHz raster to find clear channels."""
    from .. import geo

    a = (31.275, 121.425)
    b = (31.240, 121.555)
    az_ab = float(geo.bearing_deg(*a, *b))
    az_ba = float(geo.bearing_deg(*b, *a))
    return Request(
        service="fixed", f_mhz=12932.0, bw_khz=28000.0, emission="28M0D7W", eirp_dbw=35.5,
        tx=Terminal(lat=a[0], lon=a[1], h_agl_m=50.0, g_dbi=39.5, antenna_pattern=DISH_09M_13GHZ,
                    azimuth_deg=az_ab, feeder_loss_db=1.5, name="Putuo hop end A"),
        rx=Terminal(lat=b[0], lon=b[1], h_agl_m=45.0, g_dbi=39.5, antenna_pattern=DISH_09M_13GHZ,
                    azimuth_deg=az_ba, feeder_loss_db=1.5, name="Yangpu hop end B"),
        polarisation="v", noise_figure_db=6.0, protection="I/N", protection_db=-10.0, tx_mask=FS_28M_TX,
        rx_selectivity=FS_28M_RX, licence_number="FS-13-NEW", licensee="Mobile Operator C (sample)")


def sample_mast_request() -> Request:
    """A new VHF PMR transmitter (150.5 MHz, 12.5 kHz, 18 dBW EIRP) beside the PMR base antenna
    (60 m) on the sample register's FM mast: its 3rd-order product with the 98.2 and 93.2 MHz FM
    carriers, 150.5 + 98.2 - 93.2 = 155.5 MHz, lands on the PMR base's receiver -- the
    evaluation's intermodulation check asks for coordination (:mod:`spectrum.intermod`)."""
    from .register import FM_MAST

    _, lat, lon = FM_MAST
    return Request(service="land_mobile", f_mhz=150.5, bw_khz=12.5, emission="11K0F3E", eirp_dbw=18.0,
                   tx=Terminal(lat=lat, lon=lon, h_agl_m=60.0, g_dbi=6.0, feeder_loss_db=2.0,
                               name="Xujiahui mast new PMR tx"),
                   licence_number="PMR-MAST-NEW", licensee="Taxi Dispatch (sample)")
