"""The settings dialog under a real X server: filled, an inline error shown, then saved."""

from __future__ import annotations

import time
import tkinter as tk
from pathlib import Path

import pytest

from kassasync.config import Settings, load_settings, save_settings
from kassasync.pos.store import PosStore
from kassasync.ui.settings_dialog import ERROR_COLOUR, SettingsDialog
from kassasync.ui.settings_form import FormValues

from .conftest import screenshot

pytestmark = pytest.mark.gui


def type_into(root: tk.Tk, widget: tk.Widget, text: str) -> None:
    """Real key events: select all, then type, as a user would."""
    widget.focus_force()
    root.update()
    widget.event_generate("<Control-a>")
    widget.delete(0, "end")  # type: ignore[attr-defined]
    for char in text:
        keysym = {":": "colon", " ": "space", ",": "comma"}.get(char, char)
        widget.event_generate("<KeyPress>", keysym=keysym)
    root.update()


def settle(root: tk.Tk, dialog: SettingsDialog, timeout: float = 10.0) -> None:
    """Let the dialog's background work (Fortnox checks, login) come back, pumping Tk events meanwhile."""
    deadline = time.monotonic() + timeout
    root.update()
    while dialog.busy:
        assert time.monotonic() < deadline, "the dialog's background work did not come back"
        time.sleep(0.02)
        root.update()
    root.update()


def test_the_dialog_is_filled_shows_an_inline_error_and_saves(
    xserver: str, root: tk.Tk, tmp_path: Path
) -> None:
    company = tmp_path / "Butik" / "kassa.db"
    PosStore.create(company, "Demo Butik AB", "5566778899").close()
    settings_file = tmp_path / "settings.json"
    saved: list[Settings] = []

    def save(chosen: Settings) -> None:
        save_settings(chosen, settings_file)
        saved.append(chosen)

    values = FormValues.from_settings(Settings(), autostart_now=False)
    dialog = SettingsDialog(root, values, base=Settings(), on_save=save, browse=lambda: str(company))
    root.update()
    assert dialog.top.winfo_viewable(), "the dialog must be visible although the root is withdrawn"
    dialog.widgets["browse"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert "Demo Butik AB" in str(dialog.company_label.cget("text"))

    dialog.widgets["stock_module"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert str(dialog.widgets["receipts_as:voucher"].cget("state")) == "disabled"
    assert dialog.vars["receipts_as"].get() == "invoice"

    dialog.notebook.select(2)  # type: ignore[no-untyped-call]
    root.update()
    dialog.widgets["schedule_kind:daily"].invoke()  # type: ignore[attr-defined]
    type_into(root, dialog.widgets["daily_at"], "25:00")
    assert dialog.vars["daily_at"].get() == "25:00"
    dialog.notebook.select(0)  # type: ignore[no-untyped-call]
    dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
    settle(root, dialog)
    message = dialog.messages["daily_at"]
    assert "TT:MM" in str(message.cget("text"))
    assert str(message.cget("foreground")) == ERROR_COLOUR
    assert saved == []
    assert dialog.notebook.index("current") == 2  # the tab with the error is shown
    assert dialog.top.winfo_height() <= 650, dialog.top.winfo_height()
    screenshot(xserver, "settings-dialog-error", dialog.top)

    type_into(root, dialog.widgets["daily_at"], "12:00, 21:30")
    assert dialog.vars["daily_at"].get() == "12:00, 21:30"
    assert str(message.cget("text")) == ""  # typing took the old error away
    assert str(dialog.widgets["every_minutes"].cget("state")) == "disabled"  # not used when daily
    for index, name in enumerate(("kassa-och-fortnox", "bokforing", "schema")):
        dialog.notebook.select(index)  # type: ignore[no-untyped-call]
        screenshot(xserver, f"settings-{name}", dialog.top)
        assert dialog.top.winfo_height() <= 650, (name, dialog.top.winfo_height())
    dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
    settle(root, dialog)

    stored = load_settings(settings_file)
    assert saved == [stored]
    assert stored.company_path == company
    assert stored.stock_module and stored.receipts_as.value == "invoice"
    assert stored.schedule.kind == "daily" and stored.schedule.daily_at == ("12:00", "21:30")
