"""Runs: notebook parameters, the runner, and the results files (reports/results/*.json) with the metrics each
notebook records."""
