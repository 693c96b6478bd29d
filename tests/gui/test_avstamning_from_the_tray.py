""" "Avstämning..." clicked in the running agent's tray menu, with the pointer: after "Synkronisera" has
sent the demo shop's receipts to the Fortnox sandbox, the window opens, reads Fortnox back and says that
every day matches. Read from the screen (OCR), as the shop owner sees it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tests.integration.sync.conftest import oauth_login

from fortnox_sandbox.testing import RunningSandbox
from kassasync.config import FortnoxSettings, Schedule, Settings, save_settings
from kassasync.fortnox.tokens import FileTokenStore
from kassasync.paths import AppPaths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.store import company_file

from . import tray_pointer as pointer
from . import window_pointer as window
from .conftest import screenshot, wait_for
from .test_agent_with_sandbox import fortnox  # noqa: F401  (the fixture)
from .test_tray_pointer_with_fortnox import agent, titled

pytestmark = pytest.mark.gui

TITLE = "Kassasync – avstämning"


def test_avstamning_in_the_menu_opens_the_window_and_every_day_reads_ok(
    tray_host: str,
    tmp_path: Path,
    fortnox: RunningSandbox,  # noqa: F811
) -> None:
    home = tmp_path / "home"
    paths = AppPaths(config_dir=home / "config", log_dir=home / "logs", state_dir=home / "state").ensure()
    (home / "butik").mkdir()
    make_demo_company(company_file(home / "butik"), days=2).close()  # yesterday is in this month's range
    oauth_login(fortnox, FileTokenStore(paths.token_file), stock_module=False)
    settings = Settings(
        company_path=home / "butik",
        fortnox=FortnoxSettings(
            api_url=fortnox.api_url,
            auth_url=f"{fortnox.base_url}/oauth-v1",
            client_id=fortnox.client_id,
            redirect_port=0,
            tenant_name="Hörnbutiken i Sundsvall AB",
            organisation_number="556123-4567",
        ),
        schedule=Schedule(kind="interval", every_minutes=15),
    )
    save_settings(settings, paths.settings_file)
    env = {
        **os.environ,
        "DISPLAY": tray_host,
        "PYSTRAY_BACKEND": "gtk",
        "KASSASYNC_HOME": str(home),
        "KASSASYNC_CLIENT_ID": fortnox.client_id,
        "KASSASYNC_CLIENT_SECRET": fortnox.client_secret,
        "KASSASYNC_TOKEN_STORE": "file",
        "KASSASYNC_STARTUP_SYNC_DELAY_S": "3600",
    }
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
