"""The tray icon docks in a real system tray (trayer on Xvfb) and shows each state; screenshots saved."""

from __future__ import annotations

import subprocess
import tkinter as tk
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from kassasync.app.state import AppState, Health
from kassasync.app.tray_model import Action, render
from kassasync.clock import STOCKHOLM
from kassasync.sync.events import Outcome, StepCounts, StepProgress, SyncReport, SyncRequest

from .conftest import screenshot, tray_icon_box, wait_for

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


def orange_pixels(shot: Path) -> int:
    """How much of the screenshot is Kassasync orange: the icon really is painted in the tray."""
    with Image.open(shot) as image:
        data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 200 and 90 < g < 190 and b < 90)


def test_the_tray_icon_docks_and_shows_each_state(tray_host: str) -> None:
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
                return any(n.startswith(expected) for n in window_names(tray_host))

            assert wait_for(shown, 5.0), (name, expected, window_names(tray_host))

            def painted(name: str = name) -> bool:
                box = tray_icon_box(tray_host)
                return box is not None and orange_pixels(screenshot(tray_host, f"tray-{name}", box=box)) > 100

            if not wait_for(painted, 5.0):
                screenshot(tray_host, f"tray-{name}-whole-screen")
                raise AssertionError(f"the {name} icon is not visible in the tray: {window_names(tray_host)}")
    finally:
        tray.stop()


def test_the_right_click_menu_has_every_entry_of_the_model(xserver: str) -> None:
    """Where the tray host has no native menu, Tk draws the model's menu: same entries, same states."""
    from kassasync.app.agent import popup_menu

    view = render(STATES["attention"], FINISHED)
    chosen: list[Action] = []
    root = tk.Tk()
    root.withdraw()
    try:
        menu = popup_menu(root, view, chosen.append)
        menu.post(860, 34)
        root.update()
        labels = [menu.entrycget(i, "label") for i in range(len(view.menu))]
        assert labels == [entry.label for entry in view.menu]
        screenshot(xserver, "tray-menu", menu)
        menu.invoke(0)
        assert chosen == [view.menu[0].action]
        menu.unpost()
    finally:
        root.destroy()
