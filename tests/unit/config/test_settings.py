"""Settings: the user's choices survive crashes and bad files are never overwritten silently."""

import os
from pathlib import Path

import pytest

from kassasync.config import (
    IntegrationMode,
    ReceiptsAs,
    Schedule,
    Settings,
    load_settings,
    save_settings,
)
from kassasync.environment import read_environment
from kassasync.errors import ConfigError
from kassasync.paths import app_paths


def test_missing_settings_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "settings.json")
    assert settings == Settings()
    assert settings.voucher_series == "F"


def test_saved_settings_load_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    chosen = Settings(
        company_path=tmp_path / "kassa.db",
        receipts_as=ReceiptsAs.INVOICE,
        schedule=Schedule(kind="daily", daily_at=("12:00", "21:30")),
    )
    save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left behind


def test_a_corrupt_settings_file_raises_a_swedish_error_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"receipts_as": "fax"', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "Inställningsfilen" in caught.value.user_message
    assert path.read_text(encoding="utf-8") == '{"receipts_as": "fax"'


def test_saving_over_a_corrupt_file_moves_it_aside_first(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("not json", encoding="utf-8")
    save_settings(Settings(), path)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.unreadable-")]
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8") == "not json"
    assert load_settings(path) == Settings()


@pytest.mark.parametrize(
    ("mode", "stock_module", "chosen", "effective"),
    [
        (IntegrationMode.FULL, False, ReceiptsAs.VOUCHER, ReceiptsAs.VOUCHER),
        (IntegrationMode.FULL, False, ReceiptsAs.INVOICE, ReceiptsAs.INVOICE),
        (IntegrationMode.FULL, True, ReceiptsAs.VOUCHER, ReceiptsAs.INVOICE),
        (IntegrationMode.START, False, ReceiptsAs.INVOICE, ReceiptsAs.VOUCHER),
    ],
)
def test_lagermodul_forces_invoices_and_fortnox_start_forces_vouchers(
    mode: IntegrationMode, stock_module: bool, chosen: ReceiptsAs, effective: ReceiptsAs
) -> None:
    settings = Settings(integration_mode=mode, stock_module=stock_module, receipts_as=chosen)
    assert settings.effective_receipts_as is effective


def test_a_schedule_time_must_be_hh_mm() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        Schedule(kind="daily", daily_at=("25:00",))


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes; on Windows the profile folder's ACL applies")
def test_the_settings_log_and_state_folders_are_the_users_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KASSASYNC_HOME", str(tmp_path / "home"))
    paths = app_paths(read_environment().home).ensure()
    save_settings(Settings(), paths.settings_file)
    for folder in (paths.config_dir, paths.log_dir, paths.state_dir):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert paths.settings_file.parent == paths.config_dir
