"""The tray icon in a real system tray (trayer on Xvfb, pystray's GTK backend): it docks at a sane size,
keeps it through many redraws, and its menu, opened and read with the pointer, says what the model says.

The menu is read by OCR from a screenshot (see tray_pointer.py for why): the test compares the words on
the screen, and which items are greyed out, with the tray model's entries.
"""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from kassasync.clock import STOCKHOLM, SystemClock
from kassasync.sync.events import Outcome, ReportedError, StepCounts, StepProgress, SyncReport, SyncRequest
from kassasync.ui.state import AppState, Health, Problem
from kassasync.ui.tray_model import Action, render

from . import tray_pointer as pointer
from .conftest import screenshot, wait_for

pytestmark = pytest.mark.gui

NOW = SystemClock().now()
LAST = SyncReport(SyncRequest(), Outcome.OK, steps={"receipts": StepCounts(posted=12)}, awaiting_summary=3)
FINISHED = NOW - timedelta(minutes=5)
LOCKED = ReportedError(
    "Perioden till och med 2026-11-30 är låst i Fortnox. Lås upp perioden i Fortnox.", "period locked"
)
HELD_REPORT = SyncReport(SyncRequest(), Outcome.ATTENTION, errors=(LOCKED,))

STATES = {
    "setup": AppState(health=Health.SETUP, message="Välj kassans företagsfil i inställningarna"),
    "idle": AppState(last_report=LAST, last_finished_at=FINISHED, next_sync_at=NOW + timedelta(minutes=10)),
    "syncing": AppState(syncing=True, progress=StepProgress("receipts", "Skickar kvitton", 8, 72)),
    "attention": AppState(
        health=Health.ATTENTION,
        failed_receipts=1,
        last_report=SyncReport(SyncRequest(), Outcome.ATTENTION, steps={"r": StepCounts(posted=4, failed=1)}),
        last_finished_at=FINISHED,
    ),
    "held": AppState(
        health=Health.HELD,
        message=LOCKED.user_message,
        last_report=HELD_REPORT,
        last_finished_at=FINISHED,
        problems=(Problem(FINISHED, LOCKED),),
    ),
    "error": AppState(health=Health.ERROR, message="Fortnox svarar inte.", last_finished_at=FINISHED),
    "login": AppState(health=Health.NEEDS_LOGIN),
    "paused": AppState(paused=True, paused_until=NOW + timedelta(hours=1), last_report=LAST),
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
        names.append(name.stdout.decode("utf-8", "replace").strip())
    return names


def painted_pixels(shot: Path) -> int:
    """How much of the crop is painted in a state's colour (orange, yellow, red, blue, grey, slate)
    rather than trayer's dark grey background: the icon really is drawn in the tray."""
    with Image.open(shot) as image:
        data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if max(r, g, b) > 120)


def test_the_icon_docks_once_and_keeps_its_size_through_every_state_and_spinner_frame(tray_host: str) -> None:
    from kassasync.ui.tray import Tray  # imported here: pystray picks its backend on import

    tray = Tray(lambda _action: None)
    assert tray.has_menu  # the GTK backend: a real menu, on a real click
    tray.start()
    try:
        docked = pointer.wait_for_icon(tray_host)
        assert docked.width >= 16 and docked.height >= 16, docked
        for name, state in STATES.items():
            tray.show(state)
            expected = tray.view.tooltip.splitlines()[0]
            assert wait_for(lambda e=expected: pointer.icon_title(tray_host).startswith(e), 5.0), (
                name,
                pointer.icon_title(tray_host),
            )
            if name == "syncing":
                time.sleep(3.0)  # 24 spinner frames: each once asked to dock again, collapsing the icon
            box = pointer.icon_box(tray_host)
            assert box is not None and box == docked, f"{name}: the icon moved or collapsed: {box}"
            assert wait_for(
                lambda n=name, b=box: painted_pixels(screenshot(tray_host, f"tray-{n}", box=b.crop)) > 100,
                5.0,
            ), f"the {name} icon is not painted in the tray"
    finally:
        tray.stop()


@pytest.mark.parametrize("name", list(STATES))
def test_a_right_click_opens_the_menu_and_it_reads_as_the_model_says(tray_host: str, name: str) -> None:
    from kassasync.ui.tray import Tray

    tray = Tray(lambda _action: None)
    tray.start()
    try:
        tray.show(STATES[name])
        view = render(STATES[name], SystemClock().now())
        assert wait_for(lambda: pointer.icon_title(tray_host).startswith(view.tooltip.splitlines()[0]), 5.0)
        lines = pointer.read_menu(tray_host, f"tray-menu-{name}-crop")
        pointer.screenshot_with_menu(tray_host, f"tray-menu-{name}")
        if name == "idle":
            pointer.screenshot_with_menu(tray_host, "tray-menu")  # the user's guide's picture
        seen = [line.text for line in lines]
        assert len(lines) == len(view.menu), seen
        for entry, line in zip(view.menu, lines, strict=True):
            assert pointer.similar(line.text, entry.label), (entry.label, seen)
            assert line.enabled is entry.enabled, (entry.label, line)
    finally:
        pointer.close_menu(tray_host)
        tray.stop()


def test_clicking_an_item_with_the_pointer_runs_its_action(tray_host: str) -> None:
    from kassasync.ui.tray import Tray

    chosen: list[Action] = []
    tray = Tray(chosen.append)
    tray.start()
    try:
        tray.show(STATES["held"])
        assert wait_for(lambda: "problem" in pointer.icon_title(tray_host), 5.0)
        pointer.click_item(tray_host, "Visa problem...")
        assert wait_for(lambda: chosen == [Action.PROBLEMS], 5.0), chosen
        pointer.click_item(tray_host, "Synkronisera")
        assert wait_for(lambda: chosen == [Action.PROBLEMS, Action.SYNC], 5.0), chosen
        pointer.click_item(tray_host, "Pausa i en timme")
        assert wait_for(lambda: chosen[-1] is Action.PAUSE_HOUR, 5.0), chosen
    finally:
        pointer.close_menu(tray_host)
        tray.stop()


def test_the_stockholm_clock_is_what_the_header_shows() -> None:
    """The header's times are Stockholm's (the shop's), whatever the test machine's zone."""
    view = render(STATES["idle"], NOW)
    local = FINISHED.astimezone(STOCKHOLM)
    assert any(f"{local:%H:%M}" in entry.label for entry in view.menu)
    assert isinstance(NOW, datetime)
