"""The adaptive rate of one Fortnox budget: additive increase, multiplicative decrease (AIMD).

Fortnox's 25 requests in any 5 s belong to the client id and the company
(docs/sources/REFERENCE.md §3), so the registers of a chain share them, each on its own PC, and
no agent can see the others. The only signal they share is Fortnox's answer: a 429 says "the company's
window is full". This is the answer networks found for a shared link (TCP's congestion control): every
sender lowers its own rate by a factor when the link says "too much" and raises it by a small step while
answers come back clean, so N senders settle around 1/N of the limit each, and one sender alone keeps
all of it.

The rules, and why:
- Start (a new budget, or one idle for a few windows) at the full rate: an agent alone keeps today's
  utilisation, and the registers of a chain do not meet at once (``schedule_offset``).
- Requests are paced (one every ``window / rate`` seconds, one place of catch-up after a slow answer)
  inside a hard sliding window of about the rate: pacing lets a fractional rate (4.2 per 5 s) mean what
  it says, and the hard window keeps an agent from bursting above its rate.
- A 429 cuts the rate once per congestion event (429s of requests sent before the last cut belong to
  the burst that caused it), and by more the larger this agent's share of the limit is. A large
  agent gives up much, a small one little, so registers that met unequally (the first one alone at
  24, the next one arriving) come to equal shares within a few events instead of dozens.
- The rate grows only on a clean answer while the limiter is the bottleneck (a request had to wait
  for its slot recently): an idle agent learns nothing about the shared window. It grows in
  proportion to its share of the window it sees (its own requests in the last window), so N agents
  together probe by about the same step whatever N is, and faster after many quiet windows without a
  429 (the others may have finished: the tail of a run is not left idle).
- A 429 while this agent's own requests fill all but ``alone_others`` places of Fortnox's window is
  met by a trim (one below what it sent), not a cut: nobody else is there to make room for, the
  agent brushed the limit itself. Fortnox's window may be a sliding window counter that weighs the
  previous fixed window (fortnox_sandbox/ratelimit.py), and then an agent alone at 24, paced, meets
  an odd 429 when two answers bunch; halving for it cost a lone agent a tenth of its run.
- The rate never goes above 24 per 5 s, nor below one request per window.

Everything here is a pure function of the state and the time given, so the same rules run in one
process (tests, a simulation) and, through ``shared_budget``, across all processes of one PC.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

FORTNOX_LIMIT = 25  # per window, per client id and company (REFERENCE §3)
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
    decrease: float = 0.5  # a cut takes this times the square root of the agent's share of the limit
    increase: float = 0.5  # growth per window of clean, limited answers: this times the share ...
    increase_floor: float = 0.1  # ... plus this times (1 - share) ** 3 (a small agent still grows)
    quiet_windows: float = 8.0  # after this many windows without a cut the growth speeds up ...
    quiet_doubling: float = 2.0  # ... doubling every this many windows ...
    quiet_boost: float = 8.0  # ... up to this factor
    idle_windows: float = 4.0  # a budget that sent nothing for this many windows starts over
    catch_up: float = 1.0  # places a late request may make up for (see ``take_slot``)
    cap_slack: float = 0.5  # the hard cap per window is ceil(rate - cap_slack): no burst above the rate
    bottleneck_windows: float = 1.0  # a wait for a slot this recent makes the limiter the bottleneck
    alone_others: float = 2.0  # a 429 with the others' part of the window at most this only trims

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
    event; ``limited_at``: the last time a request had to wait for its slot."""

    rate: float = FULL_RATE
    sent: list[float] = field(default_factory=list)
    next_at: float = 0.0
    held_until: float = 0.0
    cut_at: float = -math.inf
    limited_at: float = -math.inf
    cuts: int = 0
    last_sent: float = -math.inf

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
                cuts=int(data.get("cuts", 0)),
                last_sent=_time_or_never(data.get("last_sent")),
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
    """A new or long idle budget starts at the full rate: what it knew of the shared window is stale,
    and an agent alone must not lose its first windows to a cautious start."""
    state.rate = rules.full_rate
    state.cut_at = -math.inf


def share(state: BudgetState, rules: AimdRules) -> float:
    """This PC's part of the company's window: its own requests in the last window over the limit."""
    return min(len(state.sent) / rules.full_rate, 1.0)


def on_clean(state: BudgetState, rules: AimdRules, now: float) -> None:
    """An answer that was not a 429. While the limiter is the bottleneck the rate grows per window of
    answers by ``increase`` times its share (N agents together grow by about ``increase``, whatever N
    is: the 429s stay few with six agents as with two) plus ``increase_floor`` for a small agent; after
    ``quiet_windows`` without a cut faster, up to ``quiet_boost`` times (the others may have finished).
    An agent that did not wait for a slot lately learns nothing and does not grow."""
    if now - state.limited_at > rules.bottleneck_windows * rules.window_s:
        return
    mine = share(state, rules)
    step = rules.increase * mine + rules.increase_floor * (1.0 - mine) ** 3
    quiet = (now - state.cut_at) / rules.window_s - rules.quiet_windows
    if quiet > 0:
        step *= min(2.0 ** (quiet / rules.quiet_doubling), rules.quiet_boost)
    state.rate = _clamp(state.rate + step / state.rate, rules)  # per answer: step per window of them


def _others_places(rules: AimdRules, counted: int) -> float:
    """The places of Fortnox's window its own ``counted`` requests leave to others, in places of the
    real 25: a budget scaled for a test (120 per window against a sandbox of 125) compares like the
    real one. A budget whose hard cap is above ``TRACKED_MAX`` (the tests' 10 000 per window) counts
    nothing, and a 429 there is never taken for alone."""
    scale = rules.full_rate / FULL_RATE
    return FORTNOX_LIMIT - counted / scale


def on_throttled(state: BudgetState, rules: AimdRules, now: float, sent_at: float, hold_s: float) -> bool:
    """A 429 for a request sent at ``sent_at``: everyone here holds off ``hold_s``, and the request's
    place in the window is given back (Fortnox did not count it). The rate is cut unless this 429
    belongs to the burst that caused the last cut (sent before it), by ``decrease`` times the square
    root of this agent's share of the limit (its rate: a newcomer at the full rate gives up half at
    once, not a little per 429); trimmed by one when its own requests fill the window. True when
    it cut."""
    state.held_until = max(state.held_until, now + hold_s)
    state.next_at = max(state.next_at, now + hold_s)
    if sent_at in state.sent:
        state.sent.remove(sent_at)
    if sent_at <= state.cut_at:
        return False
    counted = sum(1 for t in state.sent if t > now - rules.window_s)
    if _others_places(rules, counted) <= rules.alone_others:  # alone: it brushed the limit itself
        state.rate = _clamp(min(state.rate, counted) - 1.0, rules)
    else:
        mine = min(state.rate / rules.full_rate, 1.0)
        state.rate = _clamp(state.rate * (1.0 - rules.decrease * math.sqrt(mine)), rules)
    state.cut_at = now
    state.cuts += 1
    return True
