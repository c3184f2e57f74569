"""lsg-analysis: regional imbalance in the Kyrgyz Republic and consultation of local self-government.

Light at import: heavy libraries (geopandas, esda, typst, altair) load only when a function needs them.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["load_indicators", "load_boundaries", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("load_indicators", "load_boundaries"):
        from . import load

        return getattr(load, name)
    raise AttributeError(f"module 'lsg_analysis' has no attribute {name!r}")
