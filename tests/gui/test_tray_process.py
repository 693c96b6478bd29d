"""``kassasync tray`` as a real process: docks, waits to be set up before any sync, refuses a second
instance, and quits cleanly within 2 s on SIGTERM (the same path as "Avsluta")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import tray_pointer as pointer
from .conftest import wait_for
from .test_tray_gui import window_names

pytestmark = pytest.mark.gui

SETUP = "Kassasync: behöver ställas in"


def test_a_first_start_waits_in_the_set_up_state_opens_the_settings_and_runs_no_sync(
    tray_host: str, tmp_path: Path
) -> None:
    """Nothing set up yet: the icon and its menu say so, the settings open by themselves, and neither
    the schedule nor a "Synkronisera" (SIGUSR1) runs a sync that would only turn the icon red."""
    env = {
        **os.environ,
        "DISPLAY": tray_host,
        "PYSTRAY_BACKEND": "gtk",
        "KASSASYNC_HOME": str(tmp_path),
        "KASSASYNC_STARTUP_SYNC_DELAY_S": "0",
    }
    command = [sys.executable, "-m", "kassasync", "tray"]
    agent = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_for(lambda: pointer.icon_box(tray_host, agent.pid) is not None, 15.0)
        assert wait_for(
            lambda: pointer.icon_title(tray_host).startswith("Kassasync: behöver ställas in"), 15.0
        )
        assert wait_for(lambda: "Kassasync – inställningar" in window_names(tray_host), 10.0), window_names(
            tray_host
        )

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 1
        assert "Kassasync körs redan" in second.stderr

        agent.send_signal(signal.SIGUSR1)  # "Synkronisera"
        lines = [line.text for line in pointer.read_menu(tray_host)]
        pointer.screenshot_with_menu(tray_host, "tray-first-start")
        pointer.close_menu(tray_host)
        assert pointer.similar(lines[0], SETUP), lines
        assert pointer.similar(lines[1], "Välj kassans företagsfil i inställningarna"), lines
        assert pointer.icon_title(tray_host).startswith(SETUP)
        logs = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*.log"))
        assert "=== sync start" not in logs, "a sync ran before anything was set up"

        started = time.monotonic()
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=5) == 0
        assert time.monotonic() - started < 2.0
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait()


def test_kassasync_quit_closes_a_running_agent_as_the_installer_needs(tray_host: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": tray_host, "PYSTRAY_BACKEND": "gtk", "KASSASYNC_HOME": str(tmp_path)}
    agent = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "tray"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        # This process's icon (by its id): an earlier test's hidden icon in the test process is named
        # "Kassasync: ..." too, and a quit asked before the agent has started is cleared by its start.
        assert wait_for(lambda: pointer.icon_box(tray_host, agent.pid) is not None, 15.0)

        asked = subprocess.run(
            [sys.executable, "-m", "kassasync", "quit"], env=env, capture_output=True, text=True, timeout=30
        )

        assert asked.returncode == 0, asked.stderr
        assert "Kassasync har avslutats." in asked.stdout
        assert agent.wait(timeout=5) == 0
        again = subprocess.run(
            [sys.executable, "-m", "kassasync", "quit"], env=env, capture_output=True, text=True, timeout=30
        )
        assert (again.returncode, again.stdout.strip()) == (0, "Kassasync körs inte.")
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait()
