"""``spectrum evaluate ... --html F --pdf F``: the command's two calls into :mod:`spectrum.report`."""
from __future__ import annotations


def check_report_outputs(args, reg) -> dict | None:
    """Before evaluating: check the report paths (not an input, not each other, not a folder) and
    take the register state the decision will be based on (None when no report is asked for)."""
    html, pdf = getattr(args, "html", None), getattr(args, "pdf", None)
    if not html and not pdf:
        return None
    from ..gis.layers import check_outputs

    inputs = [*(getattr(args, "dem", None) or []), getattr(args, "db", None), getattr(args, "request", None)]
    check_outputs({"--html": html, "--pdf": pdf, "--hdf5": getattr(args, "hdf5", None),
                   "--report": getattr(args, "report", None)}, inputs)
    from . import register_state

    return register_state(reg)


def write_report_outputs(args, ev, reg, state) -> list:
    """After evaluating: write the HTML and/or PDF report (the DEM of ``--dem``, else the default terrain)."""
    html, pdf = getattr(args, "html", None), getattr(args, "pdf", None)
    if not html and not pdf:
        return []
    from ..commands._common import load_dem
    from . import write_reports

    dem = load_dem(getattr(args, "dem", None), default=True)
    return write_reports(ev, html=html, pdf=pdf, dem=dem, register=reg, register_state=state)
