"""Measures: pure statistical kernels (inequality, decomposition, inference, convergence, spatial autocorrelation,
group comparison, demography). Imports only core."""
