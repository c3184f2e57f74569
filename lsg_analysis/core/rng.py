"""Where does randomness come from? One rule: a caller passes a ``numpy.random.Generator`` or an integer seed.

There is no default seed and no global NumPy state: every bootstrap, permutation and Moran test is reproducible
from the seed its run recorded (the PySAL lesson, see ../STYLE.md).

>>> bool(generator(7).integers(100) == generator(7).integers(100))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lsg_analysis.core.errors import ParameterError


def generator(rng: Any) -> np.random.Generator:
    """``rng`` itself when it is a Generator, a new Generator seeded with it when it is an integer."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ParameterError("rng", rng, "a numpy.random.Generator or an integer seed (results must be reproducible)")
