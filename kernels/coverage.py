"""Coverage / interference map kernels: propagation models along radials, then polar -> grid.

Layout (STYLE.md rules 1, 6 and 8):

* Terrain work is done once: the caller samples ``n_radials`` great-circle radials from the
  site (:func:`spectrum.terrain.radial_profiles`), equally spaced samples ``d[k]`` shared by
  every radial. The receiver at sample ``k`` of radial ``r`` sees the profile prefix
  ``d[:k+1], h[r, :k+1]`` -- exactly the profile :func:`spectrum.terrain.profile` would give
  for that path at that step, so each polar node is the point-to-point model itself.
* The per-path model cores are called on those prefixes **without copying** (they take the
  number of valid points ``n``): P.452 :func:`spectrum.kernels.p452.path_losses_gas_inv`,
  ITM :func:`spectrum.kernels.itm.p2p_reference` + :func:`~spectrum.kernels.itm.apply_variability`,
  P.1812 :func:`spectrum.kernels.p1812.p1812_path`.
* Work reused along each radial (P.452): the path geometry of Attachment 2 §5 is
  :func:`p452_node_geometry`, the same arithmetic as ``p452.path_geometry_inv`` but fed by a
  prefix state carried along the radial -- zone statistics (omega, dtm, dlm), the least-squares
  sums of Eqs. (161)-(164) and the running maximum of the Tx horizon angle, Eq. (152) -- so
  only the receiver-dependent maxima are a pass over the prefix, and only the horizon search
  the path type needs (Rx horizon or Bullington point) is made. One table of inverse distances
  ``1/(d_k - d_i)`` serves every radial.
* Work reused across cases: the P.452 geometry is computed once per node for every frequency
  and time percentage, Ld50 / Ld(beta0) once per (node, f) for every p (the P.452 diffraction
  cache); the P.676 specific attenuations (line-by-line, the costliest scalar of P.452) once
  per radial and frequency, recomputed only where the sea fraction of the prefix changes
  (water-vapour density 7.5 + 2.5 omega); the ITM geometry and reference attenuation once per
  (node, f) for every time / location / situation quantile; the path-centre latitude of every
  node is precomputed.
* Only the nodes some pixel reads are computed (:func:`needed_nodes`).
* :func:`polar_to_grid` fills map pixels from the polar results by nearest-node or bilinear
  (azimuth x distance) lookup, ``prange`` over grid rows.

``prange`` is over radials (the outer loop) only. Nodes closer than 3 profile steps to the
site (fewer than the 4 points P.452 / P.1812 need) are evaluated on a 4-point profile linearly
resampled from the radial's first samples; node 0 (the site itself) copies node 1.

The kernels live in three modules along the data's path: :mod:`.coverage_geometry` (profiles and
the P.452 prefix geometry), :mod:`.coverage_models` (the models at the nodes of the radials) and
:mod:`.coverage_grid` (pixel geometry, polar -> grid, power sums); this module re-exports them.
"""
from __future__ import annotations

from .coverage_geometry import (INV_TABLE_MAX, MIN_POINTS, N_STATE, inverse_distance_table,  # noqa: F401
                                p452_node_geometry, prefix_advance, prefix_init)
from .coverage_grid import (needed_nodes, path_centre_latitudes, pixel_polar, polar_to_grid,  # noqa: F401
                            power_sum_db)
from .coverage_models import itm_radials, p1812_radials, p452_radials  # noqa: F401
