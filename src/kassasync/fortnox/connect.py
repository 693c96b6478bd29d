"""Wiring: a ready ``FortnoxClient`` from the settings and paths, and "Logga in" end to end.

Kept apart from ``auth`` and ``client`` so neither imports the other's construction details; the CLI,
the tray and the sync engine all build their client here, and so share one token store, one refresh
lock and one rate limiter per Fortnox budget.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from kassasync.clock import Clock, SystemClock
from kassasync.config import Settings, with_fortnox_company
from kassasync.environment import Environment
from kassasync.fortnox.auth import (
    BrowserOpener,
    ClientCredentials,
    OAuthEndpoints,
    TokenManager,
    UrlShower,
    login,
    login_scopes,
    missing_scopes,
)
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import ScopeMissing
from kassasync.fortnox.models import CompanyInformation
from kassasync.fortnox.ratelimit import DEFAULT_LIMIT, DEFAULT_WINDOW_S, shared_limiter
from kassasync.fortnox.tokens import TokenStore, choose_token_store
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import AppPaths
from kassasync.settings_store import Change

log = logging.getLogger(__name__)


@dataclass
class FortnoxContext:
    """Everything a Fortnox session needs, built once per process."""

    settings: Settings
    paths: AppPaths
    credentials: ClientCredentials
    endpoints: OAuthEndpoints
    store: TokenStore
    clock: Clock

    @classmethod
    def create(
        cls,
        settings: Settings,
        paths: AppPaths,
        *,
        environment: Environment,
        store: TokenStore | None = None,
        clock: Clock | None = None,
    ) -> FortnoxContext:
        """``environment``: the process's, read once at the entry point (client pair, token store)."""
        paths.ensure()
        credentials = ClientCredentials.from_environment(settings.fortnox, environment)
        if store is None:
            store = choose_token_store(
                paths.token_file,
                f"{settings.fortnox.api_url}|{credentials.client_id}",
                forced=environment.token_store,
            )
        return cls(
            settings=settings,
            paths=paths,
            credentials=credentials,
            endpoints=OAuthEndpoints.under(settings.fortnox.auth_url),
            store=store,
            clock=clock or SystemClock(),
        )

    def token_manager(self) -> TokenManager:
        return TokenManager(
            self.store, self.credentials, self.endpoints.token_url, self.paths.token_lock, clock=self.clock
        )

    def client(
        self,
        *,
        rate_limit: int = DEFAULT_LIMIT,
        rate_window_s: float = DEFAULT_WINDOW_S,
        options: ClientOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> FortnoxClient:
        """A client on this PC's shared budget; ``cancel`` (the run's) cuts its waits short."""
        api_url = self.settings.fortnox.api_url
        limiter = shared_limiter(  # one adaptive budget for every process of this PC (issue 18)
            api_url,
            self.credentials.client_id,
            limit=rate_limit,
            window_s=rate_window_s,
            clock=self.clock,
            state_dir=self.paths.state_dir,
        )
        return FortnoxClient(
            self.token_manager(),
            api_url=api_url,
            limiter=limiter,
            clock=self.clock,
            options=options,
            cancel=cancel,
        )


def connect_company(
    context: FortnoxContext,
    *,
    browser_opener: BrowserOpener | None = None,
    timeout_s: float = 300.0,
    show_url: UrlShower | None = None,
) -> CompanyInformation:
    """Log in through the browser and read which company the token belongs to; the caller remembers it
    (``settings_store.update(remembering(company))``): this writes no settings.

    The scopes follow the mode: with Lagermodul on in ``context.settings`` (the caller's newest, or the
    dialog's ticked box) the login also asks for ``warehouse``."""
    login(
        context.credentials,
        context.endpoints,
        context.store,
        redirect_port=context.settings.fortnox.redirect_port,
        browser_opener=browser_opener,
        scopes=login_scopes(context.settings.stock_module),
        timeout_s=timeout_s,
        clock=context.clock,
        show_url=show_url,
    )
    client = context.client()
    try:
        company = client.company_information()
    finally:
        client.close()
    log.info("connected to Fortnox company %s (%s)", company.company_name, company.organization_number)
    return company


def remembering(company: CompanyInformation) -> Change:
    """The settings change that remembers the company a login connected."""
    return lambda settings: with_fortnox_company(settings, company.company_name, company.organization_number)


def check_login_scopes(context: FortnoxContext) -> None:
    """Before a run: a login without the scopes the mode needs gets "new login needed", not a 403."""
    missing = missing_scopes(context.store.load(), context.settings.stock_module)
    if missing:
        raise ScopeMissing(f"the stored login lacks the scopes {missing} the settings need")
