"""``kassasync demo tray``: the README's way on from the demo to what a shop owner sees.

It starts the sandbox with the demo seed, the demo shop's company file and the tray agent logged in to
the sandbox; the icon docks in a real tray host; ``kassasync quit`` (the same path as "Avsluta") ends the
agent, the demo stops the sandbox and exits 0.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kassasync.environment import read_environment
from kassasync.paths import app_paths
from kassasync.platform.single_instance import SingleInstance

from .conftest import screenshot, tray_icon_box, wait_for

pytestmark = pytest.mark.gui


def _sandbox_port(out: str) -> int:
    found = re.search(r"Fortnox-sandlåda: http://127\.0\.0\.1:(\d+)", out)
    assert found, out
    return int(found.group(1))


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_demo_tray_opens_the_agent_logged_in_on_the_demo_shop_and_quits_cleanly(
    tray_host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KASSASYNC_HOME", str(tmp_path))
    paths = app_paths(read_environment().home)
    env = {**os.environ, "DISPLAY": tray_host}
    demo = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "demo", "tray", "--home", str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: tray_icon_box(tray_host) is not None, 60.0), "the demo's icon never docked"
        box = tray_icon_box(tray_host)
        screenshot(tray_host, "demo-tray-docked")
        if box is not None:
            screenshot(tray_host, "demo-tray-icon", box=box)
        assert SingleInstance(paths.instance_lock).is_held_elsewhere()  # the agent itself is running
        saved = json.loads(paths.settings_file.read_text(encoding="utf-8"))
        assert saved["fortnox"]["tenant_name"] == "Hörnbutiken i Sundsvall AB"  # logged in to the sandbox
        assert Path(saved["company_path"]).name == "kassa.db" and Path(saved["company_path"]).is_file()
        assert paths.token_file.is_file()

        asked = subprocess.run(
            [sys.executable, "-m", "kassasync", "quit"], env=env, capture_output=True, text=True, timeout=30
        )
        assert asked.returncode == 0, asked.stderr
        out, err = demo.communicate(timeout=30)
    finally:
        if demo.poll() is None:
            demo.send_signal(signal.SIGTERM)
            demo.wait(10)

    assert demo.returncode == 0, err
    assert "Traceback" not in err
    assert "Inloggad i Fortnox: Hörnbutiken i Sundsvall AB (556123-4567)" in out
    assert "Kvitton i kön: 72 (i kö: 72)" in out  # Swedish state names, not "pending"
    assert "Demon är avslutad." in out
    assert not _listening(_sandbox_port(out))  # the sandbox stopped with the demo


def test_demo_tray_without_a_display_says_what_to_run_instead(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run(
        [sys.executable, "-m", "kassasync", "demo", "tray", "--home", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "behöver en skärm" in done.stderr and "kassasync demo" in done.stderr
    assert not (tmp_path / "Hornbutiken").exists()  # nothing started
