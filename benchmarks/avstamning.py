"""Kassaavstämning at a month's scale: 5 000 receipts posted by the real engine, then read back.

The demo company (two registers) gets a month of receipts, grown to ``--receipts`` by repeating each
day's receipts under new numbers (same day, same content). The real ``SyncEngine`` posts them (one
voucher per receipt, or with ``--posting daily_summary`` one per register and day) to the sandbox;
then ``run_avstamning`` reconciles the month and the sandbox counts its requests.

Figures: ``requests`` (what the reconciliation sent) against ``minimum_requests``, counted from what
the sandbox holds: the financial years, the list pages of the month's vouchers (500 a page) and, since
a voucher's list row has no rows (docs/sources/REFERENCE.md §5.6), one detail per voucher made
for a receipt (on the invoice path: per booked invoice and payment, plus the invoice and payment list
pages): the least any per-account comparison needs. ``listing_requests`` is the listing alone: the
floor if list rows held amounts. ``wall_s`` (the reconciliation alone, at the
sandbox's generous limit), ``bound_s`` (requests at Fortnox's 24 per 5 s), ``peak_rss_mb``.

    python -m benchmarks avstamning                      # 5 000 receipts, a voucher each
    python -m benchmarks avstamning --posting daily_summary
    python -m benchmarks avstamning --receipts-as invoice --receipts 1000
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

from fortnox_sandbox.tenant import Tenant
from fortnox_sandbox.testing import running_sandbox
from kassasync.avstamning.run import AvstamningRequest, RunOptions, run_avstamning
from kassasync.config import FortnoxSettings, Posting, ReceiptsAs, Settings
from kassasync.environment import read_environment
from kassasync.fortnox.auth import ClientCredentials, OAuthEndpoints, login, login_scopes
from kassasync.fortnox.tokens import FileTokenStore
from kassasync.paths import app_paths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.store import PosStore, company_file
from kassasync.sync.bookkeeping import business_date
from kassasync.sync.collaborators import engine_for
from kassasync.sync.events import SyncRequest

FORTNOX_RATE = 24 / 5.0


def grow(path: Path, receipts: int) -> tuple[int, list[str]]:
    """Repeat the month's receipts under new numbers until there are ``receipts``."""
    with make_demo_company(path, days=30) as store:
        month = [r for r in (store.get_receipt(e.receipt) for e in store.outbox_entries()) if r is not None]
        days = sorted({business_date(r) for r in month})
        total, copy = len(month), 0
        while total < receipts:
            copy += 1
            for receipt in month:
                if total >= receipts:
                    break
                store.add_receipt(
                    receipt.model_copy(update={"receipt_number": receipt.receipt_number + 10_000 * copy})
                )
                total += 1
    return total, [days[0].isoformat(), days[-1].isoformat()]


def least_requests(
    tenant: Tenant, first: str, last: str, posted_refs: int, invoice_path: bool
) -> dict[str, int]:
    """What any per-account reading of the month must send, counted from what the sandbox holds: the
    financial years, the month's voucher list pages, one detail per voucher made for a receipt, and on
    the invoice path the invoice and payment list pages."""
    in_month = [v for vs in tenant.vouchers.values() for v in vs if first <= v["TransactionDate"] <= last]
    minimum = {"years": 1, "voucher_pages": -(-len(in_month) // 500)}
    if invoice_path:
        invoices = [i for i in tenant.invoices.values() if first <= i["InvoiceDate"] <= last]
        minimum["invoice_pages"] = -(-len(invoices) // 500)
        minimum["payment_pages"] = -(-len(tenant.payments) // 500)
        minimum["details"] = sum(1 for i in invoices if i["Booked"]) + sum(
            1 for p in tenant.payments.values() if p["Booked"]
        )
    else:
        minimum["details"] = posted_refs
    return minimum


def run(receipts: int, posting: Posting, receipts_as: ReceiptsAs) -> dict[str, float]:
    with (
        running_sandbox(seed="demo", test_mode=True, auto_approve=True, rate_limit=100_000) as sandbox,
        tempfile.TemporaryDirectory() as tmp,
    ):
        os.environ.update(
            KASSASYNC_HOME=tmp,
            KASSASYNC_CLIENT_ID=sandbox.client_id,
            KASSASYNC_CLIENT_SECRET=sandbox.client_secret,
            KASSASYNC_TOKEN_STORE="file",
        )
        paths = app_paths(Path(tmp)).ensure()
        company = Path(tmp) / "butik"
        company.mkdir()
        count, (first, last) = grow(company_file(company), receipts)
        tokens = FileTokenStore(paths.token_file)
        login(
            ClientCredentials(sandbox.client_id, sandbox.client_secret),
            OAuthEndpoints.under(f"{sandbox.base_url}/oauth-v1"),
            tokens,
            redirect_port=0,
            browser_opener=lambda url: requests.get(url, timeout=10).ok,
            scopes=login_scopes(False),
            timeout_s=10,
        )
        settings = Settings(
            company_path=company,
            posting=posting,
            receipts_as=receipts_as,
            fortnox=FortnoxSettings(
                api_url=sandbox.api_url,
                auth_url=f"{sandbox.base_url}/oauth-v1",
                client_id=sandbox.client_id,
                redirect_port=0,
            ),
        )
        engine = engine_for(
            settings, paths, read_environment(), token_store=tokens, rate_limit=100_000, rate_window_s=1.0
        )
        engine.run(SyncRequest(trigger="cli"))
        with PosStore.open(company_file(company)) as store:
            refs = len({e.fortnox_ref for e in store.outbox_entries() if e.fortnox_ref})
        least = least_requests(
            sandbox.state.tenant("demo"), first, last, refs, receipts_as is ReceiptsAs.INVOICE
        )
        sandbox.reset_counters()
        started = time.perf_counter()
        report = run_avstamning(
            settings,
            paths,
            AvstamningRequest(date.fromisoformat(first), date.fromisoformat(last)),
            RunOptions(token_store=tokens, rate_limit=100_000, rate_window_s=1.0),
            environment=read_environment(),
        )
        wall = time.perf_counter() - started
        counted = sum(sandbox.counters()["requests"].values())
    minimum = sum(least.values())
    listing = minimum - least["details"]
    return {
        "receipts": count,
        "days_ok": sum(1 for d in report.days if d.ok),
        "days": len(report.days),
        "requests": report.requests,
        "sandbox_counted": counted,
        "minimum_requests": minimum,
        "ratio": report.requests / minimum,
        "listing_requests": listing,
        "details": report.counts.details,
        "wall_s": wall,
        "bound_s": report.requests / FORTNOX_RATE,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=5000)
    parser.add_argument("--posting", choices=[p.value for p in Posting], default=Posting.PER_RECEIPT.value)
    parser.add_argument(
        "--receipts-as", choices=[r.value for r in ReceiptsAs], default=ReceiptsAs.VOUCHER.value
    )
    args = parser.parse_args(argv)
    figures = run(args.receipts, Posting(args.posting), ReceiptsAs(args.receipts_as))
    for name, value in figures.items():
        print(f"{name}: {value:.2f}" if isinstance(value, float) else f"{name}: {value}")
    return 0 if figures["days_ok"] == figures["days"] else 1


if __name__ == "__main__":
    sys.exit(main())
