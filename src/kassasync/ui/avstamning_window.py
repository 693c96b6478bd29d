""" "Avstämning": the register's days against Fortnox, as ``kassasync avstamning`` prints them, in a window.

The reading runs on a worker thread of its own (it asks Fortnox, which can take minutes at Fortnox's
rate limit); its result comes back to the Tk thread through ``post``. "Spara CSV..." writes the same
file the command's ``--csv`` does, for the accountant's spreadsheet.
"""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable
from datetime import date
from pathlib import Path
from tkinter import filedialog, ttk

from kassasync.avstamning.output import report_lines, write_csv
from kassasync.avstamning.run import (
    AvstamningReport,
    AvstamningRequest,
    default_range,
)
from kassasync.clock import Clock, business_date
from kassasync.errors import KassasyncError
from kassasync.sync.events import StepProgress, time_left_text
from kassasync.words import of_total

Progress = Callable[[StepProgress], None]
Runner = Callable[[AvstamningRequest, Progress], AvstamningReport]  # on the reading thread
Poster = Callable[[Callable[[], None]], None]

READING = "Läser från Fortnox..."
BAD_DATES = "Skriv datum som ÅÅÅÅ-MM-DD, första dagen före sista."


class AvstamningWindow:
    def __init__(self, parent: tk.Misc, run: Runner, post: Poster, start: date, end: date) -> None:
        self._run, self._post = run, post
        self.report: AvstamningReport | None = None
        self.top = tk.Toplevel(parent)
        self.top.title("Kassasync – avstämning")
        self.top.minsize(560, 360)
        self.top.columnconfigure(0, weight=1)
        self.top.rowconfigure(1, weight=1)
        bar = ttk.Frame(self.top, padding=(12, 12, 12, 6))
        bar.grid(row=0, column=0, sticky="ew")
        self.start, self.end, self.register = (
            tk.StringVar(value=start.isoformat()),
            tk.StringVar(),
            tk.StringVar(),
        )
        self.end.set(end.isoformat())
        for column, (label, var, width) in enumerate(
            (("Från", self.start, 11), ("Till", self.end, 11), ("Kassa", self.register, 6))
        ):
            ttk.Label(bar, text=label).grid(row=0, column=2 * column, padx=(0 if column == 0 else 8, 4))
            ttk.Entry(bar, textvariable=var, width=width).grid(row=0, column=2 * column + 1)
        self.run_button = ttk.Button(bar, text="Stäm av", command=self.start_reading)
        self.run_button.grid(row=0, column=6, padx=(12, 0))
        self.detailed = tk.BooleanVar(value=False)
        ttk.Checkbutton(bar, text="Visa alla rader", variable=self.detailed, command=self._refill).grid(
            row=0, column=7, padx=(12, 0)
        )
        self.text = tk.Text(self.top, wrap="word", height=18, width=90, borderwidth=0, padx=12, pady=6)
        self.text.grid(row=1, column=0, sticky="nsew", padx=(12, 0))
        scroll = ttk.Scrollbar(self.top, orient="vertical", command=self.text.yview)
        scroll.grid(row=1, column=1, sticky="ns", padx=(0, 12))
        self.text.configure(yscrollcommand=scroll.set)
        buttons = ttk.Frame(self.top, padding=(12, 6, 12, 12))
        buttons.grid(row=2, column=0, columnspan=2, sticky="ew")
        buttons.columnconfigure(0, weight=1)
        self.status = ttk.Label(buttons, text="")
        self.status.grid(row=0, column=0, sticky="w")
        self.save_button = ttk.Button(buttons, text="Spara CSV...", command=self.ask_save, state="disabled")
        self.save_button.grid(row=0, column=1, padx=(0, 8))
        ttk.Button(buttons, text="Stäng", command=self.top.destroy).grid(row=0, column=2)
        self.start_reading()

    def request(self) -> AvstamningRequest | None:
        try:
            start, end = (
                date.fromisoformat(self.start.get().strip()),
                date.fromisoformat(self.end.get().strip()),
            )
        except ValueError:
            return None
        return AvstamningRequest(start, end, self.register.get().strip() or None) if start <= end else None

    def start_reading(self) -> None:
        request = self.request()
        if request is None:
            self.status.configure(text=BAD_DATES)
            return
        self.run_button.configure(state="disabled")
        self.status.configure(text=READING)
        threading.Thread(target=self._read, args=(request,), name="avstamning", daemon=True).start()

    def _read(self, request: AvstamningRequest) -> None:
        """Worker thread: its one boundary; the result or the Swedish message goes to the Tk thread."""
        try:
            report = self._run(request, self.progress)
        except KassasyncError as exc:
            message = exc.user_message
            self._post(lambda: self.show_error(message))
            return
        self._post(lambda: self.show(report))

    def progress(self, event: StepProgress) -> None:
        """Reading thread: how far the reading has come, shown on the Tk thread."""
        left = time_left_text(event.seconds_left)
        text = f"{event.label}: {of_total(event.done, event.total)}" + (f", {left}" if left else "")
        self._post(lambda: self._status(text))

    def _status(self, text: str) -> None:
        if self.top.winfo_exists() and str(self.run_button.cget("state")) == "disabled":  # still reading
            self.status.configure(text=text)

    def show(self, report: AvstamningReport) -> None:
        if not self.top.winfo_exists():
            return
        self.report = report
        self._refill()
        self.status.configure(text="Alla dagar stämmer." if report.ok else "Det finns skillnader (se ovan).")
        self.run_button.configure(state="normal")
        self.save_button.configure(state="normal")

    def _refill(self) -> None:
        if self.report is not None:
            self._fill("\n".join(report_lines(self.report, detailed=self.detailed.get())))

    def show_error(self, message: str) -> None:
        if not self.top.winfo_exists():
            return
        self._fill(message)
        self.status.configure(text="Avstämningen kunde inte göras.")
        self.run_button.configure(state="normal")

    def _fill(self, content: str) -> None:
        self.text.configure(state="normal")
        self.text.delete("1.0", "end")
        self.text.insert("1.0", content)
        self.text.configure(state="disabled")

    def ask_save(self) -> None:
        chosen = filedialog.asksaveasfilename(
            parent=self.top,
            defaultextension=".csv",
            initialfile="avstamning.csv",
            filetypes=[("CSV (semikolon)", "*.csv")],
        )
        if chosen:
            self.save_csv(Path(chosen))

    def save_csv(self, target: Path) -> None:
        if self.report is not None:
            write_csv(self.report, target)
            self.status.configure(text=f"Sparad: {target}")


def open_avstamning(parent: tk.Misc | None, run: Runner, post: Poster, clock: Clock) -> None:
    """The tray's "Avstämning...": this month up to yesterday; ``run`` reads with the agent's settings."""
    assert parent is not None
    start, end = default_range(business_date(clock.now()))
    AvstamningWindow(parent, run, post, start, end)
