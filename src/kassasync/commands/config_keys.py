"""The keys of ``settings.json`` that ``kassasync config`` reads and sets, and how each meets the form.

A key the settings dialog has is set *through the dialog's form* (``ui/settings_form.py``): the value
goes into the same ``FormValues`` field the widget fills, and the form's ``validate`` decides, so a
register vendor at a command line meets exactly the rules and Swedish messages a shop owner meets in
the dialog. The few keys the dialog has no field for (where Fortnox is, the login's loopback port) are
checked by the settings model itself. What the login writes (the connected company) is shown, never set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kassasync.config import IntegrationMode, Notifications, Posting, ReceiptsAs, Settings
from kassasync.ui.settings_form import LOG_LEVELS, SCHEDULE_KINDS, FormValues

TRUE_WORDS = frozenset({"true", "ja", "på", "on", "1"})
FALSE_WORDS = frozenset({"false", "nej", "av", "off", "0"})
PAYMENT_NAMES = {"cash": "Kontant", "card": "Kort", "swish": "Swish", "gift_card": "Presentkort"}


class BadValue(ValueError):
    """A value that is not even of the key's kind ("ja" for a number); the message is Swedish."""


FormSetter = Callable[[FormValues, str], None]


@dataclass(frozen=True)
class Key:
    name: str  # dotted path in settings.json, e.g. "schedule.every_minutes"
    kind: str  # what a value looks like, Swedish: "heltal 1–1440", "voucher | invoice"
    meaning: str  # Swedish, one line
    dialog: str  # where the settings dialog sets it ("" when it does not)
    set_form: FormSetter | None = None  # into the dialog's form; None: checked by the model alone
    form_field: str | None = None  # the form's error key for this key (Validation.errors)
    settable: bool = True  # False: written by the login, shown only


def _text(attribute: str) -> FormSetter:
    def set_text(values: FormValues, raw: str) -> None:
        setattr(values, attribute, raw)

    return set_text


def _choice(attribute: str, enum: type[StrEnum]) -> FormSetter:
    def set_choice(values: FormValues, raw: str) -> None:
        setattr(values, attribute, enum(_one_of(raw, [member.value for member in enum])))

    return set_choice


def _literal(attribute: str, allowed: tuple[str, ...], *, upper: bool = False) -> FormSetter:
    def set_literal(values: FormValues, raw: str) -> None:
        setattr(values, attribute, _one_of(raw.upper() if upper else raw, list(allowed)))

    return set_literal


def _flag(attribute: str) -> FormSetter:
    def set_flag(values: FormValues, raw: str) -> None:
        setattr(values, attribute, parse_bool(raw))

    return set_flag


def _payment(method: str, part: str) -> FormSetter:
    def set_payment(values: FormValues, raw: str) -> None:
        (values.payment_accounts if part == "account" else values.payment_modes)[method] = raw

    return set_payment


def _one_of(raw: str, allowed: list[str]) -> str:
    value = raw.strip()
    if value not in allowed:
        raise BadValue(f"Värdet ska vara ett av {', '.join(allowed)}, inte ”{raw}”.")
    return value


def parse_bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(f"Värdet ska vara true eller false (ja/nej), inte ”{raw}”.")


def _enum_kind(enum: type[StrEnum]) -> str:
    return " | ".join(member.value for member in enum)


BOKFORING = "Bokföring"
KEYS: tuple[Key, ...] = (
    Key(
        "company_path",
        "sökväg",
        "kassans företagsfil (kassa.db) eller mappen den ligger i",
        "Kassa och Fortnox → Företagsfil (Bläddra...)",
        _text("company_path"),
        "company_path",
    ),
    Key(
        "integration_mode",
        _enum_kind(IntegrationMode),
        "full: konton, artiklar, priser och kunder hämtas; start: Fortnox Start, bara förvalda konton",
        "Kassa och Fortnox → Integration",
        _choice("integration_mode", IntegrationMode),
    ),
    Key(
        "receipts_as",
        _enum_kind(ReceiptsAs),
        "kvitton som verifikat (voucher) eller betald kundfaktura (invoice)",
        f"{BOKFORING} → Kvitton som",
        _choice("receipts_as", ReceiptsAs),
    ),
    Key(
        "posting",
        _enum_kind(Posting),
        "ett verifikat per kvitto eller ett dagssammandrag per kassa och avslutad dag",
        f"{BOKFORING} → Bokför",
        _choice("posting", Posting),
    ),
    Key(
        "voucher_series",
        "text, 1–10 tecken",
        "verifikationsserien i Fortnox (en manuell serie)",
        f"{BOKFORING} → Verifikationsserie",
        _text("voucher_series"),
        "voucher_series",
    ),
    Key(
        "cash_customer_number",
        "text, 1–20 tecken",
        "kassakundens kundnummer i Fortnox (kundfakturor)",
        f"{BOKFORING} → Kassakund (kundnr)",
        _text("cash_customer_number"),
        "cash_customer_number",
    ),
    Key(
        "stock_module",
        "true | false",
        "Lagermodul: lagersaldot följer försäljningen (kvitton går då som kundfaktura)",
        f"{BOKFORING} → Lagermodul",
        _flag("stock_module"),
    ),
    *(
        key
        for method, name in PAYMENT_NAMES.items()
        for key in (
            Key(
                f"payment_methods.{method}.account",
                "heltal 1000–9999",
                f"kontot som betalningar med {name.lower()} bokförs på",
                f"{BOKFORING} → Betalningssätt → {name}: Konto",
                _payment(method, "account"),
                f"payment:{method}",
            ),
            Key(
                f"payment_methods.{method}.mode_of_payment",
                "text, 1–10 tecken",
                f"betalningssättets kod i Fortnox för {name.lower()} (kundfaktura)",
                f"{BOKFORING} → Betalningssätt → {name}: Betalningssätt i Fortnox",
                _payment(method, "mode"),
                f"payment:{method}",
            ),
        )
    ),
    Key(
        "schedule.kind",
        " | ".join(SCHEDULE_KINDS),
        "när Kassasync synkroniserar av sig själv: aldrig, var N:e minut eller vid fasta tider",
        "Schema och start → Synkronisera",
        _literal("schedule_kind", SCHEDULE_KINDS),
    ),
    Key(
        "schedule.every_minutes",
        "heltal 1–1440",
        "minuter mellan synkroniseringarna (schedule.kind interval)",
        "Schema och start → Minuter",
        _text("every_minutes"),
        "every_minutes",
    ),
    Key(
        "schedule.daily_at",
        "tider TT:MM, kommaseparerade",
        "tiderna för synkronisering varje dag (schedule.kind daily)",
        "Schema och start → Tider (TT:MM)",
        _text("daily_at"),
        "daily_at",
    ),
    Key(
        "autostart",
        "true | false",
        "starta Kassasync när användaren loggar in",
        "Schema och start → Starta med Windows",
        _flag("autostart"),
    ),
    Key(
        "notifications",
        _enum_kind(Notifications),
        "aviseringar: alla, bara fel (och manuella synkroniseringar) eller inga",
        "Schema och start → Aviseringar",
        _choice("notifications", Notifications),
    ),
    Key(
        "log_level",
        " | ".join(LOG_LEVELS),
        "hur mycket loggfilen skriver",
        "Schema och start → Loggnivå",
        _literal("log_level", LOG_LEVELS, upper=True),
    ),
    Key(
        "fortnox.client_id",
        "text",
        "integrationens klient-id i Fortnox (KASSASYNC_CLIENT_ID går före)",
        "Kassa och Fortnox → Klient-id",
        _text("client_id"),
    ),
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


def value_of(settings: Settings, name: str) -> Any:
    """The key's value as settings.json holds it (dotted path into the JSON form)."""
    node: Any = settings.model_dump(mode="json")
    for part in name.split("."):
        node = node[part]
    return node


def shown(value: Any) -> str:
    """A value as a shell user would type it back: lists comma separated, None as (inget)."""
    if value is None:
        return "(inget)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
