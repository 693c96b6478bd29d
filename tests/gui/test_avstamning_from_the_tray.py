""" "Avstämning..." clicked in the running agent's tray menu, with the pointer: after "Synkronisera" has
sent the demo shop's receipts to the Fortnox sandbox, the window opens, reads Fortnox back and says that
every day matches. Read from the screen (OCR), as the shop owner sees it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox

from . import tray_pointer as pointer
from . import window_pointer as window
from .agent_process import agent, agent_env, fortnox, set_up_home  # noqa: F401  (the fixture)
from .conftest import screenshot, wait_for
from .test_tray_pointer_with_fortnox import titled

pytestmark = pytest.mark.gui

TITLE = "Kassasync – avstämning"


def test_avstamning_in_the_menu_opens_the_window_and_every_day_reads_ok(
    tray_host: str,
    tmp_path: Path,
    fortnox: RunningSandbox,  # noqa: F811
) -> None:
    home, _ = set_up_home(tmp_path, fortnox, days=2)  # yesterday is in this month's range
    env = agent_env(tray_host, home, fortnox, first_sync_in_s=3600)
    with agent(env):
        titled(tray_host, "Kassasync", 15.0)
        pointer.click_item(tray_host, "Synkronisera")
        titled(tray_host, "Kassasync: allt klart", 120.0)
        pointer.click_item(tray_host, "Avstämning...")
        window.wait_for_window(tray_host, TITLE)

        def reads_ok() -> bool:
            text = window.text_of(window.read_words(tray_host, TITLE, "avstamning-tray-ocr"))
            return "stämmer" in text and "Förfrågningar" in text

        assert wait_for(reads_ok, timeout=60), window.text_of(window.read_words(tray_host, TITLE, "x"))
        words = window.read_words(tray_host, TITLE, "avstamning-from-tray")
        text = window.text_of(words)
        assert "SKILLNAD" not in text and "OK" in text, text
        assert any(pointer.similar(word.text, "stämmer.") for word in words), text
        time.sleep(0.2)
        screenshot(tray_host, "avstamning-from-tray")
