"""What the tray's own windows (the problems window, "Kvitton med fel") share: a resizable Toplevel with a
padded body that closes on Escape and the window's X, and a read-only text that still selects and copies.

Not ``transient()`` to the tray's withdrawn root (the dialog would stay invisible, IDLE's query.py
lesson): a plain Toplevel that lifts itself and takes focus when shown.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk


def tool_window(
    parent: tk.Misc, title: str, min_size: tuple[int, int], close: Callable[[], None]
) -> tuple[tk.Toplevel, ttk.Frame]:
    """The window and its body frame (column 0 stretches; the caller says which rows do)."""
    top = tk.Toplevel(parent)
    top.title(title)
    top.minsize(*min_size)
    top.columnconfigure(0, weight=1)
    top.rowconfigure(0, weight=1)
    body = ttk.Frame(top, padding=10)
    body.grid(sticky="nsew")
    body.columnconfigure(0, weight=1)
    top.protocol("WM_DELETE_WINDOW", close)
    top.bind("<Escape>", lambda _e: close())
    return top, body


def reading_text(parent: tk.Misc, *, width: int, height: int, padx: int, pady: int) -> tk.Text:
    """A Text, not Labels: it wraps at the window's width, and its text can be selected and copied."""
    return tk.Text(
        parent,
        wrap="word",
        width=width,
        height=height,
        relief="flat",
        padx=padx,
        pady=pady,
        font="TkDefaultFont",
    )


def replace_text(text: tk.Text, *parts: tuple[str, tuple[str, ...]]) -> None:
    """Put ``parts`` (text, tags) in place of what ``text`` held, read-only afterwards (Tk's Text keeps
    selection and <<Copy>> when disabled)."""
    text.configure(state="normal")
    text.delete("1.0", "end")
    for chunk, tags in parts:
        text.insert("end", chunk, tags)
    text.configure(state="disabled")


def present(top: tk.Toplevel, focus: tk.Widget) -> None:
    top.lift()
    top.focus_force()
    focus.focus_set()
