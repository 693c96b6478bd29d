"""``kassasync sync | receipts | resend``: the sync engine from the command line.

Exit codes: 0 all went well; 1 something failed or waits for the user (the report says what); 2 the run
could not start (settings).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, replace
from typing import Any

from kassasync.app.compose import Composition
from kassasync.clock import SystemClock, business_date
from kassasync.config import Settings
from kassasync.errors import ConfigError, KassasyncError
from kassasync.pos.company_path import configured_company_db
from kassasync.pos.records import OutboxEntry, OutboxState
from kassasync.pos.store import PosStore
from kassasync.sync.events import Outcome, SyncReport, SyncRequest
from kassasync.sync.push import awaits_summary, posts_daily_summaries
from kassasync.words import awaiting_summary

from .report import STATE_NAMES, ProgressLine, describe_ref, report_lines

log = logging.getLogger(__name__)

AWAITING_SUMMARY = "väntar på dagssammandraget"


def register(subparsers: Any) -> None:
    sync = subparsers.add_parser("sync", help="synkronisera nu: hämta från Fortnox och bokför kvitton")
    sync.add_argument("--everything", action="store_true", help="hämta allt, inte bara ändringar")
    sync.add_argument("--dry-run", action="store_true", help="visa vad som skulle bokföras, bokför inget")
    sync.add_argument("--no-pull", action="store_true", help="bokför bara kvitton, hämta inget")
    sync.set_defaults(handler=_sync)
    receipts = subparsers.add_parser("receipts", help="visa kvittonas status mot Fortnox")
    receipts.add_argument("--failed", action="store_true", help="bara kvitton med fel, med orsak")
    receipts.set_defaults(handler=_receipts)
    resend = subparsers.add_parser("resend", help="skicka kvitton med fel igen (när orsaken är åtgärdad)")
    which = resend.add_mutually_exclusive_group(required=True)
    which.add_argument("keys", nargs="*", default=[], metavar="KEY", help="kvittots nyckel, t.ex. K1-17")
    which.add_argument("--all-failed", action="store_true", help="alla kvitton med fel")
    resend.set_defaults(handler=_resend)


def _setup(args: argparse.Namespace) -> tuple[Settings, Composition]:
    root = Composition(args.environment)
    return root.start_command(), root


def _run(args: argparse.Namespace, request: SyncRequest) -> int:
    try:
        _, root = _setup(args)
    except ConfigError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    progress = ProgressLine()
    report = root.engine().run(request, emit=progress)
    progress.done()
    print("\n".join(report_lines(report, show_posted=50)))
    print(f"  Logg: {root.paths.log_dir}")
    return exit_code(report)


def exit_code(report: SyncReport) -> int:
    return 0 if report.outcome is Outcome.OK else 1


def _sync(args: argparse.Namespace) -> int:
    request = SyncRequest(pull=not args.no_pull, dry_run=args.dry_run, trigger="cli")
    if args.everything:
        request = replace(request, kind="everything")
    return _run(args, request)


def _open_store(settings: Settings) -> PosStore:
    path = configured_company_db(settings)
    if path is None:
        raise ConfigError("no company file configured", user_message="Ingen kassa är vald i inställningarna.")
    return PosStore.open(path)


def _entries(args: argparse.Namespace, failed_only: bool) -> list[OutboxEntry]:
    return _entries_and_vat(args, failed_only)[0]


@dataclass(frozen=True)
class Listing:
    """What ``kassasync receipts`` shows: the receipts, their VAT differences, those awaiting a summary."""

    entries: list[OutboxEntry]
    vat_differences: dict[str, int]  # key -> öre by which Fortnox's invoice VAT differs from the receipt's
    awaiting_summary: set[str]  # pending keys of today's open day (Dagssammandrag): not a problem


def _entries_and_vat(args: argparse.Namespace, failed_only: bool) -> tuple[list[OutboxEntry], dict[str, int]]:
    listing = _listing(args, failed_only)
    return listing.entries, listing.vat_differences


def _listing(args: argparse.Namespace, failed_only: bool) -> Listing:
    settings, _ = _setup(args)
    with _open_store(settings) as store:
        differences = {
            key: check.vat_difference_ore for key, check in store.invoice_vat_differences().items()
        }
        entries = store.outbox_entries(OutboxState.FAILED if failed_only else None)
        return Listing(entries, differences, _awaiting_summary(store, settings, entries))


def _awaiting_summary(store: PosStore, settings: Settings, entries: list[OutboxEntry]) -> set[str]:
    """The pending receipts the next sync will not post yet: their day has not closed."""
    if not posts_daily_summaries(settings):
        return set()
    today = business_date(SystemClock().now())
    waiting: set[str] = set()
    for entry in entries:
        if entry.state is not OutboxState.PENDING:
            continue
        try:
            receipt = store.get_receipt(entry.receipt)
        except KassasyncError:
            continue  # a sync fails it with the reason; here it is only not counted
        if receipt is not None and awaits_summary(receipt, today):
            waiting.add(entry.receipt)
    return waiting


def _receipts(args: argparse.Namespace) -> int:
    try:
        listing = _listing(args, args.failed)
    except KassasyncError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    entries, vat_differences = listing.entries, listing.vat_differences
    if not entries:
        print("Inga kvitton med fel." if args.failed else "Inga kvitton.")
        return 0
    for entry in entries:
        state = AWAITING_SUMMARY if entry.receipt in listing.awaiting_summary else STATE_NAMES[entry.state]
        line = f"{entry.receipt:>10}  {state}"
        if entry.fortnox_ref:
            line += f"  {describe_ref(entry.fortnox_ref)}"
        if entry.receipt in vat_differences:
            line += f"  (momsen i Fortnox skiljer {vat_differences[entry.receipt]:+d} öre från kvittot)"
        if entry.state is OutboxState.FAILED and entry.last_error:
            line += f"  {entry.last_error}"
        print(line)
    if listing.awaiting_summary:
        print(awaiting_summary(len(listing.awaiting_summary)))
    return 0


def _resend(args: argparse.Namespace) -> int:
    try:
        failed = {entry.receipt for entry in _entries(args, True)}
    except KassasyncError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    keys = sorted(failed) if args.all_failed else list(args.keys)
    unknown = [key for key in keys if key not in failed]
    for key in unknown:
        print(f"Kvitto {key} har inget fel och skickas inte om (se kassasync receipts).", file=sys.stderr)
    wanted = tuple(key for key in keys if key in failed)
    if not wanted:
        print("Inga kvitton att skicka igen.")
        return 1 if unknown else 0
    code = _run(args, SyncRequest(pull=False, resend=wanted, trigger="cli"))
    return 1 if unknown else code
