"""Fortnox's error bodies, in one place, so the codes and Swedish messages are easy to audit.

Sources: REFERENCE §2.10 (auth errors, recorded traffic), §4.10 (key case varies: PascalCase on 404,
lower case on 400 validation errors), §4.11 (codes). Codes marked UNVERIFIED in REFERENCE §10 are
placeholders (range 2999xxx) so nobody mistakes them for Fortnox's; docs/fortnox-api.md lists them.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Fortnox API error: HTTP status plus the ErrorInformation body."""

    def __init__(self, status: int, code: int, message: str, *, pascal: bool = False) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.pascal = pascal

    def body(self) -> dict[str, Any]:
        if self.pascal:
            return {"ErrorInformation": {"Error": 1, "Message": self.message, "Code": self.code}}
        return {"ErrorInformation": {"error": 1, "message": self.message, "code": self.code}}


def not_found(code: int, message: str) -> ApiError:
    """404s come with PascalCase keys in recorded traffic (REFERENCE §4.10)."""
    return ApiError(404, code, message, pascal=True)


def invalid(code: int, message: str) -> ApiError:
    """400 validation errors come with lower-case keys (REFERENCE §4.10)."""
    return ApiError(400, code, message)


# Verified codes (REFERENCE §4.11).
INVALID_CONTENT_TYPE = (1000031, "Invalid content type")  # REFERENCE §4.1; a vendor's notes, 2026-04
ARTICLE_NOT_FOUND = (2000428, "Kan inte hitta artikeln.")
CUSTOMER_NOT_FOUND = (2000433, "Kan inte hitta kunden.")
INVOICE_NOT_FOUND = (2000434, "Kan inte hitta fakturan.")
TERMS_NOT_FOUND = (2000429, "Kan inte hitta betalningsvillkoret.")
UNIT_NOT_FOUND = (2000432, "Kan inte hitta enheten.")
PRICE_NOT_FOUND = (2000430, "Kan inte hitta priset.")
PRICE_LIST_NOT_FOUND = (2000431, "Kan inte hitta prislistan.")
ACCOUNT_NOT_FOUND = (2000423, "Kunde inte hitta konto")
ACCOUNT_MISSING = (2001304, "Kunde inte hitta konto")
ACCOUNT_INACTIVE = (2000550, "Kontot är inte aktivt")
INVALID_FILTER = (2000587, "Ett ogiltigt filter har använts.")
INVALID_PARAMETER = (2000588, "Ogiltig parameter i anropet.")
CUSTOMER_NUMBER_USED = (
    2000637,
    "Kundnummer {n} används redan. Kundnumret har redan använts men blivit raderat.",
)
NO_IDENTIFIER = (2000729, "A valid identifier was not provided.")
BAD_DATA = (2001392, "Ingen eller felaktig typ av data.")
BAD_JSON = (2002115, "Error deserializing JSON: JSON_ERROR_SYNTAX")
MISSING_SCOPE = (2000663, "Har inte behörighet för scope")
NO_LICENCE = (2001101, "Det finns ingen aktiv licens för önskat scope")
NOT_NUMERIC = (2000108, "Värdet måste vara numeriskt ({value})")
WAREHOUSE_READY_LOCKED = (2003125, "Ett klarmarkerat dokument kan inte ändras")

# UNVERIFIED (REFERENCE §10.1): messages as quoted by connectors' error pages (FIELD.md §4-6),
# codes are placeholders.
VOUCHER_UNBALANCED = (2999001, "Verifikationen är inte i balans.")
NO_FINANCIAL_YEAR = (2999002, "Räkenskapsår saknas för valt datum")
LOCKED_PERIOD = (2999003, "Valt datum är i en låst period")
SERIES_NOT_MANUAL = (2999004, "Verifikationsserien är inte manuell ({code})")
SERIES_MISSING = (2999005, "Verifikationsserien '{code}' finns inte")
VOUCHER_NOT_FOUND = (2999006, "Kan inte hitta verifikationen.")
INVOICE_BOOKED = (2999007, "Fakturan är bokförd och kan inte ändras.")
INVOICE_CANCELLED = (2999008, "Fakturan är makulerad.")
INVOICE_NOT_BOOKED = (2999009, "Fakturan måste vara bokförd innan inbetalningen kan bokföras.")
PAYMENT_NOT_FOUND = (2999010, "Kan inte hitta inbetalningen.")
PAYMENT_BOOKED = (2999011, "Inbetalningen är bokförd och kan inte ändras.")
ARTICLE_EXISTS = (2999012, "Artikelnumret {n} används redan.")
FINANCIAL_YEAR_NOT_FOUND = (2999013, "Kan inte hitta räkenskapsåret.")
PREDEFINED_NOT_FOUND = (2001403, "Kan inte hitta förvalt konto.")
MODE_NOT_FOUND = (2999014, "Kan inte hitta betalsättet.")
SERIES_NOT_FOUND = (2999015, "Kan inte hitta verifikationsserien.")
NO_SUCH_ROUTE = (2999016, "No such route")
INVOICE_NOT_CREDITABLE = (2999017, "Fakturan kan inte krediteras.")
