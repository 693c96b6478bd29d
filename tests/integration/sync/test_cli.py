"""``kassasync sync | receipts | resend`` as the shop owner (or support) types them."""

from __future__ import annotations

import sqlite3

import pytest

from kassasync.cli import main
from kassasync.config import save_settings
from kassasync.pos.records import OutboxState

from .conftest import Shop


@pytest.fixture
def saved(shop: Shop) -> Shop:
    """The shop's settings saved where the commands read them."""
    save_settings(shop.settings, shop.paths.settings_file)
    return shop


def _one_refused(shop: Shop) -> str:
    shop.sandbox.inject("POST", "/3/vouchers", "status", status=400, count=1)
    report = shop.sync(kind="everything")
    (error,) = [e for e in report.errors if e.item]
    assert error.item is not None
    return error.item


def test_sync_dry_run_lists_what_would_be_posted_and_exits_zero(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--dry-run"]) == 0

    out = capsys.readouterr().out
    assert "Klart: allt gick bra." in out
    assert out.count("(provkörning) Kvitto ") == 48
    assert saved.states() == {OutboxState.PENDING: 48}


def test_sync_exits_non_zero_and_says_why_when_the_company_is_wrong(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(saved.company) as conn:
        conn.execute("UPDATE company SET organisation_number = '559012-3450'")

    assert main(["sync"]) == 1

    out = capsys.readouterr().out
    assert "Stoppad" in out and "FEL: Fel företag" in out


def test_receipts_failed_lists_the_reason_and_resend_posts_it(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _one_refused(saved)
    capsys.readouterr()

    assert main(["receipts", "--failed"]) == 0
    listing = capsys.readouterr().out.strip().splitlines()
    assert len(listing) == 1 and listing[0].split()[0] == key and "fel" in listing[0]

    assert main(["resend", key]) == 0
    out = capsys.readouterr().out
    assert f"Kvitto {key} → verifikation F" in out
    assert saved.vouchers_of(key) == 1
    assert main(["receipts", "--failed"]) == 0
    assert "Inga kvitton med fel." in capsys.readouterr().out


def test_resend_refuses_a_receipt_that_has_not_failed(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    saved.sync(kind="everything")
    capsys.readouterr()

    assert main(["resend", "K1-1"]) == 1

    assert "Kvitto K1-1 har inget fel" in capsys.readouterr().err
    assert saved.vouchers_of("K1-1") == 1


def test_resend_all_failed_sends_every_failed_receipt(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    saved.sandbox.inject("POST", "/3/vouchers", "status", status=400, count=2)
    saved.sync(kind="everything")
    assert saved.states()[OutboxState.FAILED] == 2

    assert main(["resend", "--all-failed"]) == 0

    assert saved.states() == {OutboxState.POSTED: 48}
