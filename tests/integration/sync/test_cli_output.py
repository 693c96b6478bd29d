"""What ``kassasync sync`` and ``receipts`` print: totals, plurals, today's open day, a closed pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime

import pytest

from kassasync.cli import CLOSED_PIPE_EXIT, main
from kassasync.clock import STOCKHOLM
from kassasync.commands.report import ProgressLine
from kassasync.config import Posting, save_settings
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import business_date
from kassasync.sync.events import Outcome, StepProgress

from .conftest import Shop


@pytest.fixture
def saved(shop: Shop) -> Shop:
    save_settings(shop.settings, shop.paths.settings_file)
    return shop


def _sell_today(shop: Shop, how_many: int) -> int:
    """The register sells ``how_many`` receipts now; returns how many of today's receipts are pending."""
    now = datetime.now(tz=STOCKHOLM)
    with shop.store() as store:
        model = store.get_receipt(store.outbox_entries()[0].receipt)
        assert model is not None
        for n in range(how_many):
            store.add_receipt(model.model_copy(update={"receipt_number": 9000 + n, "sold_at": now}))
        return sum(1 for r in store.pending_receipts() if business_date(r) >= now.date())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_push_tells_its_total_from_the_start_so_progress_reads_8_av_72(saved: Shop) -> None:
    with saved.store() as store:
        pending = store.state_counts()[OutboxState.PENDING]

    saved.sync(kind="everything")

    receipts = [e for e in saved.events if isinstance(e, StepProgress) and e.step == "receipts"]
    assert receipts and all(e.total == pending for e in receipts)
    assert [e.done for e in receipts] == list(range(1, pending + 1))
    terminal = _Terminal()
    ProgressLine(terminal)(receipts[7])
    assert f"Skickar kvitton: 8 av {pending}" in terminal.getvalue()


def test_a_daily_summary_that_waits_for_its_day_says_so_in_sync_and_receipts(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    saved.configure(posting=Posting.DAILY_SUMMARY)
    save_settings(saved.settings, saved.paths.settings_file)
    waiting = _sell_today(saved, 12)

    report = saved.sync(kind="everything")

    assert report.outcome is Outcome.OK, report.errors
    assert report.awaiting_summary == waiting and report.failed_count == 0
    capsys.readouterr()
    assert main(["sync"]) == 0  # waiting for the day to close is not a failure
    out = capsys.readouterr().out
    assert f"{waiting} kvitton väntar på dagens dagssammandrag" in out
    assert "Klart: allt gick bra." in out
    assert main(["receipts"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[-1] == f"{waiting} kvitton väntar på dagens dagssammandrag"
    assert sum("väntar på dagssammandraget" in line for line in listing) == waiting


def test_receipts_per_receipt_say_nothing_of_a_daily_summary(
    saved: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    _sell_today(saved, 2)

    report = saved.sync(kind="everything")

    assert report.awaiting_summary == 0
    assert main(["receipts"]) == 0
    assert "dagssammandrag" not in capsys.readouterr().out


def test_one_receipt_is_1_kvitto_not_1_kvitton(saved: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    saved.sync(kind="everything")
    _sell_today(saved, 1)
    capsys.readouterr()

    assert main(["sync", "--no-pull"]) == 0

    out = capsys.readouterr().out
    assert "Kvitton: 1 bokfört, 0 med fel" in out
    assert "1 kvitton" not in out and "1 bokförda" not in out


@pytest.mark.parametrize("command", [["receipts"], ["config", "show", "--all"], ["config", "keys"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(saved: Shop, command: list[str]) -> None:
    """`kassasync receipts | head`: the pipe is closed before anything is written, as head does."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kassasync", *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)

    assert done.stderr == ""
    assert done.returncode == CLOSED_PIPE_EXIT
