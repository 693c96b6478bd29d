"""What the engine is given instead of building it each run: the company file, a Fortnox client.

``SyncEngine`` takes factories (current settings, open the company file, make a client), so the
composition root (``app/compose.py``) decides how the parts are made (which token store, which
environment, which rate budget) and a test can hand in its own sandbox-bound ones. ``engine_for``
makes the usual ones, for the CLI, the demo, the tests and the benchmarks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kassasync.clock import Clock, SystemClock
from kassasync.config import Settings
from kassasync.environment import Environment
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.connect import FortnoxContext, check_login_scopes
from kassasync.fortnox.ratelimit import DEFAULT_LIMIT, DEFAULT_WINDOW_S
from kassasync.fortnox.tokens import TokenStore
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import AppPaths
from kassasync.pos.company_path import configured_company_db
from kassasync.pos.store import PosStore
from kassasync.sync.engine import RECONCILE_AFTER_S, MakeClient, NotConfigured, OpenCompany, SyncEngine


def company_opener(clock: Clock) -> OpenCompany:
    """Opens the company file the settings point at; a missing one stops the run with what to do."""

    def open_company(settings: Settings) -> PosStore:
        path = configured_company_db(settings)
        if path is None:
            raise NotConfigured("no company file is configured")
        if not path.is_file():
            raise NotConfigured(
                f"company file {path} does not exist",
                user_message=f"Kassans företagsfil finns inte: {path}. Välj den igen i inställningarna.",
            )
        return PosStore.open(path, clock=clock)

    return open_company


def client_maker(
    paths: AppPaths,
    environment: Environment,
    *,
    clock: Clock | None,
    token_store: TokenStore | None = None,
    rate_limit: int = DEFAULT_LIMIT,
    rate_window_s: float = DEFAULT_WINDOW_S,
    options: ClientOptions | None = None,
) -> MakeClient:
    """A logged-in client for the settings' Fortnox, the engine's and the reconciliation's alike; a login
    lacking the mode's scopes stops first ("new login needed", not a 403 halfway)."""

    def make_client(settings: Settings, cancel: threading.Event | None = None) -> FortnoxClient:
        context = FortnoxContext.create(
            settings, paths, environment=environment, store=token_store, clock=clock
        )
        check_login_scopes(context)
        return context.client(
            rate_limit=rate_limit, rate_window_s=rate_window_s, options=options, cancel=cancel
        )

    return make_client


def engine_for(
    settings: Settings | Callable[[], Settings],
    paths: AppPaths,
    environment: Environment,
    *,
    clock: Clock | None = None,
    token_store: TokenStore | None = None,
    rate_limit: int = DEFAULT_LIMIT,
    rate_window_s: float = DEFAULT_WINDOW_S,
    reconcile_after_s: float = RECONCILE_AFTER_S,
    client_options: ClientOptions | None = None,
    push_during_pull_s: float | None = None,
) -> SyncEngine:
    """The engine with the usual factories; ``settings`` fixed, or read at each run's start."""
    chosen_clock = clock or SystemClock()
    current = settings if callable(settings) else (lambda: settings)
    return SyncEngine(
        current,
        paths,
        open_company=company_opener(chosen_clock),
        make_client=client_maker(
            paths,
            environment,
            clock=chosen_clock,
            token_store=token_store,
            rate_limit=rate_limit,
            rate_window_s=rate_window_s,
            options=client_options,
        ),
        clock=chosen_clock,
        reconcile_after_s=reconcile_after_s,
        push_during_pull_s=push_during_pull_s,
    )
