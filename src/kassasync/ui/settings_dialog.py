"""The settings dialog: a thin ttk view over settings_form. Validation happens on OK, errors inline.

Three tabs keep it under 650 px high, so OK and Avbryt are on screen on a small register PC (it is
centred, and fits 1024x768 with its error texts shown). The fields are laid out, filled, collected and
shown by the field table (settings_fields.py, through settings_view.FieldForm); this module adds what is
not a field (the login row, the notes, the buttons) and the behaviour. Anything that talks to Fortnox
(the login, which waits for the browser; the series list; the checks on OK) runs on a worker thread and
comes back through the dialog's Tk pump (tk_pump.py): the dialog and the tray never freeze.

OK never waits on Fortnox for more than ``OK_WAIT_S``: the offline checks decide whether the settings
can be saved; Fortnox's answers (series, cash customer) are waited for that long, and a question it has
not answered by then is said (``on_notice``), not waited for. A hung Fortnox once held OK for nine
minutes.

Not ``transient()`` to the tray's withdrawn root (IDLE's query.py lesson: the dialog would stay
invisible); it is a plain Toplevel that lifts itself and takes focus.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import filedialog, ttk

from kassasync.config import Posting, ReceiptsAs, Settings
from kassasync.errors import KassasyncError
from kassasync.fortnox.auth import UrlShower
from kassasync.ui.company_info import read_company, resolve_company_file
from kassasync.ui.settings_fields import FORTNOX, SECTIONS, TABS, Section, form_fields
from kassasync.ui.settings_form import (
    SERIES_BY_FORTNOX,
    SUMMARY_NEEDS_VOUCHERS,
    ConnectedCompany,
    FormValues,
    FortnoxLookups,
    SeriesChoice,
    Validation,
    forced_posting,
    forced_receipts_as,
    mismatch_warning,
    series_choosable,
    validate,
)
from kassasync.ui.settings_login import LOGIN_LABEL, SWITCH_LABEL, FortnoxRow
from kassasync.ui.settings_view import (
    ERROR_COLOUR,
    MESSAGE_WRAP,
    NOTE_COLOUR,
    WARNING_COLOUR,
    Extra,
    FieldForm,
    show_text,
)
from kassasync.ui.tk_pump import TkPump

__all__ = ["ERROR_COLOUR", "FORTNOX_DID_NOT_ANSWER", "LOGIN_LABEL", "SWITCH_LABEL", "WARNING_COLOUR"]

log = logging.getLogger(__name__)

SCREEN_MARGIN = 8  # px kept free below the dialog when errors make it taller
OK_WAIT_S = 1.5  # the longest OK waits for Fortnox's answers before it saves without them
FORTNOX_DID_NOT_ANSWER = (
    "Inställningarna är sparade. Fortnox svarade inte inom några sekunder, så verifikationsserien och "
    "kassakunden kontrolleras vid nästa synkronisering."
)
NOT_CHECKED = "Inställningarna är sparade, men allt kunde inte kontrolleras mot Fortnox:"


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
        self._on_save, self._lookups_after_login = on_save, lookups_after_login
        self._browse = browse or self._ask_company_file
        self._on_notice = on_notice or (lambda text: log.warning("settings dialog: %s", text))
        self._ok_wait_s = ok_wait_s
        self._pump = TkPump("settings dialog")
        self._checking = False  # OK pressed, waiting (at most ok_wait_s) for Fortnox's answers
        self._series_labels: dict[str, str] = {}  # "A" -> "A – Redovisningsverifikationer"
        self.result: Settings | None = None
        self.top = tk.Toplevel(master)
        self.top.withdraw()  # built unseen, then shown centred (_centre)
        self.top.title("Kassasync – inställningar")
        self.top.protocol("WM_DELETE_WINDOW", self.cancel)
        self.form = FieldForm(self.top, values, on_choice=self._apply_rules)
        self.vars, self.flags, self.widgets = self.form.vars, self.form.flags, self.form.widgets
        self.messages = self.form.messages
        self.fortnox = FortnoxRow(
            self.form,
            self._pump,
            values,
            login=login,
            logout=logout,
            status=self._status,
            show_tab=lambda: self.notebook.select(FORTNOX.tab),  # type: ignore[no-untyped-call]
            logged_in=self._after_login,
            logged_out=self._after_logout,
        )
        body = ttk.Frame(self.top, padding=10)
        body.grid(sticky="nsew")
        self.notebook = ttk.Notebook(body)
        self.notebook.grid(row=0, column=0, columnspan=2, sticky="nsew")
        for index, title in enumerate(TABS):
            self._tab(index, title)
        self.status = ttk.Label(body, text="", wraplength=360)
        self.status.grid(row=1, column=0, sticky="w", pady=(8, 0))
        self._buttons(body).grid(row=1, column=1, sticky="e", pady=(8, 0))
        self._apply_rules()
        self._show_company()
        self.fortnox.show_connection()
        self.connected_label, self.url_frame = self.fortnox.connected_label, self.fortnox.url_frame
        self.login_url, self.url_note = self.fortnox.login_url, self.fortnox.url_note
        self._load_series()
        self._pump.start(self.top)
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

    def _tab(self, index: int, title: str) -> None:
        page = ttk.Frame(self.notebook, padding=8)
        page.columnconfigure(0, weight=1)
        sections = [section for section in SECTIONS if section.tab == index]
        for row, section in enumerate(sections):
            self._section(page, section).grid(row=row, column=0, sticky="ew", pady=4)
        self.notebook.add(page, text=title)

    def _section(self, page: ttk.Frame, section: Section) -> ttk.Labelframe:
        """A section's fields from the table, after what the section has that is not a field."""
        frame = ttk.Labelframe(page, text=section.title, padding=8)
        fields = [field for field in form_fields(self.values.payment_accounts) if field.section == section]
        row = 0
        if section == FORTNOX:
            row = self.fortnox.build(frame)
        extras: dict[str, Extra] = {
            "company_path": self._company_extras,
            "posting": self._posting_note,
            "voucher_series": self._series_note,
        }
        self.form.rows(frame, fields, row, extras)
        return frame

    def _company_extras(self, frame: tk.Misc, row: int) -> int:
        self.widgets["company_path"].bind("<FocusOut>", lambda _e: self._show_company())
        browse = ttk.Button(frame, text="Bläddra...", command=self.browse)
        browse.grid(row=row, column=2, padx=(6, 0))
        self.widgets["browse"] = browse
        self.company_label = ttk.Label(frame, text="")
        self.company_label.grid(row=row + 1, column=1, columnspan=2, sticky="w")
        return 1

    def _note_row(self, frame: tk.Misc, row: int) -> ttk.Label:
        """A grey "why it is disabled" line under a field."""
        note = ttk.Label(frame, text="", foreground=NOTE_COLOUR, wraplength=MESSAGE_WRAP)
        note.grid(row=row, column=1, columnspan=3, sticky="w")
        return note

    def _posting_note(self, frame: tk.Misc, row: int) -> int:
        self.posting_note = self._note_row(frame, row + 1)
        return 1

    def _series_note(self, frame: tk.Misc, row: int) -> int:
        self.series_note = self._note_row(frame, row + 1)
        return 1

    def _buttons(self, body: ttk.Frame) -> ttk.Frame:
        frame = ttk.Frame(body)
        ok = ttk.Button(frame, text="OK", command=self.ok, default="active")
        ok.grid(row=0, column=0, padx=4)
        cancel = ttk.Button(frame, text="Avbryt", command=self.cancel)
        cancel.grid(row=0, column=1)
        self.widgets["ok"], self.widgets["cancel"] = ok, cancel
        return frame

    # -- behaviour ---------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Something is still out asking Fortnox, or its answer not yet shown (tests wait on this)."""
        return self._pump.busy

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

        self._pump.in_background(ask, show, keep_typed)

    def collect(self) -> FormValues:
        return self.form.collect()

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
        show_text(self.series_note, "" if choosable else SERIES_BY_FORTNOX)
        posting = forced_posting(values)
        summary = self.widgets[f"posting:{Posting.DAILY_SUMMARY.value}"]
        summary.configure(state="disabled" if posting else "normal")  # type: ignore[call-arg]
        if posting is not None:
            self.vars["posting"].set(posting.value)
        show_text(self.posting_note, SUMMARY_NEEDS_VOUCHERS if posting else "")
        kind = self.vars["schedule_kind"].get()
        for field, wanted in (("every_minutes", "interval"), ("daily_at", "daily")):
            self.widgets[field].configure(state="normal" if kind == wanted else "disabled")  # type: ignore[call-arg]

    def _show_company(self) -> None:
        text = self.vars["company_path"].get().strip()
        self.form.set_message("company_path", "")
        if not text:
            self.company_label.configure(text="Ingen kassafil vald.")
            return
        try:
            company = read_company(resolve_company_file(text))
        except KassasyncError as exc:
            self.company_label.configure(text="")
            self.form.set_message("company_path", exc.user_message)
            return
        self.company_label.configure(text=f"{company.name}, org.nr {company.organisation_number}")
        warning = mismatch_warning(company, self.values.connected)
        self.form.set_message("fortnox", warning or "", WARNING_COLOUR)

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

    def _status(self, text: str) -> None:
        self.status.configure(text=text, foreground="")

    def _after_login(self) -> None:
        if self._lookups_after_login is not None:
            self.lookups = self._lookups_after_login()
            self._load_series()
        self._show_company()

    def _after_logout(self) -> None:
        self.lookups = FortnoxLookups()  # nothing to ask Fortnox any more

    def show(self, validation: Validation) -> None:
        first_error = self.form.show(validation)
        if first_error is not None:
            tab, widget = first_error
            self.notebook.select(tab)  # type: ignore[no-untyped-call]
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

        self._pump.in_background(lambda: validate(values, base, lookups), checked, failed)
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
            self.form.set_message("company_path", exc.user_message)
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
