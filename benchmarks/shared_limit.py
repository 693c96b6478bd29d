"""Many registers, one Fortnox company: how well N agents share Fortnox's 25 requests per 5 s.

N agent processes (N = 1, 3, 6), each with its own home (so its own PC-wide rate budget), its own
company file (one register of the chain: its own register code and receipts) and its own login to the
same sandbox company, start the way their schedules meet: all scheduled at the same moment, each
delayed by its register's offset (``kassasync.schedule_offset``, scaled with the window), each posting
M receipts (push only: the real ``SyncEngine`` in a fresh child process, the real company file; the
master data is pulled beforehand, one agent at a time, and not measured). They coordinate only through
Fortnox's answers (429) and the offsets, as on separate PCs.

Figures, per N (printed as ``n3_aggregate_utilisation: 0.93``; today's fixed limiter, a window of 24
per process that only holds off after a 429, as ``fixed_n3_...``, measured in the same run):

- ``aggregate_utilisation``: requests Fortnox counted (answered, not 429) per second, from the first
  agent's first request to the last agent's last answer, over the limit (25 per window);
- ``ratio_429``: 429s over all requests (the sandbox's per-token counters);
- ``fairness``: the slowest agent's throughput over the fastest's (requests counted per second from
  its own first request to its last answer);
- ``makespan_ratio``: the time until the last agent is done over all counted requests at the limit.

``--limiters adaptive,fixed,shared`` adds an experiment, printed as ``shared_n3_...``: the agents'
adaptive budget in one folder common to all registers of the run, as a network share or one agent
per company would give them. It shows what a signal shared between the registers buys over Fortnox's
429 alone; the agent has no such setting.

Goals: N = 1 utilisation >= 0.95; N = 3 and 6: utilisation >= 0.90, ratio_429 <= 0.02, fairness >= 0.8,
makespan_ratio <= 1.15. Every receipt must be posted exactly once (``*_posted``, ``*_doubled``).

``--rate-model`` is the sandbox's reading of Fortnox's sliding window: ``counter`` (the default, the
algorithm Fortnox's page once spelled out) or ``log`` (an exact window; fortnox_sandbox/ratelimit.py).

``--window`` shortens Fortnox's 5 s window (the sandbox's and the agents' alike, and the offsets with
it), keeping 25 per window and 24 per window: the ratios are those of the real limit, as long as the
machine keeps up with 25 requests per window.

    python benchmarks/shared_limit.py                          # the real 5 s window (~10 minutes)
    python benchmarks/shared_limit.py --window 1                 # 60 windows a run: M = 1500 / N
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fortnox_sandbox.ratelimit import RATE_MODELS, RateModel
from kassasync.clock import STOCKHOLM
from kassasync.config import FortnoxSettings, Posting, Settings
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.paths import AppPaths
from kassasync.schedule_offset import SPAN_S, register_offset_s

FORTNOX_LIMIT, AGENT_LIMIT, FORTNOX_WINDOW_S = 25, 24, 5.0
GOALS = {"aggregate_utilisation": 0.90, "ratio_429": 0.02, "fairness": 0.8, "makespan_ratio": 1.15}
GOAL_ALONE = 0.95
LIMITERS = {"adaptive", "fixed", "shared"}
START_DELAY_S = 3.0  # the children import and open their files before the common scheduled moment


# -- the child: one agent's sync, started at its moment ---------------------------------------------


def child(job: dict[str, Any]) -> None:
    """One agent: wait for the scheduled moment plus this register's offset, sync, print the figures."""
    from kassasync.environment import read_environment
    from kassasync.fortnox import connect
    from kassasync.fortnox.ratelimit import SlidingWindowLimiter
    from kassasync.fortnox.transport import FortnoxTransport
    from kassasync.paths import app_paths
    from kassasync.sync.collaborators import engine_for
    from kassasync.sync.events import SyncRequest

    if job["limiter"] == "fixed":  # today's limiter: one fixed window per process, hold after a 429
        fixed: dict[str, SlidingWindowLimiter] = {}

        def fixed_limiter(api_url: str, client_id: str, **kwargs: Any) -> SlidingWindowLimiter:
            if client_id not in fixed:
                fixed[client_id] = SlidingWindowLimiter(kwargs["limit"], kwargs["window_s"])
            return fixed[client_id]

        setattr(connect, "shared_limiter", fixed_limiter)  # noqa: B010 (today's limiter, this process)
    if job["limiter"] == "shared":  # the experiment: one budget file for all registers of the run
        from kassasync.fortnox.ratelimit import shared_limiter as own_budget

        def one_budget(api_url: str, client_id: str, **kwargs: Any) -> Any:
            return own_budget(api_url, client_id, **{**kwargs, "state_dir": Path(job["budget_dir"])})

        setattr(connect, "shared_limiter", one_budget)  # noqa: B010 (the run's common budget folder)
    span: list[float] = []  # the first request's start, the last answer's end (wall clock)
    send = FortnoxTransport.request

    def timed(self: FortnoxTransport, *args: Any, **kwargs: Any) -> Any:
        if not span:
            span.append(time.time())
        try:
            return send(self, *args, **kwargs)
        finally:
            span[1:] = [time.time()]

    FortnoxTransport.request = timed  # type: ignore[method-assign]
    environment = read_environment()
    paths = app_paths(environment.home).ensure()
    settings = Settings(
        company_path=Path(job["company_dir"]),
        posting=Posting.PER_RECEIPT,
        fortnox=FortnoxSettings(
            api_url=job["api_url"], auth_url=job["auth_url"], client_id=os.environ["KASSASYNC_CLIENT_ID"]
        ),
    )
    engine = engine_for(
        settings,
        paths,
        environment,
        token_store=FileTokenStore(paths.token_file),
        rate_limit=AGENT_LIMIT,
        rate_window_s=job["window_s"],
    )
    request = SyncRequest(kind="changes", pull=job["pull"], push=job["push"], trigger="schedule")
    delay = job["start_at"] - time.time()
    if delay > 0:
        time.sleep(delay)
    report = engine.run(request)
    result = {
        "outcome": report.outcome.value,
        "errors": [e.detail for e in report.errors][:5],
        "requests": report.requests_used,
        "posted": report.posted_count,
        "started": span[0] if span else time.time(),
        "finished": span[-1] if span else time.time(),
    }
    print("RESULT " + json.dumps(result), flush=True)


# -- the parent: sandbox, agents, figures -----------------------------------------------------------


@dataclass
class Agent:
    index: int
    register: str
    home: Path
    company_dir: Path
    token: str
    offset_s: float

    def env(self, sandbox: Any) -> dict[str, str]:
        return {
            **os.environ,
            "KASSASYNC_HOME": str(self.home),
            "KASSASYNC_CLIENT_ID": sandbox.client_id,
            "KASSASYNC_CLIENT_SECRET": sandbox.client_secret,
            "KASSASYNC_TOKEN_STORE": "file",
        }


def make_company(directory: Path, register: str, receipts: int, seed: int) -> str:
    """One register's company file: the demo company's master data, ``receipts`` plain sales of its
    own register (no returns: their originals belong to the demo's registers). Returns the org number."""
    from kassasync.pos.demo import DemoSales, core_articles, demo_core
    from kassasync.pos.records import Customer, Price, Register
    from kassasync.pos.store import PosStore, company_file

    core = demo_core()
    rng = random.Random(seed)
    directory.mkdir(parents=True)
    orgnr = str(core["Company"]["OrganizationNumber"])
    with PosStore.create(company_file(directory), core["Company"]["CompanyName"], orgnr) as store:
        store.add_register(Register(register, f"Kassa {register}", f"Butik {register}"))
        articles = core_articles(core, rng)
        store.upsert_articles(articles)
        cash = core["CashCustomer"]
        store.upsert_customers([Customer(cash["CustomerNumber"], cash["Name"], price_list=cash["PriceList"])])
        store.upsert_prices(Price(cash["PriceList"], a.article_number, a.sales_price_ore) for a in articles)
        days = receipts // 20 + 2
        added = 0
        now = datetime.now(tz=STOCKHOLM) - timedelta(minutes=5)
        for receipt in DemoSales(articles, rng).receipts(now, days):
            if receipt.is_return or receipt.original_receipt is not None:
                continue
            added += 1
            store.add_receipt(receipt.model_copy(update={"register_code": register, "receipt_number": added}))
            if added == receipts:
                break
        if added < receipts:
            raise RuntimeError(f"the demo sales gave {added} receipts, {receipts} asked for")
    return orgnr


def spawn(job: dict[str, Any], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def result_of(proc: subprocess.Popen[str], name: str) -> dict[str, Any]:
    out, _ = proc.communicate()
    line = next((line for line in out.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"{name} printed no result (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    if result["outcome"] != "ok":
        print(f"note: {name} ended {result['outcome']}: {result['errors']}", file=sys.stderr)
    return result


def run(
    n: int, limiter: str, receipts: int, window_s: float, model: RateModel, root: Path
) -> dict[str, float]:
    from fortnox_sandbox.faults import token_tag
    from fortnox_sandbox.testing import running_sandbox

    scale = window_s / FORTNOX_WINDOW_S
    sandbox_running = running_sandbox(rate_limit=FORTNOX_LIMIT, rate_window_s=window_s, rate_model=model)
    with sandbox_running as sandbox:
        agents: list[Agent] = []
        for index in range(n):
            register = f"S{index + 1}"
            home = root / f"{limiter}-n{n}" / f"agent-{index + 1}"
            company_dir = home / "butik"
            orgnr = make_company(company_dir, register, receipts, seed=4711 + index)
            tokens = sandbox.issue_tokens()
            paths = AppPaths(config_dir=home / "config", log_dir=home / "logs", state_dir=home / "state")
            FileTokenStore(paths.ensure().token_file).save(
                TokenSet.from_response(tokens, datetime.now(tz=STOCKHOLM))
            )
            offset = register_offset_s(orgnr, [register]) * scale
            agents.append(Agent(index, register, home, company_dir, tokens["access_token"], offset))
        base: dict[str, Any] = {
            "api_url": sandbox.api_url,
            "auth_url": f"{sandbox.base_url}/oauth-v1",
            "limiter": limiter,
            "window_s": window_s,
            "budget_dir": str(root / f"{limiter}-n{n}" / "common-budget"),
        }
        for agent in agents:  # the master data, one agent after another, not measured
            job = {**base, "company_dir": str(agent.company_dir), "pull": True, "push": False, "start_at": 0}
            result_of(spawn(job, agent.env(sandbox)), f"pull {agent.register}")
        sandbox.reset_counters()
        scheduled = time.time() + START_DELAY_S
        procs = []
        for agent in agents:
            job = {**base, "company_dir": str(agent.company_dir), "pull": False, "push": True}
            job["start_at"] = scheduled + agent.offset_s
            procs.append(spawn(job, agent.env(sandbox)))
        results = [result_of(proc, f"agent {a.register}") for proc, a in zip(procs, agents, strict=True)]
        counters = sandbox.counters()
    sent = [counters["requests_by_token"].get(token_tag(a.token), 0) for a in agents]
    refused = [counters["429s_by_token"].get(token_tag(a.token), 0) for a in agents]
    counted = [s - r for s, r in zip(sent, refused, strict=True)]
    first = min(r["started"] for r in results)
    last = max(r["finished"] for r in results)
    span = last - first
    limit_per_s = FORTNOX_LIMIT / window_s
    throughputs = [c / (r["finished"] - r["started"]) for c, r in zip(counted, results, strict=True)]
    doubled = sum(count - 1 for count in counters["vouchers_by_description"].values() if count > 1)
    return {
        "aggregate_utilisation": sum(counted) / span / limit_per_s,
        "ratio_429": sum(refused) / max(sum(sent), 1),
        "fairness": min(throughputs) / max(throughputs),
        "makespan_ratio": span / (sum(counted) / limit_per_s),
        "requests": float(sum(sent)),
        "429s": float(sum(refused)),
        "posted": float(sum(r["posted"] for r in results)),
        "doubled": float(doubled),
        "span_s": span,
        "last_offset_s": max(a.offset_s for a in agents),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--agents", default="1,3,6", help="comma-separated N (default 1,3,6)")
    parser.add_argument(
        "--receipts", type=int, default=0, help="receipts per agent (M; default: enough for --windows)"
    )
    parser.add_argument(
        "--windows",
        type=int,
        default=60,
        help="windows a run spans at the limit (default 60): M = this x 25 / N",
    )
    parser.add_argument("--window", type=float, default=FORTNOX_WINDOW_S, help="rate window (Fortnox: 5)")
    parser.add_argument(
        "--limiters",
        default="adaptive,fixed",
        help="adaptive (the agent's), fixed (the old one), shared (an experiment: one budget folder for all)",
    )
    parser.add_argument("--rate-model", choices=RATE_MODELS, default="counter", help="the sandbox's window")
    args = parser.parse_args(argv)
    unknown = set(args.limiters.split(",")) - LIMITERS
    if unknown:
        parser.error(
            f"unknown limiter {', '.join(sorted(unknown))}; the limiters are {', '.join(sorted(LIMITERS))}"
        )
    if args.child:
        child(json.loads(args.child))
        return 0
    counts = [int(n) for n in args.agents.split(",")]
    if args.window != FORTNOX_WINDOW_S:
        print(
            f"note: window {args.window} s instead of Fortnox's 5 s, same {FORTNOX_LIMIT} per window; "
            f"offsets scaled to [0, {SPAN_S * args.window / FORTNOX_WINDOW_S:g}) s"
        )
    print(f"window_s: {args.window}")
    print(f"rate_model: {args.rate_model}")
    receipts = {n: args.receipts or math.ceil(args.windows * FORTNOX_LIMIT / n) for n in counts}
    goals_missed = broken = False
    with tempfile.TemporaryDirectory() as tmp:
        for limiter in args.limiters.split(","):
            prefix = "" if limiter == "adaptive" else f"{limiter}_"
            for n in counts:
                print(f"{prefix}n{n}_receipts_per_agent: {receipts[n]}", flush=True)
                figures = run(n, limiter, receipts[n], args.window, args.rate_model, Path(tmp))
                for name, value in figures.items():
                    text = f"{value:.3f}" if name in GOALS or name.endswith("_s") else f"{value:.0f}"
                    print(f"{prefix}n{n}_{name}: {text}", flush=True)
                if limiter == "adaptive":
                    goals_missed |= not meets_goals(n, figures, receipts[n])
                # Whatever the limiter, nothing is posted twice; the shared budget, like the agent's,
                # posts every receipt (the fixed one's agents give up after 11 429s in a row).
                broken |= figures["doubled"] > 0
                broken |= limiter == "shared" and figures["posted"] != n * receipts[n]
    if "adaptive" in args.limiters.split(","):  # the goals are the agent's, not the contrasts'
        print(f"goals_met: {'no' if goals_missed else 'yes'}")
    return 1 if goals_missed or broken else 0


def meets_goals(n: int, figures: dict[str, float], receipts: int) -> bool:
    exact = figures["posted"] == n * receipts and figures["doubled"] == 0
    if n == 1:
        return exact and figures["aggregate_utilisation"] >= GOAL_ALONE
    return (
        exact
        and figures["aggregate_utilisation"] >= GOALS["aggregate_utilisation"]
        and figures["ratio_429"] <= GOALS["ratio_429"]
        and figures["fairness"] >= GOALS["fairness"]
        and figures["makespan_ratio"] <= GOALS["makespan_ratio"]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
