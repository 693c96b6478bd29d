"""The whole in-process sandbox: tenants, integrations and tokens, rate limiter, faults, clock.

One re-entrant lock serialises every mutation: a sandbox is not a load test, and serialised writes
make voucher numbering and stock moves trivially consistent across the server's threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fortnox_sandbox import seed
from fortnox_sandbox.auth_store import AuthStore, Integration
from fortnox_sandbox.clock import SandboxClock
from fortnox_sandbox.faults import Faults
from fortnox_sandbox.ratelimit import RateLimiter, RateModel, rate_limiter
from fortnox_sandbox.tenant import Tenant

SEEDS = ("demo", "large", "empty")


@dataclass
class Options:
    test_mode: bool = True
    auto_approve: bool = True
    rate_limit: int = 25
    rate_window_s: float = 5.0
    rate_model: RateModel = "counter"  # which sliding window (ratelimit.py: Fortnox's is not settled)


@dataclass
class SandboxState:
    options: Options
    clock: SandboxClock = field(default_factory=SandboxClock)
    tenants: dict[str, Tenant] = field(default_factory=dict)
    auth: AuthStore = field(default_factory=AuthStore)
    faults: Faults = field(default_factory=Faults)
    lock: threading.RLock = field(default_factory=threading.RLock)
    stopping: threading.Event = field(default_factory=threading.Event)
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        options = self.options
        self.limiter = rate_limiter(options.rate_model, options.rate_limit, options.rate_window_s)

    def tenant(self, name: str = "demo") -> Tenant:
        return self.tenants[name]

    def add_tenant(self, tenant: Tenant) -> Integration:
        """Register a tenant and its own integration (client id/secret); ids are stable per name so
        a script can find them, secrets are fixed only for the demo (printed on start anyway)."""
        self.tenants[tenant.name] = tenant
        integration = Integration(
            client_id=f"sandbox-{tenant.name}-client",
            client_secret=f"sandbox-{tenant.name}-secret",
            home_tenant=tenant.name,
        )
        self.auth.integrations[integration.client_id] = integration
        return integration

    def integration_of(self, tenant: str) -> Integration:
        return next(i for i in self.auth.integrations.values() if i.home_tenant == tenant)


def build_state(seed_name: str = "demo", options: Options | None = None) -> SandboxState:
    """Seeds: `demo` (demo shop + `other`), `large` (demo + `other` + the 100 000-article `large`
    tenant, whose integration is then the one printed), `empty` (no tenants)."""
    if seed_name not in SEEDS:
        raise ValueError(f"unknown seed {seed_name!r}; choose one of {', '.join(SEEDS)}")
    state = SandboxState(options or Options())
    today, now = state.clock.today(), state.clock.local_naive()
    if seed_name in ("demo", "large"):
        state.add_tenant(seed.seed_demo(today, now))
        state.add_tenant(seed.seed_other(today, now))
    if seed_name == "large":
        state.add_tenant(seed.seed_large(today, now))
    return state


def primary_tenant(state: SandboxState, seed_name: str) -> str:
    return "large" if seed_name == "large" else "demo"
