""" "Problem": every problem of the last sync, in full, with "Försök igen".

The problems that hold every receipt back (a locked period, a missing financial year, an unknown cash
customer) carry their remedy in the Swedish message ("Skapa räkenskapsår 2026 i Fortnox (Inställningar →
Bokföring → Räkenskapsår)…"). A tooltip or a menu line cuts that off; this window shows each one whole,
wrapped to the window's width, selectable and copyable for an e-mail to the accountant or support.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import ttk

from kassasync.sync.events import ReportedError
from kassasync.ui.windows import present, reading_text, replace_text, tool_window

NO_PROBLEMS = "Inga problem vid den senaste synkroniseringen."
INTRO = "Det här hindrade den senaste synkroniseringen. Rätta det och välj ”Försök igen”."
RETRYING = "Synkroniserar igen..."


def problem_text(problem: ReportedError) -> str:
    """One problem as the window shows it: the receipt it concerns first, when there is one."""
    if problem.item:
        return f"Kvitto {problem.item}: {problem.user_message}"
    return problem.user_message


class ProblemsWindow:
    """A resizable Toplevel; ``update`` refills it when a new report arrives (after "Försök igen")."""

    def __init__(
        self, parent: tk.Misc, problems: Sequence[ReportedError], on_retry: Callable[[], object]
    ) -> None:
        self._on_retry = on_retry
        self.top, body = tool_window(parent, "Kassasync – problem", (420, 240), self.close)
        body.rowconfigure(1, weight=1)
        self.intro = ttk.Label(body, text=INTRO)
        self.intro.grid(row=0, column=0, columnspan=2, sticky="w", pady=(0, 6))
        body.bind("<Configure>", lambda event: self.intro.configure(wraplength=max(200, event.width - 20)))
        self.text = reading_text(body, width=72, height=14, padx=8, pady=6)
        self.text.tag_configure("problem", spacing1=4, spacing3=8, lmargin1=0, lmargin2=14)
        scroll = ttk.Scrollbar(body, orient="vertical", command=self.text.yview)
        self.text.configure(yscrollcommand=scroll.set)
        self.text.grid(row=1, column=0, sticky="nsew")
        scroll.grid(row=1, column=1, sticky="ns")
        self.status = ttk.Label(body, text="")
        self.status.grid(row=2, column=0, sticky="w", pady=(8, 0))
        buttons = ttk.Frame(body)
        buttons.grid(row=2, column=0, columnspan=2, sticky="e", pady=(8, 0))
        self.copy_button = ttk.Button(buttons, text="Kopiera", command=self.copy)
        self.copy_button.grid(row=0, column=0, padx=(0, 6))
        self.retry_button = ttk.Button(buttons, text="Försök igen", command=self.retry, default="active")
        self.retry_button.grid(row=0, column=1, padx=(0, 6))
        self.close_button = ttk.Button(buttons, text="Stäng", command=self.close)
        self.close_button.grid(row=0, column=2)
        self.update(problems)
        present(self.top, self.retry_button)

    def update(self, problems: Sequence[ReportedError]) -> None:
        """Show ``problems`` (the last report's): the text is replaced and "Försök igen" is usable again."""
        self.problems = tuple(problems)
        parts: list[tuple[str, tuple[str, ...]]] = [
            (f"• {problem_text(problem)}\n", ("problem",)) for problem in self.problems
        ]
        replace_text(self.text, *(parts or [(NO_PROBLEMS, ())]))
        self.intro.configure(text=INTRO if self.problems else "")
        self.status.configure(text="")
        self.retry_button.configure(state="normal")

    @property
    def shown_text(self) -> str:
        return self.text.get("1.0", "end").strip()

    def copy(self) -> None:
        self.top.clipboard_clear()
        self.top.clipboard_append(self.shown_text)
        self.status.configure(text="Texten är kopierad.")

    def retry(self) -> None:
        """Ask for a manual sync; the window stays, and ``update`` shows what that sync left."""
        self.retry_button.configure(state="disabled")
        self.status.configure(text=RETRYING)
        self._on_retry()

    def close(self) -> None:
        self.top.destroy()

    def exists(self) -> bool:
        return bool(self.top.winfo_exists())
