"""The settings dialog's Fortnox row: "Logga in...", or once logged in "Byt Fortnox-företag..." and
"Logga ut", and the login's address when no browser started.

No "Klient-id" field: the integration's id and secret come with the program (fortnox/baked.py); support
overrides them by environment. The login waits for the browser on a worker thread (the dialog's pump),
so the dialog answers meanwhile; a login whose browser did not start shows its address, selectable and
with "Kopiera", instead of waiting in silence.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from kassasync.errors import KassasyncError
from kassasync.fortnox.auth import UrlShower
from kassasync.ui.settings_fields import FORTNOX
from kassasync.ui.settings_form import ConnectedCompany, FormValues
from kassasync.ui.settings_view import MESSAGE_WRAP, WARNING_COLOUR, FieldForm
from kassasync.ui.tk_pump import TkPump

NO_BROWSER = (
    "Ingen webbläsare startade. Öppna adressen nedan i en webbläsare på den här datorn och logga in "
    "där; Kassasync väntar på svaret."
)
LOGIN_STARTED = "Inloggningen i Fortnox öppnas i webbläsaren..."
WAITING = "Väntar på inloggningen i Fortnox..."
LOGIN_LABEL, SWITCH_LABEL = "Logga in...", "Byt Fortnox-företag..."
MESSAGE = "fortnox"  # the row's message: a failed login, or a company file of another company


class FortnoxRow:
    def __init__(
        self,
        form: FieldForm,
        pump: TkPump,
        values: FormValues,
        *,
        login: Callable[[UrlShower, bool], ConnectedCompany] | None,  # bool: Lagermodul ticked
        logout: Callable[[], object] | None,
        status: Callable[[str], None],  # the dialog's status line
        show_tab: Callable[[], None],  # bring this row's tab to the front
        logged_in: Callable[[], None],
        logged_out: Callable[[], None],
    ) -> None:
        self.form, self.pump, self.values = form, pump, values
        self._login, self._logout, self._status, self._show_tab = login, logout, status, show_tab
        self._logged_in, self._logged_out = logged_in, logged_out
        self.logging_in = False

    def build(self, frame: ttk.Labelframe) -> int:
        """The row's widgets at the top of the Fortnox section; the rows they take."""
        frame.columnconfigure(1, weight=1)
        self.connected_label = ttk.Label(frame, text=self.connected_text())
        self.connected_label.grid(row=0, column=0, columnspan=2, sticky="w")
        buttons = ttk.Frame(frame)
        buttons.grid(row=0, column=2, columnspan=2, sticky="e", padx=(6, 0))
        state = "normal" if self._login else "disabled"
        self.login_button = ttk.Button(buttons, text=LOGIN_LABEL, command=self.login, state=state)
        self.login_button.grid(row=0, column=0)
        self.logout_button = ttk.Button(buttons, text="Logga ut", command=self.logout)
        self.logout_button.grid(row=0, column=1, padx=(6, 0))
        self.form.widgets["login"], self.form.widgets["logout"] = self.login_button, self.logout_button
        self.form.message(frame, MESSAGE, 1, FORTNOX.tab, column=0)
        self.url_frame = self._url_section(frame)
        self.url_frame.grid(row=2, column=0, columnspan=4, sticky="ew")
        self.url_frame.grid_remove()  # shown only when no browser started
        return 3

    def _url_section(self, parent: ttk.Labelframe) -> ttk.Frame:
        frame = ttk.Frame(parent)
        frame.columnconfigure(0, weight=1)
        self.url_note = ttk.Label(frame, text=NO_BROWSER, wraplength=MESSAGE_WRAP, foreground=WARNING_COLOUR)
        self.url_note.grid(row=0, column=0, columnspan=2, sticky="w", pady=(4, 2))
        self.login_url = tk.StringVar(master=frame, value="")
        url = ttk.Entry(frame, textvariable=self.login_url, state="readonly", width=44)
        url.grid(row=1, column=0, sticky="ew")
        copy = ttk.Button(frame, text="Kopiera", command=self.copy_login_url)
        copy.grid(row=1, column=1, padx=(6, 0))
        self.form.widgets["login_url"], self.form.widgets["copy_url"] = url, copy
        return frame

    def connected_text(self) -> str:
        company = self.values.connected
        if company is None:
            return "Inte inloggad på Fortnox."
        return f"Inloggad: {company.name} ({company.organisation_number})"

    def show_connection(self) -> None:
        """Before login "Logga in..."; after it "Byt Fortnox-företag..." and "Logga ut"."""
        connected = self.values.connected is not None
        self.connected_label.configure(text=self.connected_text())
        self.login_button.configure(text=SWITCH_LABEL if connected else LOGIN_LABEL)
        if connected and self._logout is not None:
            self.logout_button.grid()
        else:
            self.logout_button.grid_remove()

    def _buttons(self, state: str) -> None:
        self.login_button.configure(state=state)
        self.logout_button.configure(state=state)

    def login(self) -> None:
        if self._login is None or self.logging_in:
            return
        login = self._login
        self.logging_in = True
        self._buttons("disabled")
        self._status(LOGIN_STARTED)
        self.form.set_message(MESSAGE, "")
        self.url_frame.grid_remove()

        def show_url(url: str) -> None:  # called on the login's worker thread
            self.pump.post(lambda: self._show_login_url(url))

        def logged_in(company: ConnectedCompany) -> None:
            self.values.connected = company
            self._logged_in()
            finish()

        def failed(exc: KassasyncError) -> None:
            self.form.set_message(MESSAGE, exc.user_message)
            finish()

        def finish() -> None:
            self.logging_in = False
            self._status("")
            self.url_frame.grid_remove()
            self._buttons("normal")
            self.show_connection()

        stock_module = self.form.flags["stock_module"].get()  # as ticked now: the scopes follow it
        self.pump.in_background(lambda: login(show_url, stock_module), logged_in, failed)

    def _show_login_url(self, url: str) -> None:
        self.login_url.set(url)
        self.url_frame.grid()
        self._status(WAITING)
        self._show_tab()

    def copy_login_url(self) -> None:
        self.url_frame.clipboard_clear()
        self.url_frame.clipboard_append(self.login_url.get())
        self._status("Adressen är kopierad.")

    def logout(self) -> None:
        if self._logout is None or self.logging_in:
            return
        logout = self._logout
        self.logout_button.configure(state="disabled")

        def done(_revoked: object) -> None:
            self.values.connected = None
            self._logged_out()
            self.logout_button.configure(state="normal")
            self.form.set_message(MESSAGE, "")
            self.show_connection()

        def failed(exc: KassasyncError) -> None:
            self.logout_button.configure(state="normal")
            self.form.set_message(MESSAGE, exc.user_message)

        self.pump.in_background(logout, done, failed)
