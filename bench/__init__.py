"""Benchmark of the build: a synthetic corpus generator (corpus) and the measuring run (run)."""
