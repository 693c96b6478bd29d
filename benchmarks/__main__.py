"""``python -m benchmarks [NAME ...]``: run the benchmarks (all, or those named) one after another."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    runner_argv = sys.argv
    names = argv or sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    failed = []
    for name in names:
        print(f"# benchmark: {name}", flush=True)
        sys.argv = [str(HERE / f"{name}.py")]  # its own defaults: the names here are not its options
        try:
            runpy.run_path(sys.argv[0], run_name="__main__")
        except SystemExit as exit_:  # a benchmark's own sys.exit() must not end the others
            if exit_.code not in (None, 0):
                failed.append(name)
        finally:
            sys.argv = runner_argv
        sys.stdout.flush()
    if failed:
        print(f"# failed: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
