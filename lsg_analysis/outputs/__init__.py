"""Outputs: what readers see (briefs, dashboard, figures, recommendations, translations). Read results; recompute
nothing."""
