"""The keys of ``settings.json`` that ``kassasync config`` reads and sets, and how each meets the form.

The keys the settings dialog has come from its field table (``ui/settings_fields.py``): their type,
meaning and place in the dialog are the table's, and a value is set *through the dialog's form*: it goes
into the same ``FormValues`` field the widget fills, and the form's ``validate`` decides, so a register
vendor at a command line meets exactly the rules and Swedish messages a shop owner meets in the dialog.
The few keys the dialog has no field for (where Fortnox is, the login's loopback port) are checked by the
settings model itself. What the login writes (the connected company) is shown, never set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from kassasync.ui.settings_fields import FIELDS, BadValue, Field, setting_value
from kassasync.ui.settings_form import FormValues

__all__ = ["BY_NAME", "KEYS", "BadValue", "Key", "key_of_message", "shown", "value_of"]

FormSetter = Callable[[FormValues, str], None]


@dataclass(frozen=True)
class Key:
    name: str  # dotted path in settings.json, e.g. "schedule.every_minutes"
    kind: str  # what a value looks like, Swedish: "heltal 1–1440", "voucher | invoice"
    meaning: str  # Swedish, one line
    dialog: str  # where the settings dialog sets it ("" when it does not)
    set_form: FormSetter | None = None  # into the dialog's form; None: checked by the model alone
    form_field: str | None = None  # the form's message name for this key (Validation.errors)
    settable: bool = True  # False: written by the login, shown only


def _setter(field: Field) -> FormSetter:
    def set_field(values: FormValues, raw: str) -> None:
        field.put(values, field.parse(raw))

    return set_field


def _of_field(field: Field) -> Key:
    return Key(field.key, field.kind, field.meaning, field.place, _setter(field), field.message or None)


KEYS: tuple[Key, ...] = (
    *(_of_field(field) for field in FIELDS),
    Key("fortnox.api_url", "URL", "Fortnox API (ändras bara för sandlådan)", ""),
    Key("fortnox.auth_url", "URL", "Fortnox inloggning (ändras bara för sandlådan)", ""),
    Key(
        "fortnox.redirect_port",
        "heltal 0–65535",
        "inloggningens port på 127.0.0.1 (47163 är registrerad hos Fortnox; 0: valfri, sandlådan)",
        "",
    ),
    Key(
        "fortnox.tenant_name",
        "text",
        "Fortnox-företaget inloggningen gäller",
        "(sätts av Logga in)",
        settable=False,
    ),
    Key(
        "fortnox.organisation_number",
        "text",
        "Fortnox-företagets organisationsnummer",
        "(sätts av Logga in)",
        settable=False,
    ),
)
BY_NAME = {key.name: key for key in KEYS}
value_of = setting_value


def key_of_message(message: str) -> str:
    """The key a form message is about, for the command line: a payment method's one message for its
    two keys is the keys' common part ("payment_methods.cash")."""
    names = [key.name.split(".") for key in KEYS if key.form_field == message]
    if not names:
        return "inställningarna" if message == "form" else message
    common = takewhile(lambda parts: len(set(parts)) == 1, zip(*names, strict=False))
    return ".".join(parts[0] for parts in common)


def shown(value: Any) -> str:
    """A value as a shell user would type it back: lists comma separated, None as (inget)."""
    if value is None:
        return "(inget)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
