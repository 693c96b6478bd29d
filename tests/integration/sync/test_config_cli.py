"""``kassasync config show | set | keys`` as a register vendor types them, on a real settings file.

``set`` must refuse what the settings dialog refuses, with the dialog's own words, and write nothing
then; what it accepts is written by the one settings writer and read back by the agent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kassasync.cli import main
from kassasync.commands.config_keys import KEYS
from kassasync.config import ReceiptsAs, Settings, load_settings, save_settings
from kassasync.ui.settings_form import FormValues, validate

from .conftest import Shop

DEPLOYMENT = Path(__file__).resolve().parents[3] / "docs" / "deployment.md"


@pytest.fixture
def saved(shop: Shop) -> Shop:
    """The shop's settings saved, logged in to the demo company as "Logga in" leaves them."""
    demo = shop.tenant().company
    fortnox = shop.settings.fortnox.model_copy(
        update={"tenant_name": demo["CompanyName"], "organisation_number": demo["OrganizationNumber"]}
    )
    shop.configure(fortnox=fortnox)
    save_settings(shop.settings, shop.paths.settings_file)
    return shop


def _file(shop: Shop) -> bytes:
    return shop.paths.settings_file.read_bytes()


def test_show_lists_every_key_with_its_value_and_never_a_secret(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "show"]) == 0

    out = capsys.readouterr().out
    for key in KEYS:
        assert key.name in out
    assert "schedule.every_minutes                     15" in out
    assert f"company_path                               {saved.settings.company_path}" in out
    assert saved.sandbox.client_secret not in out
    tokens = saved.token_store.load()
    assert tokens is not None and tokens.refresh_token not in out and tokens.access_token not in out


def test_set_writes_a_nested_key_that_the_agent_then_reads(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "set", "schedule.every_minutes", "30"]) == 0

    assert "schedule.every_minutes: 15 → 30" in capsys.readouterr().out
    settings = load_settings(saved.paths.settings_file)
    assert settings.schedule.every_minutes == 30
    # Nothing else moved; the folder became the file in it, as the dialog's OK resolves it.
    unchanged = settings.model_copy(update={"schedule": saved.settings.schedule})
    assert unchanged == saved.settings.model_copy(update={"company_path": saved.company})


def test_a_bad_value_is_refused_with_the_dialogs_words_and_nothing_is_written(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _file(saved)
    dialog = validate(FormValues(every_minutes="0"), Settings()).errors["every_minutes"]

    assert main(["config", "set", "schedule.every_minutes", "0"]) == 1

    assert capsys.readouterr().err.strip() == f"schedule.every_minutes: {dialog}"
    assert _file(saved) == before


def test_a_series_fortnox_does_not_have_is_refused_as_the_dialog_refuses_it(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _file(saved)

    assert main(["config", "set", "voucher_series", "Q"]) == 1

    err = capsys.readouterr().err
    assert "voucher_series: Verifikationsserien Q finns inte bland de manuella serierna i Fortnox." in err
    assert _file(saved) == before
    assert main(["config", "set", "voucher_series", "q", "--offline"]) == 0  # no Fortnox asked
    assert load_settings(saved.paths.settings_file).voucher_series == "Q"


def test_a_cash_customer_fortnox_does_not_have_is_refused(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "set", "cash_customer_number", "99999"]) == 1

    assert "cash_customer_number: Kundnummer 99999 finns inte i Fortnox." in capsys.readouterr().err


def test_company_path_takes_the_folder_and_refuses_a_file_that_is_not_there(
    saved: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "Kassa" / "Butik"
    before = _file(saved)

    assert main(["config", "set", "company_path", str(missing)]) == 1
    assert "company_path: " in capsys.readouterr().err
    assert _file(saved) == before

    assert main(["config", "set", "company_path", str(saved.company.parent)]) == 0
    assert load_settings(saved.paths.settings_file).company_path == saved.company


def test_lagermodul_moves_receipts_to_invoices_and_voucher_is_then_refused(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "set", "stock_module", "ja"]) == 0
    out = capsys.readouterr().out
    assert "stock_module: false → true" in out and "receipts_as: voucher → invoice" in out

    assert main(["config", "set", "receipts_as", "voucher"]) == 1
    assert "kundfaktura" in capsys.readouterr().err
    assert load_settings(saved.paths.settings_file).receipts_as is ReceiptsAs.INVOICE


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("receipts_as", "faktura", "voucher, invoice"),
        ("stock_module", "kanske", "true eller false"),
        ("fortnox.redirect_port", "70000", "0–65535"),
        ("payment_methods.swish.account", "19", "mellan 1000 och 9999"),
        ("fortnox.organisation_number", "556677-8899", "sätts av inloggningen"),
        ("no.such.key", "1", "Okänd inställning"),
    ],
)
def test_values_of_the_wrong_kind_are_refused_before_anything_is_written(
    saved: Shop, key: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _file(saved)

    assert main(["config", "set", key, value]) == 1

    assert said in capsys.readouterr().err
    assert _file(saved) == before


def test_keys_and_show_all_explain_each_key_and_deployment_md_documents_them(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "keys"]) == 0
    out = capsys.readouterr().out
    assert "Schema och start → Minuter" in out and "heltal 1–1440" in out
    assert main(["config", "show", "--all"]) == 0
    assert "Bokföring → Verifikationsserie" in capsys.readouterr().out
    table = DEPLOYMENT.read_text(encoding="utf-8")
    for key in KEYS:
        assert f"| `{key.name}` |" in table, key.name


def test_autostart_registers_the_real_autostart_entry_as_the_dialogs_ok_does(
    saved: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kassasync.platform.constants import XDG_DESKTOP_FILE

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    entry = tmp_path / "xdg" / "autostart" / XDG_DESKTOP_FILE

    assert main(["config", "set", "autostart", "true"]) == 0
    assert entry.is_file() and load_settings(saved.paths.settings_file).autostart

    assert main(["config", "set", "autostart", "nej"]) == 0
    assert not entry.exists() and not load_settings(saved.paths.settings_file).autostart
