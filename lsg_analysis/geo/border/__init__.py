"""Which rayons and oblasts lie on the international border, with whom, and how far from it?

Modules: :mod:`~lsg_analysis.geo.border.reference` (Natural Earth, enclaves, published lengths),
:mod:`~lsg_analysis.geo.border.geometry` (holes, pieces, per-unit metrics) and
:mod:`~lsg_analysis.geo.border.table` (the project's units measured, ``border_metrics.csv`` written and read);
every public name is re-exported here (and by the façade :mod:`lsg_analysis.border`).

Geometry, all in one metric projection (:data:`METRIC_CRS`):

* **International border** = the outer rings of the union of the project's units (HDX COD-AB 2018 ADM2, plus
  Bishkek and Osh city) **plus** the rings of the holes that are foreign enclaves (Sokh, Shakhimardan, Qalacha —
  Uzbek; Vorukh — Tajik). Other holes of the union (lakes Issyk-Kul and Son-Kul; the two cities when a file lacks
  them) are *interior* and are not border. A hole is an enclave when it is listed in ``data/reference/enclaves.csv``
  (a point inside it) or when a Natural Earth neighbour polygon covers at least ``min_foreign_share`` of it.
* The border is cut into pieces of at most ``max_piece_m`` metres. Each piece belongs to the unit it bounds
  (nearest unit to its midpoint, distance ~0) and to a neighbour: the enclave's sovereign for an enclave ring,
  otherwise the **nearest Natural Earth 10m country polygon** to its midpoint. Natural Earth is coarser than the
  HDX lines (offsets of a few km, slivers between the two files); nearest-polygon assignment is therefore exact
  except within a few km of a tripoint (KAZ–KGZ–CHN, KGZ–TJK–CHN, KGZ–UZB–TJK), where a few km of border may go
  to the wrong neighbour. :func:`approximation_summary` reports the offsets (``gap_km``).
* Lengths are planar lengths in :data:`METRIC_CRS`, a Lambert conformal conic with standard parallels 40° and
  42.5° N and central meridian 74.8° E (Kyrgyzstan spans 39.2–43.3° N, 69.3–80.3° E). Conformal, so the scale is
  the same in every direction at a point; its scale error inside the country is below 0.1 % (tested against
  geodesic lengths). UTM 43N would reach 0.2 % at the country's ends, an azimuthal equidistant projection is exact
  only for distances from its centre.

Published lengths depend on map scale (coastline effect) and on the state of delimitation; see
:func:`compare_with_published`.

Reference: Natural Earth 1:10m Admin-0 countries v4.1.0 (public domain); OCHA HDX COD-AB Kyrgyzstan ADM2 (2018).
"""

from __future__ import annotations

from lsg_analysis.geo.border.geometry import (
    METRIC_CRS,
    approximation_summary,
    border_pieces,
    detached_parts,
    largest_parts,
    lengths_by_unit,
    nearest,
    union_holes,
    unit_metrics,
)
from lsg_analysis.geo.border.reference import (
    ENCLAVES,
    NATURAL_EARTH,
    NE_NUMERIC,
    NEIGHBOURS,
    PUBLISHED,
    compare_with_published,
    read_enclaves,
    read_neighbours,
    read_published,
)
from lsg_analysis.geo.border.table import (
    DECIMALS,
    LEVELS,
    PROCESSED_FILE,
    border_lengths,
    border_table,
    build,
    measure_table,
    national_border_km,
    project_pieces,
    project_units,
    read_border_metrics,
)

__all__ = [
    # reference
    "NEIGHBOURS",
    "NE_NUMERIC",
    "NATURAL_EARTH",
    "ENCLAVES",
    "PUBLISHED",
    "read_neighbours",
    "read_enclaves",
    "read_published",
    "compare_with_published",
    # geometry
    "METRIC_CRS",
    "union_holes",
    "border_pieces",
    "nearest",
    "lengths_by_unit",
    "largest_parts",
    "unit_metrics",
    "detached_parts",
    "approximation_summary",
    # table
    "LEVELS",
    "PROCESSED_FILE",
    "DECIMALS",
    "project_units",
    "measure_table",
    "border_table",
    "read_border_metrics",
    "border_lengths",
    "project_pieces",
    "national_border_km",
    "build",
]
