"""A scheduled sync's offset: a few seconds of its own per register, so a chain's registers do not
all call Fortnox at the same second.

Every agent of a chain syncs on the same schedule (every 15 minutes, or at 21:00), and all of them share
one Fortnox budget (docs/sources/REFERENCE.md §3). If they all start at :00, the first seconds
of every run are a fight over it that the adaptive limiter then has to settle with 429s. Each register
instead starts ``offset_s`` after the scheduled moment.

The offset is derived from what identifies the register's company file (its organisation number and
register codes; else the company path), never drawn at random: it is the same after every restart and
on every PC that looks at the same file, so the schedule is predictable and the support can tell
when a register syncs. Registers of one company differ in their codes (a receipt's key is unique
across the company), so their offsets differ.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from pathlib import Path

GOLDEN = (math.sqrt(5) - 1) / 2
_NUMBER = re.compile(r"\d+")
SPAN_S = 15.0  # offsets lie in [0, 15): three of Fortnox's 5 s windows, enough to not meet at one second


def _fraction(identity: str) -> float:
    """A stable number in [0, 1) from a text (the first 8 bytes of its SHA-256)."""
    digest = hashlib.sha256(identity.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def register_offset_s(
    organisation_number: str, register_codes: Iterable[str], span_s: float = SPAN_S
) -> float:
    """The offset of the company file holding these registers; the codes' order does not matter.

    Registers are mostly numbered (K1, K2, ... or Kassa 3). Then the offset is the company's own
    starting point plus the register's number times the golden ratio, modulo the span: consecutive
    numbers land as far apart as N points can (the three-distance theorem), where hashes may bunch
    (six registers of a chain could meet within a second). Other codes get a hash of their own."""
    if span_s <= 0:
        raise ValueError("the offset span must be positive")
    orgnr = "".join(ch for ch in organisation_number if ch.isdigit())  # 556677-8899 == 5566778899
    codes = sorted(code.strip().upper() for code in register_codes)
    numbers = [int(match.group()) for code in codes if (match := _NUMBER.search(code))]
    if not numbers:
        return _fraction(f"register|{orgnr}|{','.join(codes)}") * span_s
    start = _fraction(f"company|{orgnr}")
    return ((start + min(numbers) * GOLDEN) % 1.0) * span_s


def path_offset_s(company_path: Path | str, span_s: float = SPAN_S) -> float:
    """The offset when the company file cannot be read (yet): from the settings' company path."""
    if span_s <= 0:
        raise ValueError("the offset span must be positive")
    return _fraction(f"path|{Path(company_path).as_posix().lower()}") * span_s
