"""The shop PC's own trouble: the register holding the company file, a full disk, a broken settings file."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from kassasync.cli import main
from kassasync.clock import STOCKHOLM
from kassasync.environment import read_environment
from kassasync.logs import log_file_for, setup_logging
from kassasync.pos import store as store_module
from kassasync.pos.records import OutboxState
from kassasync.sync.events import Outcome

from .conftest import Shop


def test_a_company_file_held_by_the_register_stops_the_run_with_a_message_and_loses_nothing(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    register = sqlite3.connect(shop.company, isolation_level=None)
    register.execute("BEGIN IMMEDIATE")  # the register is writing, and keeps at it
    try:
        report = shop.sync(kind="everything")
    finally:
        register.execute("ROLLBACK")
        register.close()

    assert report.outcome is Outcome.ERROR
    assert report.errors[-1].user_message.startswith("Kassafilen är upptagen av kassaprogrammet")
    again = shop.sync(kind="everything")
    assert again.outcome is Outcome.OK, again.errors
    assert shop.states() == {OutboxState.POSTED: 48}
    assert all(shop.vouchers_of(key) == 1 for key in shop.receipt_keys())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux) to fill the disk")
def test_a_full_disk_under_the_log_does_not_stop_the_sync(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    log_dir = shop.paths.log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file_for(log_dir, datetime.now(STOCKHOLM).date()).symlink_to("/dev/full")  # every write: ENOSPC
    handler = setup_logging(log_dir)
    try:
        report = shop.sync(kind="everything")
    finally:
        handler.close()

    assert report.outcome is Outcome.OK, report.errors
    assert shop.states() == {OutboxState.POSTED: 48}
    err = capsys.readouterr().err
    assert err.count("the log file cannot be written") == 1 and "No space left on device" in err
    assert handler.write_failures > 10


def test_a_corrupt_settings_file_is_reported_in_swedish_and_never_overwritten(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file: Path = shop.paths.settings_file
    settings_file.write_text('{"company_path": ', encoding="utf-8")

    assert main(["sync"]) == 2

    assert "Inställningsfilen" in capsys.readouterr().err
    assert settings_file.read_text(encoding="utf-8") == '{"company_path": '
    assert shop.states() == {OutboxState.PENDING: 48}


def test_a_dialog_login_with_lagermodul_ticked_but_not_saved_asks_for_the_warehouse_scope(shop: Shop) -> None:
    """The owner ticks Lagermodul, then logs in, then presses OK: the first sync must not need a
    second login (the saved settings still say no Lagermodul while the login runs)."""
    from kassasync.app.fortnox_link import FortnoxLink
    from kassasync.fortnox.connect import FortnoxContext, check_login_scopes
    from kassasync.fortnox.tokens import FileTokenStore
    from kassasync.settings_store import SettingsStore

    from .conftest import follow_in_browser

    assert not shop.settings.stock_module
    settings = SettingsStore(shop.paths.settings_file)
    settings.assume(shop.settings)  # the agent's store: the settings saved still say no Lagermodul
    FortnoxLink(settings, shop.paths, read_environment()).login(
        browser_opener=follow_in_browser, timeout_s=10, stock_module=True
    )

    tokens = FileTokenStore(shop.paths.token_file).load()
    assert tokens is not None and "warehouse" in tokens.scope.split()
    shop.configure(stock_module=True)
    check_login_scopes(
        FortnoxContext.create(
            shop.settings, shop.paths, environment=read_environment(), store=shop.token_store
        )
    )  # no raise
