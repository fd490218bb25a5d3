"""The demo workspace: LTE 2.6 GHz base stations (band 7 downlink) into an S-band weather radar.

An S-band weather radar receives at 2705 MHz (1 MHz bandwidth, 45 dBi pencil beam rotating in
azimuth, 0.5 deg elevation, noise figure 3 dB, protection criterion I/N = -10 dB as Rec. ITU-R
M.1464 recommends for meteorological radars). Three LTE base stations (46 dBm in 20 MHz,
17 dBi F.1336 sector antennas pointing anywhere, 3 deg down-tilt, 30 m masts) stand 5-40 km
away on one of three carriers (2630, 2650, 2680 MHz: 15 MHz guard band to the radar at the
closest). Their unwanted-emission mask approximates 3GPP TS 36.104 category B limits relative to
the carrier (-30 dBc at the channel edge, -37 dBc from 5 MHz, -63 dBc in the spurious domain from
10 MHz beyond the edge). The radar's receiver selectivity and blocking response are typical of
an S-band radar front end. Propagation: P.452-18 over seeded synthetic terrain (time percentage
drawn uniformly in 1-50 % per event: the "variations"), with P.2108 clutter at the base stations.
"""
from __future__ import annotations

import copy

__all__ = ["DEMO", "demo_workspace"]

DEMO = {
    "name": "LTE 2.6 GHz base stations into an S-band weather radar",
    "description": "Unwanted emissions, blocking and intermodulation of LTE band 7 base stations into a "
                   "weather radar at 2705 MHz (I/N = -10 dB, Rec. ITU-R M.1464).",
    "origin": {"lat": 46.5, "lon": 6.6},
    "terrain": {"synthetic": {"seed": 3, "res_arcsec": 6.0, "relief_m": 300.0}},
    "seed": 1,
    "events": 20000,
    "victim": {
        "rx": {
            "position": {"mode": "fixed", "x_km": 0.0, "y_km": 0.0},
            "height_m": 30.0,
            "antenna": {"kind": "F.1245", "g_dbi": 45.0,
                        "azimuth_deg": {"dist": "uniform", "min": 0.0, "max": 360.0}, "tilt_deg": 0.5},
            "f_mhz": 2705.0,
            "bw_khz": 1000.0,
            "noise_figure_db": 3.0,
            "sensitivity_dbw": -145.0,
            "criteria": {"I/N": -10.0, "(N+I)/N": 0.41},
            "selectivity": {"offset_khz": [0.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0],
                            "attenuation_db": [0.0, 0.0, 25.0, 45.0, 60.0, 70.0]},
            "blocking": {"mode": "user-defined", "offset_khz": [0.0, 5000.0, 10000.0, 20000.0, 50000.0],
                         "value": [0.0, 45.0, 55.0, 65.0, 75.0]},
            "intermod_rejection_db": 70.0,
        },
        "tx": {"position": {"mode": "fixed", "x_km": 0.0, "y_km": 0.0}, "height_m": 30.0},
        "drss": {"mode": "distribution", "value_dbw": -100.0},
    },
    "interferers": [{
        "name": "LTE BS",
        "count": 3,
        "tx": {
            "position": {"mode": "ring", "r_min_km": 5.0, "radius_km": 40.0},
            "height_m": 30.0,
            "antenna": {"kind": "F.1336", "g_dbi": 17.0, "params": {"phi3_deg": 65.0},
                        "azimuth_deg": {"dist": "uniform", "min": 0.0, "max": 360.0}, "tilt_deg": -3.0},
            "power_dbw": 16.0,
            "f_mhz": {"dist": "discrete", "values": [2630.0, 2650.0, 2680.0]},
            "bw_khz": 20000.0,
            "mask": {"offset_khz": [0.0, 9500.0, 10000.0, 15000.0, 20000.0, 20001.0, 100000.0],
                     "attenuation_db": [0.0, 0.0, 30.0, 37.0, 37.0, 63.0, 63.0]},
        },
        "propagation": {"model": "p452", "p": {"dist": "uniform", "min": 1.0, "max": 50.0},
                        "clutter": {"model": "p2108", "ends": 1}, "grid": {"n_azimuths": 720, "step_m": 100.0}},
        "mechanisms": ["unwanted", "blocking", "intermod"],
    }],
    "options": {"block_events": 10000},
}


def demo_workspace() -> dict:
    """A fresh copy of the demo workspace document (:data:`DEMO`)."""
    return copy.deepcopy(DEMO)
