"""Stable public path ``lsg_analysis.regions``: re-exports :mod:`lsg_analysis.registry.regions` (docs/architecture.md, "Public API")."""

from lsg_analysis.registry.regions import *  # noqa: F403
