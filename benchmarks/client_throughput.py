"""Client throughput against the sandbox's rate limit: how much of Fortnox's budget we use, and no 429s.

The sandbox enforces Fortnox's 25 requests per sliding window of 5 s, read as the sliding window
counter Fortnox's page described (``--rate-model counter``, the default) or as an exact window
(``log``; fortnox_sandbox/ratelimit.py: which one Fortnox runs is not settled). The client runs the
agent's own limiter: the adaptive budget at 24 per window in a PC-wide state file, paced
(``--limiter fixed``: the plain window of 24 without pacing that the SDKs use, for contrast). N
sequential GETs go through the client; the rate is measured from the first request to the last
answer. Goal: utilisation >= 0.90, 429s = 0, under both models.

    python benchmarks/client_throughput.py                 # the real 5 s window, 241 requests (~50 s)
    python benchmarks/client_throughput.py --window 0.5    # same ratio, 10x shorter (printed as such)
    python benchmarks/client_throughput.py --rate-model log --limiter fixed
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from fortnox_sandbox.ratelimit import RATE_MODELS, RateModel
from fortnox_sandbox.testing import running_sandbox
from kassasync.clock import STOCKHOLM
from kassasync.fortnox.auth import ClientCredentials, TokenManager
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.ratelimit import RateLimiter, SlidingWindowLimiter, shared_limiter
from kassasync.fortnox.tokens import FileTokenStore, TokenSet

SERVER_LIMIT = 25
CLIENT_LIMIT = 24


def run(requests_count: int, window_s: float, model: RateModel, limiter_kind: str) -> dict[str, float]:
    sandbox_running = running_sandbox(rate_limit=SERVER_LIMIT, rate_window_s=window_s, rate_model=model)
    with sandbox_running as sandbox, tempfile.TemporaryDirectory() as tmp:
        store = FileTokenStore(Path(tmp) / "tokens.json")
        store.save(TokenSet.from_response(sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
        credentials = ClientCredentials(sandbox.client_id, sandbox.client_secret)
        tokens = TokenManager(store, credentials, sandbox.token_url, Path(tmp) / "tokens.lock")
        limiter: RateLimiter = (
            SlidingWindowLimiter(CLIENT_LIMIT, window_s)
            if limiter_kind == "fixed"
            else shared_limiter(
                sandbox.api_url, sandbox.client_id, limit=CLIENT_LIMIT, window_s=window_s, state_dir=Path(tmp)
            )
        )
        client = FortnoxClient(tokens, api_url=sandbox.api_url, limiter=limiter)
        sandbox.reset_counters()
        started = time.perf_counter()
        try:
            for _ in range(requests_count):
                client.locked_period()
        finally:
            client.close()
        elapsed = time.perf_counter() - started
        counters = sandbox.counters()
    # n requests under a window limit L per W take (ceil(n/L)-1)*W plus the last burst's latency:
    # the rate that counts is requests per elapsed time, which approaches L/W from below.
    rate = requests_count / elapsed
    limit = SERVER_LIMIT / window_s
    return {
        "requests": float(client.requests_made),
        "elapsed_s": elapsed,
        "requests_per_s": rate,
        "limit_per_s": limit,
        "utilisation": rate / limit,
        "429s": float(counters["429s"]),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=None, help="default: 10 windows' worth + 1 (241)")
    parser.add_argument("--window", type=float, default=5.0, help="rate window in seconds (Fortnox: 5)")
    parser.add_argument("--rate-model", choices=RATE_MODELS, default="counter", help="the sandbox's window")
    parser.add_argument("--limiter", choices=("adaptive", "fixed"), default="adaptive", help="the client's")
    args = parser.parse_args(argv)
    count = args.requests or CLIENT_LIMIT * 10 + 1
    if args.window != 5.0:
        print(f"note: window {args.window} s instead of Fortnox's 5 s, same {SERVER_LIMIT}-per-window ratio")
    result = run(count, args.window, args.rate_model, args.limiter)
    print(f"window_s: {args.window}")
    print(f"rate_model: {args.rate_model}")
    print(f"limiter: {args.limiter}")
    print(f"requests: {int(result['requests'])}")
    print(f"elapsed_s: {result['elapsed_s']:.2f}")
    print(f"requests_per_s: {result['requests_per_s']:.2f}")
    print(f"limit_per_s: {result['limit_per_s']:.2f}")
    print(f"utilisation: {result['utilisation']:.3f}")
    print(f"429s: {int(result['429s'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
