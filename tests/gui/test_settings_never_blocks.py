# ruff: noqa: F811  (the fixtures imported from fortnox_fixtures are parameters here, as pytest wants)
"""The settings dialog never holds the shop owner: OK closes within 2 s while Fortnox hangs, and a login
without a browser shows the address to open instead of waiting in silence."""

from __future__ import annotations

import threading
import time
import tkinter as tk

import pytest
import requests

from fortnox_sandbox.testing import RunningSandbox
from kassasync.ui.settings_dialog import FORTNOX_DID_NOT_ANSWER, LOGIN_LABEL, SWITCH_LABEL

from .conftest import screenshot
from .fortnox_fixtures import Shop, connected_shop, fortnox, link, shop, shop_dialog  # noqa: F401 (fixtures)
from .test_settings_dialog_gui import settle, type_into

pytestmark = pytest.mark.gui

HANG_S = 120.0  # longer than any timeout of ours: only giving up can end the wait


def pump_until(root: tk.Tk, done: object, timeout: float) -> float:
    """Process Tk events until ``done()`` holds; the seconds it took."""
    assert callable(done)
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < timeout, "timed out"
        root.update()
        time.sleep(0.01)
    return time.monotonic() - started


def test_ok_saves_and_closes_within_two_seconds_while_fortnox_hangs(
    xserver: str, root: tk.Tk, connected_shop: Shop, fortnox: RunningSandbox
) -> None:
    shop = connected_shop
    for path in ("/3/voucherseries", "/3/customers/*"):
        fortnox.inject("GET", path, "delay", count=10, delay_s=HANG_S)
    notices: list[str] = []
    dialog = shop_dialog(
        root,
        shop,
        lookups=link(shop.paths).lookups(shop.settings),
        on_notice=notices.append,
    )
    root.update()
    assert dialog.busy  # the series list is being asked for, and hangs
    dialog.notebook.select(1)  # type: ignore[no-untyped-call]
    type_into(root, dialog.widgets["cash_customer_number"], "2")
    started = time.monotonic()
    dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
    root.update()
    screenshot(xserver, "settings-ok-while-fortnox-hangs", dialog.top)
    pump_until(root, lambda: not dialog.top.winfo_exists(), timeout=10)
    took = time.monotonic() - started

    assert took < 2.0, f"OK held the dialog for {took:.1f} s"
    assert shop.saved().cash_customer_number == "2"  # what was valid is saved
    assert notices == [FORTNOX_DID_NOT_ANSWER]  # and the unanswered check is said


def test_a_login_without_a_browser_shows_the_address_to_open_and_copy(
    xserver: str, root: tk.Tk, shop: Shop, fortnox: RunningSandbox
) -> None:
    opened: list[str] = []

    def no_browser(url: str) -> bool:  # webbrowser.open's answer on a PC without a browser
        opened.append(url)
        return False

    dialog = shop_dialog(
        root,
        shop,
        login=lambda show_url, stock_module: link(shop.paths).login(
            browser_opener=no_browser,
            timeout_s=30,
            show_url=show_url,
            stock_module=stock_module,
        ),
        logout=lambda: link(shop.paths).logout(),
        lookups_after_login=lambda: link(shop.paths).lookups(shop.saved()),
    )
    root.update()
    assert str(dialog.widgets["login"].cget("text")) == LOGIN_LABEL
    assert not dialog.widgets["logout"].winfo_ismapped()
    assert "client_id" not in dialog.widgets  # the shop owner never sees a "Klient-id" field
    dialog.widgets["login"].invoke()  # type: ignore[attr-defined]
    pump_until(root, lambda: dialog.url_frame.winfo_ismapped(), timeout=10)

    url = dialog.login_url.get()
    assert opened == [url]
    assert url.startswith(f"{fortnox.base_url}/oauth-v1/auth?")
    assert "Ingen webbläsare startade" in str(dialog.url_note.cget("text"))
    assert "öppnas" not in str(dialog.status.cget("text"))  # no browser "opens"
    assert str(dialog.widgets["login_url"].cget("state")) == "readonly"  # selectable, not editable
    dialog.widgets["copy_url"].invoke()  # type: ignore[attr-defined]
    assert root.clipboard_get() == url
    started = time.monotonic()
    dialog.notebook.select(2)  # type: ignore[no-untyped-call]
    root.update()
    assert time.monotonic() - started < 0.5  # the dialog answers while the login waits
    dialog.notebook.select(0)  # type: ignore[no-untyped-call]
    screenshot(xserver, "settings-login-without-browser", dialog.top)

    # The owner pastes the address into a browser on this PC and approves.
    threading.Thread(target=lambda: requests.get(url, timeout=10), daemon=True).start()
    settle(root, dialog, timeout=20)
    assert "Hörnbutiken i Sundsvall AB" in str(dialog.connected_label.cget("text"))
    assert not dialog.url_frame.winfo_ismapped()
    assert str(dialog.widgets["login"].cget("text")) == SWITCH_LABEL
    assert dialog.widgets["logout"].winfo_ismapped()
    screenshot(xserver, "settings-logged-in-switch-or-logout", dialog.top)

    dialog.widgets["logout"].invoke()  # type: ignore[attr-defined]
    settle(root, dialog)
    assert str(dialog.connected_label.cget("text")) == "Inte inloggad på Fortnox."
    assert str(dialog.widgets["login"].cget("text")) == LOGIN_LABEL
    assert not dialog.widgets["logout"].winfo_ismapped()
    assert shop.saved().fortnox.organisation_number is None  # logged out in the settings file too
