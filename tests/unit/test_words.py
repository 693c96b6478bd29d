"""Swedish counts: one receipt is "1 kvitto", never "1 kvitton"; progress is "8 av 72"."""

from __future__ import annotations

import pytest

from kassasync.words import awaiting_summary, count, kvitton, number, of_total


@pytest.mark.parametrize(
    ("n", "said"), [(0, "0 kvitton"), (1, "1 kvitto"), (2, "2 kvitton"), (20_000, "20 000 kvitton")]
)
def test_kvitton_takes_the_singular_for_one_only(n: int, said: str) -> None:
    assert kvitton(n) == said


def test_count_works_for_any_word_pair() -> None:
    assert count(1, "bokfört", "bokförda") == "1 bokfört"
    assert count(3, "bokfört", "bokförda") == "3 bokförda"


def test_numbers_are_grouped_the_swedish_way() -> None:
    assert number(1_234_567) == "1 234 567"


def test_progress_says_the_total_when_it_is_known() -> None:
    assert of_total(8, 72) == "8 av 72"
    assert of_total(8, None) == "8"
    assert of_total(1500, 20_000) == "1 500 av 20 000"


def test_a_daily_summary_that_waits_says_so() -> None:
    assert awaiting_summary(12) == "12 kvitton väntar på dagens dagssammandrag"
    assert awaiting_summary(1) == "1 kvitto väntar på dagens dagssammandrag"
