"""Swedish counts as the shop owner reads them: "1 kvitto", "2 kvitton", "20 000 kvitton", "8 av 72".

One place for the plural and the digit grouping, so the command line, the report and the tray never
say "1 kvitton" or group digits differently. A base module: the engine, the commands and the tray may
all use it, and it imports nothing of Kassasync.
"""

from __future__ import annotations


def number(value: int) -> str:
    """Swedish digit grouping with a space: 20 000 (a no-break space would not survive every console)."""
    return f"{value:,}".replace(",", " ")


def count(n: int, one: str, many: str) -> str:
    """``count(1, "kvitto", "kvitton")`` → "1 kvitto"; any other number takes the plural, 0 included."""
    return f"{number(n)} {one if n == 1 else many}"


def kvitton(n: int) -> str:
    """ "1 kvitto", "0 kvitton", "2 kvitton"."""
    return count(n, "kvitto", "kvitton")


def of_total(done: int, total: int | None) -> str:
    """Progress as Swedish says it: "8 av 72"; only "8" while the total is unknown."""
    return number(done) if total is None else f"{number(done)} av {number(total)}"


def awaiting_summary(n: int) -> str:
    """ "12 kvitton väntar på dagens dagssammandrag": not a failure, the day has not closed yet."""
    return f"{kvitton(n)} väntar på dagens dagssammandrag"
