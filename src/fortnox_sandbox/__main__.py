"""`python -m fortnox_sandbox --seed demo --port 8765`: serve the sandbox until interrupted.

Prints `base_url: …`, `client_id: …`, `client_secret: …` on lines of their own so scripts can find them.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

from fortnox_sandbox.ratelimit import RATE_MODELS
from fortnox_sandbox.server import SandboxServer
from fortnox_sandbox.state import SEEDS, Options, build_state, primary_tenant


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m fortnox_sandbox", description="A local Fortnox API v3 + OAuth2."
    )
    parser.add_argument("--seed", choices=SEEDS, default="demo")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--test-mode", action="store_true", help="enable the /_sandbox admin routes")
    parser.add_argument("--auto-approve", action="store_true", help="skip the consent page")
    parser.add_argument("--rate-limit", type=int, default=25, help="requests per window; 0 = off")
    parser.add_argument("--rate-window", type=float, default=5.0, help="window in seconds")
    parser.add_argument(
        "--rate-model", choices=RATE_MODELS, default="counter", help="sliding window counter or exact log"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    options = Options(
        test_mode=args.test_mode,
        auto_approve=args.auto_approve,
        rate_limit=args.rate_limit,
        rate_window_s=args.rate_window,
        rate_model=args.rate_model,
    )
    state = build_state(args.seed, options)
    server = SandboxServer(state, host=args.host, port=args.port, quiet=not args.verbose)
    integration = state.integration_of(primary_tenant(state, args.seed))
    print(f"base_url: http://{args.host}:{server.port}")
    print(f"client_id: {integration.client_id}")
    print(f"client_secret: {integration.client_secret}")
    for name, tenant in state.tenants.items():
        print(f"tenant: {name} {tenant.company['OrganizationNumber']} {state.integration_of(name).client_id}")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
