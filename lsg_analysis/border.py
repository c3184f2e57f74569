"""Stable public path ``lsg_analysis.border``: re-exports :mod:`lsg_analysis.geo.border` (docs/architecture.md, "Public API")."""

from lsg_analysis.geo.border import *  # noqa: F403
