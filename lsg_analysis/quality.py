"""Stable public path ``lsg_analysis.quality``: re-exports :mod:`lsg_analysis.data.quality` (docs/architecture.md, "Public API")."""

from lsg_analysis.data.quality import *  # noqa: F403
