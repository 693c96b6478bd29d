"""The tray icon docks in a real system tray (trayer on Xvfb) and shows each state; screenshots saved."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime

import pytest

from kassasync.app.state import AppState, Health
from kassasync.clock import STOCKHOLM
from kassasync.sync.events import Outcome, StepCounts, StepProgress, SyncReport, SyncRequest

from .conftest import screenshot, wait_for

pytestmark = pytest.mark.gui

LAST = SyncReport(SyncRequest(), Outcome.OK, steps={"receipts": StepCounts(posted=12)})
FINISHED = datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM)

STATES = {
    "idle": AppState(last_report=LAST, last_finished_at=FINISHED),
    "syncing": AppState(syncing=True, progress=StepProgress("articles", "Hämtar artiklar", 1500, 20000)),
    "attention": AppState(health=Health.ATTENTION, failed_receipts=3),
    "error": AppState(health=Health.ERROR, message="Fortnox svarar inte."),
    "login": AppState(health=Health.NEEDS_LOGIN),
    "paused": AppState(paused=True),
}


def window_names(display: str) -> list[str]:
    found = subprocess.run(
        ["xdotool", "search", "--name", "Kassasync"], env={"DISPLAY": display}, capture_output=True
    )
    names = []
    for wid in found.stdout.decode().split():
        name = subprocess.run(
            ["xdotool", "getwindowname", wid], env={"DISPLAY": display}, capture_output=True
        )
        names.append(name.stdout.decode("latin-1").strip())  # WM_NAME is a Latin-1 STRING
    return names


def test_the_tray_icon_docks_and_shows_each_state(xserver: str) -> None:
    from kassasync.app.tray import Tray  # imported here: pystray picks its backend on import

    actions: list[object] = []
    tray = Tray(actions.append)
    assert not tray.has_menu  # plain X11: the click opens our own popup menu instead
    tray.start()
    try:
        for name, state in STATES.items():
            tray.show(state)
            expected = tray.view.tooltip.splitlines()[0]

            def shown(expected: str = expected) -> bool:
                return any(n.startswith(expected) for n in window_names(xserver))

            assert wait_for(shown, 5.0), (name, expected, window_names(xserver))
            time.sleep(0.3)  # let trayer repaint before the screenshot
            shot = screenshot(xserver, f"tray-{name}")
            assert shot.stat().st_size > 0
    finally:
        tray.stop()
