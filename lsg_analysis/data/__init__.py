"""Data: the catalogue of raw files, their layouts, tidy tables, provenance, validated loaders and the one
series-break rule."""
