"""The settings a shop owner sets, each declared once: its key in settings.json, where the form keeps it,
its label, widget, choices, tab, help text, and the name its validation messages are filed under.

One table, so that a new setting is one row, not six edits: the dialog lays its tabs out from it and
collects and shows through it (``settings_view.py``), ``FormValues.from_settings`` fills the form from it,
and ``kassasync config keys | set`` describe and parse keys by it. The rules *between* fields (Lagermodul
forces invoices, the schedule's kind decides which times count) and the Swedish messages stay in
``settings_form.validate``, which files each message under the field's ``message`` name. Tk-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kassasync.config import (
    DEFAULT_PAYMENT_MAPPING,
    IntegrationMode,
    Notifications,
    Posting,
    ReceiptsAs,
    Settings,
)

if TYPE_CHECKING:
    from kassasync.ui.settings_form import FormValues

SCHEDULE_KINDS = ("off", "interval", "daily")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING")
# What the dialog shows for each stored log level: the stored value stays the English one.
LOG_LEVEL_LABELS = {
    "DEBUG": "Detaljerad (för support)",
    "INFO": "Normal",
    "WARNING": "Bara varningar och fel",
}
PAYMENT_NAMES = {"cash": "Kontant", "card": "Kort", "swish": "Swish", "gift_card": "Presentkort"}
TRUE_WORDS = frozenset({"true", "ja", "på", "on", "1"})
FALSE_WORDS = frozenset({"false", "nej", "av", "off", "0"})
TABS = ("Kassa och Fortnox", "Bokföring", "Schema och start")


class BadValue(ValueError):
    """A typed value that is not even of the field's kind ("ja" for a number); the message is Swedish."""


class Widget(StrEnum):
    PATH = "path"  # an entry with "Bläddra..." beside it
    TEXT = "text"  # an entry
    SERIES = "series"  # an entry with a drop-down list Fortnox fills
    RADIOS = "radios"  # one radio button per choice
    CHECK = "check"  # a check button carrying the label
    LIST = "list"  # a read-only drop-down of the choices' labels
    NONE = "none"  # kept by the form, not shown (support's client id)


@dataclass(frozen=True)
class Section:
    """A labelled frame on a tab. ``named``: a field's place says the section too (a table of rows)."""

    title: str
    tab: int
    named: bool = False


COMPANY = Section("Kassans företag", 0)
FORTNOX = Section("Fortnox", 0)
BOOKING = Section("Bokföring", 1)
PAYMENTS = Section("Betalningssätt", 1, named=True)
SCHEDULE = Section("Schema och start", 2)
SECTIONS = (COMPANY, FORTNOX, BOOKING, PAYMENTS, SCHEDULE)


@dataclass(frozen=True)
class Field:
    key: str  # dotted path in settings.json, e.g. "schedule.every_minutes"
    attribute: str  # the FormValues attribute that holds it
    label: str  # Swedish, as the dialog shows it
    widget: Widget
    section: Section | None  # None: not in the dialog
    kind: str  # Swedish: what a value looks like, "heltal 1–1440"
    meaning: str  # Swedish help text, one line
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    enum: type[StrEnum] | None = None  # the form holds the choice as this enum
    message: str = ""  # the name validate files this field's errors and warnings under
    width: int = 12
    upper: bool = False  # a typed choice is upper-cased first ("debug")
    named: str = ""  # its name in ``place`` when that is not the label
    item: str = ""  # the key in a dict attribute (a payment method), "" for a plain attribute
    row: str = ""  # the row's title in a table section (the payment method's Swedish name)

    @property
    def name(self) -> str:
        """The dialog's handle for the field's widget and variable (what tests reach it by)."""
        return self.key if self.item else self.attribute

    @property
    def place(self) -> str:
        """Where the dialog sets it, e.g. "Bokföring → Betalningssätt → Kort: Konto"; "" when it does not."""
        if self.section is None:
            return ""
        named = self.named or (f"{self.row}: {self.label}" if self.row else self.label)
        section = [self.section.title] if self.section.named else []
        return " → ".join([TABS[self.section.tab], *section, named])

    def get(self, values: FormValues) -> Any:
        held = getattr(values, self.attribute)
        return held.get(self.item, "") if self.item else held

    def put(self, values: FormValues, value: Any) -> None:
        if self.item:
            getattr(values, self.attribute)[self.item] = value
        else:
            setattr(values, self.attribute, value)

    def shown(self, values: FormValues) -> str | bool:
        """What the widget holds for the form's value: a choice's label in a list, a flag as a bool."""
        value = self.get(values)
        if self.widget is Widget.CHECK:
            return bool(value)
        if self.widget is Widget.LIST:
            labels = dict(self.choices)
            return labels.get(str(value)) or labels[str(setting_value(Settings(), self.key))]
        return str(value)

    def taken(self, content: str | bool) -> Any:
        """The form's value for what the widget holds (the inverse of ``shown``)."""
        if self.widget is Widget.CHECK:
            return bool(content)
        text = str(content)
        if self.widget is Widget.LIST:
            by_label = {label: value for value, label in self.choices}
            return by_label.get(text, text)
        return self.enum(text) if self.enum is not None else text

    def from_setting(self, value: Any) -> Any:
        """The form's value for what settings.json holds (times as "12:00, 21:00", no path as "")."""
        if value is None:
            return ""
        if isinstance(value, bool) or self.widget is Widget.CHECK:
            return bool(value)
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return self.enum(value) if self.enum is not None else str(value)

    def parse(self, raw: str) -> Any:
        """The form's value for a value typed at a command line; BadValue when it is not of the kind."""
        if self.widget is Widget.CHECK:
            return parse_bool(raw)
        if not self.choices:
            return raw
        allowed = [value for value, _label in self.choices]
        value = (raw.upper() if self.upper else raw).strip()
        if value not in allowed:
            raise BadValue(f"Värdet ska vara ett av {', '.join(allowed)}, inte ”{raw}”.")
        return self.enum(value) if self.enum is not None else value


def parse_bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(f"Värdet ska vara true eller false (ja/nej), inte ”{raw}”.")


def setting_value(settings: Settings, key: str) -> Any:
    """The key's value as settings.json holds it (a dotted path into the JSON form)."""
    node: Any = settings.model_dump(mode="json")
    for part in key.split("."):
        node = node[part]
    return node


def _choices(labels: Mapping[Any, str]) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), label) for value, label in labels.items())


def _kind(choices: Iterable[tuple[str, str]]) -> str:
    return " | ".join(value for value, _label in choices)


def _radios(
    key: str, attribute: str, label: str, section: Section, meaning: str, labels: Mapping[Any, str]
) -> Field:
    choices = _choices(labels)
    first = next(iter(labels))
    enum = type(first) if isinstance(first, StrEnum) else None
    return Field(key, attribute, label, Widget.RADIOS, section, _kind(choices), meaning, choices, enum)


def payment_fields(method: str) -> tuple[Field, Field]:
    """A payment method's row: its account and its Fortnox mode of payment, one message for both."""
    name = PAYMENT_NAMES.get(method, method)
    message, key = f"payment:{method}", f"payment_methods.{method}"
    account = Field(
        f"{key}.account",
        "payment_accounts",
        "Konto",
        Widget.TEXT,
        PAYMENTS,
        "heltal 1000–9999",
        f"kontot som betalningar med {name.lower()} bokförs på",
        message=message,
        width=6,
        item=method,
        row=name,
    )
    mode = Field(
        f"{key}.mode_of_payment",
        "payment_modes",
        "Betalningssätt i Fortnox",
        Widget.TEXT,
        PAYMENTS,
        "text, 1–10 tecken",
        f"betalningssättets kod i Fortnox för {name.lower()} (kundfaktura)",
        message=message,
        width=10,
        item=method,
        row=name,
    )
    return account, mode


_BEFORE_PAYMENTS = (
    Field(
        "company_path",
        "company_path",
        "Företagsfil",
        Widget.PATH,
        COMPANY,
        "sökväg",
        "kassans företagsfil (kassa.db) eller mappen den ligger i",
        message="company_path",
        width=44,
        named="Företagsfil (Bläddra...)",
    ),
    _radios(
        "integration_mode",
        "integration_mode",
        "Integration",
        FORTNOX,
        "full: konton, artiklar, priser och kunder hämtas; start: Fortnox Start, bara förvalda konton",
        {IntegrationMode.FULL: "Fullständig", IntegrationMode.START: "Fortnox Start"},
    ),
    Field(
        "stock_module",
        "stock_module",
        "Lagermodul (lagersaldo följer försäljningen)",
        Widget.CHECK,
        BOOKING,
        "true | false",
        "Lagermodul: lagersaldot följer försäljningen (kvitton går då som kundfaktura)",
        named="Lagermodul",
    ),
    _radios(
        "receipts_as",
        "receipts_as",
        "Kvitton som",
        BOOKING,
        "kvitton som verifikat (voucher) eller betald kundfaktura (invoice)",
        {ReceiptsAs.VOUCHER: "Verifikat", ReceiptsAs.INVOICE: "Kundfaktura"},
    ),
    _radios(
        "posting",
        "posting",
        "Bokför",
        BOOKING,
        "ett verifikat per kvitto eller ett dagssammandrag per kassa och avslutad dag",
        {Posting.PER_RECEIPT: "Varje kvitto", Posting.DAILY_SUMMARY: "Dagssammandrag"},
    ),
    Field(
        "voucher_series",
        "voucher_series",
        "Verifikationsserie",
        Widget.SERIES,
        BOOKING,
        "text, 1–10 tecken",
        "verifikationsserien i Fortnox (en manuell serie)",
        message="voucher_series",
        width=34,
    ),
    Field(
        "cash_customer_number",
        "cash_customer_number",
        "Kassakund (kundnr)",
        Widget.TEXT,
        BOOKING,
        "text, 1–20 tecken",
        "kassakundens kundnummer i Fortnox (kundfakturor)",
        message="cash_customer_number",
    ),
)
_AFTER_PAYMENTS = (
    _radios(
        "schedule.kind",
        "schedule_kind",
        "Synkronisera",
        SCHEDULE,
        "när Kassasync synkroniserar av sig själv: aldrig, var N:e minut eller vid fasta tider",
        {"off": "Av", "interval": "Var N:e minut", "daily": "Dagligen vid"},
    ),
    Field(
        "schedule.every_minutes",
        "every_minutes",
        "Minuter",
        Widget.TEXT,
        SCHEDULE,
        "heltal 1–1440",
        "minuter mellan synkroniseringarna (schedule.kind interval)",
        message="every_minutes",
        width=6,
    ),
    Field(
        "schedule.daily_at",
        "daily_at",
        "Tider (TT:MM)",
        Widget.TEXT,
        SCHEDULE,
        "tider TT:MM, kommaseparerade",
        "tiderna för synkronisering varje dag (schedule.kind daily)",
        message="daily_at",
        width=20,
    ),
    Field(
        "autostart",
        "autostart",
        "Starta med Windows",
        Widget.CHECK,
        SCHEDULE,
        "true | false",
        "starta Kassasync när användaren loggar in",
    ),
    _radios(
        "notifications",
        "notifications",
        "Aviseringar",
        SCHEDULE,
        "aviseringar: alla, bara fel (och manuella synkroniseringar) eller inga",
        {
            Notifications.ALL: "Alla",
            Notifications.FAILURES: "Bara fel (och manuella)",
            Notifications.OFF: "Av (utom manuella och nya fel)",
        },
    ),
    Field(
        "log_level",
        "log_level",
        "Loggnivå",
        Widget.LIST,
        SCHEDULE,
        _kind(_choices(LOG_LEVEL_LABELS)),
        "hur mycket loggfilen skriver",
        _choices(LOG_LEVEL_LABELS),
        width=24,
        upper=True,
    ),
    # No "Klient-id" in the dialog: the id comes with the program (fortnox/baked.py); support sets one here.
    Field(
        "fortnox.client_id",
        "client_id",
        "Klient-id",
        Widget.NONE,
        None,
        "text",
        "integrationens klient-id i Fortnox (KASSASYNC_CLIENT_ID går före)",
    ),
)


def form_fields(methods: Iterable[str]) -> tuple[Field, ...]:
    """The table, with a payment row for each of ``methods`` (the settings' own, in their order)."""
    payments = tuple(field for method in methods for field in payment_fields(method))
    return (*_BEFORE_PAYMENTS, *payments, *_AFTER_PAYMENTS)


FIELDS = form_fields(DEFAULT_PAYMENT_MAPPING)


def fill_form(values: FormValues, settings: Settings) -> None:
    """Every field of the form as ``settings`` holds it."""
    for field in form_fields(settings.payment_methods):
        field.put(values, field.from_setting(setting_value(settings, field.key)))
