"""Region profiles: a PDF per oblast, city or rayon with every indicator that has data for it, typeset with Typst
like the briefs (bundled fonts only, document date ``none``), so the same data give a byte-identical PDF. The
numbers come from :mod:`lsg_analysis.outputs.profile_numbers`."""

from __future__ import annotations

from lsg_analysis.outputs.profile.render import build_all, build_profiles, profile_content, render_profile

__all__ = ["build_all", "build_profiles", "profile_content", "render_profile"]
