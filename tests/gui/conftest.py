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
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"])
    assert wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists()), "Xvfb did not start"
    env = {**os.environ, "DISPLAY": display}
    tray_host = subprocess.Popen(
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
    old = {key: os.environ.get(key) for key in ("DISPLAY", "PYSTRAY_BACKEND")}
    os.environ["DISPLAY"], os.environ["PYSTRAY_BACKEND"] = display, "xorg"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield display
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        tray_host.terminate()
        server.terminate()
        tray_host.wait(5)
        server.wait(5)


def screenshot(display: str, name: str, window: tk.Misc | None = None) -> Path:
    """The whole screen, or just ``window`` (cropped to it: what the user's guide shows)."""
    path = ARTIFACTS / f"{name}.png"
    crop: list[str] = []
    if window is not None:
        window.update()
        box = f"{window.winfo_width()}x{window.winfo_height()}+{window.winfo_rootx()}+{window.winfo_rooty()}"
        crop = ["-crop", box]
    subprocess.run(["import", "-display", display, "-window", "root", *crop, str(path)], check=True)
    return path
