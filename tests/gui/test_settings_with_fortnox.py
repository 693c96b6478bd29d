# ruff: noqa: F811  (the fixtures imported from fortnox_fixtures are parameters here, as pytest wants)
"""The settings dialog against the sandbox: "Logga in" through the browser while the dialog stays
responsive, the voucher series listed from Fortnox, the cash customer checked on OK."""

from __future__ import annotations

import threading
import time
import tkinter as tk

import pytest
import requests

from fortnox_sandbox.testing import RunningSandbox
from kassasync.config import Settings, load_settings, save_settings
from kassasync.ui.settings_dialog import ERROR_COLOUR, SettingsDialog
from kassasync.ui.settings_form import FormValues

from .conftest import screenshot
from .fortnox_fixtures import Shop, fortnox, link, shop  # noqa: F401 (fixtures)
from .test_settings_dialog_gui import settle, type_into

pytestmark = pytest.mark.gui


class SlowBrowser:
    """The user's browser, who takes their time: approves only when the test says so."""

    def __init__(self) -> None:
        self.go = threading.Event()

    def __call__(self, url: str) -> None:
        assert self.go.wait(20)
        response = requests.get(url, timeout=10)
        assert response.status_code == 200


def test_logging_in_from_the_dialog_keeps_it_responsive_and_brings_fortnox_checks(
    xserver: str, root: tk.Tk, shop: Shop, fortnox: RunningSandbox
) -> None:
    paths = shop.paths
    settings = shop.settings.model_copy(update={"company_path": shop.company.parent})  # the folder
    save_settings(settings, paths.settings_file)
    browser = SlowBrowser()
    saved: list[Settings] = []

    def save(chosen: Settings) -> None:
        save_settings(chosen, paths.settings_file)
        saved.append(chosen)

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

    stored = load_settings(paths.settings_file)
    assert saved == [stored]
    assert stored.fortnox.organisation_number == "556123-4567"
    assert stored.cash_customer_number == "1" and stored.stock_module
