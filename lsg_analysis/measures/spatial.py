"""Do neighbouring regions look alike? Global Moran's I and local (LISA) clusters on queen contiguity.

The statistics are PySAL's (``esda.Moran``, ``esda.Moran_Local``; Moran 1950, Anselin 1995,
Local indicators of spatial association — LISA, Geogr. Anal. 27(2):93–115), on queen contiguity from
``libpysal`` (two units are neighbours when their boundaries share at least one vertex), row-standardised.
This module only decides which units take part and makes every random step reproducible:

* **Units with no neighbour (islands)** are never left silently in the weights (libpysal would give
  them a zero spatial lag, which pulls Moran's I towards 0 and puts them in the LL/HL quadrants).
  ``islands="drop"`` (default) leaves them out of the statistic with an :class:`IslandWarning` and
  lists them in the result; ``"nearest"`` links each island to the unit whose boundary is closest
  (symmetric link, distance measured in a metric UTM projection) and lists those links;
  ``"raise"`` stops with :class:`IslandError`.
* **Missing values** (NaN, or a unit absent from a Series of values): ``nan="raise"`` (default) names
  the unit; ``nan="drop"`` leaves those units out before the neighbours are built (so a unit can become
  an island — handled as above) and lists them (``MoranResult.missing``; LISA cluster ``"missing"``).
* **Permutations** are driven by the ``rng`` you pass (``numpy.random.Generator`` or an integer seed):
  global Moran permutes the values with it; the local statistic passes a seed drawn from it to esda,
  and the global NumPy random state, which esda sets, is restored afterwards.

``regions`` is a GeoDataFrame with an id column (``lsg_analysis.load_boundaries(level)`` output, id
``code``) or a ``libpysal.weights.W`` whose ids are the region codes. Importing this module is light:
esda, libpysal and geopandas load on the first call.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import LsgError, ParameterError
from lsg_analysis.core.rng import generator
from lsg_analysis.measures.panel import MeasureInputError

__all__ = ["IslandWarning", "IslandError", "Neighbours", "contiguity", "MoranResult", "moran", "lisa"]

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's q codes (geoda_quads=False)


class IslandWarning(UserWarning):
    """Some units have no contiguous neighbour and were dropped from or linked into the weights."""


class IslandError(LsgError):
    """Units without a contiguous neighbour, with ``islands="raise"``."""


@dataclass(frozen=True)
class Neighbours:
    """Binary contiguity weights ``w`` (a ``libpysal.weights.W`` whose ids are the region codes) after
    the island policy; ``islands`` the units that had no neighbour; ``links`` the island → nearest
    unit links added with ``islands="nearest"``; ``ids`` the units kept, in table order."""

    w: Any
    ids: tuple
    islands: tuple
    policy: str
    links: dict = field(default_factory=dict)


def _check_policy(islands: str) -> None:
    if islands not in ("drop", "nearest", "raise"):
        raise ParameterError("islands", islands, '"drop" (default), "nearest" or "raise"')


def _table_ids(regions: Any, id_column: str) -> pd.Index:
    if id_column not in regions.columns:
        raise ParameterError(
            "id_column", id_column, f"a column of the regions table ({', '.join(map(str, regions.columns))})"
        )
    ids = pd.Index(regions[id_column])
    if ids.hasnans or ids.has_duplicates:
        bad = ids[ids.isna()][:1].tolist() or ids[ids.duplicated()][:1].tolist()
        raise MeasureInputError("contiguity", bad[0], f"unique, non-missing ids in column {id_column!r}")
    return ids


#: Queen neighbours already built, by (ids, sha256 of the geometries' WKB): :func:`_queen_neighbours`.
_QUEEN: dict[tuple[tuple, str], dict[Any, tuple]] = {}


def _queen_neighbours(regions: Any, ids: list) -> dict[Any, tuple]:
    """Queen neighbours {id: neighbour ids} of the polygons of ``regions`` (``libpysal.weights.Queen``),
    remembered by the ids and the exact geometries (sha256 of their WKB), so the same boundaries are not
    intersected again by each statistic of each run (a sweep asks for the same map hundreds of times)."""
    import hashlib

    import shapely

    key = (tuple(ids), hashlib.sha256(b"".join(shapely.to_wkb(regions.geometry.to_numpy()))).hexdigest())
    if key not in _QUEEN:
        from libpysal.weights import Queen

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # libpysal's own island warning: we report islands ourselves
            queen = Queen.from_dataframe(regions, ids=ids, use_index=False)
        if len(_QUEEN) >= 32:
            _QUEEN.clear()
        _QUEEN[key] = {i: tuple(queen.neighbors.get(i, [])) for i in ids}
    return _QUEEN[key]


def contiguity(regions: Any, *, id_column: str = "code", islands: str = "drop") -> Neighbours:
    """Queen contiguity of the units of ``regions`` with the island policy applied (see module doc)."""
    _check_policy(islands)
    from libpysal.weights import W

    if isinstance(regions, W):
        if islands == "nearest":
            raise ParameterError(
                "islands",
                "nearest",
                '"drop" or "raise" when regions is a weights object (nearest neighbours need the geometries)',
            )
        ids = list(regions.id_order)
        neighbors = {i: list(regions.neighbors[i]) for i in ids}
        geometry = None
    else:
        table_ids = _table_ids(regions, id_column)
        empty = regions.geometry.isna() | regions.geometry.is_empty
        if empty.any():
            raise MeasureInputError(
                "contiguity",
                "an empty geometry",
                "a polygon for every unit",
                row=table_ids[int(np.argmax(empty.to_numpy()))],
            )
        ids = list(table_ids)
        queen = _queen_neighbours(regions, ids)
        neighbors = {i: list(queen[i]) for i in ids}
        geometry = regions.geometry.set_axis(table_ids)
    lonely = tuple(i for i in ids if not neighbors[i])
    links: dict = {}
    if lonely and islands == "raise":
        raise IslandError(
            f"{len(lonely)} unit(s) without a contiguous neighbour: {', '.join(map(str, lonely))}; "
            'use islands="drop" or islands="nearest"'
        )
    if lonely and islands == "drop":
        ids = [i for i in ids if neighbors[i]]
        warnings.warn(
            f"left out of the spatial statistic (no contiguous neighbour): {', '.join(map(str, lonely))}",
            IslandWarning,
            stacklevel=3,
        )
    if lonely and islands == "nearest":
        metric = (
            geometry.to_crs(geometry.estimate_utm_crs())
            if geometry.crs is not None and geometry.crs.is_geographic
            else geometry
        )
        for i in lonely:
            distance = metric.drop(index=i).distance(metric[i])
            j = distance.idxmin()
            links[i] = j
            neighbors[i] = sorted(set(neighbors[i]) | {j})
            neighbors[j] = sorted(set(neighbors[j]) | {i})
        warnings.warn(
            "linked to the nearest unit (no contiguous neighbour): "
            + ", ".join(f"{i} → {j}" for i, j in links.items()),
            IslandWarning,
            stacklevel=3,
        )
    keep = set(ids)
    sub = {i: [j for j in neighbors[i] if j in keep] for i in ids}
    if len(ids) < 3:
        raise MeasureInputError("contiguity", f"{len(ids)} unit(s) with neighbours", "at least 3")
    return Neighbours(W(sub, id_order=ids, silence_warnings=True), tuple(ids), lonely, islands, links)


def _values(values: Any, regions: Any, id_column: str, measure: str, nan: str = "raise") -> pd.Series:
    """The values as a float Series indexed by region id, in the order of ``regions``. A unit absent
    from a Series of values is missing (an error unless ``nan="drop"``); values of ids that are not
    units of ``regions`` (e.g. the national total ``KG``) are not used."""
    from libpysal.weights import W

    ids = pd.Index(regions.id_order) if isinstance(regions, W) else _table_ids(regions, id_column)
    if isinstance(values, str):
        if isinstance(regions, W) or values not in regions.columns:
            raise ParameterError("values", values, "a column of the regions table, a Series indexed by id, or an array")
        out = pd.Series(regions[values].to_numpy(), index=ids)
    elif isinstance(values, pd.Series):
        if values.index.has_duplicates:
            raise MeasureInputError(
                measure,
                f"unit {values.index[values.index.duplicated()][0]!r} twice",
                "one value per unit (Series index = id)",
            )
        missing = ids.difference(values.index)
        if len(missing) == len(ids):
            raise MeasureInputError(
                measure,
                f"no value for any unit (index starts {list(values.index[:3])})",
                f"a Series indexed by the ids of column {id_column!r}",
            )
        if len(missing) and nan == "raise":
            raise MeasureInputError(
                measure,
                f"no value for unit {missing[0]!r}",
                "a value for every unit (Series index = id), or nan='drop'",
            )
        out = values.reindex(ids)
    else:
        arr = np.asarray(values)
        if arr.shape != (len(ids),):
            raise MeasureInputError(measure, f"an array of shape {arr.shape}", f"one value per unit ({len(ids)},)")
        out = pd.Series(arr, index=ids)
    try:
        return out.astype(float)
    except (TypeError, ValueError):
        raise MeasureInputError(measure, out.dtype, "numbers") from None


def _prepared(
    values: Any, regions: Any, id_column: str, islands: str, nan: str, measure: str
) -> tuple[pd.Series, Neighbours, tuple]:
    """Values of the units that take part, their neighbours, and the units left out for a missing value."""
    if nan not in ("raise", "drop"):
        raise ParameterError("nan", nan, '"raise" (default) or "drop"')
    _check_policy(islands)
    y = _values(values, regions, id_column, measure, nan)
    missing = y.isna()
    if missing.any() and nan == "raise":
        raise MeasureInputError(
            measure,
            float("nan"),
            "a number (use nan='drop' to leave the unit out explicitly)",
            row=y.index[int(np.argmax(missing.to_numpy()))],
        )
    if missing.any():
        from libpysal.weights import W, w_subset

        keep = [i for i in y.index if not missing[i]]
        regions = (
            w_subset(regions, keep, silence_warnings=True)
            if isinstance(regions, W)
            else regions[~regions[id_column].isin(y.index[missing])]
        )
    if not np.all(np.isfinite(y[~missing])):
        bad = ~np.isfinite(y) & ~missing
        raise MeasureInputError(measure, float(y[bad].iloc[0]), "a finite number", row=y.index[bad][0])
    nb = contiguity(regions, id_column=id_column, islands=islands)
    return y.reindex(list(nb.ids)), nb, tuple(y.index[missing])


def _row_standardised(w: Any) -> Any:
    """A row-standardised copy (esda would otherwise transform the caller's object in place)."""
    from libpysal.weights import W

    out = W(w.neighbors, id_order=list(w.id_order), silence_warnings=True)
    out.transform = "r"
    return out


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I: ``I``, its expectation under no autocorrelation ``expected`` = −1/(n−1),
    ``z_norm``/``p_norm`` (normal approximation, two-sided), ``p_sim`` (permutation pseudo p-value,
    folded two-sided as in esda/GeoDa), ``n`` units used, ``islands`` and the ``policy`` applied,
    ``links`` added by ``islands="nearest"``, ``missing`` the units left out for a missing value."""

    I: float  # noqa: E741
    expected: float
    z_norm: float
    p_norm: float
    p_sim: float
    permutations: int
    n: int
    islands: tuple
    policy: str
    links: dict
    missing: tuple
    simulated: np.ndarray


def _permuted_moran(y: np.ndarray, w: Any, gen: np.random.Generator, permutations: int) -> np.ndarray:
    """Moran's I of ``permutations`` random orderings of ``y``: esda.Moran's own formula
    :math:`(n/S_0)\\,z'Wz/z'z` on all permutations at once with one sparse product (building 999
    ``esda.Moran`` objects takes seconds). A test checks it returns esda's I for the observed order."""
    z = y - y.mean()
    perms = np.stack([gen.permutation(z) for _ in range(permutations)], axis=1)  # n × permutations
    lag = w.sparse @ perms
    return len(z) / w.s0 * np.einsum("ij,ij->j", perms, lag) / (z @ z)


def moran(
    values: Any,
    regions: Any,
    *,
    rng: Any,
    id_column: str = "code",
    islands: str = "drop",
    permutations: int = 999,
    nan: str = "raise",
) -> MoranResult:
    r"""Global Moran's I on row-standardised queen contiguity (Moran 1950; esda.Moran).

    .. math:: I = \frac{n}{S_0}\frac{\sum_i\sum_j w_{ij} z_i z_j}{\sum_i z_i^2}, \qquad z_i = y_i - \bar y

    ``values``: a column name of ``regions``, a Series indexed by region id, or an array in table order.
    The permutation p-value uses ``rng`` (Generator or seed): with *m* of ``permutations`` at least as
    extreme on the observed side, :math:`p = (m + 1)/(permutations + 1)`.
    """
    import esda

    if not (isinstance(permutations, (int, np.integer)) and permutations >= 1):
        raise ParameterError("permutations", permutations, "a positive number, e.g. 999")
    gen = generator(rng)
    y, nb, missing = _prepared(values, regions, id_column, islands, nan, "moran")
    w = _row_standardised(nb.w)
    z = y.to_numpy()
    observed = esda.Moran(z, w, transformation="r", permutations=0)
    sims = _permuted_moran(z, w, gen, permutations)
    larger = int((sims >= observed.I).sum())
    larger = min(larger, permutations - larger)
    return MoranResult(
        float(observed.I),
        float(observed.EI),
        float(observed.z_norm),
        float(observed.p_norm),
        (larger + 1.0) / (permutations + 1.0),
        int(permutations),
        len(z),
        nb.islands,
        nb.policy,
        nb.links,
        missing,
        sims,
    )


def lisa(
    values: Any,
    regions: Any,
    *,
    rng: Any,
    significance: float = 0.05,
    id_column: str = "code",
    islands: str = "drop",
    permutations: int = 999,
    nan: str = "raise",
) -> pd.DataFrame:
    """Local Moran (LISA) clusters (Anselin 1995; esda.Moran_Local), one row per unit of ``regions``.

    Columns: ``value``, ``local_i`` (local Moran :math:`I_i`), ``p_sim`` (conditional permutation
    pseudo p-value, esda's folded one: the smaller tail, :math:`(m + 1)/(permutations + 1)`), ``quadrant`` (HH, LH, LL, HL: the unit's value above/below the mean, then its
    neighbours' average), ``cluster`` = quadrant where ``p_sim <= significance``, else ``"ns"``;
    ``"island"`` for a unit dropped for having no neighbour, ``"missing"`` for a unit dropped for a
    missing value (their statistics are NaN). No correction for multiple testing is applied: with
    53 units expect about 2–3 "significant" units at 0.05 by chance alone (Anselin 1995, §4).
    """
    import esda

    if not (0 < significance < 1):
        raise ParameterError("significance", significance, "a level in (0, 1), e.g. 0.05")
    if not (isinstance(permutations, (int, np.integer)) and permutations >= 1):
        raise ParameterError("permutations", permutations, "a positive number, e.g. 999")
    gen = generator(rng)
    y, nb, _ = _prepared(values, regions, id_column, islands, nan, "lisa")
    everything = _values(values, regions, id_column, "lisa", nan)
    state = np.random.get_state()  # esda seeds NumPy's global generator; give it back untouched
    try:
        with warnings.catch_warnings():
            # esda announces a change of its default alternative; ours (folded) is documented above
            warnings.filterwarnings("ignore", message="The alternative hypothesis", category=DeprecationWarning)
            local = esda.Moran_Local(
                y.to_numpy(),
                _row_standardised(nb.w),
                transformation="r",
                permutations=int(permutations),
                seed=int(gen.integers(2**31 - 1)),
                n_jobs=1,
            )
    finally:
        np.random.set_state(state)
    out = pd.DataFrame(
        {"value": everything, "local_i": np.nan, "p_sim": np.nan, "quadrant": None, "cluster": None},
        index=everything.index,
    )
    out["quadrant"] = out["quadrant"].astype(object)
    out["cluster"] = out["cluster"].astype(object)
    quadrant = pd.Series([QUADRANTS[int(q)] for q in local.q], index=y.index)
    out.loc[y.index, "local_i"] = local.Is
    out.loc[y.index, "p_sim"] = local.p_sim
    out.loc[y.index, "quadrant"] = quadrant
    out.loc[y.index, "cluster"] = quadrant.where(pd.Series(local.p_sim <= significance, index=y.index), "ns")
    out.loc[out.index.isin(nb.islands) & out["cluster"].isna(), "cluster"] = "island"
    out.loc[out["cluster"].isna(), "cluster"] = "missing"
    return out
