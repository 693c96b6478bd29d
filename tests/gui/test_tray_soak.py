"""The agent starts and quits 200 times with no hang and no lost icon (issue 16).

About one start in forty used to freeze for good (pystray's X11 loop and the Tk thread deadlocked in
python-xlib), and redraws collapsed the icon to 1 px. Each start here is a real ``kassasync tray``
process on the real Xvfb + trayer: its icon (found by the process's id) must dock at a sane size (at
least 16 px square) within ``DOCK_TIMEOUT_S``, and SIGTERM (the path of "Avsluta") must end the process
within ``QUIT_TIMEOUT_S``. To fit CI time, ``PARALLEL`` agents (each with its own home, so the
single-instance lock lets them) start and quit together, round after round. Each agent is set up
(company file, Fortnox company) so it starts as on a shop's PC, with no dialog, and its first sync is far
off, so a round measures the tray alone. The figures are printed.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kassasync.config import FortnoxSettings, Settings, save_settings
from kassasync.paths import AppPaths

from . import tray_pointer as pointer
from .conftest import wait_for

pytestmark = pytest.mark.gui

STARTS = int(os.environ.get("KASSASYNC_SOAK_STARTS", "200"))
PARALLEL = 4
DOCK_TIMEOUT_S = 20.0
QUIT_TIMEOUT_S = 5.0
SANE_ICON_PX = 16


def set_up_home(home: Path) -> None:
    paths = AppPaths(config_dir=home / "config", log_dir=home / "logs", state_dir=home / "state").ensure()
    company = home / "butik" / "kassa.db"
    company.parent.mkdir(parents=True)
    company.write_bytes(b"")
    fortnox = FortnoxSettings(tenant_name="Hörnbutiken i Sundsvall AB", organisation_number="556123-4567")
    save_settings(Settings(company_path=company, fortnox=fortnox), paths.settings_file)


def test_the_agent_starts_and_quits_200_times_with_no_hang_and_no_lost_icon(
    tray_host: str, tmp_path: Path
) -> None:
    homes = [tmp_path / f"home-{slot}" for slot in range(PARALLEL)]
    for home in homes:
        set_up_home(home)
    base = {
        **os.environ,
        "DISPLAY": tray_host,
        "PYSTRAY_BACKEND": "gtk",
        "KASSASYNC_STARTUP_SYNC_DELAY_S": "3600",
    }
    hangs = lost = done = 0
    times: list[float] = []
    problems: list[str] = []
    while done < STARTS:
        batch = min(PARALLEL, STARTS - done)
        started = time.monotonic()
        agents = [
            subprocess.Popen(
                [sys.executable, "-m", "kassasync", "tray"],
                env={**base, "KASSASYNC_HOME": str(homes[slot])},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for slot in range(batch)
        ]
        try:
            for number, agent in enumerate(agents, start=done):

                def docked(pid: int = agent.pid) -> bool:
                    box = pointer.icon_box(tray_host, pid)
                    return box is not None and min(box.width, box.height) >= SANE_ICON_PX

                if not wait_for(docked, DOCK_TIMEOUT_S):
                    lost += 1
                    problems.append(
                        f"start {number}: no {SANE_ICON_PX} px icon: {pointer.icon_box(tray_host)}"
                    )
            for agent in agents:
                agent.send_signal(signal.SIGTERM)
            for number, agent in enumerate(agents, start=done):
                try:
                    code = agent.wait(timeout=QUIT_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    hangs += 1
                    problems.append(f"start {number}: did not quit within {QUIT_TIMEOUT_S} s")
                else:
                    if code != 0:
                        problems.append(f"start {number}: exit code {code}")
        finally:
            for agent in agents:
                if agent.poll() is None:
                    agent.kill()
                    agent.wait()
        times.extend([time.monotonic() - started] * batch)
        done += batch
        wait_for(lambda: pointer.icon_window(tray_host) is None, 5.0)  # the next round docks alone
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    print(f"\nstarts: {done}\nhangs: {hangs}\nlost_icons: {lost}\nstart_quit_s_p95: {p95:.2f}")
    assert (hangs, lost, problems) == (0, 0, [])
