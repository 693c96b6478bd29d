"""The problems window and "Kvitton med fel" under a real X server: every problem and reason in full,
wrapped, selectable and copyable; resizable; Esc closes; "Försök igen" asks for a sync."""

from __future__ import annotations

import tkinter as tk
from datetime import date
from pathlib import Path

import pytest

from kassasync.pos.models import Receipt
from kassasync.pos.records import Target
from kassasync.pos.store import PosStore
from kassasync.sync.events import ReportedError
from kassasync.sync.preflight import _locked, _no_year
from kassasync.ui.problems_window import NO_PROBLEMS, RETRYING, ProblemsWindow
from kassasync.ui.receipts_dialog import FailedReceiptsDialog, failed_receipts

from .conftest import screenshot

pytestmark = pytest.mark.gui


def reported(problem: object) -> ReportedError:
    """A pre-flight problem as the engine reports it (SyncReport.errors)."""
    return ReportedError(problem.user_message, problem.detail)  # type: ignore[attr-defined]


def escape(root: tk.Tk, window: tk.Toplevel) -> None:
    window.focus_force()
    root.update()
    window.event_generate("<Escape>")
    root.update()


def test_the_problems_window_shows_every_remedy_whole_and_retries(xserver: str) -> None:
    problems = [
        reported(_no_year(date(2026, 1, 2))),
        reported(_locked(date(2026, 11, 28), date(2026, 11, 30))),
        ReportedError("Artikel 1001 saknar momssats i Fortnox.", "article 1001: no VAT", item="K1-17"),
    ]
    retries: list[int] = []
    root = tk.Tk()
    root.withdraw()
    try:
        window = ProblemsWindow(root, problems, lambda: retries.append(1))
        root.update()
        assert window.top.resizable() == (True, True)
        text = window.shown_text
        for problem in problems:
            assert problem.user_message in text  # whole, never cut
        assert "Skapa räkenskapsår 2026 i Fortnox (Inställningar → Bokföring → Räkenskapsår)" in text
        assert "Kvitto K1-17: Artikel 1001 saknar momssats" in text
        screenshot(xserver, "problems-window", window.top)

        window.top.geometry("460x380")
        root.update()
        lines = int(window.text.count("1.0", "end", "displaylines")[0])  # type: ignore[index]
        assert lines > len(problems) * 2, lines  # narrow: the text wraps instead of being cut
        screenshot(xserver, "problems-window-narrow", window.top)

        window.text.tag_add("sel", "1.0", "2.0")  # the owner selects with the mouse...
        assert "Räkenskapsår saknas" in root.selection_get()  # ...and the selection is theirs to copy
        window.copy_button.invoke()
        assert root.clipboard_get() == text

        window.retry_button.invoke()
        root.update()
        assert retries == [1]
        assert str(window.retry_button.cget("state")) == "disabled"  # one retry per click
        assert str(window.status.cget("text")) == RETRYING
        window.update([])  # the retried sync went well
        root.update()
        assert window.shown_text == NO_PROBLEMS
        assert str(window.retry_button.cget("state")) == "normal"

        escape(root, window.top)
        assert not window.exists()
    finally:
        root.destroy()


def failed_receipt(number: int, amount: int, sold_at: str) -> Receipt:
    return Receipt.model_validate(
        {
            "register_code": "K1",
            "receipt_number": number,
            "sold_at": sold_at,
            "total_ore": amount,
            "lines": [
                {
                    "article_number": "1001",
                    "description": "Bryggkaffe 500 g",
                    "quantity": "1",
                    "unit_price_ore": amount,
                    "vat_rate": 12,
                    "amount_ore": amount,
                }
            ],
            "payments": [{"method": "card", "amount_ore": amount}],
        }
    )


def test_failed_receipts_show_date_amount_and_the_whole_reason(xserver: str, tmp_path: Path) -> None:
    reason = (
        "Konto 3051 finns inte eller är inte aktivt i Fortnox, så kvittots rad för artikel 1001 "
        "Bryggkaffe 500 g kan inte bokföras. Aktivera kontot i Fortnox (Inställningar → Bokföring → "
        "Kontoplan) eller ändra artikelns försäljningskonto, och skicka sedan kvittot igen."
    )
    with PosStore.create(
        tmp_path / "Butik" / "kassa.db", "Hörnbutiken i Sundsvall AB", "5561234567"
    ) as store:
        store.add_receipt(failed_receipt(18, 4950, "2026-11-28T16:05:00+01:00"))
        store.add_receipt(failed_receipt(17, 123450, "2026-11-28T10:15:00+01:00"))
        store.mark_sending(["K1-17", "K1-18"], Target.VOUCHER)
        store.mark_failed("K1-17", reason)
        store.mark_failed("K1-18", "Perioden är låst i Fortnox.")
        receipts = failed_receipts(store)
    assert [r.key for r in receipts] == ["K1-17", "K1-18"]  # oldest sale first
    resent: list[list[str]] = []
    root = tk.Tk()
    root.withdraw()
    try:
        dialog = FailedReceiptsDialog(root, receipts, resent.append)
        root.update()
        assert dialog.top.resizable() == (True, True)
        row = dialog.tree.item("K1-17", "values")
        assert list(row) == ["2026-11-28 10:15", "K1-17", "1\u00a0234,50 kr", reason]
        assert dialog.reason_text == f"Kvitto K1-17: {reason}"  # the first is selected, its reason whole
        assert "Kontoplan" in dialog.reason_text and "artikel 1001" in dialog.reason_text
        screenshot(xserver, "failed-receipts", dialog.top)

        dialog.tree.selection_set("K1-18")
        root.update()
        assert dialog.reason_text == "Kvitto K1-18: Perioden är låst i Fortnox."
        dialog.top.geometry("900x500")
        root.update()
        assert dialog.tree.winfo_width() > 700  # the list grows with the window
        escape(root, dialog.top)
        assert not dialog.top.winfo_exists()
        assert resent == []  # Esc only closes
    finally:
        root.destroy()


def test_the_agent_opens_the_problems_of_the_last_report_and_follows_the_retry(
    xserver: str, tmp_path: Path
) -> None:
    """``Agent.show_problems`` (the tray's menu entry): the last report's problems; "Försök igen" runs a
    manual sync, and the window shows what that sync left."""
    from kassasync.app.agent import Agent, Services
    from kassasync.config import FortnoxSettings, Settings
    from kassasync.paths import AppPaths
    from kassasync.platform.autostart import XdgAutostart
    from kassasync.settings_store import SettingsStore
    from kassasync.sync.events import Outcome, SyncReport, SyncRequest

    locked = reported(_locked(date(2026, 11, 28), date(2026, 11, 30)))
    outcomes = [(Outcome.ERROR, (locked,)), (Outcome.OK, ())]
    requests: list[SyncRequest] = []

    def run_sync(request: SyncRequest, _emit: object, _cancel: object) -> SyncReport:
        requests.append(request)
        outcome, errors = outcomes.pop(0)
        return SyncReport(request=request, outcome=outcome, errors=errors)

    paths = AppPaths(tmp_path / "config", tmp_path / "logs", tmp_path / "state").ensure()
    services = Services(
        run_sync=run_sync,  # type: ignore[arg-type]
        autostart=XdgAutostart(tmp_path / "autostart"),
        autostart_command="kassasync tray",
    )
    company = tmp_path / "Butik" / "kassa.db"  # set up: a company file and a login (else no sync runs)
    PosStore.create(company, "Hörnbutiken i Sundsvall AB", "5561234567").close()
    fortnox = FortnoxSettings(tenant_name="Hörnbutiken i Sundsvall AB", organisation_number="556123-4567")
    settings = SettingsStore(paths.settings_file)
    settings.assume(Settings(company_path=company, fortnox=fortnox))
    agent = Agent(paths, settings, services)
    agent.root = tk.Tk()
    agent.root.withdraw()
    try:
        agent.controller.request_sync(SyncRequest(trigger="manual"))
        assert agent.controller.wait_idle(5)
        window = agent.show_problems()
        agent.root.update()
        assert "Perioden till och med 2026-11-30 är låst i Fortnox" in window.shown_text
        assert (
            "Lås upp perioden i Fortnox (Inställningar → Bokföring → Låsning av period)" in window.shown_text
        )
        assert agent.show_problems() is window  # a second click raises the same window

        window.retry_button.invoke()
        assert agent.controller.wait_idle(5)
        for _ in range(50):  # the agent's queue, as its Tk loop drains it
            agent.pump.run_pending()
            agent.root.update()
            if window.shown_text == NO_PROBLEMS:
                break
        assert [r.trigger for r in requests] == ["manual", "manual"]
        assert window.shown_text == NO_PROBLEMS
        assert str(window.retry_button.cget("state")) == "normal"
    finally:
        agent.scheduler.shutdown()
        agent.root.destroy()
