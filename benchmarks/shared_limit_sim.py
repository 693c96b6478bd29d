"""benchmarks/shared_limit.py on virtual time: the same agents, offsets and receipts, in a second.

The real benchmark takes minutes per run and is noisy on a busy machine; trying a change to the
adaptive rules (``kassasync.fortnox.aimd``) against it one run at a time is slow. This event
simulation replays its set-up with the rules alone: N agents (one budget each, as on separate PCs),
each starting at the common moment plus its register's offset (S1..S6 of the demo company, scaled
with the window), each sending ``60 x 25 / N`` requests one after another; at the "server" the
sandbox's own limiter of 25 per window on the simulation's clock (``fortnox_sandbox.ratelimit``,
``--model counter`` or ``log``: only accepted requests count); a 429 held off as the transport holds
it (one place, doubling per 429 in a row, at most a window) and sent again. It prints the
benchmark's figures, averaged over a few seeds of the answer times.

It reproduces the benchmark's utilisation and ratio_429 for the rules as they are within about 0.04
and 0.003, its fairness 0.04-0.10 low (see docs/ARCHITECTURE.md "Sharing Fortnox's rate limit"), so
a change that does not help here will not help there; one that does must still be measured with the
real benchmark. Today's fixed limiter gives up at other moments here than in the real run, so its
figures are only a contrast, not a measurement.

    python benchmarks/shared_limit_sim.py
    python benchmarks/shared_limit_sim.py --set decrease=0.6 --set quiet_windows=4
    python benchmarks/shared_limit_sim.py --model log      # Fortnox's window read as an exact one
    python benchmarks/shared_limit_sim.py --latency-ms 100 --jitter-ms 60   # Fortnox's answer times
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import sys
from collections import deque
from dataclasses import dataclass, fields, replace
from typing import Protocol

from fortnox_sandbox.ratelimit import RATE_MODELS, RateModel, rate_limiter
from kassasync.fortnox import aimd
from kassasync.fortnox.aimd import AimdRules, BudgetState
from kassasync.fortnox.transport import ClientOptions
from kassasync.schedule_offset import SPAN_S, register_offset_s

FORTNOX_LIMIT = 25
ORGANISATION_NUMBER = "556123-4567"  # the demo company's, as in the real benchmark
START_S = 3.0
MAX_429_WAITS = ClientOptions().max_429_waits


@dataclass(frozen=True)
class Network:
    """How long a request takes, in seconds of a 1 s window: by default loopback, the sandbox and the
    engine as in the real benchmark (40 ms and up to 20 more on Fortnox's 5 s scale)."""

    latency_s: float = 0.008  # sent -> answered
    jitter_s: float = 0.004  # added to the way there, at random
    between_s: float = 0.004  # the engine's own work between one answer and the next request

    @classmethod
    def fortnox_ms(cls, latency_ms: float, jitter_ms: float, window_s: float = 1.0) -> Network:
        """Answer times given on Fortnox's 5 s scale (its recorded X-Rack-Responsetime: 64-453 ms,
        median 126, before the way there and back), shrunk with the window."""
        scale = window_s / 5.0 / 1000.0
        return cls(latency_s=latency_ms * scale, jitter_s=jitter_ms * scale, between_s=cls.between_s)


@dataclass
class Figures:
    utilisation: float
    ratio_429: float
    fairness: float
    refused: int
    posted: int


class Budget(Protocol):
    """One agent's budget, as the transport uses it: a place per request, then the answer."""

    def wait_needed(self, now: float) -> float: ...

    def take_slot(self, now: float, waited: bool) -> float: ...

    def answered(self, now: float, sent_at: float, *, throttled: bool, hold_s: float) -> None: ...


class AdaptiveBudget:
    """The agent's own rules (``aimd``), on one PC's state."""

    def __init__(self, rules: AimdRules) -> None:
        self.rules = rules
        self.state = BudgetState(rate=rules.full_rate)

    def wait_needed(self, now: float) -> float:
        return aimd.wait_needed(self.state, self.rules, now)

    def take_slot(self, now: float, waited: bool) -> float:
        return aimd.take_slot(self.state, self.rules, now, waited)

    def answered(self, now: float, sent_at: float, *, throttled: bool, hold_s: float) -> None:
        if throttled:
            aimd.on_throttled(self.state, self.rules, now, sent_at, hold_s)
        else:
            aimd.on_clean(self.state, self.rules, now)


class FixedWindow:
    """Today's limiter as the benchmark's ``fixed`` agents run it (``ratelimit.SlidingWindowLimiter``):
    24 in any window, no pacing, a 429 holds the next request off; the rate never changes."""

    def __init__(self, rules: AimdRules) -> None:
        self.limit, self.window_s = int(rules.full_rate), rules.window_s
        self.sent: deque[float] = deque()
        self.held_until = 0.0

    def wait_needed(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - self.window_s:
            self.sent.popleft()
        wait = max(self.held_until - now, 0.0)
        if len(self.sent) >= self.limit:
            wait = max(wait, self.sent[-self.limit] + self.window_s - now)
        return wait

    def take_slot(self, now: float, waited: bool) -> float:
        self.sent.append(now)
        return now

    def answered(self, now: float, sent_at: float, *, throttled: bool, hold_s: float) -> None:
        if throttled:
            self.held_until = max(self.held_until, now + hold_s)


def simulate(
    agents: int,
    rules: AimdRules,
    network: Network,
    seed: int,
    windows: int = 60,
    *,
    adaptive: bool = True,
    model: RateModel = "counter",
) -> Figures:
    """One run: every agent's requests, through its own budget, into one shared Fortnox window."""
    window = rules.window_s
    requests = math.ceil(windows * FORTNOX_LIMIT / agents)
    rng = random.Random(seed)
    clock = [0.0]
    fortnox = rate_limiter(model, FORTNOX_LIMIT, window, lambda: clock[0])
    budgets: list[Budget] = [AdaptiveBudget(rules) if adaptive else FixedWindow(rules) for _ in range(agents)]
    starts = [
        START_S + register_offset_s(ORGANISATION_NUMBER, [f"S{k + 1}"], SPAN_S * window / 5.0)
        for k in range(agents)
    ]
    done, refused, in_a_row = [0] * agents, [0] * agents, [0] * agents
    first: list[float | None] = [None] * agents
    ends = [0.0] * agents
    events: list[tuple[float, int, str, float, bool]] = [
        (s, k, "ready", 0.0, False) for k, s in enumerate(starts)
    ]
    heapq.heapify(events)
    while events:
        now, k, kind, sent_at, waited = heapq.heappop(events)
        budget = budgets[k]
        if kind == "ready":
            wait = budget.wait_needed(now)
            if wait > 0:
                heapq.heappush(events, (now + wait, k, "ready", 0.0, True))
                continue
            sent_at = budget.take_slot(now, waited)
            first[k] = now if first[k] is None else first[k]
            arrives = sent_at + network.latency_s / 2 + rng.random() * network.jitter_s
            heapq.heappush(events, (arrives, k, "server", sent_at, False))
        elif kind == "server":
            clock[0] = now
            ok = fortnox.allow(("kassasync", "chain"))
            heapq.heappush(events, (now + network.latency_s / 2, k, "ok" if ok else "429", sent_at, False))
        elif kind == "ok":
            in_a_row[k] = 0
            budget.answered(now, sent_at, throttled=False, hold_s=0.0)
            done[k] += 1
            if done[k] == requests:
                ends[k] = now
            else:
                heapq.heappush(events, (now + network.between_s, k, "ready", 0.0, False))
        else:
            refused[k] += 1
            in_a_row[k] += 1
            hold = min(window / rules.full_rate * 2 ** (in_a_row[k] - 1), window)
            budget.answered(now, sent_at, throttled=True, hold_s=hold)
            if in_a_row[k] > MAX_429_WAITS:  # the transport gives up (RateLimited): the run stops
                ends[k] = now
            else:
                heapq.heappush(events, (now, k, "ready", 0.0, False))
    began = [t if t is not None else 0.0 for t in first]
    span = max(ends) - min(began)
    throughput = [done[k] / (ends[k] - began[k]) for k in range(agents)]
    return Figures(
        utilisation=sum(done) / span / (FORTNOX_LIMIT / window),
        ratio_429=sum(refused) / (sum(done) + sum(refused)),
        fairness=min(throughput) / max(throughput),
        refused=sum(refused),
        posted=sum(done),
    )


def averaged(
    agents: int,
    rules: AimdRules,
    network: Network,
    seeds: int,
    *,
    adaptive: bool = True,
    model: RateModel = "counter",
) -> Figures:
    runs = [simulate(agents, rules, network, seed, adaptive=adaptive, model=model) for seed in range(seeds)]
    return mean(runs)


def mean(runs: list[Figures]) -> Figures:
    """The figures of several runs (seeds), averaged."""
    count = len(runs)
    return Figures(
        utilisation=sum(r.utilisation for r in runs) / count,
        ratio_429=sum(r.ratio_429 for r in runs) / count,
        fairness=sum(r.fairness for r in runs) / count,
        refused=round(sum(r.refused for r in runs) / count),
        posted=round(sum(r.posted for r in runs) / count),
    )


def rules_with(settings: list[str]) -> AimdRules:
    """The rules with ``name=value`` changes (``decrease=0.6``), on a 1 s window."""
    known = {f.name for f in fields(AimdRules)}
    changes: dict[str, float] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in known:
            raise SystemExit(f"unknown rule {name!r}; the rules are {', '.join(sorted(known))}")
        changes[name] = float(value)
    return replace(AimdRules(window_s=1.0), **changes)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agents", default="1,3,6")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--set", action="append", default=[], help="a rule changed: name=value")
    parser.add_argument("--model", choices=RATE_MODELS, default="counter", help="Fortnox's window")
    parser.add_argument("--latency-ms", type=float, help="answer time on the 5 s scale (default: loopback)")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="added at random, on the 5 s scale")
    args = parser.parse_args(argv)
    rules = rules_with(args.set)
    network = Network() if args.latency_ms is None else Network.fortnox_ms(args.latency_ms, args.jitter_ms)
    print(f"rate_model: {args.model}")
    for prefix, adaptive in (("sim", True), ("fixed_sim", False)):
        for n in (int(a) for a in args.agents.split(",")):
            figures = averaged(n, rules, network, args.seeds, adaptive=adaptive, model=args.model)
            print(f"{prefix}_n{n}_aggregate_utilisation: {figures.utilisation:.3f}")
            print(f"{prefix}_n{n}_ratio_429: {figures.ratio_429:.3f}")
            print(f"{prefix}_n{n}_fairness: {figures.fairness:.3f}")
            print(f"{prefix}_n{n}_429s: {figures.refused}")
            print(f"{prefix}_n{n}_posted: {figures.posted}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
