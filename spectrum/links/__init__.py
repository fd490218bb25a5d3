"""Fixed point-to-point links (P.530-18): link budget, availability, interference as threshold
degradation, channel and polarisation choice along a channel plan.

See :mod:`spectrum.links.budget`, :mod:`spectrum.links.interference`, :mod:`spectrum.links.plan`.
"""
from .budget import SHANGHAI_R001_MMH, Link, LinkBudget, Terminal, licence_links, link_budget, link_from_register
from .threshold import MODULATIONS, required_cn_db, threshold_dbw

__all__ = ["Link", "LinkBudget", "Terminal", "link_budget", "link_from_register", "licence_links",
           "SHANGHAI_R001_MMH", "MODULATIONS", "required_cn_db", "threshold_dbw"]
