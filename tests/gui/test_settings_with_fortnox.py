"""The settings dialog against the sandbox: "Logga in" through the browser while the dialog stays
responsive, the voucher series listed from Fortnox, the cash customer checked on OK."""

from __future__ import annotations

import threading
import time
import tkinter as tk
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.config import FortnoxSettings, Settings, load_settings, save_settings
from kassasync.paths import AppPaths
from kassasync.pos.store import PosStore
from kassasync.ui.settings_dialog import ERROR_COLOUR, SettingsDialog
from kassasync.ui.settings_form import FormValues

from .conftest import screenshot
from .fortnox_fixtures import link
from .test_settings_dialog_gui import settle, type_into

pytestmark = pytest.mark.gui


@pytest.fixture
def fortnox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running_sandbox(seed="demo", test_mode=True, auto_approve=True, rate_limit=10_000) as sandbox:
        monkeypatch.setenv("KASSASYNC_CLIENT_ID", sandbox.client_id)
        monkeypatch.setenv("KASSASYNC_CLIENT_SECRET", sandbox.client_secret)
        monkeypatch.setenv("KASSASYNC_TOKEN_STORE", "file")
        yield sandbox


class SlowBrowser:
    """The user's browser, who takes their time: approves only when the test says so."""

    def __init__(self) -> None:
        self.go = threading.Event()

    def __call__(self, url: str) -> None:
        assert self.go.wait(20)
        response = requests.get(url, timeout=10)
        assert response.status_code == 200


def test_logging_in_from_the_dialog_keeps_it_responsive_and_brings_fortnox_checks(
    xserver: str, tmp_path: Path, fortnox: RunningSandbox
) -> None:
    paths = AppPaths(tmp_path / "config", tmp_path / "logs", tmp_path / "state").ensure()
    company = tmp_path / "Butik" / "kassa.db"
    PosStore.create(company, "Hörnbutiken i Sundsvall AB", "5561234567").close()
    settings = Settings(
        company_path=company.parent,
        fortnox=FortnoxSettings(
            api_url=fortnox.api_url, auth_url=f"{fortnox.base_url}/oauth-v1", redirect_port=0
        ),
    )
    save_settings(settings, paths.settings_file)
    browser = SlowBrowser()
    saved: list[Settings] = []

    def save(chosen: Settings) -> None:
        save_settings(chosen, paths.settings_file)
        saved.append(chosen)

    root = tk.Tk()
    root.withdraw()
    try:
        dialog = SettingsDialog(
            root,
            FormValues.from_settings(settings, autostart_now=False),
            base=settings,
            on_save=save,
            login=lambda show_url, stock_module: link(paths).login(
                browser_opener=browser,
                timeout_s=20,
                show_url=show_url,
                stock_module=stock_module,
            ),
            lookups=link(paths).lookups(settings),
            lookups_after_login=lambda: link(paths).lookups(load_settings(paths.settings_file)),
        )
        root.update()
        dialog.widgets["login"].invoke()  # type: ignore[attr-defined]
        root.update()
        assert dialog.busy and "webbläsaren" in str(dialog.status.cget("text"))
        assert not dialog.url_frame.winfo_ismapped()  # a browser started: no address to copy
        assert str(dialog.widgets["login"].cget("state")) == "disabled"
        started = time.monotonic()
        dialog.widgets["stock_module"].invoke()  # type: ignore[attr-defined]
        root.update()
        assert time.monotonic() - started < 0.5  # the dialog answers while the login waits
        assert dialog.flags["stock_module"].get()
        screenshot(xserver, "settings-logging-in", dialog.top)

        browser.go.set()
        settle(root, dialog)
        assert "Hörnbutiken i Sundsvall AB" in str(dialog.connected_label.cget("text"))
        assert str(dialog.messages["fortnox"].cget("text")) == ""  # same organisation number
        series = dialog.widgets["voucher_series"].cget("values")  # type: ignore[no-untyped-call]
        # the manual series, read from Fortnox, with their names
        assert "F – Kassa" in series and "A – Redovisning" in series
        assert "B – Kundfakturor" not in series  # not manual: a program may not post to it
        screenshot(xserver, "settings-logged-in", dialog.top)

        dialog.notebook.select(1)  # type: ignore[no-untyped-call]
        root.update()
        type_into(root, dialog.widgets["cash_customer_number"], "999")
        dialog.notebook.select(0)  # type: ignore[no-untyped-call]
        dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
        settle(root, dialog)
        message = dialog.messages["cash_customer_number"]
        assert str(message.cget("text")) == "Kundnummer 999 finns inte i Fortnox."
        assert str(message.cget("foreground")) == ERROR_COLOUR
        assert dialog.notebook.index("current") == 1  # the tab with the error is shown
        assert saved == []
        screenshot(xserver, "settings-unknown-customer", dialog.top)

        type_into(root, dialog.widgets["cash_customer_number"], "1")
        dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
        settle(root, dialog)
    finally:
        root.destroy()

    stored = load_settings(paths.settings_file)
    assert saved == [stored]
    assert stored.fortnox.organisation_number == "556123-4567"
    assert stored.cash_customer_number == "1" and stored.stock_module
