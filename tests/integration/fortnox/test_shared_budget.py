"""One PC, one Fortnox budget: every process of the agent (tray, a CLI sync, a login) shares it.

Two real processes take places from the same state file; together they never exceed the limit in any
window, and a rate lowered after a 429 in one holds in the other."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from kassasync.fortnox.aimd import AimdRules
from kassasync.fortnox.ratelimit import budget_file, shared_limiter
from kassasync.fortnox.shared_budget import AdaptiveLimiter, FileBudget, Slot

WINDOW_S, LIMIT = 0.5, 8

TAKER = textwrap.dedent(
    f"""
    import json, sys, time
    from pathlib import Path
    from kassasync.fortnox.aimd import AimdRules
    from kassasync.fortnox.shared_budget import AdaptiveLimiter, FileBudget

    path, count = Path(sys.argv[1]), int(sys.argv[2])
    rules = AimdRules(window_s={WINDOW_S!r}, full_rate={float(LIMIT)!r})
    limiter = AdaptiveLimiter(FileBudget(path, rules), rules)
    print("ready", flush=True)
    start_at = float(sys.stdin.readline())
    time.sleep(max(start_at - time.time(), 0))
    stamps = []
    for _ in range(count):
        slot = limiter.reserve()
        stamps.append(slot.sent_at)  # the budget's own time of the place, not a stamp taken later
        limiter.answered(slot, throttled=False)
    print(json.dumps(stamps))
    """
)


def test_two_processes_of_one_pc_never_exceed_the_limit_together(tmp_path: Path) -> None:
    state = tmp_path / "fortnox-rate.json"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", TAKER, str(state), "24"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:  # both interpreters are up, however loaded the machine: they really run at once
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    start_at = time.time() + 0.2
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{start_at}\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=60)[0] for proc in procs]
    stamps = sorted(t for out in outputs for t in json.loads(out))
    assert all(proc.returncode == 0 for proc in procs)
    assert len(stamps) == 48
    for i, start in enumerate(stamps):  # the budget's own times: no slack needed
        assert sum(1 for t in stamps[i:] if t < start + WINDOW_S) <= LIMIT
    # and they use it: 48 places at 8 per window take about 6 windows, not 12 (one budget each would
    # have taken 3: twice the limit)
    assert 4.5 * WINDOW_S <= stamps[-1] - stamps[0] <= 8 * WINDOW_S


def test_a_rate_lowered_by_a_429_in_one_process_holds_in_the_next(tmp_path: Path) -> None:
    rules = AimdRules(window_s=WINDOW_S, full_rate=float(LIMIT))
    tray = AdaptiveLimiter(FileBudget(tmp_path / "budget.json", rules), rules)
    slot = tray.reserve()
    tray.answered(slot, throttled=True, hold_s=0.0)
    cli = AdaptiveLimiter(FileBudget(tmp_path / "budget.json", rules), rules)
    assert cli.rate == LIMIT * (1 - rules.decrease)  # a new budget at the full rate, cut once


def test_a_torn_state_file_starts_over_as_a_new_budget(tmp_path: Path) -> None:
    rules = AimdRules(window_s=WINDOW_S, full_rate=float(LIMIT))
    path = tmp_path / "budget.json"
    path.write_text('{"rate": 3.0, "sent": [1.0,', "utf-8")
    limiter = AdaptiveLimiter(FileBudget(path, rules), rules)
    assert limiter.rate == LIMIT
    assert isinstance(limiter.reserve(), Slot)
    assert json.loads(path.read_text("utf-8"))["rate"] == LIMIT  # a new budget's start: the full rate


def test_the_agent_budget_lives_in_the_state_folder_one_file_per_api_and_client(tmp_path: Path) -> None:
    limiter = shared_limiter("http://127.0.0.1:1/3", "budget-test-client", state_dir=tmp_path)
    assert isinstance(limiter, AdaptiveLimiter)
    limiter.answered(limiter.reserve(), throttled=False)
    assert budget_file(tmp_path, "http://127.0.0.1:1/3/", "budget-test-client").is_file()
    assert budget_file(tmp_path, "http://127.0.0.1:1/3", "other") != budget_file(
        tmp_path, "http://127.0.0.1:1/3", "budget-test-client"
    )
