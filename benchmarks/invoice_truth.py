"""Paid invoices against Fortnox's own answer (issue 14): the field cases, counted on the sandbox.

The demo shop (two days of receipts) is pushed as paid invoices through the real ``SyncEngine`` over
loopback, once per case and per VAT arithmetic of the sandbox (per row, per rate):

- ``lager``: Lagermodul with negative stock not allowed and the seed's stock levels, so some rows are
  delivered 0 (the case that overpaid 23 of 24 invoices, 4 742,46 kr, before the check);
- ``avrundning``: the company's öresavrundning on invoices (Fortnox's ``RoundOff``);
- ``moms``: the demo receipts plus the issue's VAT cases (2 × 10,03 at 25 %, 0,105 kg × 99,00 at 12 %).

Printed per run: receipts paid / failed, invoices bookkept / cancelled, invoices overpaid (count, kr) and
left open (count), the rounding account's net against the register's rounding, VAT differences marked,
and requests per receipt. Goal: 0 overpaid, 0 open, rounding account = register rounding. Exit 1 if not.

    python -m benchmarks invoice_truth
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fortnox_sandbox.testing import running_sandbox
from kassasync.clock import STOCKHOLM
from kassasync.config import FortnoxSettings, ReceiptsAs, Settings
from kassasync.environment import read_environment
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import app_paths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.models import PaymentMethod, Receipt, ReceiptLine, ReceiptPayment
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore, company_file
from kassasync.sync.collaborators import engine_for
from kassasync.sync.events import SyncRequest

CASES: dict[str, dict[str, Any]] = {
    "lager": {"warehouse": True, "allow_negative_stock": False},
    "avrundning": {"invoice_rounding": True},
    "moms": {},
}


def _vat_cases(store: PosStore) -> None:
    sold_at = datetime(2026, 11, 27, 12, 0, tzinfo=STOCKHOLM)
    cases = [
        (9001, [("3003", 1003, "1", 25), ("3003", 1003, "1", 25)], 2006),
        (9002, [("1005", 9900, "0.105", 12)], 1040),
    ]
    for number, lines, total in cases:
        items = tuple(
            ReceiptLine(
                article_number=article,
                description=f"Vara {article}",
                quantity=Decimal(quantity),
                unit_price_ore=price,
                vat_rate=vat,
                amount_ore=int((Decimal(quantity) * price).to_integral_value()),
            )
            for article, price, quantity, vat in lines
        )
        store.add_receipt(
            Receipt(
                register_code="K1",
                receipt_number=number,
                sold_at=sold_at,
                total_ore=total,
                lines=items,
                payments=(ReceiptPayment(method=PaymentMethod.CARD, amount_ore=total),),
            )
        )


def run(case: str, vat_per_row: bool) -> dict[str, Any]:
    with (
        running_sandbox(seed="demo", test_mode=True, rate_limit=10_000, rate_window_s=1.0) as sandbox,
        tempfile.TemporaryDirectory() as tmp,
    ):
        home = Path(tmp)
        os.environ.update(
            KASSASYNC_HOME=str(home),
            KASSASYNC_CLIENT_ID=sandbox.client_id,
            KASSASYNC_CLIENT_SECRET=sandbox.client_secret,
            KASSASYNC_TOKEN_STORE="file",
        )
        paths = app_paths(read_environment().home).ensure()
        (home / "butik").mkdir()
        with make_demo_company(company_file(home / "butik"), days=2) as store:
            if case == "moms":
                _vat_cases(store)
        tokens = FileTokenStore(paths.token_file)
        tokens.save(TokenSet.from_response(sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
        settings = Settings(
            company_path=home / "butik",
            receipts_as=ReceiptsAs.INVOICE,
            stock_module=case == "lager",
            fortnox=FortnoxSettings(
                api_url=sandbox.api_url, auth_url=f"{sandbox.base_url}/oauth-v1", client_id=sandbox.client_id
            ),
        )
        sandbox.configure_tenant(vat_per_row=vat_per_row, **CASES[case])
        if case == "lager":  # two of each stock article: a busy day runs some of them out
            tenant = sandbox.state.tenant("demo")
            with sandbox.state.lock:
                for number, article in tenant.articles.items():
                    if article.get("StockGoods"):
                        tenant.set_stock(number, 2, datetime.now())
        engine = engine_for(
            settings,
            paths,
            read_environment(),
            token_store=tokens,
            rate_limit=10_000,
            rate_window_s=1.0,
            reconcile_after_s=0.0,
            client_options=ClientOptions(read_timeout_s=5.0),
        )
        sandbox.reset_counters()
        started = time.perf_counter()
        engine.run(SyncRequest(kind="everything", trigger="cli"))
        wall = time.perf_counter() - started
        requests = sum(sandbox.counters()["requests"].values())
        with PosStore.open(company_file(home / "butik")) as store:
            states = store.state_counts()
            entries = store.outbox_entries()
            paid_receipts = [store.get_receipt(e.receipt) for e in entries if e.state is OutboxState.PAID]
            receipts = [r for r in paid_receipts if r is not None]
            vat_marked = len(store.invoice_vat_differences())
            failed = {
                e.receipt: store.get_receipt(e.receipt) for e in entries if e.state is OutboxState.FAILED
            }
        figures = _figures(sandbox.state.tenant("demo"), states, receipts, vat_marked, wall)
        figures["requests_per_receipt"] = requests / len(entries)
        # What paying the register's amounts on the cancelled invoices would have overpaid (the old agent).
        cancelled = [i for i in sandbox.state.tenant("demo").invoices.values() if i["Cancelled"]]
        figures["avoided_overpay_kr"] = (
            sum(
                (r.total_ore - r.rounding_ore) - i["TotalOre"]
                for i in cancelled
                if (r := failed.get(i["ExternalInvoiceReference1"])) is not None
            )
            / 100
        )
        return figures


def _figures(
    tenant: Any, states: dict[OutboxState, int], receipts: list[Receipt], vat_marked: int, wall: float
) -> dict[str, Any]:
    paid: dict[int, int] = {}
    for payment in tenant.payments.values():
        settled = payment["AmountOre"] + sum(a for _acc, a in payment["WriteOffs"])
        paid[payment["InvoiceNumber"]] = paid.get(payment["InvoiceNumber"], 0) + settled
    live = [(n, i) for n, i in tenant.invoices.items() if not i["Cancelled"]]
    over = [paid.get(n, 0) - i["TotalOre"] for n, i in live if paid.get(n, 0) > i["TotalOre"]]
    open_ = [n for n, i in live if i["BalanceOre"] != 0]
    rounding_net = 0
    for vouchers in tenant.vouchers.values():
        for voucher in vouchers:
            rounding_net += sum(r.credit_ore - r.debit_ore for r in voucher["rows"] if r.account == 3740)
    register_rounding = sum(r.rounding_ore for r in receipts)
    return {
        "paid": states[OutboxState.PAID],
        "failed": states[OutboxState.FAILED],
        "invoices_booked": sum(1 for _n, i in live if i["Booked"]),
        "invoices_cancelled": len(tenant.invoices) - len(live),
        "overpaid": len(over),
        "overpaid_kr": sum(over) / 100,
        "open": len(open_),
        "rounding_3740": rounding_net / 100,
        "register_rounding": register_rounding / 100,
        "vat_marked": vat_marked,
        "wall_s": wall,
    }


def main() -> int:
    ok = True
    for case in CASES:
        for per_row in (True, False):
            figures = run(case, per_row)
            label = f"{case:<10} {'moms per rad ' if per_row else 'moms per sats'}"
            text = " ".join(
                f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
            )
            print(label, text, flush=True)
            ok &= figures["overpaid"] == 0 and figures["open"] == 0
            ok &= figures["rounding_3740"] == figures["register_rounding"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
