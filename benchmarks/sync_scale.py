"""Proof at scale: a 100 000-article shop pulled, 5 000 receipts and their daily summaries pushed.

The sandbox holds the demo company grown to scale (``fortnox_sandbox.large_seed.demo_at_scale``):
100 000 articles priced in list A (the cash customer's list) and 10 000 customers. The real
``SyncEngine`` then runs in child processes (fresh interpreters; the sandbox and this script's memory
are not theirs), one after another against the same tenant:

1. pull: "Synkronisera allt" without the push, into the demo company file (real SQLite);
2. receipts: push only, one voucher per receipt (the demo company has >= 5 000 pending receipts);
3. summaries: push only, one voucher per register and closed day, from a copy of the company file
   taken after the pull (so the same receipts are pending there).

Then a naive baseline, what peers do: one GET /3/articles/{n} per article and a fixed 250 ms pause
per call (scaled with the limit, see below), on a 200-article slice.

The sandbox's article list rows are real-shaped (``VAT: null``, ``SalesPrice: null``, as recorded
Fortnox traffic shows), so a first pull fetches one article detail per article: that is in the
minimum. ``resume_requests_ratio``: a first pull on a fresh copy, SIGKILLed once half the details are
fetched, then run again; both runs' requests over the full pull's (goal <= 1.02). ``first_push_s``:
how long the receipts pending as a first sync starts wait for the push (the engine first pulls the
short lists and the details of the articles being sold, and pushes before the catalogue);
``push_delay_s``: how long a receipt sold while the long article pull runs waits to be posted (the run
pushes once per schedule interval between catalogue requests; goal: under one interval).

Figures: ``requests`` against ``requests_minimum`` (pages of 500 for every list, one detail per new
article, the fixed lookups of tests/integration/sync/test_full_integration.py, the check-before-create
listings: one per (series, day) with receipts, printed as ``*_check_before_create_listings``, one POST
per receipt or register-day); ``wall_s``
(the engine's own run time per phase, summed) against ``bound_s`` = requests / Fortnox's rate;
``429s`` from the sandbox's counters; ``peak_rss_mb``: the pull's child process's own peak (its
/proc/self/status VmHWM; RUSAGE_CHILDREN would count this parent's pages at fork); ``upsert_s``: time
inside the store's upsert_* calls during the pull minus the time those calls spent waiting for the
next row from the network stream (so: SQLite writes and row conversion only).

Rate limit: Fortnox allows 25 requests per 5 s (the engine runs at 24). At that rate the full run
(~5 900 requests) takes ~20 minutes, so ``--scale-limit K`` (or ``SYNC_SCALE_LIMIT``) multiplies both the
sandbox's and the engine's limit by K in the same 5 s window; the naive pause is divided by K, so every
ratio printed is the one the real limit would give (as long as the sandbox keeps up with K x 5 req/s).

    python -m benchmarks sync_scale                              # full size, K from SYNC_SCALE_LIMIT or 5
    python benchmarks/sync_scale.py --articles 2000 --customers 500 --receipts 200   # a quick run
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kassasync.clock import STOCKHOLM
from kassasync.config import FortnoxSettings, Posting, Settings
from kassasync.environment import read_environment
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.paths import app_paths
from kassasync.pos.store import PosStore, company_file
from kassasync.sync.collaborators import engine_for
from kassasync.sync.events import SyncRequest

FORTNOX_LIMIT, ENGINE_LIMIT, WINDOW_S = 25, 24, 5.0
PAGE = 500
RECEIPTS_PER_DAY = 24  # the demo register day: 12 receipts on each of its two registers
NAIVE_PAUSE_S = 0.25
GOAL_REQUESTS, GOAL_WALL, GOAL_RSS_MB, GOAL_RESUME = 1.05, 1.10, 150.0, 1.02
FIRST_SYNC_SERIES = "Q"  # a manual series of the measurement's own for the first-sync phase
SCHEDULE_INTERVAL_S = 15 * 60  # the default schedule (config.Schedule.every_minutes)


def pages(n: int) -> int:
    return max(1, math.ceil(n / PAGE))


# -- the child: one engine run, measured -----------------------------------------------------------


def _time_upserts(totals: dict[str, float]) -> None:
    """Wrap PosStore.upsert_*: time inside each call, minus the time spent pulling rows from its stream."""

    def wrap(name: str) -> None:
        method: Callable[..., Any] = getattr(PosStore, name)

        def timed(self: PosStore, rows: Iterable[Any], *args: Any, **kwargs: Any) -> Any:
            fetching = 0.0

            def stream() -> Iterator[Any]:
                nonlocal fetching
                source = iter(rows)
                while True:
                    started = time.perf_counter()
                    try:
                        row = next(source)
                    except StopIteration:
                        fetching += time.perf_counter() - started
                        return
                    fetching += time.perf_counter() - started
                    yield row

            started = time.perf_counter()
            try:
                return method(self, stream(), *args, **kwargs)
            finally:
                totals["upsert_s"] += time.perf_counter() - started - fetching

        setattr(PosStore, name, timed)

    for name in ("upsert_predefined_accounts", "upsert_accounts", "upsert_customers", "upsert_articles"):
        wrap(name)
    wrap("upsert_prices")
    removal: Callable[..., Any] = PosStore.remove_articles_missing_from

    def timed_removal(self: PosStore, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return removal(self, *args, **kwargs)
        finally:
            totals["remove_s"] += time.perf_counter() - started

    PosStore.remove_articles_missing_from = timed_removal  # type: ignore[method-assign]


def _vm_hwm_kb() -> int:
    """This process's peak resident set since its exec (Linux): /proc/self/status VmHWM."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


def child(job: dict[str, Any]) -> None:
    """Run one sync in this (fresh) process and print its figures as one JSON line."""
    totals = {"upsert_s": 0.0, "remove_s": 0.0}
    _time_upserts(totals)
    environment = read_environment()
    paths = app_paths(environment.home).ensure()
    settings = Settings(
        company_path=Path(job["company_dir"]),
        posting=Posting(job["posting"]),
        voucher_series=job.get("voucher_series", "F"),
        fortnox=FortnoxSettings(
            api_url=job["api_url"], auth_url=job["auth_url"], client_id=os.environ["KASSASYNC_CLIENT_ID"]
        ),
    )
    engine = engine_for(
        settings,
        paths,
        environment,
        token_store=FileTokenStore(paths.token_file),
        rate_limit=job["rate_limit"],
        rate_window_s=job["rate_window_s"],
        push_during_pull_s=job.get("push_during_pull_s"),
    )
    request = SyncRequest(kind="everything", pull=job["pull"], push=job["push"], trigger="cli")
    started = time.monotonic()
    pushed: list[float] = []

    def watch(event: object) -> None:
        """First sync: say when the push is done (the first catalogue event after the receipts)."""
        step = getattr(event, "step", None)
        if step == "receipts" and not pushed:
            pushed.append(0.0)
        if step == "articles" and pushed and pushed[0] == 0.0:
            pushed[0] = time.monotonic() - started
            print(f"PUSHED {pushed[0]:.3f}", flush=True)

    report = engine.run(request, emit=watch)
    result = {
        "outcome": report.outcome.value,
        "errors": [e.detail for e in report.errors][:5],
        "requests": report.requests_used,
        "duration_s": report.duration_s,
        "steps": {name: vars(counts) for name, counts in report.steps.items()},
        "posted": report.posted_count,
        "vouchers": len({ref for _, ref in report.posted}),
        "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "vm_hwm_kb": _vm_hwm_kb(),
        **totals,
    }
    print("RESULT " + json.dumps(result), flush=True)


# -- the parent: sandbox, company files, phases, baseline -------------------------------------------


@dataclass
class Phase:
    name: str
    result: dict[str, Any]
    minimum: int
    used: int  # requests the sandbox counted (OAuth token calls left out, as in the integration test)
    rate_limited: int


def run_child(job: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    if result["outcome"] != "ok":
        print(f"note: {job['name']} ended {result['outcome']}: {result['errors']}", file=sys.stderr)
    return result


def naive_baseline(sandbox: Any, numbers: list[str], pause_s: float) -> tuple[int, float, int]:
    """GET /3/articles/{n} for each article, a fixed pause after each call: (requests, seconds, 429s)."""
    import requests  # the baseline is what peers write: requests and a sleep

    token = sandbox.issue_tokens()["access_token"]
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})
    sandbox.reset_counters()
    made = 0
    started = time.perf_counter()
    for number in numbers:
        response = session.get(f"{sandbox.api_url}/articles/{number}", timeout=30)
        made += 1
        response.json()
        time.sleep(pause_s)
    elapsed = time.perf_counter() - started
    session.close()
    return made, elapsed, int(sandbox.counters()["429s"])


def sandbox_page_s(sandbox: Any, samples: int = 5) -> dict[str, float]:
    """How long the sandbox takes to answer one 500-row page of each big list (rate limit reset first):
    the floor of the pull's wall time that is the simulator's, not the engine's."""
    import requests

    sandbox.reset_counters()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {sandbox.issue_tokens()['access_token']}"
    result = {}
    for name, resource_path in (("articles", "articles"), ("prices", "prices/sublist/A")):
        started = time.perf_counter()
        for page in range(1, samples + 1):
            params = {"limit": PAGE, "page": page}
            session.get(f"{sandbox.api_url}/{resource_path}", params=params, timeout=60).json()
        result[name] = (time.perf_counter() - started) / samples
    session.close()
    return result


def resume_after_kill(
    sandbox: Any, job: dict[str, Any], env: dict[str, str], company: Path, days: int, articles: int
) -> int:
    """A first pull killed with SIGKILL once half the article details are fetched, then run again to the
    end: the requests of both (the full pull's are the comparison)."""
    from kassasync.pos.demo import make_demo_company

    company.mkdir(parents=True)
    make_demo_company(company_file(company), days=days).close()
    spec = {**job, "name": "killed", "company_dir": str(company), "pull": True, "push": False}
    sandbox.reset_counters()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    while proc.poll() is None:
        details = sandbox.counters()["requests"].get("GET /3/articles/{ArticleNumber}", 0)
        if details >= articles // 2:
            proc.kill()
            break
        time.sleep(0.05)
    proc.wait()
    killed, _ = counted(sandbox)
    sandbox.reset_counters()
    resumed = run_child({**spec, "name": "resumed"}, env)
    used, _ = counted(sandbox)
    print(f"killed_requests: {killed}")
    print(f"resumed_requests: {used}")
    print(f"resumed_outcome: {resumed['outcome']}")
    return killed + used


def push_delays(
    sandbox: Any, job: dict[str, Any], env: dict[str, str], company: Path, days: int, interval_s: float
) -> tuple[float, float]:
    """A first sync (pull and push) on a fresh company file, its push interval ``interval_s``:

    - ``first``: seconds from its start until the receipts pending then are posted (pushed first);
    - ``during``: a receipt sold once the article details are under way, seconds until it is posted
      while the long article pull still runs (the run pushes once per interval between requests).

    The run is then killed: the rest of the pull is measured by the pull phase."""
    from kassasync.pos.demo import make_demo_company
    from kassasync.pos.records import OutboxState

    company.mkdir(parents=True)
    with make_demo_company(company_file(company), days=days) as store:
        template = next(iter(store.pending_receipts()))
    sold_later = template.model_copy(update={"receipt_number": 999_999})
    spec = {
        **job,
        "name": "first-sync",
        "company_dir": str(company),
        "pull": True,
        "push": True,
        "push_during_pull_s": interval_s,
        "voucher_series": FIRST_SYNC_SERIES,  # its own: the receipts phase must not find these in F
    }
    sandbox.reset_counters()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = during = float("nan")
    try:
        for line in proc.stdout:
            if line.startswith("PUSHED "):
                first = float(line.split()[1])
                break
        while sandbox.counters()["requests"].get("GET /3/articles/{ArticleNumber}", 0) < 100:
            time.sleep(0.05)  # the article details are under way: the long part of the pull
        with PosStore.open(company_file(company)) as store:
            assert store.add_receipt(sold_later)
            sold = time.monotonic()
            while time.monotonic() - sold < 3 * interval_s and proc.poll() is None:
                entry = store.outbox_entry(sold_later.key)
                if entry is not None and entry.state is OutboxState.POSTED:
                    during = time.monotonic() - sold
                    break
                time.sleep(0.1)
        details = sandbox.counters()["requests"].get("GET /3/articles/{ArticleNumber}", 0)
        print(f"push_during_pull_details_then: {details}")
    finally:
        proc.kill()
        proc.wait()
    return first, during


def counted(sandbox: Any) -> tuple[int, int]:
    counters = sandbox.counters()
    used = sum(n for name, n in counters["requests"].items() if not name.startswith("POST /oauth"))
    return used, int(counters["429s"])


def run(args: argparse.Namespace) -> None:
    from fortnox_sandbox.large_seed import demo_at_scale
    from fortnox_sandbox.testing import running_sandbox
    from kassasync.pos.demo import make_demo_company
    from kassasync.sync.bookkeeping import business_date

    k = args.scale_limit
    server_limit, engine_limit = FORTNOX_LIMIT * k, ENGINE_LIMIT * k
    rate = server_limit / WINDOW_S
    with (
        running_sandbox(seed="demo", rate_limit=server_limit, rate_window_s=WINDOW_S) as sandbox,
        tempfile.TemporaryDirectory() as tmp,
    ):
        state = sandbox.state
        started = time.perf_counter()
        tenant = demo_at_scale(
            state.clock.today(), state.clock.local_naive(), articles=args.articles, customers=args.customers
        )
        state.tenants["demo"] = tenant
        tenant.voucher_series[FIRST_SYNC_SERIES] = {
            "Code": FIRST_SYNC_SERIES,
            "Description": "Kassa, första synkroniseringen (mätning)",
            "Manual": True,
        }
        seed_s = time.perf_counter() - started

        home = Path(tmp) / "home"
        env = {
            **os.environ,
            "KASSASYNC_HOME": str(home),
            "KASSASYNC_CLIENT_ID": sandbox.client_id,
            "KASSASYNC_CLIENT_SECRET": sandbox.client_secret,
            "KASSASYNC_TOKEN_STORE": "file",
        }
        saved = {name: os.environ.get(name) for name in env if name.startswith("KASSASYNC_")}
        os.environ.update({name: env[name] for name in saved})
        try:
            paths = app_paths(read_environment().home).ensure()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name)
                else:
                    os.environ[name] = value
        FileTokenStore(paths.token_file).save(
            TokenSet.from_response(sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM))
        )
        shop, shop_summaries = home / "butik", home / "butik-dag"
        shop.mkdir(parents=True)
        days = math.ceil(args.receipts / RECEIPTS_PER_DAY)
        started = time.perf_counter()
        with make_demo_company(company_file(shop), days=days) as store:
            receipts = list(store.pending_receipts())
        company_s = time.perf_counter() - started
        today = datetime.now(tz=STOCKHOLM).date()
        year_ids = {y["Id"] for r in receipts if (y := tenant.year_of(business_date(r))) is not None}
        register_days = {(r.register_code, business_date(r)) for r in receipts if business_date(r) < today}
        receipt_days = {business_date(r) for r in receipts}
        closed_days = {day for _, day in register_days}
        current_year = tenant.year_of(today)
        assert current_year is not None

        job = {
            "api_url": sandbox.api_url,
            "auth_url": f"{sandbox.base_url}/oauth-v1",
            "rate_limit": engine_limit,
            "rate_window_s": WINDOW_S,
            "posting": Posting.PER_RECEIPT.value,
        }
        phases: list[Phase] = []

        # 1. The full pull; its child reports its own VmHWM (RUSAGE_CHILDREN is printed for comparison).
        prices = sum(1 for key in tenant.prices if key[0] == "A")
        pull_minimum = (
            1  # company information (same organisation number?)
            + 1  # predefined accounts
            + 1  # financial years
            + pages(len(tenant.accounts[current_year["Id"]]))  # the current year's chart
            + pages(len(tenant.customers))
            + 1  # the cash customer (its price list)
            + pages(len(tenant.articles))
            + len(tenant.articles)  # real list rows carry VAT null: one detail per (new) article
            + pages(prices)
        )
        sandbox.reset_counters()
        pull = run_child({**job, "name": "pull", "company_dir": str(shop), "pull": True, "push": False}, env)
        rusage_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        peak_rss_mb = pull["vm_hwm_kb"] / 1024
        phases.append(Phase("pull", pull, pull_minimum, *counted(sandbox)))

        # The resume: the same first pull on a fresh copy, killed (SIGKILL) half way through the article
        # details, then run again; both runs' requests over the full pull's.
        killed_shop = home / "butik-kill"
        resume_requests = resume_after_kill(sandbox, job, env, killed_shop, days, len(tenant.articles))
        resume_ratio = resume_requests / phases[0].used

        # A receipt's wait for the push while a first big pull runs: those pending at its start are
        # pushed first; one sold during it waits at most one schedule interval (scaled with the limit).
        interval_s = args.push_interval_min * 60 / k
        first_push_s, receipt_wait_s = push_delays(sandbox, job, env, home / "butik-first", days, interval_s)

        # The summaries' company: the same file, pulled, receipts still pending.
        shop_summaries.mkdir()
        source, copy = sqlite3.connect(company_file(shop)), sqlite3.connect(company_file(shop_summaries))
        source.backup(copy)
        source.close()
        copy.close()

        # 2 and 3. Push only: the run's fixed lookups, then, before anything is created, one voucher
        # listing per (series, day) (check before create: what Fortnox already holds), then one POST per
        # receipt / register-day. The summaries go to series A: the receipts' own vouchers of phase 2
        # are in F of the same tenant, and a summary of receipts Fortnox holds already is never made.
        push_fixed = (
            1  # company information
            + 1  # financial years
            + sum(pages(len(tenant.accounts[y])) + 1 for y in year_ids)  # each year's chart and series
            + 1  # locked period
        )
        listings: dict[str, int] = {}
        for name, company, posting, series, days_listed, creates in (
            ("receipts", shop, Posting.PER_RECEIPT, "F", len(receipt_days), len(receipts)),
            ("summaries", shop_summaries, Posting.DAILY_SUMMARY, "A", len(closed_days), len(register_days)),
        ):
            sandbox.reset_counters()
            spec = {
                "name": name,
                "company_dir": str(company),
                "posting": posting.value,
                "voucher_series": series,
            }
            result = run_child({**job, **spec, "pull": False, "push": True}, env)
            listings[name] = sandbox.counters()["requests"].get("GET /3/vouchers/sublist/{VoucherSeries}", 0)
            phases.append(Phase(name, result, push_fixed + days_listed + creates, *counted(sandbox)))
            print(f"{name}_check_before_create_listings: {listings[name]} (minimum {days_listed})")

        # 4. The naive baseline on a slice of the same catalogue, under the same (scaled) limit.
        slice_numbers = sorted(tenant.articles)[: args.naive_articles]
        naive_made, naive_s, naive_429s = naive_baseline(sandbox, slice_numbers, NAIVE_PAUSE_S / k)
        page_s = sandbox_page_s(sandbox)

    report(args, phases, peak_rss_mb, seed_s, company_s, len(receipts), len(register_days), rate, k)
    print(f"resume_requests: {resume_requests}")
    print(f"resume_requests_ratio: {resume_ratio:.4f}")
    print(f"goal_resume: {'met' if resume_ratio <= GOAL_RESUME else 'missed'}")
    # Requests are rate-bound and the interval is scaled: at Fortnox's own rate, waits are K times longer.
    print(f"first_push_s: {first_push_s:.2f}")
    print(f"first_push_s_at_fortnox_rate: {first_push_s * k:.1f}")
    interval_s = args.push_interval_min * 60
    print(f"push_interval_s: {interval_s / k:.1f}")
    print(f"push_interval_s_at_fortnox_rate: {interval_s:.0f}")
    print(f"push_delay_s: {receipt_wait_s:.2f}")
    at_fortnox = receipt_wait_s * k
    print(f"push_delay_s_at_fortnox_rate: {at_fortnox:.1f}")
    met = at_fortnox < interval_s + 60  # one interval, and the push's own requests
    print(f"goal_push_delay: {'met' if met else 'missed'} (interval {interval_s / 60:g} min)")
    print(f"first_pull_s: {pull['duration_s']:.2f}")
    print(f"rusage_children_maxrss_mb: {rusage_mb:.1f}")
    print(
        "note: ru_maxrss of a child counts the parent's resident pages at fork/exec on Linux (this process "
        "holds the sandbox's tenant), so peak_rss_mb is the pull child's own VmHWM"
    )
    for name, seconds in page_s.items():
        print(f"sandbox_{name}_page_s: {seconds:.3f}")
    served = sum(page_s.values()) * pages(args.articles)  # articles and list-A prices: one row per article
    print(f"pull_sandbox_serving_s: {served:.2f}")
    naive_per_article = naive_s / len(slice_numbers)
    pulled_articles = pull["steps"]["articles"]["pulled"]
    ours_per_article = pull["duration_s"] / pulled_articles
    print(f"naive_articles: {len(slice_numbers)}")
    print(f"naive_pause_s: {NAIVE_PAUSE_S / k:.3f}")
    print(f"naive_requests_per_article: {naive_made / len(slice_numbers):.2f}")
    print(f"naive_s_per_article: {naive_per_article:.4f}")
    print(f"naive_429s: {naive_429s}")
    print(f"requests_per_article: {phases[0].used / pulled_articles:.4f}")
    print(f"s_per_article: {ours_per_article:.6f}")
    print(f"speedup: {naive_per_article / ours_per_article:.0f}x")


def report(
    args: argparse.Namespace,
    phases: list[Phase],
    peak_rss_mb: float,
    seed_s: float,
    company_s: float,
    receipts: int,
    register_days: int,
    rate: float,
    k: int,
) -> None:
    pull = phases[0].result
    print(f"rate_limit: {FORTNOX_LIMIT * k} per {WINDOW_S:g} s (Fortnox's {FORTNOX_LIMIT} x {k})")
    print(f"engine_limit: {ENGINE_LIMIT * k} per {WINDOW_S:g} s")
    print(f"articles: {pull['steps']['articles']['pulled']}")
    print(f"customers: {pull['steps']['customers']['pulled']}")
    print(f"prices: {pull['steps']['prices']['pulled']}")
    print(f"receipts: {receipts}")
    print(f"register_days: {register_days}")
    print(f"seed_s: {seed_s:.2f}")
    print(f"company_file_s: {company_s:.2f}")
    for phase in phases:
        r = phase.result
        if r["requests"] != phase.used:
            print(
                f"note: {phase.name}: the engine counted {r['requests']} requests, the sandbox {phase.used}"
            )
        print(f"{phase.name}_outcome: {r['outcome']}")
        print(f"{phase.name}_requests: {phase.used}")
        print(f"{phase.name}_requests_minimum: {phase.minimum}")
        print(f"{phase.name}_wall_s: {r['duration_s']:.2f}")
        print(f"{phase.name}_bound_s: {phase.used / rate:.2f}")
        print(f"{phase.name}_wall_ratio: {r['duration_s'] / (phase.used / rate):.3f}")
    print(f"receipts_posted: {phases[1].result['posted']}")
    print(f"receipt_vouchers: {phases[1].result['vouchers']}")
    print(f"summaries_posted_receipts: {phases[2].result['posted']}")
    print(f"summary_vouchers: {phases[2].result['vouchers']}")
    used = sum(p.used for p in phases)
    minimum = sum(p.minimum for p in phases)
    wall = sum(p.result["duration_s"] for p in phases)
    bound = used / rate
    rate_limited = sum(p.rate_limited for p in phases)
    print(f"requests: {used}")
    print(f"requests_minimum: {minimum}")
    print(f"requests_ratio: {used / minimum:.4f}")
    print(f"wall_s: {wall:.2f}")
    print(f"bound_s: {bound:.2f}")
    print(f"wall_ratio: {wall / bound:.3f}")
    # Each phase starts with a full window (a fresh engine process; the sandbox's counters reset), and
    # n requests under L per W need only (ceil(n/L) - 1) * W: the sliding-window bound, for reference.
    limit = FORTNOX_LIMIT * k
    sliding = sum((math.ceil(p.used / limit) - 1) * WINDOW_S for p in phases)
    print(f"bound_sliding_s: {sliding:.2f}")
    print(f"wall_ratio_sliding: {wall / sliding if sliding else float('nan'):.3f}")
    print(f"429s: {rate_limited}")
    print(f"peak_rss_mb: {peak_rss_mb:.1f}")
    print(f"upsert_s: {pull['upsert_s']:.2f}")
    print(f"remove_missing_s: {pull['remove_s']:.2f}")
    print(f"goal_requests: {'met' if used / minimum <= GOAL_REQUESTS else 'missed'}")
    print(f"goal_wall: {'met' if wall / bound <= GOAL_WALL else 'missed'}")
    print(f"goal_429s: {'met' if rate_limited == 0 else 'missed'}")
    full_size = args.articles >= 100_000
    rss_goal = "met" if peak_rss_mb < GOAL_RSS_MB else "missed"
    print(f"goal_peak_rss: {rss_goal if full_size else f'{rss_goal} (at {args.articles} articles only)'}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    env = os.environ.get
    parser.add_argument("--articles", type=int, default=int(env("SYNC_SCALE_ARTICLES", "100000")))
    parser.add_argument("--customers", type=int, default=int(env("SYNC_SCALE_CUSTOMERS", "10000")))
    parser.add_argument("--receipts", type=int, default=int(env("SYNC_SCALE_RECEIPTS", "5000")))
    parser.add_argument(
        "--scale-limit",
        type=int,
        default=int(env("SYNC_SCALE_LIMIT", "5")),
        help="multiply Fortnox's 25 per 5 s (and the engine's 24) by K (default 5, SYNC_SCALE_LIMIT)",
    )
    parser.add_argument("--naive-articles", type=int, default=200)
    parser.add_argument(
        "--push-interval-min",
        type=float,
        default=SCHEDULE_INTERVAL_S / 60,
        help="the schedule interval the push during the pull keeps (scaled by K like the rate)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    # Under `python -m benchmarks sync_scale` the runner's own arguments (benchmark names) are in argv.
    args, _ = parser.parse_known_args(argv)
    if args.child:
        child(json.loads(args.child))
    else:
        run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
