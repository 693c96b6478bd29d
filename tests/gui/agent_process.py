"""The agent as the shop owner runs it: ``kassasync tray`` as a process over a demo shop that is set up
and logged in to the Fortnox sandbox. The tray tests that drive a whole agent share this set-up, so a
change to what a set-up agent needs (a setting, an environment variable) is made once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.integration.sync.conftest import oauth_login

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.config import FortnoxSettings, Schedule, Settings, save_settings
from kassasync.fortnox.tokens import FileTokenStore
from kassasync.paths import AppPaths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.store import company_file


@pytest.fixture
def fortnox() -> Iterator[RunningSandbox]:
    with running_sandbox(seed="demo", test_mode=True, auto_approve=True, rate_limit=10_000) as sandbox:
        # The core catalogue only: a first pull fetches one article detail per article at the agent's
        # real rate (24 per 5 s); the receipts go first, but "allt klart" would wait ~70 s for 327.
        tenant = sandbox.state.tenant("demo")
        for number in [n for n in tenant.articles if n.isdigit() and int(n) >= 5000]:
            del tenant.articles[number]
        for key in [k for k in tenant.prices if k[1] not in tenant.articles]:
            del tenant.prices[key]
        yield sandbox


def set_up_home(tmp_path: Path, sandbox: RunningSandbox, *, days: int = 1) -> tuple[Path, Path]:
    """A home with the demo shop's company file (``days`` of receipts), logged in with the agent's own
    scopes, on a 15-minute schedule; returns the home and the company file."""
    home = tmp_path / "home"
    paths = AppPaths(config_dir=home / "config", log_dir=home / "logs", state_dir=home / "state").ensure()
    company = home / "butik"
    company.mkdir()
    make_demo_company(company_file(company), days=days).close()
    oauth_login(sandbox, FileTokenStore(paths.token_file), stock_module=False)
    fortnox = FortnoxSettings(
        api_url=sandbox.api_url,
        auth_url=f"{sandbox.base_url}/oauth-v1",
        client_id=sandbox.client_id,
        redirect_port=0,
        tenant_name="Hörnbutiken i Sundsvall AB",
        organisation_number="556123-4567",
    )
    schedule = Schedule(kind="interval", every_minutes=15)
    save_settings(Settings(company_path=company, fortnox=fortnox, schedule=schedule), paths.settings_file)
    return home, company_file(company)


def agent_env(display: str, home: Path, sandbox: RunningSandbox, *, first_sync_in_s: int) -> dict[str, str]:
    """The environment the agent process gets: the tray's display, the home, the sandbox's client pair."""
    return {
        **os.environ,
        "DISPLAY": display,
        "PYSTRAY_BACKEND": "gtk",
        "KASSASYNC_HOME": str(home),
        "KASSASYNC_CLIENT_ID": sandbox.client_id,
        "KASSASYNC_CLIENT_SECRET": sandbox.client_secret,
        "KASSASYNC_TOKEN_STORE": "file",
        "KASSASYNC_STARTUP_SYNC_DELAY_S": str(first_sync_in_s),
    }


@contextmanager
def agent(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The running agent; when the block ends it is told to quit (SIGTERM) and must exit 0 within 5 s."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "tray"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        yield process
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
