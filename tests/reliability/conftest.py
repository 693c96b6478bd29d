"""The reliability suite's shop (the same harness as the sync tests) and its exactly-once checks.

"Exactly once" is counted in the sandbox, by key: the sandbox counts every voucher it committed by its
text and every invoice by its external reference, whatever the client heard back.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.integration.sync.conftest import Shop, fast_sandbox, make_shop, shop

from kassasync.pos.records import OutboxState, Target
from kassasync.sync.bookkeeping import key_marker
from kassasync.sync.events import SyncReport

__all__ = ["Shop", "fast_sandbox", "make_shop", "settle", "shop"]

DONE = {OutboxState.POSTED, OutboxState.PAID}


def settle(shop: Shop, *, runs: int = 6, **request: Any) -> list[SyncReport]:
    """Sync again until no receipt is waiting or in flight (what the schedule does, run after run)."""
    reports: list[SyncReport] = []
    for _ in range(runs):
        reports.append(shop.sync(**request))
        if set(shop.states()) <= DONE:
            return reports
    raise AssertionError(f"not settled after {runs} runs: {shop.states()}; last: {reports[-1].errors}")


def assert_each_voucher_once(shop: Shop) -> None:
    """Every receipt is one voucher in Fortnox, and the register's reference points at that voucher."""
    keys = shop.receipt_keys()
    assert shop.states() == {OutboxState.POSTED: len(keys)}
    twice = {key: n for key in keys if (n := shop.vouchers_of(key)) != 1}
    assert twice == {}, f"receipts not in Fortnox exactly once: {twice}"
    texts = {
        f"{v['VoucherSeries']}{v['VoucherNumber']}": v["Description"]
        for rows in shop.tenant().vouchers.values()
        for v in rows
    }
    with shop.store() as store:
        for entry in store.outbox_entries():
            assert entry.target is Target.VOUCHER
            assert entry.fortnox_ref is not None
            assert key_marker(entry.receipt) in texts[entry.fortnox_ref], entry


def assert_each_invoice_once_and_paid(shop: Shop) -> None:
    """Every receipt is one invoice, bookkept, paid to the öre by payments that are all bookkept."""
    keys = shop.receipt_keys()
    assert shop.states() == {OutboxState.PAID: len(keys)}
    twice = {key: n for key in keys if (n := shop.invoices_of(key)) != 1}
    assert twice == {}, f"receipts not in Fortnox exactly once: {twice}"
    tenant = shop.tenant()
    paid = Counter[int]()
    for payment in tenant.payments.values():
        assert payment["Booked"], payment
        write_offs = sum(amount for _, amount in payment["WriteOffs"])  # öre rounding on 3740
        paid[int(payment["InvoiceNumber"])] += payment["AmountOre"] + write_offs
    for number, invoice in tenant.invoices.items():
        assert invoice["Booked"], invoice["ExternalInvoiceReference1"]
        assert paid[int(number)] == invoice["TotalOre"], invoice["ExternalInvoiceReference1"]
        assert invoice["BalanceOre"] == 0, invoice["ExternalInvoiceReference1"]
