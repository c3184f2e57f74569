"""What does a minister see? One self-contained HTML dashboard in Kyrgyz, Russian and English.

``build_dashboard()`` writes ``reports/dashboard.html``: a static page with the Vega, Vega-Lite and vega-embed
libraries inlined (from ``vl_convert.javascript_bundle``), no CDN, no server; it works from ``file://`` offline.
It reads only the notebooks' recorded results (``reports/results/*.json``, see ``docs/results.md``), the
processed indicators, the region registry and the boundaries.

Views: choropleth (indicator × year × oblast/rayon level), ranking, imbalance trend with its bootstrap
confidence band, border vs interior, consultation usage (rates with CIs, "insufficient data" for suppressed
rates, the sample caveat), region profiles (the numbers and words of ``lsg profile`` for every unit with data,
opened from a list, a click on the map or ``#profile=CODE``). One Vega-Lite spec per view and language; the data
are embedded once and shared.

Modules: :mod:`.inputs` (what the page is built from), :mod:`.datasets` (the charts' rows), :mod:`.specs`
(the Vega-Lite specs, written with Altair), :mod:`.texts` (messages and headline numbers, chosen by
``outputs.headlines``), :mod:`.sources` (the sources block), :mod:`.page` (:func:`page_data`), :mod:`.html`
(escaping, CSP, the Vega bundle, :func:`render_html`).
"""

from __future__ import annotations

from pathlib import Path

from lsg_analysis.core import atomic, paths
from lsg_analysis.outputs.dashboard.datasets import (
    MEASURE_KEY_PREFIX,
    MEASURE_NAMES,
    RATE_INDICATORS,
    border_data,
    consult_data,
    region_names,
    trend_data,
)
from lsg_analysis.outputs.dashboard.html import (
    ASSETS,
    content_security_policy,
    csp_hash,
    inline_script,
    render_html,
    script_json,
    vega_bundle,
)
from lsg_analysis.outputs.dashboard.inputs import NOTEBOOKS, DashboardInputs, collect, geo_features
from lsg_analysis.outputs.dashboard.page import DRAFT_COLUMNS, page_data
from lsg_analysis.outputs.dashboard.specs import SPECS, specs
from lsg_analysis.outputs.dashboard.texts import DRAFT_HEADERS, PAGE_KEYS, Text, data_date, texts

__all__ = [
    "ASSETS",
    "DRAFT_COLUMNS",
    "DRAFT_HEADERS",
    "MEASURE_KEY_PREFIX",
    "MEASURE_NAMES",
    "NOTEBOOKS",
    "PAGE_KEYS",
    "RATE_INDICATORS",
    "SPECS",
    "DashboardInputs",
    "Text",
    "border_data",
    "build_dashboard",
    "collect",
    "consult_data",
    "content_security_policy",
    "csp_hash",
    "data_date",
    "geo_features",
    "inline_script",
    "page_data",
    "region_names",
    "render_html",
    "script_json",
    "specs",
    "texts",
    "trend_data",
    "vega_bundle",
]


def build_dashboard(out: str | Path | None = None, results_dir: str | Path | None = None) -> Path:
    """Write the dashboard (default ``reports/dashboard.html``) atomically and return its path; ``results_dir``:
    a run's results folder (see :func:`collect`), each view stamped with the run it shows."""
    target = Path(out) if out is not None else paths.REPORTS / "dashboard.html"
    page = render_html(page_data(collect(results_dir)))
    atomic.write_text(target, page)
    return target
