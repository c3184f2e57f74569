"""Analysis: the suite's questions asked of the project's data (imbalance panel, migration, border vs interior,
consultations)."""
