"""``kassasync config show | set | keys``: the settings without the dialog, for a vendor or support.

``set`` changes one key and then validates the whole form exactly as the dialog's OK does
(``ui/settings_form.validate``, with the same Fortnox checks when a company is connected), so the
errors are the dialog's, word for word. Nothing is written unless every rule passes; then the one
settings writer (the process's ``SettingsStore``, atomic) writes it. Exit codes: 0 saved (or shown); 1 the
value was refused (the reason on stderr); 2 the settings file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pydantic import ValidationError

from kassasync.app.compose import Composition
from kassasync.config import ReceiptsAs, Settings
from kassasync.errors import ConfigError
from kassasync.platform.autostart import reconcile
from kassasync.ui.settings_form import FormValues, FortnoxLookups, forced_receipts_as, validate

from .config_keys import BY_NAME, KEYS, BadValue, Key, key_of_message, shown, value_of

SECRETS_NOTE = (
    "Klienthemligheten och inloggningen i Fortnox sparas aldrig i settings.json och visas inte "
    "(kassasync status visar inloggningen)."
)
FORCED = {
    ReceiptsAs.INVOICE: "Med Lagermodul (stock_module true) skickas kvitton alltid som kundfaktura.",
    ReceiptsAs.VOUCHER: "Med Fortnox Start (integration_mode start) skickas kvitton alltid som verifikat.",
}


def register(subparsers: Any) -> None:
    config = subparsers.add_parser("config", help="visa eller ändra inställningarna utan dialogen")
    actions = config.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
    show = actions.add_parser("show", help="alla inställningar med sina värden")
    show.add_argument("--all", action="store_true", help="med varje nyckels typ, betydelse och fält")
    show.set_defaults(handler=_show)
    keys = actions.add_parser("keys", help="nycklarna: typ, betydelse och fältet i inställningsdialogen")
    keys.set_defaults(handler=_keys)
    change = actions.add_parser("set", help="ändra en inställning, kontrollerad som i dialogen")
    change.add_argument("key", metavar="NYCKEL", help="t.ex. schedule.every_minutes (se config keys)")
    change.add_argument("value", metavar="VÄRDE")
    change.add_argument(
        "--offline", action="store_true", help="kontrollera inte kassakund och serie mot Fortnox"
    )
    change.set_defaults(handler=_set)


def _load(args: argparse.Namespace) -> tuple[Settings, Composition] | None:
    root = Composition(args.environment)
    root.paths.ensure()
    try:
        return root.settings.load(), root
    except ConfigError as exc:
        print(exc.user_message, file=sys.stderr)
        return None


def _show(args: argparse.Namespace) -> int:
    loaded = _load(args)
    if loaded is None:
        return 2
    settings, root = loaded
    print(f"# {root.paths.settings_file}")
    width = max(len(key.name) for key in KEYS)
    for key in KEYS:
        print(f"{key.name:<{width}}  {shown(value_of(settings, key.name))}")
        if args.all:
            print(f"{'':<{width}}    {_described(key)}")
    print(f"# {SECRETS_NOTE}")
    return 0


def _keys(args: argparse.Namespace) -> int:
    for key in KEYS:
        print(key.name)
        print(f"    {_described(key)}")
    return 0


def _described(key: Key) -> str:
    where = f"; i dialogen: {key.dialog}" if key.dialog else ""
    return f"{key.kind}: {key.meaning}{where}"


def _set(args: argparse.Namespace) -> int:
    key = BY_NAME.get(args.key)
    if key is None:
        print(f"Okänd inställning ”{args.key}”. Se kassasync config keys.", file=sys.stderr)
        return 1
    if not key.settable:
        print(f"{key.name} sätts av inloggningen (kassasync login) och ändras inte här.", file=sys.stderr)
        return 1
    loaded = _load(args)
    if loaded is None:
        return 2
    settings, root = loaded
    try:
        if key.set_form is None:
            chosen = _through_model(key, args.value, settings)
        else:
            chosen = _through_form(key, args.value, settings, root, offline=args.offline)
    except BadValue as exc:
        print(f"{key.name}: {exc}", file=sys.stderr)
        return 1
    except _Refused as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 1
    root.settings.replace(chosen)
    if chosen.autostart != settings.autostart:  # as the dialog's OK: the real autostart follows
        reconcile(chosen.autostart, *root.autostart())
    for name, before, after in _changes(settings, chosen):
        print(f"{name}: {shown(before)} → {shown(after)}")
    if chosen == settings:
        print(f"{key.name} var redan {shown(value_of(settings, key.name))}; inget ändrat.")
    return 0


class _Refused(Exception):
    """The form's rules said no: the Swedish lines to print, nothing is written."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


def _through_form(key: Key, raw: str, settings: Settings, root: Composition, *, offline: bool) -> Settings:
    """Set the value where the dialog's widget would, then validate the whole form as OK does."""
    assert key.set_form is not None
    values = FormValues.from_settings(settings, autostart_now=settings.autostart)
    key.set_form(values, raw)
    forced = forced_receipts_as(values)
    if key.name == "receipts_as" and forced is not None and values.receipts_as is not forced:
        raise _Refused([f"{key.name}: {FORCED[forced]}"])
    lookups = FortnoxLookups() if offline else root.fortnox_link.lookups(settings)
    result = validate(values, settings, lookups)
    for field, warning in result.warnings.items():  # the key's own, and the Fortnox ones (wrong company)
        if _key_of(field) == key.name or field == "fortnox":
            print(f"{_key_of(field)}: {warning}", file=sys.stderr)
    if result.errors or result.settings is None:
        raise _Refused([f"{_key_of(field)}: {message}" for field, message in result.errors.items()])
    return result.settings


def _through_model(key: Key, raw: str, settings: Settings) -> Settings:
    """Keys the dialog has no field for: the settings model's own rules decide."""
    section, _, name = key.name.partition(".")
    current = value_of(settings, key.name)
    value: Any = raw
    if isinstance(current, int) and not isinstance(current, bool):
        if not raw.strip().isdigit():
            raise BadValue(f"Ange ett heltal, inte ”{raw}”.")
        value = int(raw)
    data = settings.model_dump(mode="json")
    data[section][name] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise BadValue(f"Värdet ”{raw}” är inte tillåtet ({key.kind}).") from exc


def _key_of(field: str) -> str:
    """The key name for a message of the form (the field table names each key's message)."""
    return key_of_message(field)


def _changes(before: Settings, after: Settings) -> list[tuple[str, Any, Any]]:
    """Every key whose value the change moved (one ``set`` may move others: Lagermodul → kundfaktura)."""
    return [
        (key.name, value_of(before, key.name), value_of(after, key.name))
        for key in KEYS
        if value_of(before, key.name) != value_of(after, key.name)
    ]
