"""The settings dialog: a thin ttk view over settings_form. Validation happens on OK, errors inline.

Not ``transient()`` to the tray's withdrawn root (IDLE's query.py lesson: the dialog would stay
invisible); it is a plain Toplevel that lifts itself and takes focus.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import filedialog, ttk

from kassasync.app.company_info import read_company, resolve_company_file
from kassasync.app.settings_form import (
    ConnectedCompany,
    FormValues,
    FortnoxLookups,
    Validation,
    forced_receipts_as,
    mismatch_warning,
    validate,
)
from kassasync.config import IntegrationMode, Notifications, Posting, ReceiptsAs, Settings
from kassasync.errors import KassasyncError

log = logging.getLogger(__name__)

ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"
SCHEDULE_LABELS = {"off": "Av", "interval": "Var N:e minut", "daily": "Dagligen vid"}
NOTIFY_LABELS = {
    Notifications.ALL: "Alla",
    Notifications.FAILURES: "Bara fel (och manuella)",
    Notifications.OFF: "Av (utom manuella och nya fel)",
}
PAYMENT_LABELS = {"cash": "Kontant", "card": "Kort", "swish": "Swish", "gift_card": "Presentkort"}


class SettingsDialog:
    def __init__(
        self,
        master: tk.Misc,
        values: FormValues,
        *,
        base: Settings,
        on_save: Callable[[Settings], None],
        login: Callable[[], ConnectedCompany] | None = None,
        lookups: FortnoxLookups | None = None,
        browse: Callable[[], str] | None = None,
    ) -> None:
        self.values, self.base, self.lookups = values, base, lookups or FortnoxLookups()
        self._on_save, self._login = on_save, login
        self._browse = browse or self._ask_company_file
        self.result: Settings | None = None
        self.top = tk.Toplevel(master)
        self.top.title("Kassasync – inställningar")
        self.top.protocol("WM_DELETE_WINDOW", self.cancel)
        self.vars: dict[str, tk.StringVar] = {}
        self.flags: dict[str, tk.BooleanVar] = {}
        self.messages: dict[str, ttk.Label] = {}
        self.widgets: dict[str, tk.Widget] = {}
        body = ttk.Frame(self.top, padding=12)
        body.grid(sticky="nsew")
        self._company_section(body).grid(row=0, column=0, sticky="ew", pady=4)
        self._fortnox_section(body).grid(row=1, column=0, sticky="ew", pady=4)
        self._booking_section(body).grid(row=2, column=0, sticky="ew", pady=4)
        self._schedule_section(body).grid(row=3, column=0, sticky="ew", pady=4)
        self._buttons(body).grid(row=4, column=0, sticky="e", pady=(8, 0))
        self._apply_rules()
        self._show_company()
        self.top.bind("<Return>", lambda _e: self.ok())
        self.top.bind("<Escape>", lambda _e: self.cancel())
        self.top.lift()
        self.top.focus_force()

    # -- layout ------------------------------------------------------------------------------------------

    def _var(self, name: str, value: str) -> None:
        self.vars[name] = tk.StringVar(master=self.top, value=value)

    def _flag(self, name: str, value: bool) -> None:
        self.flags[name] = tk.BooleanVar(master=self.top, value=value)

    def _message(self, parent: tk.Misc, name: str, row: int, column: int = 1) -> None:
        label = ttk.Label(parent, foreground=ERROR_COLOUR, wraplength=420)
        label.grid(row=row, column=column, columnspan=3, sticky="w")
        self.messages[name] = label

    def _entry(self, parent: tk.Misc, name: str, label: str, row: int, width: int = 12) -> ttk.Entry:
        ttk.Label(parent, text=label).grid(row=row, column=0, sticky="w", padx=(0, 8))
        entry = ttk.Entry(parent, textvariable=self.vars[name], width=width)
        entry.grid(row=row, column=1, sticky="w")
        self.widgets[name] = entry
        self._message(parent, name, row + 1)
        return entry

    def _radios(self, parent: tk.Misc, name: str, options: dict[str, str], row: int) -> None:
        frame = ttk.Frame(parent)
        frame.grid(row=row, column=1, columnspan=3, sticky="w")
        for index, (value, text) in enumerate(options.items()):
            button = ttk.Radiobutton(
                frame, text=text, value=value, variable=self.vars[name], command=self._apply_rules
            )
            button.grid(row=0, column=index, sticky="w", padx=(0, 10))
            self.widgets[f"{name}:{value}"] = button

    def _company_section(self, body: ttk.Frame) -> ttk.Labelframe:
        frame = ttk.Labelframe(body, text="Kassa", padding=8)
        self._var("company_path", self.values.company_path)
        ttk.Label(frame, text="Företagsfil").grid(row=0, column=0, sticky="w", padx=(0, 8))
        entry = ttk.Entry(frame, textvariable=self.vars["company_path"], width=48)
        entry.grid(row=0, column=1, sticky="ew")
        entry.bind("<FocusOut>", lambda _e: self._show_company())
        self.widgets["company_path"] = entry
        browse = ttk.Button(frame, text="Bläddra...", command=self.browse)
        browse.grid(row=0, column=2, padx=(6, 0))
        self.widgets["browse"] = browse
        self.company_label = ttk.Label(frame, text="")
        self.company_label.grid(row=1, column=1, columnspan=2, sticky="w")
        self._message(frame, "company_path", 2)
        return frame

    def _fortnox_section(self, body: ttk.Frame) -> ttk.Labelframe:
        frame = ttk.Labelframe(body, text="Fortnox", padding=8)
        self.connected_label = ttk.Label(frame, text=self._connected_text())
        self.connected_label.grid(row=0, column=0, columnspan=2, sticky="w")
        login = ttk.Button(
            frame, text="Logga in...", command=self.login, state="normal" if self._login else "disabled"
        )
        login.grid(row=0, column=2, padx=(6, 0))
        self.widgets["login"] = login
        self._message(frame, "fortnox", 1, column=0)
        ttk.Label(frame, text="Integration").grid(row=2, column=0, sticky="w")
        self._var("integration_mode", self.values.integration_mode.value)
        modes = {IntegrationMode.FULL.value: "Fullständig", IntegrationMode.START.value: "Fortnox Start"}
        self._radios(frame, "integration_mode", modes, 2)
        self._var("client_id", self.values.client_id)
        self._entry(frame, "client_id", "Klient-id", 3, width=30)
        return frame

    def _booking_section(self, body: ttk.Frame) -> ttk.Labelframe:
        frame = ttk.Labelframe(body, text="Bokföring", padding=8)
        self._flag("stock_module", self.values.stock_module)
        stock = ttk.Checkbutton(
            frame,
            text="Lagermodul (lagersaldo följer försäljningen)",
            variable=self.flags["stock_module"],
            command=self._apply_rules,
        )
        stock.grid(row=0, column=0, columnspan=4, sticky="w")
        self.widgets["stock_module"] = stock
        ttk.Label(frame, text="Kvitton som").grid(row=1, column=0, sticky="w")
        self._var("receipts_as", self.values.receipts_as.value)
        receipts = {ReceiptsAs.VOUCHER.value: "Verifikat", ReceiptsAs.INVOICE.value: "Kundfaktura"}
        self._radios(frame, "receipts_as", receipts, 1)
        ttk.Label(frame, text="Bokför").grid(row=2, column=0, sticky="w")
        self._var("posting", self.values.posting.value)
        postings = {Posting.PER_RECEIPT.value: "Varje kvitto", Posting.DAILY_SUMMARY.value: "Dagssammandrag"}
        self._radios(frame, "posting", postings, 2)
        ttk.Label(frame, text="Verifikationsserie").grid(row=3, column=0, sticky="w")
        self._var("voucher_series", self.values.voucher_series)
        series = ttk.Combobox(frame, textvariable=self.vars["voucher_series"], width=8, values=self._series())
        series.grid(row=3, column=1, sticky="w")
        self.widgets["voucher_series"] = series
        self._message(frame, "voucher_series", 4)
        self._var("cash_customer_number", self.values.cash_customer_number)
        self._entry(frame, "cash_customer_number", "Kassakund (kundnr)", 5)
        row = 7
        for method, account in self.values.payment_accounts.items():
            self._var(f"account:{method}", account)
            self._var(f"mode:{method}", self.values.payment_modes.get(method, ""))
            ttk.Label(frame, text=PAYMENT_LABELS.get(method, method)).grid(row=row, column=0, sticky="w")
            ttk.Entry(frame, textvariable=self.vars[f"account:{method}"], width=6).grid(
                row=row, column=1, sticky="w"
            )
            ttk.Entry(frame, textvariable=self.vars[f"mode:{method}"], width=8).grid(
                row=row, column=2, sticky="w"
            )
            self._message(frame, f"payment:{method}", row + 1)
            row += 2
        return frame

    def _schedule_section(self, body: ttk.Frame) -> ttk.Labelframe:
        frame = ttk.Labelframe(body, text="Schema och start", padding=8)
        ttk.Label(frame, text="Synkronisera").grid(row=0, column=0, sticky="w")
        self._var("schedule_kind", self.values.schedule_kind)
        self._radios(frame, "schedule_kind", SCHEDULE_LABELS, 0)
        self._var("every_minutes", self.values.every_minutes)
        self._entry(frame, "every_minutes", "Minuter", 1, width=6)
        self._var("daily_at", self.values.daily_at)
        self._entry(frame, "daily_at", "Tider (TT:MM)", 3, width=20)
        self._flag("autostart", self.values.autostart)
        autostart = ttk.Checkbutton(frame, text="Starta med Windows", variable=self.flags["autostart"])
        autostart.grid(row=5, column=0, columnspan=3, sticky="w")
        self.widgets["autostart"] = autostart
        ttk.Label(frame, text="Aviseringar").grid(row=6, column=0, sticky="w")
        self._var("notifications", self.values.notifications.value)
        self._radios(frame, "notifications", {k.value: v for k, v in NOTIFY_LABELS.items()}, 6)
        ttk.Label(frame, text="Loggnivå").grid(row=7, column=0, sticky="w")
        self._var("log_level", self.values.log_level)
        level = ttk.Combobox(
            frame,
            textvariable=self.vars["log_level"],
            values=("DEBUG", "INFO", "WARNING"),
            width=10,
            state="readonly",
        )
        level.grid(row=7, column=1, sticky="w")
        return frame

    def _buttons(self, body: ttk.Frame) -> ttk.Frame:
        frame = ttk.Frame(body)
        ok = ttk.Button(frame, text="OK", command=self.ok, default="active")
        ok.grid(row=0, column=0, padx=4)
        cancel = ttk.Button(frame, text="Avbryt", command=self.cancel)
        cancel.grid(row=0, column=1)
        self.widgets["ok"], self.widgets["cancel"] = ok, cancel
        return frame

    # -- behaviour ---------------------------------------------------------------------------------------

    def _series(self) -> list[str]:
        if self.lookups.voucher_series is None:
            return [self.values.voucher_series]
        try:
            return list(self.lookups.voucher_series())
        except KassasyncError as exc:
            log.warning("voucher series not listed: %s", exc.detail)
            return [self.values.voucher_series]

    def _connected_text(self) -> str:
        company = self.values.connected
        if company is None:
            return "Inte inloggad på Fortnox."
        return f"Inloggad: {company.name} ({company.organisation_number})"

    def collect(self) -> FormValues:
        v = self.vars
        values = self.values
        values.company_path = v["company_path"].get()
        values.integration_mode = IntegrationMode(v["integration_mode"].get())
        values.receipts_as = ReceiptsAs(v["receipts_as"].get())
        values.posting = Posting(v["posting"].get())
        values.voucher_series = v["voucher_series"].get()
        values.cash_customer_number = v["cash_customer_number"].get()
        values.stock_module = self.flags["stock_module"].get()
        values.schedule_kind = v["schedule_kind"].get()
        values.every_minutes = v["every_minutes"].get()
        values.daily_at = v["daily_at"].get()
        values.autostart = self.flags["autostart"].get()
        values.notifications = Notifications(v["notifications"].get())
        values.log_level = v["log_level"].get()
        values.client_id = v["client_id"].get()
        for method in values.payment_accounts:
            values.payment_accounts[method] = v[f"account:{method}"].get()
            values.payment_modes[method] = v[f"mode:{method}"].get()
        return values

    def _apply_rules(self) -> None:
        """Lagermodul / Fortnox Start decide the receipts radio: set it and disable it."""
        forced = forced_receipts_as(self.collect())
        for choice in ReceiptsAs:
            button = self.widgets[f"receipts_as:{choice.value}"]
            button.configure(state="disabled" if forced else "normal")  # type: ignore[call-arg]
        if forced is not None:
            self.vars["receipts_as"].set(forced.value)

    def _show_company(self) -> None:
        text = self.vars["company_path"].get().strip()
        self.messages["company_path"].configure(text="")
        if not text:
            self.company_label.configure(text="Ingen kassafil vald.")
            return
        try:
            company = read_company(resolve_company_file(text))
        except KassasyncError as exc:
            self.company_label.configure(text="")
            self.messages["company_path"].configure(text=exc.user_message, foreground=ERROR_COLOUR)
            return
        self.company_label.configure(text=f"{company.name}, org.nr {company.organisation_number}")
        warning = mismatch_warning(company, self.values.connected)
        self.messages["fortnox"].configure(text=warning or "", foreground=WARNING_COLOUR)

    def _ask_company_file(self) -> str:
        return filedialog.askopenfilename(
            parent=self.top,
            title="Välj kassans företagsfil",
            filetypes=[("Kassafil", "kassa.db"), ("Alla filer", "*")],
        )

    def browse(self) -> None:
        chosen = self._browse()
        if chosen:
            self.vars["company_path"].set(str(Path(chosen)))
            self._show_company()

    def login(self) -> None:
        if self._login is None:
            return
        self.top.configure(cursor="watch")
        try:
            self.values.connected = self._login()
        except KassasyncError as exc:
            self.messages["fortnox"].configure(text=exc.user_message, foreground=ERROR_COLOUR)
            return
        finally:
            self.top.configure(cursor="")
        self.connected_label.configure(text=self._connected_text())
        self.widgets["voucher_series"].configure(values=self._series())  # type: ignore[call-arg]
        self._show_company()

    def show(self, validation: Validation) -> None:
        for name, label in self.messages.items():
            error = validation.errors.get(name)
            warning = validation.warnings.get(name)
            label.configure(text=error or warning or "", foreground=ERROR_COLOUR if error else WARNING_COLOUR)

    def ok(self) -> None:
        validation = validate(self.collect(), self.base, self.lookups)
        self.show(validation)
        if not validation.ok or validation.settings is None:
            first = next(iter(validation.errors))
            widget = self.widgets.get(first)
            if widget is not None:
                widget.focus_set()
            return
        try:
            self._on_save(validation.settings)
        except KassasyncError as exc:
            self.messages["company_path"].configure(text=exc.user_message, foreground=ERROR_COLOUR)
            return
        self.result = validation.settings
        self.top.destroy()

    def cancel(self) -> None:
        self.result = None
        self.top.destroy()
