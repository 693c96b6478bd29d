"""One poster per target, behind one protocol: what waits, how it is sent, how a lost answer is settled.

The pusher picks the poster the settings ask for to send what is pending, and asks every poster to
reconcile its own receipts left in ``sending`` (a receipt keeps the target it was sent as, whatever the
settings say now).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from kassasync.pos.models import Receipt
from kassasync.pos.records import OutboxEntry, Target

InFlight = tuple[OutboxEntry, Receipt]  # a receipt in ``sending`` old enough to be looked up


class Poster(Protocol):
    target: Target

    def pending(self) -> tuple[int, Iterator[Sequence[Receipt]]]:
        """How many receipts wait, and the batches to send: each batch's receipts are one document."""
        ...

    def send(self, batch: Sequence[Receipt]) -> None:
        """Post one batch; every failure is sorted per receipt, only ``RunAborted`` escapes."""
        ...

    def reconcile(self, in_flight: Sequence[InFlight]) -> None:
        """Settle this target's receipts in ``sending`` against Fortnox's record, and finish what the
        target leaves half done."""
        ...
