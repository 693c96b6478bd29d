"""Kill tests at length: the reliability suite's SIGKILL tests with 100 kills per kind (10 in the test run).

Each kill lands at a random point while a sync child process posts; after the last, one more run, and
every receipt must be in Fortnox exactly once. Prints the trials, the time and whether it held.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIALS = int(os.environ.get("KASSASYNC_KILL_TRIALS", "100"))


def main() -> int:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/reliability/test_kill.py"],
        cwd=ROOT,
        env={**os.environ, "KASSASYNC_KILL_TRIALS": str(TRIALS)},
        capture_output=True,
        text=True,
    )
    print(f"kill_trials_per_kind: {TRIALS}")
    print("kinds: vouchers, paid invoices")
    print(f"kill_s: {time.perf_counter() - started:.1f}")
    print(f"exactly_once: {'held' if result.returncode == 0 else 'BROKEN'}")
    if result.returncode != 0:
        print(result.stdout[-4000:], file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
