# ruff: noqa: F811  (the fixtures imported from fortnox_fixtures are parameters here, as pytest wants)
"""The Bokföring tab's rules as the shop owner meets them, the Swedish log levels, and a dialog that is
centred and fits a 1024x768 screen even with every error text shown."""

from __future__ import annotations

import tkinter as tk

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.pos.records import Company
from kassasync.ui.settings_dialog import WARNING_COLOUR, SettingsDialog
from kassasync.ui.settings_form import (
    SERIES_BY_FORTNOX,
    SUMMARY_NEEDS_VOUCHERS,
    ConnectedCompany,
    FormValues,
    mismatch_warning,
)

from .conftest import screenshot
from .fortnox_fixtures import Shop, connected_shop, fortnox, link, shop, shop_dialog  # noqa: F401 (fixtures)
from .test_settings_dialog_gui import settle

pytestmark = pytest.mark.gui


def state(dialog: SettingsDialog, name: str) -> str:
    return str(dialog.widgets[name].cget("state"))


def test_series_names_kundfaktura_lagermodul_and_dagssammandrag(
    xserver: str, root: tk.Tk, connected_shop: Shop, fortnox: RunningSandbox
) -> None:
    shop = connected_shop
    dialog = shop_dialog(
        root,
        shop,
        lookups=link(shop.paths).lookups(shop.settings),
    )
    settle(root, dialog)
    dialog.notebook.select(1)  # type: ignore[no-untyped-call]
    root.update()
    series = dialog.widgets["voucher_series"].cget("values")  # type: ignore[no-untyped-call]
    assert list(series) == ["A – Redovisning", "F – Kassa"]  # the manual ones, named as in Fortnox
    assert dialog.vars["voucher_series"].get() == "F – Kassa"  # the stored "F", with its name
    screenshot(xserver, "settings-bokforing-series-named", dialog.top)

    dialog.widgets["posting:daily_summary"].invoke()  # type: ignore[attr-defined]
    dialog.widgets["receipts_as:invoice"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert state(dialog, "voucher_series") == "disabled"
    assert str(dialog.series_note.cget("text")) == SERIES_BY_FORTNOX  # says why
    assert state(dialog, "posting:daily_summary") == "disabled"
    assert dialog.vars["posting"].get() == "per_receipt"
    assert str(dialog.posting_note.cget("text")) == SUMMARY_NEEDS_VOUCHERS
    screenshot(xserver, "settings-bokforing-kundfaktura", dialog.top)

    dialog.widgets["receipts_as:voucher"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert state(dialog, "voucher_series") == "normal"
    assert state(dialog, "posting:daily_summary") == "normal"
    assert str(dialog.series_note.cget("text")) == ""
    dialog.vars["voucher_series"].set("A – Redovisning")  # picked from the list

    dialog.widgets["stock_module"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert dialog.vars["receipts_as"].get() == "invoice"  # Lagermodul means invoices
    assert state(dialog, "voucher_series") == "disabled"
    assert state(dialog, "posting:daily_summary") == "disabled"
    screenshot(xserver, "settings-bokforing-lagermodul", dialog.top)
    dialog.widgets["stock_module"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert state(dialog, "receipts_as:voucher") == "normal"  # free again; the owner picks
    dialog.widgets["receipts_as:voucher"].invoke()  # type: ignore[attr-defined]
    root.update()
    assert state(dialog, "voucher_series") == "normal"

    dialog.notebook.select(2)  # type: ignore[no-untyped-call]
    root.update()
    level = dialog.widgets["log_level"]
    assert list(level.cget("values")) == [  # type: ignore[no-untyped-call]
        "Detaljerad (för support)",
        "Normal",
        "Bara varningar och fel",
    ]
    assert dialog.vars["log_level"].get() == "Normal"
    dialog.vars["log_level"].set("Detaljerad (för support)")
    screenshot(xserver, "settings-schema-log-level", dialog.top)
    dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
    settle(root, dialog)
    assert not dialog.top.winfo_exists()
    saved = shop.saved()
    assert saved.voucher_series == "A"  # the code, not the label
    assert saved.log_level == "DEBUG"  # the stored value stays English
    assert saved.receipts_as.value == "voucher" and not saved.stock_module


def test_the_dialog_is_centred_and_fits_1024x768_with_every_error_shown(
    xserver: str, root: tk.Tk, shop: Shop
) -> None:
    values = FormValues.from_settings(shop.settings, autostart_now=False)
    values.payment_accounts = dict.fromkeys(("cash", "card", "swish", "gift_card"), "1910")
    values.payment_modes = dict.fromkeys(values.payment_accounts, "KONT")
    # Everything wrong at once: the real error texts, all shown (the schedule's for "daily").
    (shop.company.parent / "tom.db").write_bytes(b"not a company file")
    values.company_path = str(shop.company.parent / "tom.db")
    values.voucher_series, values.cash_customer_number = "??", ""
    values.schedule_kind, values.daily_at = "daily", "25:00"
    values.payment_accounts = dict.fromkeys(values.payment_accounts, "12")
    dialog = SettingsDialog(root, values, base=shop.settings, on_save=shop.save)
    root.update()
    width, height = dialog.top.winfo_width(), dialog.top.winfo_height()
    x, y = dialog.top.winfo_rootx(), dialog.top.winfo_rooty()
    assert abs(x + width / 2 - root.winfo_screenwidth() / 2) <= 20, (x, width)
    assert y >= 0 and y + height <= root.winfo_screenheight()
    assert not dialog.url_frame.winfo_ismapped()  # the login address only when no browser started

    dialog.widgets["ok"].invoke()  # type: ignore[attr-defined]
    root.update()
    shown = [name for name, label in dialog.messages.items() if str(label.cget("text"))]
    assert len(shown) >= 8, shown  # file, series, customer, daily times, four payment methods
    assert dialog.top.winfo_exists()  # nothing saved
    mismatch = mismatch_warning(
        Company("Hörnbutiken i Sundsvall AB", "556123-4567"),
        ConnectedCompany("Annan Butik AB", "559999-0000"),
    )
    assert mismatch is not None
    dialog.form.set_message("fortnox", mismatch, WARNING_COLOUR)
    for index, name in enumerate(("kassa-och-fortnox", "bokforing", "schema")):
        dialog.notebook.select(index)  # type: ignore[no-untyped-call]
        root.update()
        box = (dialog.top.winfo_rootx(), dialog.top.winfo_rooty())
        size = (dialog.top.winfo_width(), dialog.top.winfo_height())
        assert box[0] >= 0 and box[1] >= 0, (name, box)
        assert box[0] + size[0] <= 1024 and box[1] + size[1] <= 768, (name, box, size)
        assert dialog.widgets["ok"].winfo_ismapped()
        screenshot(xserver, f"settings-every-error-{name}", dialog.top)
