"""``kassasync tray`` as a real process: docks, syncs on SIGUSR1 (the documented test hook), refuses a
second instance, and quits cleanly within 2 s on SIGTERM (the same path as "Avsluta")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import screenshot, wait_for
from .test_tray_gui import window_names

pytestmark = pytest.mark.gui


def test_the_tray_process_syncs_on_request_and_quits_within_two_seconds(
    tray_host: str, tmp_path: Path
) -> None:
    env = {**os.environ, "DISPLAY": tray_host, "PYSTRAY_BACKEND": "gtk", "KASSASYNC_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "kassasync", "tray"]
    agent = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:

        def asks_for_login() -> bool:  # never logged in
            return any(n.startswith("Kassasync: logga in på Fortnox") for n in window_names(tray_host))

        assert wait_for(asks_for_login, 15.0), window_names(tray_host)

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 1
        assert "Kassasync körs redan" in second.stderr

        agent.send_signal(signal.SIGUSR1)  # "Synkronisera"
        # The real engine runs; with no company file chosen it ends in the error state, saying what to do
        assert wait_for(
            lambda: any("Välj kassans företagsfil" in n for n in window_names(tray_host)), 10.0
        ), window_names(tray_host)
        screenshot(tray_host, "tray-process-after-sync")
        logged = [p for p in tmp_path.rglob("*.log") if "=== sync start" in p.read_text(errors="replace")]
        assert logged, "the tray writes its syncs to the rotating log"

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
        assert wait_for(lambda: any(n.startswith("Kassasync:") for n in window_names(tray_host)), 15.0)

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
