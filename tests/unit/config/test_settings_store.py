"""The settings store: the one writer of settings.json, and how a process follows another's writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kassasync.config import Settings, load_settings, save_settings, with_fortnox_company
from kassasync.errors import ConfigError
from kassasync.settings_store import SettingsStore


def test_an_update_is_saved_and_told_to_every_listener(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    heard: list[Settings] = []
    store.subscribe(heard.append)

    saved = store.update(lambda s: s.model_copy(update={"voucher_series": "K"}))

    assert load_settings(store.path) == saved == store.current()
    assert heard == [saved]


def test_a_file_another_process_wrote_is_read_again_and_told(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(), path)
    agent = SettingsStore(path)
    assert agent.current().fortnox.tenant_name is None
    heard: list[Settings] = []
    agent.subscribe(heard.append)

    # ``kassasync login`` in a terminal: another process, its own store over the same file
    SettingsStore(path).update(lambda s: with_fortnox_company(s, "Hörnbutiken i Sundsvall AB", "556123-4567"))

    assert agent.current().fortnox.tenant_name == "Hörnbutiken i Sundsvall AB"
    assert [s.fortnox.organisation_number for s in heard] == ["556123-4567"]
    agent.current()
    assert len(heard) == 1  # an unchanged file is not read again, nor told again


def test_an_update_changes_the_newest_settings_not_a_stale_copy(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    agent = SettingsStore(path)
    agent.replace(Settings(voucher_series="F"))
    SettingsStore(path).update(lambda s: s.model_copy(update={"voucher_series": "Q"}))  # the CLI

    agent.update(lambda s: with_fortnox_company(s, "Hörnbutiken i Sundsvall AB", "556123-4567"))

    saved = load_settings(path)
    assert saved.voucher_series == "Q" and saved.fortnox.tenant_name == "Hörnbutiken i Sundsvall AB"


def test_a_file_broken_meanwhile_keeps_the_last_good_settings_and_a_save_keeps_the_broken_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    store = SettingsStore(path)
    store.replace(Settings(voucher_series="K"))
    path.write_text('{"company_path": ', encoding="utf-8")

    assert store.current().voucher_series == "K"
    store.update(lambda s: s.model_copy(update={"cash_customer_number": "7"}))

    assert load_settings(path) == Settings(voucher_series="K", cash_customer_number="7")
    (aside,) = tmp_path.glob("settings.json.unreadable-*")
    assert aside.read_text(encoding="utf-8") == '{"company_path": '


def test_an_unreadable_file_at_start_is_a_swedish_error_and_the_defaults_can_be_assumed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("[]", encoding="utf-8")
    store = SettingsStore(path)
    with pytest.raises(ConfigError) as caught:
        store.load()
    assert "Inställningsfilen" in caught.value.user_message

    store.assume(Settings())

    assert store.current() == Settings()
    assert json.loads(path.read_text(encoding="utf-8")) == []  # left as it was until the user saves


def test_a_listener_that_fails_does_not_undo_the_save(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")

    def broken(_settings: Settings) -> None:
        raise RuntimeError("a listener's bug")

    heard: list[Settings] = []
    store.subscribe(broken)
    unsubscribe = store.subscribe(heard.append)
    store.update(lambda s: s.model_copy(update={"voucher_series": "K"}))
    unsubscribe()
    store.update(lambda s: s.model_copy(update={"voucher_series": "L"}))

    assert load_settings(store.path).voucher_series == "L"
    assert [s.voucher_series for s in heard] == ["K"]
