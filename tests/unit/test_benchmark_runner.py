"""``python -m benchmarks``: every benchmark, or those named, each on its own defaults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_benchmark_runner_runs_a_named_benchmark_on_its_own_defaults() -> None:
    """``python -m benchmarks NAME``: the names are the runner's, not options of the benchmark."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "shared_limit_sim"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "sim_n6_aggregate_utilisation: " in done.stdout
