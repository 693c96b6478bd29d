"""Benchmarks: measured figures, printed one per line as ``name: value``. Not part of the test run."""
