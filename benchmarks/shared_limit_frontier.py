"""How far the adaptive rules can go: a random search over their constants in the simulation.

The shared-limit goals (benchmarks/shared_limit.py) are several figures at once, and the rules'
constants trade them against each other: a smaller step up means fewer 429s and slower recovery, a
deeper cut means fewer 429s and a less even share. This search draws ``--samples`` settings of every
constant of ``AimdRules`` from wide ranges, runs each through the simulation
(benchmarks/shared_limit_sim.py, ``--seeds`` answer-time seeds per N) and prints, per N, the best
that any setting reached on each goal alone and on each goal while meeting the others, and how many
settings met all goals at every N ("the others" include the lone agent's utilisation; makespan is
left out: in the simulation it is the inverse of utilisation). So "no setting of these rules was
found that meets the goals" is a measurement anyone can repeat, not an opinion. It is not a proof:
random sampling shows what it found, a larger ``--samples`` can only find more, and the
simulation's fairness runs 0.04-0.10 below the real benchmark's (docs/ARCHITECTURE.md), so a
setting near the goals here is worth measuring with benchmarks/shared_limit.py.

    python -m benchmarks.shared_limit_frontier                      # 600 settings, ~30 s on 2 cores
    python -m benchmarks.shared_limit_frontier --samples 4000 --model log
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from benchmarks.shared_limit_sim import FORTNOX_LIMIT, Figures, Network, mean, simulate
from fortnox_sandbox.ratelimit import RATE_MODELS, RateModel
from kassasync.fortnox.aimd import AimdRules

GOALS = {"utilisation": 0.90, "ratio_429": 0.02, "fairness": 0.8}
GOAL_ALONE = 0.95
AGENTS = (1, 3, 6)
WINDOWS = 60  # the simulation's run at the limit, as the benchmark's

# Each constant's range: wide around today's value, inside what the rules accept.
RANGES: dict[str, tuple[float, float]] = {
    "decrease": (0.1, 0.9),
    "increase": (0.05, 2.0),
    "increase_floor": (0.0, 0.5),
    "quiet_windows": (1.0, 20.0),
    "quiet_doubling": (0.5, 8.0),
    "quiet_boost": (1.0, 16.0),
    "idle_windows": (1.0, 8.0),
    "catch_up": (0.0, 2.0),
    "cap_slack": (0.0, 1.0),
    "bottleneck_windows": (0.25, 4.0),
    "alone_others": (0.0, 4.0),
}


@dataclass(frozen=True)
class Outcome:
    """One setting's figures per N, averaged over the seeds."""

    changes: dict[str, float]
    by_agents: dict[int, Figures]
    complete: dict[int, bool]  # every run posted all its receipts (no agent gave up)

    def meets(self, n: int, skip: str = "") -> bool:
        """Whether N's goals hold, leaving out ``skip`` (the goal being looked at)."""
        f = self.by_agents[n]
        if not self.complete[n]:
            return False
        if n == 1:
            return f.utilisation >= GOAL_ALONE
        checks = {
            "utilisation": f.utilisation >= GOALS["utilisation"],
            "ratio_429": f.ratio_429 <= GOALS["ratio_429"],
            "fairness": f.fairness >= GOALS["fairness"],
        }
        return all(ok for goal, ok in checks.items() if goal != skip)


@dataclass(frozen=True)
class Trial:
    changes: dict[str, float]
    seeds: int
    model: RateModel
    network: Network


def run_trial(trial: Trial) -> Outcome:
    rules = replace(AimdRules(window_s=1.0), **trial.changes)
    by_agents: dict[int, Figures] = {}
    complete: dict[int, bool] = {}
    for n in AGENTS:
        runs = [
            simulate(n, rules, trial.network, seed, WINDOWS, model=trial.model) for seed in range(trial.seeds)
        ]
        by_agents[n] = mean(runs)
        complete[n] = all(r.posted == n * math.ceil(WINDOWS * FORTNOX_LIMIT / n) for r in runs)
    return Outcome(trial.changes, by_agents, complete)


def draw(rng: random.Random) -> dict[str, float]:
    return {name: rng.uniform(low, high) for name, (low, high) in RANGES.items()}


def best(
    outcomes: list[Outcome], n: int, goal: str, value: Callable[[Figures], float], lowest: bool
) -> Outcome | None:
    """The setting that did best on ``goal`` at N among those meeting N's other goals and the lone
    agent's (a setting that ruins one register alone is no answer for six)."""
    fitting = [o for o in outcomes if o.meets(1) and o.meets(n, skip=goal)]
    if not fitting:
        return None
    pick = min if lowest else max
    return pick(fitting, key=lambda o: value(o.by_agents[n]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=600)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026, help="of the drawing of settings")
    parser.add_argument("--model", choices=RATE_MODELS, default="counter", help="Fortnox's window")
    parser.add_argument("--latency-ms", type=float, help="answer time on the 5 s scale (default: loopback)")
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    network = Network() if args.latency_ms is None else Network.fortnox_ms(args.latency_ms, args.jitter_ms)
    rng = random.Random(args.seed)
    trials = [Trial({}, args.seeds, args.model, network)]  # today's rules first
    trials += [Trial(draw(rng), args.seeds, args.model, network) for _ in range(args.samples)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outcomes = list(pool.map(run_trial, trials, chunksize=8))
    today, drawn = outcomes[0], outcomes[1:]
    print(f"rate_model: {args.model}")
    print(f"settings_tried: {len(drawn)}")
    print(f"settings_meeting_all_goals: {sum(all(o.meets(n) for n in AGENTS) for o in drawn)}")
    goals: list[tuple[str, Callable[[Figures], float], bool]] = [
        ("utilisation", lambda f: f.utilisation, False),
        ("ratio_429", lambda f: f.ratio_429, True),
        ("fairness", lambda f: f.fairness, False),
    ]
    for n in AGENTS[1:]:
        figures = today.by_agents[n]
        print(f"today_n{n}_utilisation: {figures.utilisation:.3f}")
        print(f"today_n{n}_ratio_429: {figures.ratio_429:.3f}")
        print(f"today_n{n}_fairness: {figures.fairness:.3f}")
        for goal, value, lowest in goals:
            reached = [value(o.by_agents[n]) for o in drawn if o.complete[n]]
            alone = f"{(min if lowest else max)(reached):.3f}" if reached else "none"
            print(f"best_n{n}_{goal}: {alone}")
            found = best(drawn, n, goal, value, lowest)
            shown = "none" if found is None else f"{value(found.by_agents[n]):.3f}"
            print(f"best_n{n}_{goal}_given_the_other_goals: {shown}")
            if found is not None:  # to measure it again: shared_limit_sim.py --set name=value ...
                setting = " ".join(f"{name}={v:.3g}" for name, v in found.changes.items())
                print(f"best_n{n}_{goal}_setting: {setting}")
    return 0


if __name__ == "__main__":
    # Run as a script (``python -m benchmarks`` runs it from its path), this module is ``__main__``, and
    # a process pool that does not fork cannot find its trials there: run the one imported by name.
    from benchmarks import shared_limit_frontier

    sys.exit(shared_limit_frontier.main(sys.argv[1:]))
