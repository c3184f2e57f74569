"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest

from lsg_analysis.runs import params, runner


@pytest.fixture(scope="session")
def default_runs(tmp_path_factory):
    """The default notebooks run once per test session into a temporary folder (a clean clone has no
    ``reports/results``): ``(folder, {notebook: run log row})``; the results are in ``folder / "results"``."""
    out = tmp_path_factory.mktemp("reports")
    rows = runner.execute([runner.Run(n) for n in params.notebooks()], out=out, jobs=2, html=False, progress=False)
    return out, {r["notebook"]: r for r in rows}
