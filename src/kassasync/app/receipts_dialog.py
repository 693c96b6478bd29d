""" "Kvitton med fel": the failed receipts with their reasons, and a way to send them again after a fix."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import ttk

from kassasync.pos.records import OutboxEntry


class FailedReceiptsDialog:
    def __init__(
        self, master: tk.Misc, entries: Sequence[OutboxEntry], on_resend: Callable[[list[str]], None]
    ) -> None:
        self._on_resend = on_resend
        self.top = tk.Toplevel(master)
        self.top.title("Kassasync – kvitton med fel")
        body = ttk.Frame(self.top, padding=10)
        body.grid(sticky="nsew")
        ttk.Label(body, text="Rätta orsaken (t.ex. i Fortnox) och skicka sedan kvittona igen.").grid(
            row=0, column=0, columnspan=3, sticky="w"
        )
        self.tree = ttk.Treeview(body, columns=("receipt", "reason"), show="headings", height=12)
        self.tree.heading("receipt", text="Kvitto")
        self.tree.heading("reason", text="Orsak")
        self.tree.column("receipt", width=110, stretch=False)
        self.tree.column("reason", width=480)
        for entry in entries:
            self.tree.insert("", "end", iid=entry.receipt, values=(entry.receipt, entry.last_error or ""))
        self.tree.grid(row=1, column=0, columnspan=3, sticky="nsew", pady=6)
        ttk.Button(body, text="Skicka markerade igen", command=self.resend_selected).grid(row=2, column=0)
        ttk.Button(body, text="Skicka alla igen", command=self.resend_all).grid(row=2, column=1)
        ttk.Button(body, text="Stäng", command=self.top.destroy).grid(row=2, column=2)
        self.top.lift()
        self.top.focus_force()

    def resend_selected(self) -> None:
        keys = list(self.tree.selection())
        if keys:
            self._on_resend(keys)
            self.top.destroy()

    def resend_all(self) -> None:
        keys = list(self.tree.get_children())
        if keys:
            self._on_resend(keys)
        self.top.destroy()
