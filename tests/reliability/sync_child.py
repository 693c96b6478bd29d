"""A sync run in a process of its own, for the kill tests: the real engine on the shop's settings, with
the test suite's fast limits (the sandbox is the test process's, on loopback).

Prints ``started`` when the engine begins pushing, so the killer knows the run is under way.
"""

from __future__ import annotations

import sys

from kassasync.config import load_settings
from kassasync.environment import read_environment
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import app_paths
from kassasync.sync.collaborators import engine_for
from kassasync.sync.events import StepProgress, SyncEvent, SyncRequest

FAST = ClientOptions(backoff_s=0.01, max_backoff_s=0.05, connect_timeout_s=2.0, read_timeout_s=2.0)


def main() -> int:
    paths = app_paths(read_environment().home)
    settings = load_settings(paths.settings_file)
    engine = engine_for(
        settings,
        paths,
        read_environment(),
        rate_limit=10_000,
        rate_window_s=1.0,
        reconcile_after_s=0.0,
        client_options=FAST,
    )

    def say_when_pushing(event: SyncEvent) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and event.done == 1:
            print("pushing", flush=True)

    report = engine.run(SyncRequest(kind="everything", trigger="cli"), emit=say_when_pushing)
    print(report.outcome, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
