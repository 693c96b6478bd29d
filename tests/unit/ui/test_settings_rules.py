"""The Bokföring tab's rules and the Swedish log levels, without a display: the form decides, the dialog
only shows (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kassasync.config import IntegrationMode, Posting, ReceiptsAs, Settings
from kassasync.pos.store import PosStore
from kassasync.ui.settings_form import (
    LOG_LEVEL_LABELS,
    FormValues,
    FortnoxLookups,
    SeriesChoice,
    forced_posting,
    log_level_of,
    series_choosable,
    series_code,
    validate,
)

from .forms import filled


@pytest.fixture
def company_file(tmp_path: Path) -> Path:
    path = tmp_path / "Hörnbutiken" / "kassa.db"
    PosStore.create(path, "Hörnbutiken i Sundsvall AB", "5561234567").close()
    return path


@pytest.mark.parametrize(
    ("receipts_as", "stock", "mode", "choosable"),
    [
        (ReceiptsAs.VOUCHER, False, IntegrationMode.FULL, True),
        (ReceiptsAs.INVOICE, False, IntegrationMode.FULL, False),  # Fortnox picks the invoice's series
        (ReceiptsAs.VOUCHER, True, IntegrationMode.FULL, False),  # Lagermodul means invoices
        (ReceiptsAs.INVOICE, False, IntegrationMode.START, True),  # Fortnox Start has vouchers only
    ],
)
def test_the_series_is_chosen_only_for_vouchers(
    company_file: Path, receipts_as: ReceiptsAs, stock: bool, mode: IntegrationMode, choosable: bool
) -> None:
    values = filled(company_file, receipts_as=receipts_as, stock_module=stock, integration_mode=mode)
    assert series_choosable(values) is choosable
    assert forced_posting(values) == (None if choosable else Posting.PER_RECEIPT)


def test_with_invoices_the_series_is_neither_asked_about_nor_an_error(company_file: Path) -> None:
    asked: list[str] = []

    def series() -> list[str]:
        asked.append("series")
        return ["A"]

    values = filled(company_file, receipts_as=ReceiptsAs.INVOICE, voucher_series="Z")
    result = validate(values, Settings(), FortnoxLookups(voucher_series=series))
    assert result.ok and result.settings is not None
    assert asked == []  # not checked against Fortnox: it is not used
    assert result.settings.voucher_series == "Z"  # kept for a later switch back to vouchers


def test_a_daily_summary_is_saved_only_with_vouchers(company_file: Path) -> None:
    as_invoice = validate(
        filled(company_file, receipts_as=ReceiptsAs.INVOICE, posting=Posting.DAILY_SUMMARY), Settings()
    )
    assert as_invoice.settings is not None and as_invoice.settings.posting is Posting.PER_RECEIPT
    as_voucher = validate(
        filled(company_file, receipts_as=ReceiptsAs.VOUCHER, posting=Posting.DAILY_SUMMARY), Settings()
    )
    assert as_voucher.settings is not None and as_voucher.settings.posting is Posting.DAILY_SUMMARY


@pytest.mark.parametrize(
    ("shown", "code"),
    [("A – Redovisningsverifikationer", "A"), ("f", "F"), (" K ", "K"), ("F–Kassa", "F"), ("", "")],
)
def test_the_series_list_shows_names_and_the_code_is_what_is_saved(shown: str, code: str) -> None:
    assert series_code(shown) == code


def test_a_picked_series_label_validates_and_saves_as_its_code(company_file: Path) -> None:
    values = filled(company_file, voucher_series="A – Redovisning")
    result = validate(values, Settings(), FortnoxLookups(voucher_series=lambda: ["A", "F"]))
    assert result.ok and result.settings is not None
    assert result.settings.voucher_series == "A"


def test_a_series_label_is_code_and_name() -> None:
    assert SeriesChoice("A", "Redovisningsverifikationer").label == "A – Redovisningsverifikationer"
    assert SeriesChoice("F").label == "F"  # a series without a name in Fortnox


def test_log_levels_are_shown_in_swedish_and_stored_as_they_were() -> None:
    assert set(LOG_LEVEL_LABELS) == {"DEBUG", "INFO", "WARNING"}
    assert all(level not in label for level, label in LOG_LEVEL_LABELS.items())  # no English shown
    for level, label in LOG_LEVEL_LABELS.items():
        assert log_level_of(label) == level
        assert log_level_of(level) == level


def test_the_form_has_no_client_id_to_fill_in_but_keeps_supports_value(company_file: Path) -> None:
    base = Settings.model_validate({"fortnox": {"client_id": "support-set-id"}})
    values = FormValues.from_settings(
        base.model_copy(update={"company_path": company_file}), autostart_now=False
    )
    result = validate(values, base)
    assert result.settings is not None and result.settings.fortnox.client_id == "support-set-id"


def test_an_unreadable_token_store_does_not_stop_ok(company_file: Path) -> None:
    """OK checks the stored login's scopes on the Tk thread; a store it cannot read is no error there."""
    from kassasync.errors import ConfigError

    def unreadable() -> bool:
        raise ConfigError("keyring backend failed", user_message="Inloggningen kunde inte läsas.")

    values = filled(company_file, stock_module=True)
    result = validate(values, Settings(), FortnoxLookups(login_lacks_warehouse=unreadable))
    assert result.ok and "fortnox" not in result.warnings
