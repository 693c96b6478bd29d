"""A separate process sharing the token store with another one, for the refresh race test.

Usage: python refresher.py API_URL TOKEN_URL CLIENT_ID CLIENT_SECRET TOKEN_FILE LOCK_FILE
For every line ``go`` on stdin it makes one API call and answers ``done``. The test expires the access
tokens before each round and releases both processes at once, so both meet the 401 with the same
stored token and race to refresh it. On end of input it prints ``ok <calls> <refresh posts>``, or
``failed <error>`` as soon as a call fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kassasync.errors import KassasyncError
from kassasync.fortnox.auth import ClientCredentials, TokenManager
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.ratelimit import SlidingWindowLimiter
from kassasync.fortnox.tokens import FileTokenStore


def main(argv: list[str]) -> int:
    api_url, token_url, client_id, secret, token_file, lock_file = argv
    store = FileTokenStore(Path(token_file))
    manager = TokenManager(store, ClientCredentials(client_id, secret), token_url, Path(lock_file))
    client = FortnoxClient(manager, api_url=api_url, limiter=SlidingWindowLimiter(1000, 1.0))
    try:
        for line in sys.stdin:
            if line.strip() != "go":
                continue
            client.locked_period()
            print("done", flush=True)
    except KassasyncError as exc:
        print(f"failed {type(exc).__name__}: {exc.detail}", flush=True)
        return 1
    finally:
        client.close()
    print(f"ok {client.requests_made} {manager.refreshes}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
