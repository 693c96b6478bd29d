"""The account plan: BAS by default, the company's predefined accounts and the settings override it."""

from __future__ import annotations

from kassasync.config import DEFAULT_PAYMENT_MAPPING, PaymentMapping
from kassasync.pos.models import PaymentMethod
from kassasync.sync.accounts import AccountPlan

EASY_VAT = {
    "SALES_25_SE": 3011, "SALES_12_SE": 3012, "SALES_6_SE": 3013, "SALES_0_SE": 3014,
    "OUTVAT_MP1": 2610, "OUTVAT_MP2": 2620, "OUTVAT_MP3": 2630,
    "CASH": 1911, "ROUNDOFF": 3741, "CUSTCLAIM": 1511,
}  # fmt: skip
OLD_NAMES = {"SALES": 3051, "SALES_MP2": 3052, "SALES_MP3": 3053, "SALES_NOVAT": 3054, "OUTVAT_MP1": 2611}


def test_bas_defaults_are_the_roles_of_the_rules() -> None:
    plan = AccountPlan.bas_defaults()
    assert [plan.payment_account(m) for m in PaymentMethod] == [1910, 1580, 1930, 2421]
    assert [plan.sales_account(rate) for rate in (25, 12, 6, 0)] == [3001, 3002, 3003, 3004]
    assert [plan.output_vat_account(rate) for rate in (25, 12, 6)] == [2611, 2621, 2631]
    assert (plan.gift_card_liability, plan.receivables, plan.rounding) == (2421, 1510, 3740)


def test_the_companys_easy_vat_predefined_accounts_replace_bas() -> None:
    plan = AccountPlan.from_company(EASY_VAT)
    assert [plan.sales_account(rate) for rate in (25, 12, 6, 0)] == [3011, 3012, 3013, 3014]
    assert [plan.output_vat_account(rate) for rate in (25, 12, 6)] == [2610, 2620, 2630]
    assert (plan.payment_account(PaymentMethod.CASH), plan.rounding, plan.receivables) == (1911, 3741, 1511)


def test_the_older_predefined_names_are_understood_too() -> None:
    plan = AccountPlan.from_company(OLD_NAMES)
    assert [plan.sales_account(rate) for rate in (25, 12, 6, 0)] == [3051, 3052, 3053, 3054]


def test_an_unset_predefined_account_zero_keeps_the_bas_default() -> None:
    plan = AccountPlan.from_company({"SALES_25_SE": 0, "ROUNDOFF": 0})
    assert (plan.sales_account(25), plan.rounding) == (3001, 3740)


def test_the_settings_payment_mapping_wins_over_the_predefined_cash_account() -> None:
    mapping = dict(DEFAULT_PAYMENT_MAPPING) | {"swish": PaymentMapping(account=1940, mode_of_payment="SW")}
    plan = AccountPlan.from_company({"CASH": 1911}, mapping)
    assert plan.payment_account(PaymentMethod.CASH) == 1910
    assert plan.payment_account(PaymentMethod.SWISH) == 1940
    assert plan.mode_of_payment(PaymentMethod.SWISH) == "SW"


def test_accounts_used_names_every_account_preflight_must_find_active() -> None:
    plan = AccountPlan.from_company({})
    assert plan.accounts_used() == {
        1910, 1580, 1930, 2421, 3001, 3002, 3003, 3004, 2611, 2621, 2631, 1510, 3740,
    }  # fmt: skip


def test_each_rates_sales_account_is_expected_to_carry_fortnoxs_vat_code() -> None:
    assert AccountPlan.bas_defaults().expected_vat_codes() == {
        3001: "MP1",
        3002: "MP2",
        3003: "MP3",
        3004: "MF",
    }
