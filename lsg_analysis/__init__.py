"""lsg-analysis: regional imbalance in the Kyrgyz Republic and consultation of local self-government.

Light at import: heavy libraries (geopandas, esda, typst, altair) load only when a function needs them.
"""

from __future__ import annotations

from typing import Any

from lsg_analysis.core.version import VERSION as __version__

__all__ = ["load_indicators", "load_boundaries", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "load_indicators":
        from lsg_analysis.data.load import load_indicators

        return load_indicators
    if name == "load_boundaries":
        from lsg_analysis.geo.boundaries import load_boundaries

        return load_boundaries
    raise AttributeError(f"module 'lsg_analysis' has no attribute {name!r}")
