"""The user's settings: a pydantic model saved atomically as JSON.

Settings are the user's choices; secrets never live here (tokens are in the token store) and neither does
sync state (cursors and posting states are in the company file). A settings file that cannot be read is
never overwritten: loading raises ``ConfigError`` with a Swedish message, and a later save first moves
the unreadable file aside so the user (or support) still has it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from kassasync.atomic import write_atomically
from kassasync.errors import ConfigError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FORTNOX_API_URL = "https://api.fortnox.se/3"
FORTNOX_AUTH_URL = "https://apps.fortnox.se/oauth-v1"


class IntegrationMode(StrEnum):
    FULL = "full"
    START = "start"  # Fortnox Start: only predefined accounts are pulled; everything posts as vouchers


class ReceiptsAs(StrEnum):
    VOUCHER = "voucher"
    INVOICE = "invoice"


class Posting(StrEnum):
    PER_RECEIPT = "per_receipt"
    DAILY_SUMMARY = "daily_summary"


class Notifications(StrEnum):
    ALL = "all"
    FAILURES = "failures"  # scheduled successes stay quiet; failures and manual syncs always report
    OFF = "off"


def _check_hhmm(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError(f"time must be HH:MM, not {value!r}")
    return value


HourMinute = Annotated[str, AfterValidator(_check_hhmm)]


class Schedule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["off", "interval", "daily"] = "interval"
    every_minutes: int = Field(default=15, ge=1, le=24 * 60)
    daily_at: tuple[HourMinute, ...] = ("21:00",)


class PaymentMapping(BaseModel):
    """Where a register payment method is booked, and its Fortnox mode of payment (invoice path)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account: int = Field(ge=1000, le=9999)
    mode_of_payment: str = Field(min_length=1, max_length=10)


DEFAULT_PAYMENT_MAPPING: dict[str, PaymentMapping] = {
    "cash": PaymentMapping(account=1910, mode_of_payment="KONT"),
    "card": PaymentMapping(account=1580, mode_of_payment="KORT"),
    "swish": PaymentMapping(account=1930, mode_of_payment="SWISH"),
    "gift_card": PaymentMapping(account=2421, mode_of_payment="PRESENT"),
}


DEFAULT_REDIRECT_PORT = 47163


class FortnoxSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    api_url: str = FORTNOX_API_URL
    auth_url: str = FORTNOX_AUTH_URL
    client_id: str | None = None
    # Fortnox accepts only the redirect URI registered for the integration, so the port is fixed:
    # http://127.0.0.1:47163/callback (docs/deployment.md). 0 = any free port (the sandbox, tests).
    redirect_port: int = Field(
        default=DEFAULT_REDIRECT_PORT, ge=0, le=65535, description="0: any free loopback port"
    )
    tenant_name: str | None = None
    organisation_number: str | None = None


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = SCHEMA_VERSION
    company_path: Path | None = None
    fortnox: FortnoxSettings = FortnoxSettings()
    integration_mode: IntegrationMode = IntegrationMode.FULL
    receipts_as: ReceiptsAs = ReceiptsAs.VOUCHER
    posting: Posting = Posting.PER_RECEIPT
    voucher_series: str = Field(default="F", min_length=1, max_length=10)
    cash_customer_number: str = Field(default="1", min_length=1, max_length=20)
    stock_module: bool = False
    payment_methods: dict[str, PaymentMapping] = Field(default_factory=lambda: dict(DEFAULT_PAYMENT_MAPPING))
    schedule: Schedule = Schedule()
    autostart: bool = False
    notifications: Notifications = Notifications.FAILURES
    log_level: Literal["DEBUG", "INFO", "WARNING"] = "INFO"

    @property
    def effective_receipts_as(self) -> ReceiptsAs:
        """Lagermodul moves stock only through invoices; Fortnox Start posts everything as vouchers."""
        if self.integration_mode is IntegrationMode.START:
            return ReceiptsAs.VOUCHER
        if self.stock_module:
            return ReceiptsAs.INVOICE
        return self.receipts_as


def load_settings(path: Path) -> Settings:
    """The saved settings, or the defaults when there is no file yet."""
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Settings.model_validate(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(
            f"settings file {path} is unreadable or invalid: {exc}",
            user_message=(
                f"Inställningsfilen {path} är skadad eller ogiltig och används inte. "
                "Den lämnas orörd; öppna inställningarna och spara dem på nytt."
            ),
        ) from exc


def save_settings(settings: Settings, path: Path) -> None:
    """Atomically (kassasync.atomic); an unreadable file is moved aside first, kept for support."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        try:
            load_settings(path)
        except ConfigError:
            aside = path.with_name(f"{path.name}.unreadable-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(path, aside)
            log.warning("moved the unreadable settings file aside to %s before saving", aside)
    write_atomically(path, settings.model_dump_json(indent=2), private=True)


def with_fortnox_company(settings: Settings, name: str, organisation_number: str) -> Settings:
    """The settings remembering the Fortnox company a login connected (the login's caller stores it)."""
    fortnox = settings.fortnox.model_copy(
        update={"tenant_name": name, "organisation_number": organisation_number}
    )
    return settings.model_copy(update={"fortnox": fortnox})


def without_fortnox_company(settings: Settings) -> Settings:
    """The settings after "Logga ut": no Fortnox company remembered."""
    fortnox = settings.fortnox.model_copy(update={"tenant_name": None, "organisation_number": None})
    return settings.model_copy(update={"fortnox": fortnox})
