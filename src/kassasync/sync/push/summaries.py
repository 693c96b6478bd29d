"""Receipts as daily summaries: one voucher per register and *closed* day (Dagssammandrag).

A receipt of a day not yet closed waits (the Z-report comes at close). A day is summarised once: its
``summaries`` row is written in the transaction that marks its receipts posted, and a receipt that
arrives after that goes as a voucher of its own (the summary in Fortnox is never changed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import partial

from kassasync.config import Posting, ReceiptsAs, Settings
from kassasync.pos.models import Receipt
from kassasync.pos.records import Target
from kassasync.sync.bookkeeping import business_date, daily_summary, key_marker, receipt_voucher, summary_key
from kassasync.sync.push.poster import InFlight
from kassasync.sync.push.steps import Mark, OutboxSteps, PushContext
from kassasync.sync.push.vouchers import VoucherPoster, post_voucher


def posts_daily_summaries(settings: Settings) -> bool:
    """Receipts go as one voucher per register and closed day (Dagssammandrag)."""
    return settings.effective_receipts_as is ReceiptsAs.VOUCHER and settings.posting is Posting.DAILY_SUMMARY


def awaits_summary(receipt: Receipt, today: date) -> bool:
    """A receipt of a day not yet closed waits for that day's summary (the Z-report comes at close)."""
    return business_date(receipt) >= today


class SummaryPoster:
    target = Target.SUMMARY

    def __init__(self, ctx: PushContext, steps: OutboxSteps, vouchers: VoucherPoster) -> None:
        self.ctx, self.steps, self.vouchers = ctx, steps, vouchers

    def _mark(self, register: str, day: date) -> Mark:
        return partial(self.ctx.store.mark_summary_posted, register, day)

    def pending(self) -> tuple[int, Iterator[Sequence[Receipt]]]:
        """The closed days' receipts, a batch per register and day; today's are counted as waiting."""
        groups: dict[tuple[str, date], list[Receipt]] = {}
        today = self.ctx.today()
        for receipt in self.ctx.store.pending_receipts():
            if awaits_summary(receipt, today):  # wait for the day to close, and say so
                self.ctx.result.counts["awaiting_summary"] += 1
                continue
            groups.setdefault((receipt.register_code, business_date(receipt)), []).append(receipt)
        total = sum(len(receipts) for receipts in groups.values())
        return total, (receipts for _day, receipts in sorted(groups.items()))

    def send(self, batch: Sequence[Receipt]) -> None:
        register, day = batch[0].register_code, business_date(batch[0])
        if self.ctx.store.summary_ref(register, day) is not None:  # the day is summarised: each alone
            self.vouchers.send(batch)
            return
        series = self.ctx.settings.voucher_series
        bookable: list[Receipt] = []

        def bookable_or_alone(receipt: Receipt) -> None:
            receipt_voucher(receipt, self.ctx.plan, series)  # it books, or it fails alone
            if self.ctx.dry_run or not self._posted_alone_already(receipt, day):
                bookable.append(receipt)

        for receipt in batch:  # one bad receipt must not hold back its day
            self.steps.check(receipt.key, partial(bookable_or_alone, receipt))
        if not bookable:
            return
        keys = [r.key for r in bookable]
        draft = daily_summary(bookable, self.ctx.plan, series, register, day)
        marker = key_marker(summary_key(register, day))
        mark = self._mark(register, day)
        self.steps.guard(
            keys[0], lambda: post_voucher(self.ctx, self.steps, keys, draft, Target.SUMMARY, marker, mark)
        )

    def _posted_alone_already(self, receipt: Receipt, day: date) -> bool:
        """A receipt that went as a voucher of its own (it came after its day's summary) is in Fortnox."""
        found = self.ctx.record.voucher_for(key_marker(receipt.key), day, self.ctx.settings.voucher_series)
        if found is not None:
            self.steps.already_there([receipt.key], Target.VOUCHER, found, self.ctx.store.mark_posted)
        return found is not None

    def reconcile(self, in_flight: Sequence[InFlight]) -> None:
        """A day's receipts in ``sending`` are looked up together, by the day's marker."""
        days: dict[tuple[str, date], list[str]] = {}
        for _entry, receipt in in_flight:
            days.setdefault((receipt.register_code, business_date(receipt)), []).append(receipt.key)
        for (register, day), keys in days.items():
            marker = key_marker(summary_key(register, day))
            self.vouchers.settle(keys, day, marker, self._mark(register, day))
