"""Stable public path ``lsg_analysis.consultations``: re-exports :mod:`lsg_analysis.analysis.consultations` (docs/architecture.md, "Public API")."""

from lsg_analysis.analysis.consultations import *  # noqa: F403
