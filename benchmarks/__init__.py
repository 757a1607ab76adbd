"""Benchmarks: `python -m benchmarks` prints medians of what users feel (see README, Performance)."""
