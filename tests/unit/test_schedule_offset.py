"""A register's schedule offset: stable (not random per start), its own, and inside the span."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import pytest

from kassasync.app.scheduler import trigger_for
from kassasync.clock import STOCKHOLM
from kassasync.config import Schedule
from kassasync.schedule_offset import SPAN_S, path_offset_s, register_offset_s


def test_the_same_register_gets_the_same_offset_every_start_and_however_it_is_written() -> None:
    first = register_offset_s("556677-8899", ["K1", "K2"])
    assert register_offset_s("5566778899", ["k2", "K1"]) == first
    assert path_offset_s("C:/Kassa/Butik") == path_offset_s("c:/kassa/butik")


def test_the_registers_of_one_company_get_offsets_of_their_own_inside_the_span() -> None:
    offsets = [register_offset_s("556677-8899", [f"S{n}"]) for n in range(1, 13)]
    assert all(0 <= offset < SPAN_S for offset in offsets)
    assert len({round(offset, 3) for offset in offsets}) == 12
    assert max(offsets) - min(offsets) > SPAN_S / 2  # spread, not bunched


def test_a_span_must_be_positive() -> None:
    with pytest.raises(ValueError):
        register_offset_s("556677-8899", ["K1"], span_s=0)


def test_a_daily_schedule_fires_the_offset_s_seconds_after_the_minute() -> None:
    trigger = trigger_for(Schedule(kind="daily", daily_at=("21:00",)), offset_s=7.9)
    assert trigger is not None
    now = datetime(2026, 12, 1, 12, 0, tzinfo=STOCKHOLM)
    assert trigger.get_next_fire_time(None, now) == datetime(2026, 12, 1, 21, 0, 7, tzinfo=STOCKHOLM)


def test_an_interval_runs_on_the_clocks_quarters_plus_the_offset() -> None:
    trigger = trigger_for(Schedule(kind="interval", every_minutes=15), offset_s=4.5)
    assert trigger is not None
    now = datetime.now(STOCKHOLM)
    fire = trigger.get_next_fire_time(None, now)
    assert fire is not None and fire > now
    assert (fire.minute % 15, fire.second, fire.microsecond) == (0, 4, 500_000)


def test_without_an_offset_the_schedule_is_as_before() -> None:
    trigger = trigger_for(Schedule(kind="daily", daily_at=("06:05",)))
    now = datetime(2026, 12, 1, 5, 0, tzinfo=STOCKHOLM)
    assert trigger is not None
    assert trigger.get_next_fire_time(None, now) == datetime(2026, 12, 1, 6, 5, tzinfo=STOCKHOLM)


@pytest.mark.parametrize("registers", [2, 3, 6, 12])
def test_numbered_registers_of_a_chain_are_spread_over_the_span_never_bunched(registers: int) -> None:
    offsets = sorted(register_offset_s("556123-4567", [f"S{n}"]) for n in range(1, registers + 1))
    gaps = [b - a for a, b in itertools.pairwise(offsets)] + [offsets[0] + SPAN_S - offsets[-1]]
    assert min(gaps) >= SPAN_S / (3 * registers)


def test_the_agent_s_offset_comes_from_the_company_file_s_registers(tmp_path: Path) -> None:
    from kassasync.app.first_run import schedule_offset_s
    from kassasync.config import Settings
    from kassasync.pos.records import Register
    from kassasync.pos.store import PosStore

    offsets = []
    for code in ("K1", "K2"):
        company = tmp_path / code / "kassa.db"
        with PosStore.create(company, "Hörnbutiken i Sundsvall AB", "5561234567") as store:
            store.add_register(Register(code, f"Kassa {code}"))
        offsets.append(schedule_offset_s(Settings(company_path=company.parent)))
    assert offsets[0] == register_offset_s("556123-4567", ["K1"])
    assert abs(offsets[0] - offsets[1]) >= 1.0  # two registers of one company do not meet
    assert schedule_offset_s(Settings()) == 0.0
    assert schedule_offset_s(Settings(company_path=tmp_path / "missing")) == path_offset_s(
        tmp_path / "missing"
    )
