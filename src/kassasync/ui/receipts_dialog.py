""" "Kvitton med fel": the failed receipts with date, amount and the whole reason, and a way to send them
again after a fix.

The reason names the article or account that stopped the receipt, so it is long; a list cell would cut
it. The list shows date, receipt, amount and the start of the reason; the whole reason of the selected
receipt stands below it, wrapped and selectable (copyable for the accountant).
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from tkinter import font as tkfont
from tkinter import ttk

from kassasync.clock import STOCKHOLM
from kassasync.errors import KassasyncError
from kassasync.money import format_kronor
from kassasync.pos.records import OutboxEntry, OutboxState
from kassasync.pos.store import PosStore
from kassasync.ui.windows import present, reading_text, replace_text, tool_window

log = logging.getLogger(__name__)

INTRO = "Rätta orsaken (t.ex. i Fortnox) och skicka sedan kvittona igen."
NO_REASON = "Ingen orsak sparad."


@dataclass(frozen=True)
class FailedReceipt:
    key: str  # 'K1-17'
    sold_at: datetime | None  # None when the register wrote a receipt the store cannot read
    total_ore: int | None
    reason: str

    @property
    def date_text(self) -> str:
        """In Stockholm time, the shop's: a receipt's day is its business day (clock.py)."""
        if self.sold_at is None:
            return ""
        local = self.sold_at.astimezone(STOCKHOLM) if self.sold_at.tzinfo else self.sold_at
        return local.strftime("%Y-%m-%d %H:%M")

    @property
    def amount_text(self) -> str:
        return format_kronor(self.total_ore) if self.total_ore is not None else ""


def failed_receipt(store: PosStore, entry: OutboxEntry) -> FailedReceipt:
    reason = entry.last_error or NO_REASON
    try:
        receipt = store.get_receipt(entry.receipt)
    except KassasyncError as exc:  # a receipt the register wrote wrong: its reason says so
        log.info("failed receipt %s cannot be read: %s", entry.receipt, exc.detail)
        receipt = None
    if receipt is None:
        return FailedReceipt(entry.receipt, None, None, reason)
    return FailedReceipt(entry.receipt, receipt.sold_at, receipt.total_ore, reason)


def failed_receipts(store: PosStore) -> list[FailedReceipt]:
    """The receipts in ``failed``, oldest sale first."""
    found = [failed_receipt(store, entry) for entry in store.outbox_entries(OutboxState.FAILED)]
    return sorted(
        found, key=lambda r: (r.sold_at is None, r.sold_at.timestamp() if r.sold_at else 0.0, r.key)
    )


class FailedReceiptsDialog:
    def __init__(
        self, master: tk.Misc, receipts: Sequence[FailedReceipt], on_resend: Callable[[list[str]], None]
    ) -> None:
        self._on_resend = on_resend
        self.receipts = {receipt.key: receipt for receipt in receipts}
        self.top, body = tool_window(master, "Kassasync – kvitton med fel", (520, 320), self.close)
        body.rowconfigure(1, weight=3)
        body.rowconfigure(3, weight=1)
        ttk.Label(body, text=INTRO).grid(row=0, column=0, columnspan=2, sticky="w")
        columns = ("date", "receipt", "amount", "reason")
        measure = tkfont.nametofont("TkDefaultFont").measure  # columns as wide as what they hold
        pad = 18
        self.tree = ttk.Treeview(body, columns=columns, show="headings", height=10)
        for name, heading, width, stretch in (
            ("date", "Datum", measure("2026-11-28 10:15") + pad, False),
            ("receipt", "Kvitto", measure("K10-100000") + pad, False),
            ("amount", "Belopp", measure("-100 000,00 kr") + pad, False),
            ("reason", "Orsak", 360, True),
        ):
            self.tree.heading(name, text=heading)
            self.tree.column(name, width=width, stretch=stretch, anchor="e" if name == "amount" else "w")
        for receipt in receipts:
            values = (receipt.date_text, receipt.key, receipt.amount_text, receipt.reason)
            self.tree.insert("", "end", iid=receipt.key, values=values)
        scroll = ttk.Scrollbar(body, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        self.tree.grid(row=1, column=0, sticky="nsew", pady=6)
        scroll.grid(row=1, column=1, sticky="ns", pady=6)
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self._show_reason())
        ttk.Label(body, text="Orsak").grid(row=2, column=0, sticky="w")
        self.reason = reading_text(body, width=70, height=5, padx=6, pady=4)
        self.reason.grid(row=3, column=0, columnspan=2, sticky="nsew", pady=(2, 8))
        buttons = ttk.Frame(body)
        buttons.grid(row=4, column=0, columnspan=2, sticky="e")
        ttk.Button(buttons, text="Skicka markerade igen", command=self.resend_selected).grid(row=0, column=0)
        ttk.Button(buttons, text="Skicka alla igen", command=self.resend_all).grid(row=0, column=1, padx=6)
        ttk.Button(buttons, text="Stäng", command=self.close).grid(row=0, column=2)
        if receipts:
            first = receipts[0].key
            self.tree.selection_set(first)
            self.tree.focus(first)
        self._show_reason()
        present(self.top, self.tree)

    def _show_reason(self) -> None:
        selected = self.tree.selection()
        receipt = self.receipts.get(selected[0]) if selected else None
        text = "" if receipt is None else f"Kvitto {receipt.key}: {receipt.reason}"
        replace_text(self.reason, (text, ()))  # read-only, still selectable and copyable

    @property
    def reason_text(self) -> str:
        return self.reason.get("1.0", "end").strip()

    def resend_selected(self) -> None:
        keys = list(self.tree.selection())
        if keys:
            self._on_resend(keys)
            self.close()

    def resend_all(self) -> None:
        keys = list(self.tree.get_children())
        if keys:
            self._on_resend(keys)
        self.close()

    def close(self) -> None:
        self.top.destroy()
