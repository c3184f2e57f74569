"""How fast are lsg_analysis.imbalance's measures next to PySAL ``inequality``? (``make bench``)

One synthetic panel (50 000 regions × 20 years, log-normal values, 7 groups, seed 2026) is timed with both
libraries in the same run. Each round times every pair back to back (ours, then PySAL's), so a busy
machine slows both alike; the table shows the median over the rounds and the ratio PySAL / ours.
Before timing, the results are checked to agree (to 1e-10; PySAL's Gini is run column by column, since
its 2-D form divides by the number of rows only).

    python benchmarks/bench_imbalance.py [--rounds 7] [--regions 50000] [--years 20] [--groups 7]

Synthetic data only; nothing is written.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

TARGET = 5.0


def _seconds(f: Callable[[], object]) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--regions", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--groups", type=int, default=7)
    args = parser.parse_args()

    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    from lsg_analysis import imbalance

    rng = np.random.default_rng(2026)
    y = rng.lognormal(mean=10.0, sigma=0.6, size=(args.regions, args.years))
    groups = rng.integers(0, args.groups, size=args.regions)
    population = rng.integers(1_000, 500_000, size=args.regions).astype(float)

    def pysal_gini() -> np.ndarray:
        return np.array([Gini(y[:, j]).g for j in range(y.shape[1])])

    pairs = [  # name, ours, PySAL (None: PySAL has no such measure)
        ("Gini (per-column loop)", lambda: imbalance.gini(y), pysal_gini),
        ("Theil T", lambda: imbalance.theil(y), lambda: Theil(y).T),
        ("TheilD (between/within)", lambda: imbalance.theil_decomposition(y, groups), lambda: TheilD(y, groups)),
        ("Gini, population-weighted", lambda: imbalance.gini(y, population), None),
        ("Theil T, population-weighted", lambda: imbalance.theil(y, population), None),
        ("Theil decomposition, weighted", lambda: imbalance.theil_decomposition(y, groups, population), None),
        ("MLD", lambda: imbalance.mld(y), None),
    ]

    # agreement first: a fast wrong answer is no result
    np.testing.assert_allclose(imbalance.gini(y), pysal_gini(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(imbalance.theil(y), Theil(y).T, rtol=0, atol=1e-10)
    ours, theirs = imbalance.theil_decomposition(y, groups), TheilD(y, groups)
    for a, b in ((ours.total, theirs.T), (ours.between, theirs.bg), (ours.within, theirs.wg)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)

    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, _, _ in pairs}
    for name, f, g in pairs:  # warm-up (imports, caches)
        f()
        if g is not None:
            g()
    for _ in range(args.rounds):
        for name, f, g in pairs:
            times[name][0].append(_seconds(f))
            if g is not None:
                times[name][1].append(_seconds(g))

    print(
        f"panel {args.regions} regions x {args.years} years, {args.groups} groups; "
        f"median of {args.rounds} rounds; numpy {np.__version__}"
    )
    print(f"{'measure':32s} {'ours ms':>9s} {'PySAL ms':>9s} {'PySAL/ours':>11s}")
    below = []
    for name, _, g in pairs:
        ours_ms = statistics.median(times[name][0]) * 1e3
        if g is None:
            print(f"{name:32s} {ours_ms:9.2f} {'-':>9s} {'-':>11s}")
            continue
        theirs_ms = statistics.median(times[name][1]) * 1e3
        ratio = theirs_ms / ours_ms
        print(f"{name:32s} {ours_ms:9.2f} {theirs_ms:9.2f} {ratio:10.1f}x")
        if ratio < TARGET:
            below.append(f"{name} ({ratio:.1f}x)")
    if below:
        print(f"below the {TARGET:.0f}x target: {', '.join(below)}")
    else:
        print(f"all comparisons at or above the {TARGET:.0f}x target")


if __name__ == "__main__":
    main()
