""" "Avstämning..." under a real X server: the window reads Fortnox back on its own thread (the demo shop's
receipts posted by the real engine to the sandbox, one of them booked a second time by hand), shows
every day OK but the one that differs, with the receipt and what to do, and saves the CSV."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from tests.integration.sync.conftest import FAST, fast_sandbox, make_shop

from fortnox_sandbox.testing import RunningSandbox
from kassasync.avstamning.run import AvstamningReport, AvstamningRequest, RunOptions, run_avstamning
from kassasync.environment import read_environment
from kassasync.pos.records import OutboxState
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import business_date, receipt_voucher
from kassasync.sync.events import StepProgress
from kassasync.ui.avstamning_window import BAD_DATES, AvstamningWindow

from .conftest import screenshot, wait_for

pytestmark = pytest.mark.gui
__all__ = ["fast_sandbox"]


def test_the_window_shows_the_day_that_differs_with_its_receipt_and_saves_the_csv(
    xserver: str, fast_sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = make_shop(fast_sandbox, tmp_path / "home", monkeypatch)
    shop.sync()
    with shop.store() as store:
        posted = list(store.receipts_in_state(OutboxState.POSTED))
    days = sorted({business_date(r) for r in posted})
    twice = posted[-1]
    body = receipt_voucher(twice, AccountPlan.bas_defaults(), "A").to_fortnox()
    for row in body["Voucher"]["VoucherRows"]:
        row["Debit"], row["Credit"] = str(row["Debit"]), str(row["Credit"])
    assert fast_sandbox.api().post("/3/vouchers", body).status_code == 201
    options = RunOptions(
        token_store=shop.token_store, rate_limit=10_000, rate_window_s=1.0, client_options=FAST
    )
    threads: list[str] = []

    progress: list[StepProgress] = []

    def run(request: AvstamningRequest, shown: Callable[[StepProgress], None]) -> AvstamningReport:
        threads.append(threading.current_thread().name)

        def sink(event: StepProgress) -> None:
            progress.append(event)
            shown(event)

        chosen = replace(options, progress=sink)
        return run_avstamning(shop.settings, shop.paths, request, chosen, environment=read_environment())

    posted_work: list[Callable[[], None]] = []
    root = tk.Tk()
    root.withdraw()
    try:
        window = AvstamningWindow(root, run, posted_work.append, days[0], days[-1])
        assert str(window.status.cget("text")) == "Läser från Fortnox..."
        statuses: list[str] = []

        def pump() -> bool:  # the agent's post(): each piece of work runs on the Tk thread
            while posted_work:
                posted_work.pop(0)()
                statuses.append(str(window.status.cget("text")))
            root.update()
            return window.report is not None

        assert wait_for(pump, timeout=30)
        assert threads == ["avstamning"]
        assert progress[-1].done == progress[-1].total == len(posted) + 1  # every voucher with a key
        assert any(text.startswith("Läser verifikationer i Fortnox: ") for text in statuses), statuses
        text = window.text.get("1.0", "end")
        assert f"{twice.register_code} {business_date(twice).isoformat()}: SKILLNAD" in text
        assert (
            f"Kvitto {twice.key} bokförd 2 gånger" in text and "Åtgärd: Vänd den extra verifikationen" in text
        )
        assert window.report is not None and len(window.report.days) == 2 * len(days)
        assert text.count(": OK (") == len(window.report.days) - 1
        assert "Förfrågningar till Fortnox:" in text
        assert str(window.save_button.cget("state")) == "normal"
        window.top.geometry("900x520")
        screenshot(xserver, "avstamning-window", window.top)
        window.detailed.set(True)  # "Visa alla rader": what the register took beside every account
        window._refill()
        detailed = window.text.get("1.0", "end")
        assert "Försäljning 25 % netto" in detailed and "Moms 12 %" in detailed and "st)" in detailed
        assert "2611 Utgående moms 25 %: kassan" in detailed and detailed.count("skillnad 0,00 kr") > 10
        screenshot(xserver, "avstamning-window-detailed", window.top)

        target = tmp_path / "avstamning.csv"
        window.save_csv(target)
        saved = target.read_text(encoding="utf-8-sig").splitlines()
        assert saved[0] == "kassa;dag;rad;konto;text;z_rapport;kassan;fortnox;skillnad;kvitto;åtgärd"
        assert any(";orsak;;bokförd 2 gånger: " in row and twice.key in row for row in saved)
        assert str(window.status.cget("text")) == f"Sparad: {target}"

        window.end.set("inte ett datum")
        window.run_button.invoke()
        assert str(window.status.cget("text")) == BAD_DATES
    finally:
        root.destroy()
