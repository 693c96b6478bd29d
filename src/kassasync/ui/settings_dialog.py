"""The settings dialog: a thin ttk view over settings_form. Validation happens on OK, errors inline.

Three tabs keep it under 650 px high, so OK and Avbryt are on screen on a small register PC (it is
centred, and fits 1024x768 with its error texts shown). Anything that talks to Fortnox (the login, which
waits for the browser; the series list; the checks on OK) runs on a worker thread and comes back through
a queue polled with ``after``: the dialog and the tray never freeze.

OK never waits on Fortnox for more than ``OK_WAIT_S``: the offline checks decide whether the settings
can be saved; Fortnox's answers (series, cash customer) are waited for that long, and a question it has
not answered by then is said (``on_notice``), not waited for. A hung Fortnox once held OK for nine
minutes.

Not ``transient()`` to the tray's withdrawn root (IDLE's query.py lesson: the dialog would stay
invisible); it is a plain Toplevel that lifts itself and takes focus.
"""

from __future__ import annotations

import logging
import queue
import threading
import tkinter as tk
from collections.abc import Callable
from functools import partial
from pathlib import Path
from tkinter import filedialog, ttk
from typing import TypeVar

from kassasync.config import IntegrationMode, Notifications, Posting, ReceiptsAs, Settings
from kassasync.errors import KassasyncError
from kassasync.fortnox.auth import UrlShower
from kassasync.ui.company_info import read_company, resolve_company_file
from kassasync.ui.settings_form import (
    LOG_LEVEL_LABELS,
    SERIES_BY_FORTNOX,
    SUMMARY_NEEDS_VOUCHERS,
    ConnectedCompany,
    FormValues,
    FortnoxLookups,
    SeriesChoice,
    Validation,
    forced_posting,
    forced_receipts_as,
    log_level_of,
    mismatch_warning,
    series_choosable,
    validate,
)

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
NOTE_COLOUR = "#555555"
POLL_MS = 50
SCREEN_MARGIN = 8  # px kept free below the dialog when errors make it taller
OK_WAIT_S = 1.5  # the longest OK waits for Fortnox's answers before it saves without them
UNEXPECTED = "Något oväntat gick fel; se loggen."
FORTNOX_DID_NOT_ANSWER = (
    "Inställningarna är sparade. Fortnox svarade inte inom några sekunder, så verifikationsserien och "
    "kassakunden kontrolleras vid nästa synkronisering."
)
NOT_CHECKED = "Inställningarna är sparade, men allt kunde inte kontrolleras mot Fortnox:"
NO_BROWSER = (
    "Ingen webbläsare startade. Öppna adressen nedan i en webbläsare på den här datorn och logga in "
    "där; Kassasync väntar på svaret."
)
LOGIN_STARTED = "Inloggningen i Fortnox öppnas i webbläsaren..."
LOGIN_LABEL, SWITCH_LABEL = "Logga in...", "Byt Fortnox-företag..."

T = TypeVar("T")


class SettingsDialog:
    def __init__(
        self,
        master: tk.Misc,
        values: FormValues,
        *,
        base: Settings,
        on_save: Callable[[Settings], None],
        login: Callable[[UrlShower, bool], ConnectedCompany] | None = None,  # bool: Lagermodul ticked
        logout: Callable[[], object] | None = None,
        lookups: FortnoxLookups | None = None,
        lookups_after_login: Callable[[], FortnoxLookups] | None = None,
        browse: Callable[[], str] | None = None,
        on_notice: Callable[[str], None] | None = None,
        ok_wait_s: float = OK_WAIT_S,
    ) -> None:
        self.values, self.base, self.lookups = values, base, lookups or FortnoxLookups()
        self._on_save, self._login, self._lookups_after_login = on_save, login, lookups_after_login
        self._logout = logout
        self._browse = browse or self._ask_company_file
        self._on_notice = on_notice or (lambda text: log.warning("settings dialog: %s", text))
        self._ok_wait_s = ok_wait_s
        self._results: queue.Queue[tuple[Callable[[], None], bool]] = queue.Queue()
        self._working = 0  # background tasks not yet back
        self._checking = False  # OK pressed, waiting (at most ok_wait_s) for Fortnox's answers
        self._series_labels: dict[str, str] = {}  # "A" -> "A – Redovisningsverifikationer"
        self.result: Settings | None = None
        self.top = tk.Toplevel(master)
        self.top.withdraw()  # built unseen, then shown centred (_centre)
        self.top.title("Kassasync – inställningar")
        self.top.protocol("WM_DELETE_WINDOW", self.cancel)
        self.vars: dict[str, tk.StringVar] = {}
        self.flags: dict[str, tk.BooleanVar] = {}
        self.messages: dict[str, ttk.Label] = {}
        self.widgets: dict[str, tk.Widget] = {}
        self.tab_of: dict[str, int] = {}  # widget/message name -> the tab it is on
        self.pages: list[ttk.Frame] = []
        body = ttk.Frame(self.top, padding=10)
        body.grid(sticky="nsew")
        self.notebook = ttk.Notebook(body)
        self.notebook.grid(row=0, column=0, columnspan=2, sticky="nsew")
        self._tab("Kassa och Fortnox", self._company_section, self._fortnox_section)
        self._tab("Bokföring", self._booking_section, self._payment_section)
        self._tab("Schema och start", self._schedule_section)
        self.status = ttk.Label(body, text="", wraplength=360)
        self.status.grid(row=1, column=0, sticky="w", pady=(8, 0))
        self._buttons(body).grid(row=1, column=1, sticky="e", pady=(8, 0))
        self._apply_rules()
        self._show_company()
        self._show_connection()
        self._load_series()
        self.top.after(POLL_MS, self._poll)
        self.top.bind("<Return>", lambda _e: self.ok())
        self.top.bind("<Escape>", lambda _e: self.cancel())
        self._centre()
        self.top.lift()
        self.top.focus_force()

    def _centre(self) -> None:
        """In the middle of the screen, where a shop owner looks after "Inställningar...", not wherever
        the window manager puts a new window (on Windows: the top left corner)."""
        self.top.update_idletasks()
        width, height = self.top.winfo_reqwidth(), self.top.winfo_reqheight()
        x = max(0, (self.top.winfo_screenwidth() - width) // 2)
        y = max(0, (self.top.winfo_screenheight() - height) // 3)
        self.top.geometry(f"+{x}+{y}")
        self.top.deiconify()

    def _keep_on_screen(self) -> None:
        """Error texts make the dialog taller: move it up rather than let OK fall off a small screen."""
        self.top.update_idletasks()
        height, y = self.top.winfo_reqheight(), self.top.winfo_rooty()
        bottom = self.top.winfo_screenheight() - SCREEN_MARGIN
        if y + height > bottom:
            self.top.geometry(f"+{self.top.winfo_rootx()}+{max(0, bottom - height)}")

    # -- layout ------------------------------------------------------------------------------------------

    def _tab(self, title: str, *sections: Callable[[ttk.Frame], ttk.Labelframe]) -> None:
        page = ttk.Frame(self.notebook, padding=8)
        page.columnconfigure(0, weight=1)
        index = len(self.pages)
        before = set(self.widgets) | set(self.messages)
        for row, section in enumerate(sections):
            section(page).grid(row=row, column=0, sticky="ew", pady=4)
        self.notebook.add(page, text=title)
        self.pages.append(page)
        for name in (set(self.widgets) | set(self.messages)) - before:
            self.tab_of[name] = index

    def _var(self, name: str, value: str) -> None:
        var = tk.StringVar(master=self.top, value=value)
        var.trace_add("write", lambda *_args: self._edited(name))
        self.vars[name] = var

    def _edited(self, name: str) -> None:
        """Typing in a field takes its error away: the message was about what stood there before."""
        method = name.partition(":")[2]
        message = f"payment:{method}" if name.startswith(("account:", "mode:")) else name
        label = self.messages.get(message)
        if label is not None and str(label.cget("foreground")) == ERROR_COLOUR:
            self._set_message(message, "")

    def _flag(self, name: str, value: bool) -> None:
        self.flags[name] = tk.BooleanVar(master=self.top, value=value)

    def _message(self, parent: tk.Misc, name: str, row: int, column: int = 1) -> None:
        label = ttk.Label(parent, foreground=ERROR_COLOUR, wraplength=440)
        label.grid(row=row, column=column, columnspan=3, sticky="w")
        label.grid_remove()  # takes no room until there is something to say
        self.messages[name] = label

    def _set_message(self, name: str, text: str, colour: str = ERROR_COLOUR) -> None:
        label = self.messages[name]
        label.configure(text=text, foreground=colour)
        if text:
            label.grid()
        else:
            label.grid_remove()

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
        frame = ttk.Labelframe(body, text="Kassans företag", padding=8)
        self._var("company_path", self.values.company_path)
        ttk.Label(frame, text="Företagsfil").grid(row=0, column=0, sticky="w", padx=(0, 8))
        entry = ttk.Entry(frame, textvariable=self.vars["company_path"], width=44)
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
        """Log in, or once logged in switch company or log out. No "Klient-id" field: the integration's
        id and secret come with the program (fortnox/baked.py); support overrides them by environment."""
        frame = ttk.Labelframe(body, text="Fortnox", padding=8)
        frame.columnconfigure(1, weight=1)
        self.connected_label = ttk.Label(frame, text=self._connected_text())
        self.connected_label.grid(row=0, column=0, columnspan=2, sticky="w")
        buttons = ttk.Frame(frame)
        buttons.grid(row=0, column=2, columnspan=2, sticky="e", padx=(6, 0))
        login = ttk.Button(
            buttons, text=LOGIN_LABEL, command=self.login, state="normal" if self._login else "disabled"
        )
        login.grid(row=0, column=0)
        logout = ttk.Button(buttons, text="Logga ut", command=self.logout)
        logout.grid(row=0, column=1, padx=(6, 0))
        self.widgets["login"], self.widgets["logout"] = login, logout
        self._message(frame, "fortnox", 1, column=0)
        url_section = self._url_section(frame)
        url_section.grid(row=2, column=0, columnspan=4, sticky="ew")
        url_section.grid_remove()  # shown only when no browser started
        ttk.Label(frame, text="Integration").grid(row=3, column=0, sticky="w")
        self._var("integration_mode", self.values.integration_mode.value)
        modes = {IntegrationMode.FULL.value: "Fullständig", IntegrationMode.START.value: "Fortnox Start"}
        self._radios(frame, "integration_mode", modes, 3)
        return frame

    def _url_section(self, parent: ttk.Labelframe) -> ttk.Frame:
        """Where the login address is shown when no browser started: selectable, with a copy button."""
        frame = ttk.Frame(parent)
        frame.columnconfigure(0, weight=1)
        self.url_note = ttk.Label(frame, text=NO_BROWSER, wraplength=440, foreground=WARNING_COLOUR)
        self.url_note.grid(row=0, column=0, columnspan=2, sticky="w", pady=(4, 2))
        self.login_url = tk.StringVar(master=self.top, value="")
        url = ttk.Entry(frame, textvariable=self.login_url, state="readonly", width=44)
        url.grid(row=1, column=0, sticky="ew")
        copy = ttk.Button(frame, text="Kopiera", command=self.copy_login_url)
        copy.grid(row=1, column=1, padx=(6, 0))
        self.widgets["login_url"], self.widgets["copy_url"] = url, copy
        self.url_frame = frame
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
        self.posting_note = ttk.Label(frame, text="", foreground=NOTE_COLOUR, wraplength=440)
        self.posting_note.grid(row=3, column=1, columnspan=3, sticky="w")
        ttk.Label(frame, text="Verifikationsserie").grid(row=4, column=0, sticky="w")
        self._var("voucher_series", self.values.voucher_series)
        series = ttk.Combobox(
            frame, textvariable=self.vars["voucher_series"], width=34, values=[self.values.voucher_series]
        )
        series.grid(row=4, column=1, columnspan=3, sticky="w")
        self.widgets["voucher_series"] = series
        self.series_note = ttk.Label(frame, text="", foreground=NOTE_COLOUR, wraplength=440)
        self.series_note.grid(row=5, column=1, columnspan=3, sticky="w")
        self._message(frame, "voucher_series", 6)
        self._var("cash_customer_number", self.values.cash_customer_number)
        self._entry(frame, "cash_customer_number", "Kassakund (kundnr)", 7)
        return frame

    def _payment_section(self, body: ttk.Frame) -> ttk.Labelframe:
        frame = ttk.Labelframe(body, text="Betalningssätt", padding=8)
        for column, heading in enumerate(("", "Konto", "Betalningssätt i Fortnox")):
            ttk.Label(frame, text=heading).grid(row=0, column=column, sticky="w", padx=(0, 8))
        row = 1
        for method, account in self.values.payment_accounts.items():
            self._var(f"account:{method}", account)
            self._var(f"mode:{method}", self.values.payment_modes.get(method, ""))
            ttk.Label(frame, text=PAYMENT_LABELS.get(method, method)).grid(
                row=row, column=0, sticky="w", padx=(0, 8)
            )
            account_entry = ttk.Entry(frame, textvariable=self.vars[f"account:{method}"], width=6)
            account_entry.grid(row=row, column=1, sticky="w", padx=(0, 8))
            ttk.Entry(frame, textvariable=self.vars[f"mode:{method}"], width=10).grid(
                row=row, column=2, sticky="w"
            )
            self.widgets[f"payment:{method}"] = account_entry
            self._message(frame, f"payment:{method}", row + 1, column=0)
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
        self._var("log_level", LOG_LEVEL_LABELS.get(self.values.log_level, LOG_LEVEL_LABELS["INFO"]))
        level = ttk.Combobox(
            frame,
            textvariable=self.vars["log_level"],
            values=tuple(LOG_LEVEL_LABELS.values()),
            width=24,
            state="readonly",
        )
        self.widgets["log_level"] = level
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

    def _in_background(
        self, work: Callable[[], T], done: Callable[[T], None], failed: Callable[[KassasyncError], None]
    ) -> None:
        """Run ``work`` on a worker thread; ``done`` or ``failed`` then runs on the Tk thread.

        A worker the dialog stopped waiting for (OK after ``ok_wait_s``, a window closed meanwhile) is
        simply left to finish: it is a daemon thread, and its answer goes to a queue nobody reads."""
        self._working += 1

        def run() -> None:
            try:
                result = work()
            except KassasyncError as exc:
                log.warning("settings dialog: %s", exc.detail)
                self._results.put((partial(failed, exc), True))
            except Exception as exc:  # a worker's boundary: say it, log it, never hang the dialog
                log.exception("settings dialog: background task failed")
                self._results.put((partial(failed, KassasyncError(repr(exc), user_message=UNEXPECTED)), True))
            else:
                self._results.put((partial(done, result), True))

        threading.Thread(target=run, name="settings-dialog-work", daemon=True).start()

    def _from_worker(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the Tk thread, from a worker that goes on working (the login's URL)."""
        self._results.put((callback, False))

    def _poll(self) -> None:
        while True:
            try:
                callback, finished = self._results.get_nowait()
            except queue.Empty:
                break
            if finished:
                self._working -= 1
            if self.top.winfo_exists():
                callback()
        if self.top.winfo_exists():
            self.top.after(POLL_MS, self._poll)

    @property
    def busy(self) -> bool:
        """Something is still out asking Fortnox (tests wait on this)."""
        return self._working > 0

    def _load_series(self) -> None:
        choices, codes = self.lookups.series_choices, self.lookups.voucher_series
        if choices is None and codes is None:
            return

        def ask() -> list[SeriesChoice]:
            if choices is not None:
                return list(choices())
            assert codes is not None
            return [SeriesChoice(code) for code in codes()]

        def show(series: list[SeriesChoice]) -> None:
            self._series_labels = {choice.code: choice.label for choice in series}
            self.widgets["voucher_series"].configure(values=[c.label for c in series])  # type: ignore[call-arg]
            typed = self.vars["voucher_series"].get().strip().upper()
            if typed in self._series_labels:  # "F" becomes "F – Kassa": the name the owner knows
                self.vars["voucher_series"].set(self._series_labels[typed])

        def keep_typed(_exc: KassasyncError) -> None:
            return  # the typed series stays; OK says whether it could be checked

        self._in_background(ask, show, keep_typed)

    def _connected_text(self) -> str:
        company = self.values.connected
        if company is None:
            return "Inte inloggad på Fortnox."
        return f"Inloggad: {company.name} ({company.organisation_number})"

    def _show_connection(self) -> None:
        """Before login "Logga in..."; after it "Byt Fortnox-företag..." and "Logga ut"."""
        connected = self.values.connected is not None
        self.connected_label.configure(text=self._connected_text())
        self.widgets["login"].configure(text=SWITCH_LABEL if connected else LOGIN_LABEL)  # type: ignore[call-arg]
        if connected and self._logout is not None:
            self.widgets["logout"].grid()
        else:
            self.widgets["logout"].grid_remove()

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
        values.log_level = log_level_of(v["log_level"].get())
        for method in values.payment_accounts:
            values.payment_accounts[method] = v[f"account:{method}"].get()
            values.payment_modes[method] = v[f"mode:{method}"].get()
        return values

    def _apply_rules(self) -> None:
        """The choices that decide others: Lagermodul / Fortnox Start fix the receipts radio; with
        invoices Fortnox picks the series and there is no daily summary. Disabled, and said why."""
        values = self.collect()
        forced = forced_receipts_as(values)
        for choice in ReceiptsAs:
            button = self.widgets[f"receipts_as:{choice.value}"]
            button.configure(state="disabled" if forced else "normal")  # type: ignore[call-arg]
        if forced is not None:
            self.vars["receipts_as"].set(forced.value)
            values = self.collect()
        choosable = series_choosable(values)
        self.widgets["voucher_series"].configure(state="normal" if choosable else "disabled")  # type: ignore[call-arg]
        self._note(self.series_note, "" if choosable else SERIES_BY_FORTNOX)
        posting = forced_posting(values)
        summary = self.widgets[f"posting:{Posting.DAILY_SUMMARY.value}"]
        summary.configure(state="disabled" if posting else "normal")  # type: ignore[call-arg]
        if posting is not None:
            self.vars["posting"].set(posting.value)
        self._note(self.posting_note, SUMMARY_NEEDS_VOUCHERS if posting else "")
        kind = self.vars["schedule_kind"].get()
        for field, wanted in (("every_minutes", "interval"), ("daily_at", "daily")):
            self.widgets[field].configure(state="normal" if kind == wanted else "disabled")  # type: ignore[call-arg]

    @staticmethod
    def _note(label: ttk.Label, text: str) -> None:
        """A grey "why it is disabled" line, taking no room when there is nothing to say."""
        label.configure(text=text)
        if text:
            label.grid()
        else:
            label.grid_remove()

    def _show_company(self) -> None:
        text = self.vars["company_path"].get().strip()
        self._set_message("company_path", "")
        if not text:
            self.company_label.configure(text="Ingen kassafil vald.")
            return
        try:
            company = read_company(resolve_company_file(text))
        except KassasyncError as exc:
            self.company_label.configure(text="")
            self._set_message("company_path", exc.user_message)
            return
        self.company_label.configure(text=f"{company.name}, org.nr {company.organisation_number}")
        warning = mismatch_warning(company, self.values.connected)
        self._set_message("fortnox", warning or "", WARNING_COLOUR)

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
        if self._login is None or self._logging_in:
            return
        login = self._login
        self._logging_in = True
        self.widgets["login"].configure(state="disabled")  # type: ignore[call-arg]
        self.widgets["logout"].configure(state="disabled")  # type: ignore[call-arg]
        self.status.configure(text=LOGIN_STARTED, foreground="")
        self._set_message("fortnox", "")
        self.url_frame.grid_remove()

        def show_url(url: str) -> None:  # called on the login's worker thread
            self._from_worker(lambda: self._show_login_url(url))

        def logged_in(company: ConnectedCompany) -> None:
            self.values.connected = company
            if self._lookups_after_login is not None:
                self.lookups = self._lookups_after_login()
                self._load_series()
            self._show_company()
            finish()

        def failed(exc: KassasyncError) -> None:
            self._set_message("fortnox", exc.user_message)
            finish()

        def finish() -> None:
            self._logging_in = False
            self.status.configure(text="")
            self.url_frame.grid_remove()
            self.widgets["login"].configure(state="normal")  # type: ignore[call-arg]
            self.widgets["logout"].configure(state="normal")  # type: ignore[call-arg]
            self._show_connection()

        stock_module = self.flags["stock_module"].get()  # as ticked now: the scopes follow it
        self._in_background(lambda: login(show_url, stock_module), logged_in, failed)

    _logging_in = False

    def _show_login_url(self, url: str) -> None:
        self.login_url.set(url)
        self.url_frame.grid()
        self.status.configure(text="Väntar på inloggningen i Fortnox...")
        self.notebook.select(0)  # type: ignore[no-untyped-call]

    def copy_login_url(self) -> None:
        self.top.clipboard_clear()
        self.top.clipboard_append(self.login_url.get())
        self.status.configure(text="Adressen är kopierad.")

    def logout(self) -> None:
        if self._logout is None or self._logging_in:
            return
        logout = self._logout
        self.widgets["logout"].configure(state="disabled")  # type: ignore[call-arg]

        def done(_revoked: object) -> None:
            self.values.connected = None
            self.lookups = FortnoxLookups()  # nothing to ask Fortnox any more
            self.widgets["logout"].configure(state="normal")  # type: ignore[call-arg]
            self._set_message("fortnox", "")
            self._show_connection()

        def failed(exc: KassasyncError) -> None:
            self.widgets["logout"].configure(state="normal")  # type: ignore[call-arg]
            self._set_message("fortnox", exc.user_message)

        self._in_background(logout, done, failed)

    def show(self, validation: Validation) -> None:
        for name in self.messages:
            error = validation.errors.get(name)
            warning = validation.warnings.get(name)
            self._set_message(name, error or warning or "", ERROR_COLOUR if error else WARNING_COLOUR)
        if validation.errors:
            first = next(iter(validation.errors))
            if first in self.tab_of:
                self.notebook.select(self.tab_of[first])  # type: ignore[no-untyped-call]
            widget = self.widgets.get(first)
            if widget is not None:
                widget.focus_set()
        self._keep_on_screen()

    def ok(self) -> None:
        """Check offline at once; ask Fortnox for at most ``ok_wait_s``; then save and close.

        Offline errors keep the dialog open at once. Fortnox's own "no such series / customer" keeps it
        open too, when Fortnox answers in time; when it does not, the settings are saved without that
        answer and the owner is told (``on_notice``): the sync's pre-flight checks the same things."""
        if self._checking:
            return
        values, base, lookups = self.collect(), self.base, self.lookups
        offline = validate(values, base, FortnoxLookups(login_lacks_warehouse=lookups.login_lacks_warehouse))
        if not offline.ok or (lookups.customer_exists is None and lookups.voucher_series is None):
            self.show(offline)
            if offline.ok and offline.settings is not None:
                self._save(offline.settings, offline)
            return
        self._checking = True
        self.widgets["ok"].configure(state="disabled")  # type: ignore[call-arg]
        self.status.configure(text="Kontrollerar mot Fortnox...", foreground="")
        answered = False

        def checked(validation: Validation) -> None:
            nonlocal answered
            if answered:
                return  # came after the wait: the settings were saved already
            answered = True
            self._done_checking()
            self.show(validation)
            if validation.ok and validation.settings is not None:
                self._save(validation.settings, validation)

        def failed(exc: KassasyncError) -> None:
            checked(offline)  # the online part broke: what is valid offline is saved, and said
            self._on_notice(f"{NOT_CHECKED} {exc.user_message}")

        def gave_up() -> None:
            nonlocal answered
            if answered or not self.top.winfo_exists():
                return
            answered = True
            log.warning(
                "settings dialog: Fortnox did not answer within %.1f s; saving unchecked", self._ok_wait_s
            )
            self._done_checking()
            self.show(offline)
            if offline.settings is not None and self._save(offline.settings, offline):
                self._on_notice(FORTNOX_DID_NOT_ANSWER)

        self._in_background(lambda: validate(values, base, lookups), checked, failed)
        self.top.after(int(self._ok_wait_s * 1000), gave_up)

    def _done_checking(self) -> None:
        self._checking = False
        self.status.configure(text="")
        self.widgets["ok"].configure(state="normal")  # type: ignore[call-arg]

    def _save(self, settings: Settings, validation: Validation) -> bool:
        try:
            self._on_save(settings)
        except KassasyncError as exc:
            self.notebook.select(0)  # type: ignore[no-untyped-call]
            self._set_message("company_path", exc.user_message)
            return False
        unchecked = [
            validation.warnings[name]
            for name in ("voucher_series", "cash_customer_number")
            if name in validation.warnings
        ]
        if unchecked:  # "kunde inte kontrolleras": the owner is told after the window is gone
            self._on_notice(" ".join([NOT_CHECKED, *unchecked]))
        self.result = settings
        self.top.destroy()
        return True

    def cancel(self) -> None:
        self.result = None
        self.top.destroy()
