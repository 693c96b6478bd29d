"""The settings form: every setting round-trips, rules between fields hold, errors are Swedish and inline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from kassasync.config import (
    IntegrationMode,
    Notifications,
    PaymentMapping,
    Posting,
    ReceiptsAs,
    Schedule,
    Settings,
)
from kassasync.environment import read_environment
from kassasync.errors import RunAborted
from kassasync.fortnox.auth import SCOPES
from kassasync.pos.orgnr import same_organisation
from kassasync.pos.records import Company
from kassasync.pos.store import PosStore
from kassasync.ui.company_info import read_company, resolve_company_file
from kassasync.ui.settings_form import (
    ConnectedCompany,
    FormValues,
    FortnoxLookups,
    forced_receipts_as,
    mismatch_warning,
    validate,
)

from .forms import filled

SHOP = ConnectedCompany("Demo Butik AB", "556677-8899")


@pytest.fixture
def company_file(tmp_path: Path) -> Path:
    path = tmp_path / "Demo Butik" / "kassa.db"
    PosStore.create(path, "Demo Butik AB", "5566778899").close()
    return path


def test_every_setting_round_trips_through_the_form(company_file: Path) -> None:
    chosen = Settings(
        company_path=company_file,
        integration_mode=IntegrationMode.FULL,
        receipts_as=ReceiptsAs.VOUCHER,  # a daily summary is vouchers only
        posting=Posting.DAILY_SUMMARY,
        voucher_series="K",
        cash_customer_number="100",
        payment_methods={"cash": PaymentMapping(account=1910, mode_of_payment="KONT")},
        schedule=Schedule(kind="daily", daily_at=("12:00", "21:30")),
        autostart=True,
        notifications=Notifications.ALL,
        log_level="DEBUG",
    )
    values = FormValues.from_settings(chosen, autostart_now=True)
    result = validate(values, chosen)
    assert result.errors == {}
    assert result.settings == chosen


def test_the_form_shows_the_real_autostart_state_not_the_remembered_one(company_file: Path) -> None:
    values = FormValues.from_settings(
        Settings(company_path=company_file, autostart=True), autostart_now=False
    )
    assert values.autostart is False


def test_picking_the_folder_means_its_kassa_db_and_shows_the_company(company_file: Path) -> None:
    result = validate(filled(company_file, company_path=str(company_file.parent)), Settings())
    assert result.ok
    assert result.settings is not None and result.settings.company_path == company_file
    assert result.company == Company("Demo Butik AB", "556677-8899")


def test_the_company_file_is_read_without_being_changed(company_file: Path) -> None:
    before = company_file.read_bytes()
    assert read_company(company_file).name == "Demo Butik AB"
    assert company_file.read_bytes() == before
    assert resolve_company_file(str(company_file)) == company_file


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Filen finns inte"),
        (b"not a database at all, just text" * 50, "är ingen kassafil"),
    ],
)
def test_a_wrong_company_file_is_an_inline_swedish_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "kassa.db"
    if content is not None:
        path.write_bytes(content)
    result = validate(filled(path), Settings())
    assert not result.ok
    assert message in result.errors["company_path"]


def test_no_company_file_yet_is_a_warning_not_an_error() -> None:
    values = FormValues.from_settings(Settings(), autostart_now=False)
    result = validate(values, Settings())
    assert result.ok
    assert "Ingen kassafil vald" in result.warnings["company_path"]


@pytest.mark.parametrize(
    ("mode", "stock", "chosen", "forced"),
    [
        (IntegrationMode.FULL, False, ReceiptsAs.VOUCHER, None),
        (IntegrationMode.FULL, True, ReceiptsAs.VOUCHER, ReceiptsAs.INVOICE),
        (IntegrationMode.START, False, ReceiptsAs.INVOICE, ReceiptsAs.VOUCHER),
        (IntegrationMode.START, True, ReceiptsAs.INVOICE, ReceiptsAs.VOUCHER),
    ],
)
def test_lagermodul_forces_invoices_and_fortnox_start_forces_vouchers(
    company_file: Path, mode: IntegrationMode, stock: bool, chosen: ReceiptsAs, forced: ReceiptsAs | None
) -> None:
    values = filled(company_file, integration_mode=mode, stock_module=stock, receipts_as=chosen)
    assert forced_receipts_as(values) == forced
    result = validate(values, Settings())
    assert result.settings is not None
    assert result.settings.receipts_as == (forced or chosen)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"voucher_series": ""}, "voucher_series", "Ange verifikationsserien"),
        ({"voucher_series": "F-1"}, "voucher_series", "Ange verifikationsserien"),
        ({"cash_customer_number": "  "}, "cash_customer_number", "Ange kassakundens kundnummer"),
        ({"schedule_kind": "interval", "every_minutes": "0"}, "every_minutes", "mellan 1 och 1440"),
        ({"schedule_kind": "interval", "every_minutes": "tio"}, "every_minutes", "mellan 1 och 1440"),
        ({"schedule_kind": "daily", "daily_at": "25:00"}, "daily_at", "TT:MM"),
        ({"schedule_kind": "daily", "daily_at": ""}, "daily_at", "TT:MM"),
        ({"payment_accounts": {"cash": "191"}}, "payment:cash", "mellan 1000 och 9999"),
    ],
)
def test_invalid_fields_get_inline_swedish_errors_and_nothing_is_saved(
    company_file: Path, changes: dict[str, object], field: str, message: str
) -> None:
    result = validate(filled(company_file, **changes), Settings())
    assert message in result.errors[field]
    assert result.settings is None


def test_fields_that_do_not_apply_are_not_validated(company_file: Path) -> None:
    values = filled(company_file, schedule_kind="off", every_minutes="x", daily_at="nonsense")
    result = validate(values, Settings())
    assert result.ok and result.settings is not None
    assert result.settings.schedule.kind == "off"


def test_daily_times_are_tidied(company_file: Path) -> None:
    result = validate(filled(company_file, schedule_kind="daily", daily_at="21:00 9:30, 21:00"), Settings())
    assert result.settings is not None
    assert result.settings.schedule.daily_at == ("09:30", "21:00")


class Fortnox:
    """Answers as a connected Fortnox would: one customer, two series."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def customer_exists(self, number: str) -> bool:
        if self.fail:
            raise RunAborted("timeout", user_message="Fortnox svarar inte.")
        return number == "1"

    def voucher_series(self) -> Sequence[str]:
        if self.fail:
            raise RunAborted("timeout", user_message="Fortnox svarar inte.")
        return ["A", "F"]


def test_cash_customer_and_series_are_checked_against_fortnox_when_connected(company_file: Path) -> None:
    fortnox = Fortnox()
    lookups = FortnoxLookups(customer_exists=fortnox.customer_exists, voucher_series=fortnox.voucher_series)
    result = validate(
        filled(company_file, cash_customer_number="99", voucher_series="k"), Settings(), lookups
    )
    assert result.errors["cash_customer_number"] == "Kundnummer 99 finns inte i Fortnox."
    assert result.errors["voucher_series"] == (
        "Verifikationsserien K finns inte bland de manuella serierna i Fortnox. Välj en av: A, F."
    )
    assert validate(filled(company_file, voucher_series="f"), Settings(), lookups).ok


def test_fortnox_unreachable_during_the_check_warns_but_lets_the_user_save(company_file: Path) -> None:
    fortnox = Fortnox(fail=True)
    lookups = FortnoxLookups(customer_exists=fortnox.customer_exists, voucher_series=fortnox.voucher_series)
    result = validate(filled(company_file), Settings(), lookups)
    assert result.ok
    assert "Fortnox svarar inte." in result.warnings["cash_customer_number"]


def test_a_fortnox_company_other_than_the_registers_is_warned(company_file: Path) -> None:
    other = ConnectedCompany("Annan Firma AB", "559900-1111")
    result = validate(filled(company_file, connected=other), Settings())
    assert result.warnings["fortnox"] == (
        "Kassan tillhör Demo Butik AB (556677-8899), men Fortnox är kopplat till "
        "Annan Firma AB (559900-1111). Logga in på rätt företag."
    )
    same = validate(filled(company_file, connected=SHOP), Settings())
    assert "fortnox" not in same.warnings
    assert same.settings is not None and same.settings.fortnox.tenant_name == "Demo Butik AB"


def test_organisation_numbers_compare_by_digits() -> None:
    assert same_organisation("556677-8899", "5566778899")
    assert same_organisation("16556677-8899", "556677-8899")
    assert not same_organisation("556677-8899", "556677-8898")
    assert not same_organisation("", "")
    assert mismatch_warning(None, SHOP) is None


AGENT_SCOPES = SCOPES  # the agent's own list, without Lagermodul's warehouse


@pytest.mark.parametrize(
    ("stock", "granted", "warned"),
    [
        (True, "companyinformation bookkeeping settings article price customer invoice payment", True),
        (
            True,
            "companyinformation bookkeeping settings article price customer invoice payment warehouse",
            False,
        ),
        (False, "companyinformation bookkeeping settings article price customer invoice payment", False),
    ],
)
def test_lagermodul_after_a_login_without_the_warehouse_scope_says_a_new_login_is_needed(
    company_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stock: bool,
    granted: str,
    warned: bool,
) -> None:
    from datetime import datetime

    from kassasync.app.fortnox_link import FortnoxLink
    from kassasync.clock import STOCKHOLM
    from kassasync.config import FortnoxSettings
    from kassasync.fortnox.tokens import FileTokenStore, TokenSet
    from kassasync.paths import app_paths
    from kassasync.settings_store import SettingsStore

    for name, value in (("HOME", str(tmp_path / "home")), ("CLIENT_ID", "id"), ("CLIENT_SECRET", "s")):
        monkeypatch.setenv(f"KASSASYNC_{name}", value)
    monkeypatch.setenv("KASSASYNC_TOKEN_STORE", "file")
    paths = app_paths(read_environment().home).ensure()
    body = {"access_token": "a", "refresh_token": "r", "expires_in": 3600, "scope": granted}
    FileTokenStore(paths.token_file).save(TokenSet.from_response(body, datetime.now(tz=STOCKHOLM)))
    settings = Settings(fortnox=FortnoxSettings(tenant_name="Hörnbutiken", organisation_number="556123-4567"))
    link = FortnoxLink(SettingsStore(paths.settings_file), paths, read_environment())
    online = link.lookups(settings)  # only the token is read: no request to Fortnox here
    lookups = FortnoxLookups(login_lacks_warehouse=online.login_lacks_warehouse)

    result = validate(filled(company_file, stock_module=stock), settings, lookups)

    assert result.warnings.get("fortnox", "").startswith("Ny inloggning behövs") is warned
    assert result.ok  # a warning: the settings still save, then "Logga in"
