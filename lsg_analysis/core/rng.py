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


def permutations(gen: np.random.Generator, n: int, count: int) -> np.ndarray:
    """``count`` random orderings of ``range(n)`` (count × n): the same draws, in the same order, as ``count`` calls
    of ``gen.permutation(n)`` (so ``a[permutations(gen, len(a), m)[b]]`` is the b-th of m ``gen.permutation(a)``;
    a test checks both), shuffled in one call instead of one call per ordering.

    >>> g1, g2 = generator(3), generator(3)
    >>> bool((permutations(g1, 5, 4) == [g2.permutation(5) for _ in range(4)]).all())
    True
    """
    return gen.permuted(np.broadcast_to(np.arange(n), (count, n)), axis=1)
