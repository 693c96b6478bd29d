"""The settings form without Tk: what the widgets hold, the rules between them, validation in Swedish.

The dialog (settings_dialog.py) is a thin view over this; every rule a shop owner can trip over lives
here so it is unit-tested without a display (the IDLE query.py lesson).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kassasync.config import (
    FortnoxSettings,
    IntegrationMode,
    Notifications,
    PaymentMapping,
    Posting,
    ReceiptsAs,
    Schedule,
    Settings,
)
from kassasync.errors import KassasyncError
from kassasync.pos.orgnr import same_organisation
from kassasync.pos.records import Company
from kassasync.ui.company_info import read_company, resolve_company_file
from kassasync.ui.settings_fields import LOG_LEVEL_LABELS, SCHEDULE_KINDS, fill_form

log = logging.getLogger(__name__)

SERIES_BY_FORTNOX = (
    "Med kundfaktura bokför Fortnox i den serie som Fortnox egna inställningar anger, så serien kan "
    "inte väljas här."
)
SUMMARY_NEEDS_VOUCHERS = "Dagssammandrag bokförs som verifikat; med kundfaktura skickas varje kvitto."
SERIES_SEPARATOR = " – "


@dataclass(frozen=True)
class SeriesChoice:
    """A manual voucher series as the list shows it: ``A – Redovisningsverifikationer``."""

    code: str
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.code}{SERIES_SEPARATOR}{self.description}" if self.description else self.code


def series_code(text: str) -> str:
    """The code of what the series box holds: a picked ``A – Redovisningsverifikationer`` or a typed ``a``."""
    return text.split(SERIES_SEPARATOR, 1)[0].split("–", 1)[0].strip().upper()


def log_level_of(label: str) -> str:
    """The stored level for a label the dialog shows (or a level typed as it is stored)."""
    for level, shown in LOG_LEVEL_LABELS.items():
        if label in (shown, level):
            return level
    return "INFO"


@dataclass(frozen=True)
class FortnoxLookups:
    """Questions only Fortnox can answer; None when not connected (then nothing is checked online)."""

    customer_exists: Callable[[str], bool] | None = None
    voucher_series: Callable[[], Sequence[str]] | None = None
    # The same series with their names from Fortnox, for the list; the codes above decide validation.
    series_choices: Callable[[], Sequence[SeriesChoice]] | None = None
    login_lacks_warehouse: Callable[[], bool] | None = None  # the stored login has no warehouse scope


@dataclass
class FormValues:
    """The widgets' contents: text as typed, choices as enums."""

    company_path: str = ""
    integration_mode: IntegrationMode = IntegrationMode.FULL
    receipts_as: ReceiptsAs = ReceiptsAs.VOUCHER
    posting: Posting = Posting.PER_RECEIPT
    voucher_series: str = "F"
    cash_customer_number: str = "1"
    stock_module: bool = False
    schedule_kind: str = "interval"
    every_minutes: str = "15"
    daily_at: str = "21:00"
    autostart: bool = False
    notifications: Notifications = Notifications.FAILURES
    log_level: str = "INFO"
    client_id: str = ""
    payment_accounts: dict[str, str] = field(default_factory=dict)
    payment_modes: dict[str, str] = field(default_factory=dict)
    connected: ConnectedCompany | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, autostart_now: bool) -> FormValues:
        """The dialog shows autostart as it really is, not as the settings file remembers it."""
        tenant = settings.fortnox
        values = cls()
        fill_form(values, settings)  # every field, by the table (settings_fields.py)
        values.autostart = autostart_now
        if tenant.tenant_name and tenant.organisation_number:
            values.connected = ConnectedCompany(tenant.tenant_name, tenant.organisation_number)
        return values


def forced_receipts_as(values: FormValues) -> ReceiptsAs | None:
    """The receipts choice the other settings force (radio disabled and set), or None when it is free."""
    if values.integration_mode is IntegrationMode.START:
        return ReceiptsAs.VOUCHER  # Fortnox Start has no invoicing
    if values.stock_module:
        return ReceiptsAs.INVOICE  # Lagermodul moves stock only through invoices
    return None


def effective_receipts_as(values: FormValues) -> ReceiptsAs:
    return forced_receipts_as(values) or values.receipts_as


def series_choosable(values: FormValues) -> bool:
    """Only vouchers take our series: an invoice's voucher is made by Fortnox in the series Fortnox's own
    settings name (Fortnox's product page; Lagermodul always means invoices)."""
    return effective_receipts_as(values) is ReceiptsAs.VOUCHER


def forced_posting(values: FormValues) -> Posting | None:
    """Dagssammandrag is one voucher per day: with invoices each receipt is posted on its own."""
    return None if series_choosable(values) else Posting.PER_RECEIPT


@dataclass(frozen=True)
class ConnectedCompany:
    """What "Logga in" tells us about the Fortnox company the token belongs to."""

    name: str
    organisation_number: str


def mismatch_warning(company: Company | None, connected: ConnectedCompany | None) -> str | None:
    if company is None or connected is None:
        return None
    if same_organisation(company.organisation_number, connected.organisation_number):
        return None
    return (
        f"Kassan tillhör {company.name} ({company.organisation_number}), men Fortnox är kopplat till "
        f"{connected.name} ({connected.organisation_number}). Logga in på rätt företag."
    )


@dataclass
class Validation:
    settings: Settings | None = None
    errors: dict[str, str] = field(default_factory=dict)  # field -> Swedish message; blocks OK
    warnings: dict[str, str] = field(default_factory=dict)  # shown, does not block
    company: Company | None = None

    @property
    def ok(self) -> bool:
        return self.settings is not None and not self.errors


def validate(values: FormValues, base: Settings, lookups: FortnoxLookups = FortnoxLookups()) -> Validation:
    result = Validation()
    company_path = _company(values, result)
    series = _voucher_series(values, lookups, result)
    customer = _cash_customer(values, lookups, result)
    schedule = _schedule(values, result)
    payments = _payments(values, result)
    warning = mismatch_warning(result.company, values.connected) or _scope_warning(values, lookups)
    if warning:
        result.warnings["fortnox"] = warning
    if result.errors:
        return result
    receipts_as = effective_receipts_as(values)
    fortnox = base.fortnox.model_copy(
        update={
            "client_id": values.client_id.strip() or None,
            "tenant_name": values.connected.name if values.connected else None,
            "organisation_number": values.connected.organisation_number if values.connected else None,
        }
    )
    try:
        result.settings = Settings.model_validate(
            {
                **base.model_dump(),
                "company_path": company_path,
                "fortnox": FortnoxSettings.model_validate(fortnox.model_dump()),
                "integration_mode": values.integration_mode,
                "receipts_as": receipts_as,
                "posting": forced_posting(values) or values.posting,
                "voucher_series": series,
                "cash_customer_number": customer,
                "stock_module": values.stock_module,
                "payment_methods": payments,
                "schedule": schedule,
                "autostart": values.autostart,
                "notifications": values.notifications,
                "log_level": log_level_of(values.log_level),
            }
        )
    except ValidationError as exc:  # a rule above missed something: say so rather than save junk
        log.error("settings form produced invalid settings: %s", exc)
        result.errors["form"] = "Inställningarna kunde inte sparas. Kontrollera fälten."
    return result


NEW_LOGIN_FOR_STOCK = (
    "Ny inloggning behövs: Lagermodul kräver behörighet till lagret, som den nuvarande inloggningen i "
    "Fortnox saknar. Spara och välj sedan ”Logga in”."
)


def _scope_warning(values: FormValues, lookups: FortnoxLookups) -> str | None:
    """Lagermodul turned on after a login without the warehouse scope: say a new login is needed."""
    if not values.stock_module or lookups.login_lacks_warehouse is None:
        return None
    try:
        lacks = lookups.login_lacks_warehouse()
    except KassasyncError as exc:  # the token store unreadable: the sync's own check will say it
        log.warning("could not read the stored login's scopes: %s", exc.detail)
        return None
    return NEW_LOGIN_FOR_STOCK if lacks else None


def _company(values: FormValues, result: Validation) -> Path | None:
    if not values.company_path.strip():
        result.warnings["company_path"] = "Ingen kassafil vald. Synkroniseringen kan inte köras utan den."
        return None
    path = resolve_company_file(values.company_path)
    try:
        result.company = read_company(path)
    except KassasyncError as exc:
        result.errors["company_path"] = exc.user_message
    return path


def _voucher_series(values: FormValues, lookups: FortnoxLookups, result: Validation) -> str:
    series = series_code(values.voucher_series)
    if not series_choosable(values):  # not used with invoices: keep what was there, check nothing
        return series if re.fullmatch(r"[A-ZÅÄÖ0-9]{1,10}", series) else "F"
    if not re.fullmatch(r"[A-ZÅÄÖ0-9]{1,10}", series):
        result.errors["voucher_series"] = "Ange verifikationsserien med bokstäver eller siffror, t.ex. F."
        return series
    if lookups.voucher_series is not None:
        try:
            known = list(lookups.voucher_series())
        except KassasyncError as exc:
            result.warnings["voucher_series"] = f"Serien kunde inte kontrolleras: {exc.user_message}"
            return series
        if series not in known:
            result.errors["voucher_series"] = (
                f"Verifikationsserien {series} finns inte bland de manuella serierna i Fortnox. "
                f"Välj en av: {', '.join(known)}."
            )
    return series


def _cash_customer(values: FormValues, lookups: FortnoxLookups, result: Validation) -> str:
    number = values.cash_customer_number.strip()
    if not number or len(number) > 20:
        result.errors["cash_customer_number"] = "Ange kassakundens kundnummer i Fortnox."
        return number
    if lookups.customer_exists is not None:
        try:
            exists = lookups.customer_exists(number)
        except KassasyncError as exc:
            result.warnings["cash_customer_number"] = f"Kunden kunde inte kontrolleras: {exc.user_message}"
            return number
        if not exists:
            result.errors["cash_customer_number"] = f"Kundnummer {number} finns inte i Fortnox."
    return number


def _schedule(values: FormValues, result: Validation) -> Schedule:
    kind = values.schedule_kind if values.schedule_kind in SCHEDULE_KINDS else "interval"
    minutes_text = values.every_minutes.strip()
    minutes = int(minutes_text) if minutes_text.isdigit() else 0
    if kind == "interval" and not 1 <= minutes <= 24 * 60:
        result.errors["every_minutes"] = "Ange antal minuter mellan 1 och 1440."
    times = tuple(t for t in re.split(r"[,\s;]+", values.daily_at.strip()) if t)
    times = tuple(f"0{t}" if re.fullmatch(r"\d:\d\d", t) else t for t in times)
    bad = [t for t in times if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t)]
    if kind == "daily" and (bad or not times):
        result.errors["daily_at"] = "Ange tider som TT:MM, t.ex. 12:00, 21:00."
    if result.errors.keys() & {"every_minutes", "daily_at"}:
        return Schedule()
    return Schedule(
        kind=kind,
        every_minutes=minutes if 1 <= minutes <= 24 * 60 else 15,
        daily_at=tuple(sorted(set(times))) if times and not bad else ("21:00",),
    )


def _payments(values: FormValues, result: Validation) -> dict[str, PaymentMapping]:
    mappings: dict[str, PaymentMapping] = {}
    for method, account_text in values.payment_accounts.items():
        account = account_text.strip()
        mode = values.payment_modes.get(method, "").strip().upper()
        if not (account.isdigit() and 1000 <= int(account) <= 9999):
            result.errors[f"payment:{method}"] = "Ange ett kontonummer mellan 1000 och 9999."
            continue
        if not 1 <= len(mode) <= 10:
            result.errors[f"payment:{method}"] = "Ange betalningssättets kod i Fortnox (högst 10 tecken)."
            continue
        mappings[method] = PaymentMapping(account=int(account), mode_of_payment=mode)
    return mappings
