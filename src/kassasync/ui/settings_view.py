"""The field table (settings_fields.py) as ttk widgets: each field's row, variable and message label.

Every field is laid out, filled, collected and shown the same way, by its widget kind, so the dialog
itself (settings_dialog.py) holds only what is not a field: the login row, the notes that say why a
choice is disabled, the buttons, and the behaviour. A field's message label is found through the field,
never by taking a widget's name apart.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterable, Mapping
from itertools import groupby
from tkinter import ttk

from kassasync.ui.settings_fields import Field, Widget
from kassasync.ui.settings_form import FormValues, Validation

ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"
NOTE_COLOUR = "#555555"
MESSAGE_WRAP = 440

# Builds what stands beside or under a field (frame, the field's row) and says how many rows it took.
Extra = Callable[[tk.Misc, int], int]


def show_text(label: ttk.Label, text: str) -> None:
    """A message or note line that takes no room when there is nothing to say."""
    label.configure(text=text)
    if text:
        label.grid()
    else:
        label.grid_remove()


class FieldForm:
    """The widgets of the table's fields, by name (``Field.name``): ``vars`` for text and choices,
    ``flags`` for check buttons, ``widgets`` (a radio button as ``name:value``), ``messages`` by the
    name validate files its messages under."""

    def __init__(self, top: tk.Misc, values: FormValues, on_choice: Callable[[], None]) -> None:
        self.top, self.values, self._on_choice = top, values, on_choice
        self.vars: dict[str, tk.StringVar] = {}
        self.flags: dict[str, tk.BooleanVar] = {}
        self.widgets: dict[str, tk.Widget] = {}
        self.messages: dict[str, ttk.Label] = {}
        self.tab_of: dict[str, int] = {}  # message name -> the tab it is on
        self._focus: dict[str, tk.Widget] = {}  # message name -> the widget to put the cursor in
        self._fields: list[Field] = []

    # -- layout ------------------------------------------------------------------------------------------

    def rows(self, frame: tk.Misc, fields: Iterable[Field], row: int, extras: Mapping[str, Extra]) -> int:
        """Lay ``fields`` out from ``row`` on: label, widget, what ``extras`` adds, then the message. A
        table section (fields with an ``item``) gets a heading and one row per item."""
        headed = False
        for item, group in groupby(fields, key=lambda field: field.item):
            if item:
                items = list(group)
                if not headed:  # the table's column headings: the labels of one item's fields
                    for column, heading in enumerate(("", *(field.label for field in items))):
                        ttk.Label(frame, text=heading).grid(row=row, column=column, sticky="w", padx=(0, 8))
                    row, headed = row + 1, True
                row = self._item_row(frame, items, row)
                continue
            for field in group:
                if field.widget is not Widget.CHECK:
                    ttk.Label(frame, text=field.label).grid(row=row, column=0, sticky="w", padx=(0, 8))
                self._widget(frame, field, row)
                row += 1 + (extras[field.name](frame, row) if field.name in extras else 0)
                if field.message:
                    self.message(frame, field.message, row, field.section.tab if field.section else 0)
                    row += 1
        return row

    def _item_row(self, frame: tk.Misc, fields: list[Field], row: int) -> int:
        ttk.Label(frame, text=fields[0].row).grid(row=row, column=0, sticky="w", padx=(0, 8))
        for column, field in enumerate(fields, start=1):
            entry = ttk.Entry(frame, textvariable=self._text(field), width=field.width)
            entry.grid(row=row, column=column, sticky="w", padx=(0, 8) if column < len(fields) else 0)
            self._bind(field, entry)
        self.message(frame, fields[0].message, row + 1, fields[0].section.tab if fields[0].section else 0, 0)
        return row + 2

    def _widget(self, frame: tk.Misc, field: Field, row: int) -> None:
        if field.widget is Widget.CHECK:
            flag = self.flags[field.name] = tk.BooleanVar(
                master=self.top, value=bool(field.shown(self.values))
            )
            check = ttk.Checkbutton(frame, text=field.label, variable=flag, command=self._on_choice)
            check.grid(row=row, column=0, columnspan=4, sticky="w")
            self._bind(field, check)
        elif field.widget is Widget.RADIOS:
            buttons = ttk.Frame(frame)
            buttons.grid(row=row, column=1, columnspan=3, sticky="w")
            variable = self._text(field)
            for index, (value, label) in enumerate(field.choices):
                button = ttk.Radiobutton(
                    buttons, text=label, value=value, variable=variable, command=self._on_choice
                )
                button.grid(row=0, column=index, sticky="w", padx=(0, 10))
                self.widgets[f"{field.name}:{value}"] = button
            self._fields.append(field)
        elif field.widget in (Widget.SERIES, Widget.LIST):
            listed = field.widget is Widget.LIST
            box = ttk.Combobox(
                frame,
                textvariable=self._text(field),
                width=field.width,
                values=[label for _value, label in field.choices] if listed else [field.get(self.values)],
                state="readonly" if listed else "normal",
            )
            box.grid(row=row, column=1, columnspan=1 if listed else 3, sticky="w")
            self._bind(field, box)
        else:
            entry = ttk.Entry(frame, textvariable=self._text(field), width=field.width)
            entry.grid(row=row, column=1, sticky="ew" if field.widget is Widget.PATH else "w")
            self._bind(field, entry)

    def _text(self, field: Field) -> tk.StringVar:
        var = tk.StringVar(master=self.top, value=str(field.shown(self.values)))
        var.trace_add("write", lambda *_args: self._edited(field))
        self.vars[field.name] = var
        return var

    def _bind(self, field: Field, widget: tk.Widget) -> None:
        self.widgets[field.name] = widget
        self._fields.append(field)
        if field.message:
            self._focus.setdefault(field.message, widget)

    def message(self, frame: tk.Misc, name: str, row: int, tab: int, column: int = 1) -> None:
        label = ttk.Label(frame, foreground=ERROR_COLOUR, wraplength=MESSAGE_WRAP)
        label.grid(row=row, column=column, columnspan=3, sticky="w")
        label.grid_remove()  # takes no room until there is something to say
        self.messages[name], self.tab_of[name] = label, tab

    # -- behaviour ---------------------------------------------------------------------------------------

    def _edited(self, field: Field) -> None:
        """Typing in a field takes its error away: the message was about what stood there before."""
        label = self.messages.get(field.message) if field.message else None
        if label is not None and str(label.cget("foreground")) == ERROR_COLOUR:
            self.set_message(field.message, "")

    def set_message(self, name: str, text: str, colour: str = ERROR_COLOUR) -> None:
        self.messages[name].configure(foreground=colour)
        show_text(self.messages[name], text)

    def collect(self) -> FormValues:
        """The form as the widgets hold it now (into the same FormValues the dialog was opened with)."""
        for field in self._fields:
            flag = self.flags.get(field.name)
            content = flag.get() if flag is not None else self.vars[field.name].get()
            field.put(self.values, field.taken(content))
        return self.values

    def show(self, validation: Validation) -> tuple[int, tk.Widget] | None:
        """Every message (errors red, warnings yellow); the first error's tab and widget, to go to."""
        for name in self.messages:
            error = validation.errors.get(name)
            warning = validation.warnings.get(name)
            self.set_message(name, error or warning or "", ERROR_COLOUR if error else WARNING_COLOUR)
        first = next(iter(validation.errors), None)
        if first is None or first not in self.tab_of:
            return None
        return self.tab_of[first], self._focus.get(first, self.messages[first])
