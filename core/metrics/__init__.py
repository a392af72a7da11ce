"""Metric rollups: per-rep, per-day totals kept up to date on ingestion, and queries on them."""
