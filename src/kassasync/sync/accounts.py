"""Which account each part of a sale is booked on: the company's account plan for register sales.

Defaults are the BAS chart's (BAS 2022 table [S1]); a Fortnox company may use other numbers, so the plan is
built from the company's predefined accounts ("förvalda konton", ``GET /3/predefinedaccounts`` [S5, S6];
both the EasyVat names ``SALES_25_SE…`` and the older ``SALES``/``SALES_MP2…`` family), then from the
shop's payment-method mapping in the settings ("Betalningssätt"). Gift cards (2421) and Swish have no
predefined account for register use and come from BAS or the settings.

Sources (numbered as in ``docs/sources/DETAIL.md`` §9): [S1] BAS 2022 Kontoplan; [S5] Fortnox
predefined account names (softwerkab/fortnox-csharp-api-sdk); [S6] a real tenant's predefined accounts
and VAT codes (notima/fortnox4j); [S16, S17] Skatteverket and FAR on multi-purpose vouchers on 2421.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from kassasync.config import PaymentMapping
from kassasync.errors import ItemFailed
from kassasync.pos.models import PaymentMethod

BAS_SALES: Mapping[int, int] = MappingProxyType({25: 3001, 12: 3002, 6: 3003, 0: 3004})
BAS_OUTPUT_VAT: Mapping[int, int] = MappingProxyType({25: 2611, 12: 2621, 6: 2631})
BAS_PAYMENTS: Mapping[PaymentMethod, int] = MappingProxyType(
    {
        PaymentMethod.CASH: 1910,
        PaymentMethod.CARD: 1580,
        PaymentMethod.SWISH: 1930,
        PaymentMethod.GIFT_CARD: 2421,
    }
)
PAYMENT_NAMES: Mapping[PaymentMethod, str] = MappingProxyType(
    {
        PaymentMethod.CASH: "kontant",
        PaymentMethod.CARD: "kort",
        PaymentMethod.SWISH: "Swish",
        PaymentMethod.GIFT_CARD: "presentkort",
    }
)

# Predefined-account names per role, preferred first: EasyVat names, then the older family [S5, S6].
PREDEFINED_SALES: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {
        25: ("SALES_25_SE", "SALES"),
        12: ("SALES_12_SE", "SALES_MP2"),
        6: ("SALES_6_SE", "SALES_MP3"),
        0: ("SALES_0_SE", "SALES_MP0", "SALES_NOVAT"),
    }
)
PREDEFINED_OUTPUT_VAT: Mapping[int, str] = MappingProxyType(
    {25: "OUTVAT_MP1", 12: "OUTVAT_MP2", 6: "OUTVAT_MP3"}
)

# Fortnox VAT codes a sales account should carry for its rate (pre-flight can compare) [S6].
SALES_VAT_CODES: Mapping[int, str] = MappingProxyType({25: "MP1", 12: "MP2", 6: "MP3", 0: "MF"})


K = TypeVar("K")
V = TypeVar("V")


def _frozen(mapping: Mapping[K, V]) -> Mapping[K, V]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class AccountPlan:
    """Account numbers by role. Build it with ``bas_defaults()`` or ``from_company(...)``."""

    payments: Mapping[PaymentMethod, int] = field(default_factory=lambda: BAS_PAYMENTS)
    modes_of_payment: Mapping[PaymentMethod, str] = field(default_factory=lambda: MappingProxyType({}))
    sales: Mapping[int, int] = field(default_factory=lambda: BAS_SALES)
    output_vat: Mapping[int, int] = field(default_factory=lambda: BAS_OUTPUT_VAT)
    gift_card_liability: int = 2421
    receivables: int = 1510
    rounding: int = 3740

    @classmethod
    def bas_defaults(cls) -> AccountPlan:
        return cls()

    @classmethod
    def from_company(
        cls,
        predefined: Mapping[str, int],
        payment_methods: Mapping[str, PaymentMapping] | None = None,
    ) -> AccountPlan:
        """BAS, overridden by the company's predefined accounts, then by the settings' payment mapping.

        ``predefined`` is ``{Name: Account}`` from ``GET /3/predefinedaccounts``; ``Account`` 0 means "not
        set" in Fortnox and is ignored. ``payment_methods`` is ``Settings.payment_methods`` (keys are
        ``PaymentMethod`` values).
        """
        known = {name: account for name, account in predefined.items() if account}

        def pick(names: tuple[str, ...], default: int) -> int:
            return next((known[name] for name in names if name in known), default)

        payments = dict(BAS_PAYMENTS)
        payments[PaymentMethod.CASH] = pick(("CASH",), payments[PaymentMethod.CASH])
        modes: dict[PaymentMethod, str] = {}
        for method in PaymentMethod:
            mapping = (payment_methods or {}).get(method.value)
            if mapping is not None:
                payments[method] = mapping.account
                modes[method] = mapping.mode_of_payment
        sales = {rate: pick(names, BAS_SALES[rate]) for rate, names in PREDEFINED_SALES.items()}
        vat = {rate: pick((name,), BAS_OUTPUT_VAT[rate]) for rate, name in PREDEFINED_OUTPUT_VAT.items()}
        return cls(
            payments=_frozen(payments),
            modes_of_payment=_frozen(modes),
            sales=_frozen(sales),
            output_vat=_frozen(vat),
            receivables=pick(("CUSTCLAIM",), 1510),
            rounding=pick(("ROUNDOFF",), 3740),
        )

    def payment_account(self, method: PaymentMethod) -> int:
        return self.payments[method]

    def mode_of_payment(self, method: PaymentMethod) -> str:
        """The Fortnox mode-of-payment code for the invoice path; a missing mapping is a setup error."""
        try:
            return self.modes_of_payment[method]
        except KeyError:
            raise ItemFailed(
                f"no Fortnox mode of payment is mapped for payment method {method.value}",
                user_message=(
                    f"Betalningssättet {PAYMENT_NAMES[method]} saknar koppling till ett betalningssätt i "
                    "Fortnox. Ange det under Betalningssätt i Kassasyncs inställningar."
                ),
            ) from None

    def sales_account(self, vat_rate: int) -> int:
        """The company's sales account for the rate (its predefined account, else BAS)."""
        return self.sales[vat_rate]

    def output_vat_account(self, vat_rate: int) -> int:
        return self.output_vat[vat_rate]

    def accounts_used(self) -> frozenset[int]:
        """Every account this plan can post to: pre-flight checks each exists and is active."""
        accounts = {
            *self.payments.values(),
            *self.sales.values(),
            *self.output_vat.values(),
            self.gift_card_liability,
            self.receivables,
            self.rounding,
        }
        return frozenset(accounts)

    def expected_vat_codes(self) -> dict[int, str]:
        """Fortnox VAT code each rate's predefined sales account should carry (MP1/MP2/MP3/MF) [S6]."""
        return {self.sales[rate]: code for rate, code in SALES_VAT_CODES.items()}
