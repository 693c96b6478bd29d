"""The shop owner's way through the tray, with the pointer, against the Fortnox sandbox.

A set-up agent (demo company, logged in) whose period is locked in Fortnox: "Synkronisera" clicked in
the menu holds the receipts back, and the menu says why with the remedy (not "0 kvitton med fel");
after the period is unlocked, "Synkronisera" sends them and the header says so; after a restart the
header still shows that result; "Pausa i en timme" pauses until a time the header names. Everything is
read from the screen (tray_pointer.py) and clicked where it reads.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore

from . import tray_pointer as pointer
from .agent_process import agent, agent_env, fortnox, set_up_home  # noqa: F401  (the fixture)
from .conftest import wait_for

pytestmark = pytest.mark.gui


def titled(display: str, text: str, timeout: float = 60.0) -> None:
    assert wait_for(lambda: text in pointer.icon_title(display), timeout), pointer.icon_title(display)


def test_a_locked_period_is_told_in_the_menu_then_unlocked_the_receipts_go_and_it_is_remembered(
    tray_host: str,
    tmp_path: Path,
    fortnox: RunningSandbox,  # noqa: F811
) -> None:
    home, company = set_up_home(tmp_path, fortnox)
    tenant = fortnox.state.tenant("demo")
    tenant.lock_period(date.today() + timedelta(days=1))
    env = agent_env(tray_host, home, fortnox, first_sync_in_s=3600)
    with agent(env):
        titled(tray_host, "Kassasync: allt klart", 15.0)
        pointer.click_item(tray_host, "Synkronisera")
        titled(tray_host, "ett problem håller kvar kvitton")

        lines = pointer.read_menu(tray_host, "tray-menu-locked-crop")
        pointer.screenshot_with_menu(tray_host, "tray-menu-locked")
        texts = [line.text for line in lines]
        assert not any("0 kvitton med fel" in text for text in texts), texts
        assert any(pointer.similar(text[:30], "Perioden till och med") for text in texts), texts
        assert pointer.find_line(lines, "Visa problem...").enabled
        assert pointer.find_line(lines, "Senaste problem").enabled
        pointer.close_menu(tray_host)

        tenant.lock_period(None)  # the owner unlocks the period in Fortnox
        pointer.click_item(tray_host, "Synkronisera")
        titled(tray_host, "Kassasync: allt klart")
        with PosStore.open(company) as store:
            posted = store.state_counts()[OutboxState.POSTED]
        assert posted > 0
        lines = pointer.read_menu(tray_host, "tray-menu-after-sync-crop")
        pointer.screenshot_with_menu(tray_host, "tray-menu-after-sync")
        assert any(pointer.similar(line.text, "Senast idag") and "skickade" in line.text for line in lines), [
            line.text for line in lines
        ]
        pointer.close_menu(tray_host)

    with agent(env):  # a restart: the last result is still shown
        titled(tray_host, "Kassasync: allt klart", 15.0)
        assert "Ingen synkronisering" not in pointer.icon_title(tray_host)
        assert "kvitton skickade" in pointer.icon_title(tray_host) or "kvitto skickat" in pointer.icon_title(
            tray_host
        )
        pointer.click_item(tray_host, "Pausa i en timme")
        titled(tray_host, "Schemaläggning pausad", 10.0)
        lines = pointer.read_menu(tray_host, "tray-menu-paused-hour-crop")
        pointer.screenshot_with_menu(tray_host, "tray-menu-paused-hour")
        assert any(pointer.similar(line.text[:12], "Pausad till") for line in lines), [
            seen.text for seen in lines
        ]
        pointer.close_menu(tray_host)
