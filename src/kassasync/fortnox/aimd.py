"""The adaptive rate of one Fortnox budget: additive increase, multiplicative decrease (AIMD).

Fortnox's 25 requests in any 5 s belong to the client id and the company (REFERENCE §3), so the
registers of a chain share them, each on its own PC, and no agent can see the others. The only signal
they share is Fortnox's answer: a 429 says "the company's window is full". This is the answer networks
found for a shared link (TCP's congestion control): every sender lowers its own rate by a factor when
the link says "too much" and raises it by a small step while answers come back clean, so N senders
settle around 1/N of the limit each, and one sender alone keeps all of it.

The rules, and why:
- Start (a new budget, or one idle for a few windows) at half the full rate, a guess of the fair share,
  and grow by 0.4 of the rate per clean window until the first 429 (slow start): registers whose
  schedules meet do not all send 24 at once and cut several times, and an agent alone is back at 24
  within two windows (a run of 60 windows loses about 1 %).
- Requests are paced (one every ``window / rate`` seconds, one place of catch-up after a slow answer)
  inside a hard sliding window of about the rate: pacing lets a fractional rate (4.2 per 5 s) mean what
  it says, where a window of ``floor(rate)`` would waste up to one request per agent per window, and the
  hard window keeps an agent from bursting above its rate.
- A 429 cuts the rate (to 0.7 of it) once per congestion event: 429s of requests sent before the last
  cut belong to the burst that caused it and must not cut again (``cut_gap_windows`` could limit it to
  one cut per window; in the simulation that doubled the 429s of six agents, so it is off).
- The rate grows only on a clean answer while the limiter is the bottleneck (a request had to wait
  for its slot recently): an agent that sends little learns nothing about the shared window, and an
  idle agent must not come back with a rate it never tried. It grows quickly back towards the rate of
  the last cut (the window was full there, not below), slowly near it, and faster again beyond it
  (others may have finished): the shape of TCP BIC, which keeps the rate long near the shared limit.
- The rate never goes above 24 per 5 s, nor below one request per window.

Everything here is a pure function of the state and the time given, so the same rules run in one
process (tests, a simulation) and, through ``shared_budget``, across all processes of one PC.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

FULL_RATE = 24.0  # per window: the margin under Fortnox's 25 that its SDK maintainers found necessary
MIN_RATE = 1.0
TRACKED_MAX = 256  # above this many per window (tests' fast limits) only pacing limits the rate


@dataclass(frozen=True)
class AimdRules:
    """The tunable constants, in units of the window (a shortened benchmark window keeps them).

    Tuned with the benchmark (benchmarks/shared_limit.py) and an event simulation of it (the one in
    tests/unit/fortnox/test_aimd.py); docs/ARCHITECTURE.md "Sharing Fortnox's rate limit" has the figures."""

    window_s: float = 5.0
    full_rate: float = FULL_RATE
    min_rate: float = MIN_RATE
    decrease: float = 0.7  # the rate after a congestion event, as a share of the rate before it
    start_share: float = 0.5  # a new (or long idle) budget starts at this share of the full rate ...
    start_growth: float = 0.4  # ... and grows by this share per clean window until its first cut
    idle_windows: float = 4.0  # a budget that sent nothing for this many windows starts over
    cut_gap_windows: float = 0.0  # at most one cut per this many windows (1.0 doubled the 429s)
    increase: float = 0.03  # requests per window added per window's worth of clean, limited answers
    recover: float = 0.3  # below the rate of the last cut: this share of the gap per window ...
    recover_max: float = 2.0  # ... at most this many requests per window more
    probe: float = 2.0  # above it: the step grows by this factor per clean window ...
    probe_max: float = 4.0  # ... up to this many times ``increase`` (64: six agents probing overran)
    catch_up: float = 1.0  # places a late request may make up for (see ``take_slot``)
    cap_slack: float = 0.5  # the hard cap per window is ceil(rate - cap_slack): no burst above the rate
    bottleneck_windows: float = 1.0  # a wait for a slot this recent makes the limiter the bottleneck

    def __post_init__(self) -> None:
        if self.window_s <= 0 or not 1 <= self.min_rate <= self.full_rate:
            raise ValueError("a rate needs a positive window and 1 <= min_rate <= full_rate")
        if not 0 < self.decrease < 1 or self.increase <= 0:
            raise ValueError("AIMD needs 0 < decrease < 1 and a positive increase")


@dataclass
class BudgetState:
    """What the processes of one PC share about one Fortnox budget (wall-clock seconds).

    ``sent``: send times inside the last window that Fortnox counted (a 429 takes its own out);
    ``next_at``: the earliest moment the next request may go (pacing); ``cut_at``: the last congestion
    event, ``w_max``: the rate just before it (where the shared window was full)."""

    rate: float = FULL_RATE
    sent: list[float] = field(default_factory=list)
    next_at: float = 0.0
    held_until: float = 0.0
    cut_at: float = -math.inf
    limited_at: float = -math.inf
    w_max: float = FULL_RATE
    step_boost: float = 1.0
    grown_at: float = 0.0
    cuts: int = 0
    last_sent: float = -math.inf
    starting: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("cut_at", "limited_at", "last_sent"):
            if math.isinf(data[name]):
                data[name] = None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], rules: AimdRules) -> BudgetState:
        """A state read back from the shared file; anything unreadable starts over as a new budget."""
        try:
            state = cls(
                rate=_clamp(float(data.get("rate", rules.full_rate)), rules),
                sent=[float(t) for t in data.get("sent", [])],
                next_at=float(data.get("next_at", 0.0)),
                held_until=float(data.get("held_until", 0.0)),
                cut_at=_time_or_never(data.get("cut_at")),
                limited_at=_time_or_never(data.get("limited_at")),
                w_max=_clamp(float(data.get("w_max", rules.full_rate)), rules),
                step_boost=float(data.get("step_boost", 1.0)),
                grown_at=float(data.get("grown_at", 0.0)),
                cuts=int(data.get("cuts", 0)),
                last_sent=_time_or_never(data.get("last_sent")),
                starting=bool(data.get("starting", False)),
            )
        except (TypeError, ValueError, AttributeError):
            return cls(rate=rules.full_rate)
        return state


def _clamp(rate: float, rules: AimdRules) -> float:
    return min(max(rate, rules.min_rate), rules.full_rate)


def _time_or_never(value: object) -> float:
    return -math.inf if value is None else float(value)  # type: ignore[arg-type]


def wait_needed(state: BudgetState, rules: AimdRules, now: float) -> float:
    """Seconds until the next request may go (0: now); forgets sends older than the window."""
    window = rules.window_s
    state.sent = [t for t in state.sent if t > now - window]
    wait = max(state.held_until - now, state.next_at - now, 0.0)
    cap = _cap(state, rules)
    if cap <= TRACKED_MAX and len(state.sent) >= cap:
        wait = max(wait, state.sent[-cap] + window - now)
    return wait


def _cap(state: BudgetState, rules: AimdRules) -> int:
    return min(int(rules.full_rate), max(1, math.ceil(state.rate - rules.cap_slack)))


def take_slot(state: BudgetState, rules: AimdRules, now: float, waited: bool) -> float:
    """Record a request sent at ``now``; returns that moment (the transport hands it back with the
    answer, so a 429 can tell whether it was sent before or after the last cut).

    A budget new or idle for ``idle_windows`` starts over (``restart``): what it knew of the shared
    window is stale, the others may have taken it meanwhile."""
    if now - state.last_sent > rules.idle_windows * rules.window_s:
        restart(state, rules)
    state.last_sent = now
    cap = _cap(state, rules)
    if cap <= TRACKED_MAX:  # the hard window needs the last ``cap`` sends, no more
        state.sent = [*state.sent[-(cap - 1) :], now] if cap > 1 else [now]
    else:  # a test's 10 000 per window: pacing alone, and a state file that stays small
        state.sent = []
    spacing = rules.window_s / state.rate
    # A request that took longer than its spacing may be caught up on (``catch_up`` places), so a
    # slow answer does not cost the budget a place; the hard cap still bounds every window.
    state.next_at = max(state.next_at, now - rules.catch_up * spacing) + spacing
    if waited:
        state.limited_at = now
    return now


def restart(state: BudgetState, rules: AimdRules) -> None:
    """Start at a guess of the fair share (``start_share`` of the full rate), not at the full rate:
    several registers whose schedules meet would otherwise all send 24 per window at once, cut
    several times and leave one of them low. Until its first cut the rate grows by ``start_growth``
    per clean window (slow start), so an agent alone is back at 24 within a few windows."""
    state.rate = _clamp(rules.full_rate * rules.start_share, rules)
    state.w_max = rules.full_rate
    state.step_boost = 1.0
    state.starting = True


def on_clean(state: BudgetState, rules: AimdRules, now: float) -> None:
    """An answer that was not a 429. While the limiter is the bottleneck, the rate grows: quickly back
    towards the rate of the last cut (``recover``: the window was full there, not below it), by
    ``increase`` per window near it, and by a growing step beyond it (``probe``: the others may have
    finished). An agent that did not wait for a slot lately learns nothing and does not grow."""
    if now - state.limited_at > rules.bottleneck_windows * rules.window_s:
        return
    if state.starting:  # per answer: ``start_growth`` of the rate per window of them
        state.rate = _clamp(state.rate + rules.start_growth, rules)
        state.starting = state.rate < rules.full_rate
        return
    if now - state.grown_at >= rules.window_s:
        state.grown_at = now
        if state.rate >= state.w_max:
            state.step_boost = min(state.step_boost * rules.probe, rules.probe_max)
    step = rules.increase * state.step_boost
    if state.rate < state.w_max:
        step = min(max((state.w_max - state.rate) * rules.recover, step), rules.recover_max)
    state.rate = _clamp(state.rate + step / state.rate, rules)  # per answer: step per window of them


def on_throttled(state: BudgetState, rules: AimdRules, now: float, sent_at: float, hold_s: float) -> bool:
    """A 429 for a request sent at ``sent_at``: everyone here holds off ``hold_s``, and the request's
    place in the window is given back (Fortnox did not count it). The rate is cut unless this 429
    belongs to the burst that caused the last cut (sent before it). True when it cut.

    A cut below the previous cut's rate means another agent needs room: the remembered rate is then
    lowered too (half-way), so this agent does not hurry back to a share that is no longer its own."""
    state.held_until = max(state.held_until, now + hold_s)
    state.next_at = max(state.next_at, now + hold_s)
    if sent_at in state.sent:
        state.sent.remove(sent_at)
    if sent_at <= state.cut_at or now - state.cut_at < rules.cut_gap_windows * rules.window_s:
        return False
    before = state.rate
    state.rate = _clamp(before * rules.decrease, rules)
    if state.starting or before >= state.w_max:
        state.w_max = before
    else:
        state.w_max = (before + state.rate) / 2
    state.starting = False
    state.step_boost = 1.0
    state.grown_at = now
    state.cut_at = now
    state.cuts += 1
    return True
