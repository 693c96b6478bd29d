"""A real X server for the GUI tests: Xvfb on a free display, trayer as the system tray host.

Skipped only when Xvfb is not installed (with a loud reason); anything else failing is a test failure.
Screenshots go to tests/artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number between :90 and :199")


TRAY_HOSTS: dict[str, subprocess.Popen[bytes]] = {}


def start_tray_host(display: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DISPLAY": display}
    host = subprocess.Popen(
        [
            "trayer",
            "--edge",
            "top",
            "--align",
            "right",
            "--widthtype",
            "request",
            "--height",
            "32",
            "--SetDockType",
            "true",
            "--transparent",
            "false",
            "--tint",
            "0x303030",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_for(lambda: tray_owner(display)), "trayer did not take the system tray selection"
    return host


def stop_tray_host(host: subprocess.Popen[bytes]) -> None:
    host.terminate()
    host.wait(5)


def tray_owner(display: str) -> bool:
    import Xlib.display  # type: ignore[import-untyped]
    import Xlib.X  # type: ignore[import-untyped]

    connection = Xlib.display.Display(display)
    try:
        atom = connection.intern_atom("_NET_SYSTEM_TRAY_S0")
        return bool(connection.get_selection_owner(atom) != Xlib.X.NONE)
    finally:
        connection.close()


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="session")
def xserver() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip(
            "GUI TESTS SKIPPED: Xvfb is not installed (apt-get install xvfb xdotool trayer imagemagick)"
        )
    number = free_display()
    display = f":{number}"
    # -noreset: without it Xvfb resets when its last client (the tray host between tests) leaves, and a
    # connection made during the reset is closed by the server (a flaky "Display connection closed").
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp", "-noreset"]
    )
    assert wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists()), "Xvfb did not start"
    TRAY_HOSTS[display] = start_tray_host(display)
    old = {key: os.environ.get(key) for key in ("DISPLAY", "PYSTRAY_BACKEND")}
    os.environ["DISPLAY"], os.environ["PYSTRAY_BACKEND"] = display, "gtk"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield display
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        stop_tray_host(TRAY_HOSTS.pop(display))
        server.terminate()
        server.wait(5)


@pytest.fixture
def root(xserver: str) -> Iterator[tk.Tk]:
    """A withdrawn Tk root, as the tray agent has one: the settings dialog and the windows open over it."""
    tk_root = tk.Tk()
    tk_root.withdraw()
    try:
        yield tk_root
    finally:
        tk_root.destroy()


@pytest.fixture
def tray_host(xserver: str) -> str:
    """A fresh system tray for a test that docks icons: trayer lays a new icon out a few pixels wide
    once an earlier one has left, so each tray test starts on a tray of its own."""
    stop_tray_host(TRAY_HOSTS.pop(xserver))
    assert wait_for(lambda: not tray_owner(xserver)), "the old tray host kept the selection"
    TRAY_HOSTS[xserver] = start_tray_host(xserver)
    return xserver


def tray_icon_box(display: str) -> str | None:
    """Where our icon sits in the tray (WxH+X+Y on the screen), from its window: the crop of a state."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Kassasync:"],
        env={"DISPLAY": display},
        capture_output=True,
        text=True,
    )
    for wid in found.stdout.split():
        shell = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", wid],
            env={"DISPLAY": display},
            capture_output=True,
            text=True,
        ).stdout
        geometry = dict(line.split("=", 1) for line in shell.split() if "=" in line)
        if int(geometry.get("WIDTH", 0)) > 1 and int(geometry.get("Y", 999)) < 40:
            return f"{geometry['WIDTH']}x{geometry['HEIGHT']}+{geometry['X']}+{geometry['Y']}"
    return None


def screenshot(display: str, name: str, window: tk.Misc | None = None, box: str | None = None) -> Path:
    """The whole screen, or just ``window`` or ``box`` (WxH+X+Y): the crops the user's guide shows."""
    path = ARTIFACTS / f"{name}.png"
    if window is not None:
        window.update()
        box = f"{window.winfo_width()}x{window.winfo_height()}+{window.winfo_rootx()}+{window.winfo_rooty()}"
    crop = [] if box is None else ["-crop", box, "+repage"]
    subprocess.run(["import", "-display", display, "-window", "root", *crop, str(path)], check=True)
    return path
