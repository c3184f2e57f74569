"""The policy brief: a 2–4 page PDF in Kyrgyz, Russian or English, rendered with Typst from the notebooks' results.

Inputs are only the results files ``reports/results/{01_imbalance,02_migration_border,03_consultations}.json``
(contract: ``docs/results.md``) and the processed boundaries for the map. Every sentence comes from the
translation catalogue (:mod:`lsg_analysis.i18n`) in the brief's language and every number is formatted for it.

The Typst template (``templates/brief.typ``) reads everything as data from ``data.json`` (``json(...)``), so a
string from the data (a draft title with ``#``, ``[``, ``*``, ``$``, ``\\``) is shown as text, never parsed as
markup. Fonts are Typst's bundled fonts only (``ignore_system_fonts``): Libertinus Serif (SIL OFL 1.1), which
covers Kyrgyz ң ө ү; chart text is drawn as paths from matplotlib's bundled DejaVu Sans. The document date is
``none`` and the charts carry no timestamp, so the same inputs give a byte-identical PDF.
"""

from __future__ import annotations

from lsg_analysis.outputs.brief.content import RANKING_ENDS, brief_content
from lsg_analysis.outputs.brief.figures import map_svg, trend_svg
from lsg_analysis.outputs.brief.reader import NOTEBOOKS, fmt_p
from lsg_analysis.outputs.brief.render import build_briefs, compile_brief, load_all, render_pdf
from lsg_analysis.outputs.brief.sources import short_producers

__all__ = [
    "NOTEBOOKS",
    "RANKING_ENDS",
    "brief_content",
    "build_briefs",
    "compile_brief",
    "fmt_p",
    "load_all",
    "map_svg",
    "render_pdf",
    "short_producers",
    "trend_svg",
]
