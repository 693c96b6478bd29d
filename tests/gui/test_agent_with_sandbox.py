"""The whole agent: ``kassasync tray`` as a process with a demo company, its schedule fires after start,
and every receipt arrives in the sandbox once; then it quits cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.sync.conftest import oauth_login

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.config import FortnoxSettings, Schedule, Settings, save_settings
from kassasync.fortnox.tokens import FileTokenStore
from kassasync.paths import AppPaths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore, company_file
from kassasync.sync.bookkeeping import key_marker

from .conftest import screenshot, wait_for
from .test_tray_gui import window_names

pytestmark = pytest.mark.gui


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


def _home(tmp_path: Path, sandbox: RunningSandbox) -> tuple[Path, Path]:
    home = tmp_path / "home"
    paths = AppPaths(config_dir=home / "config", log_dir=home / "logs", state_dir=home / "state").ensure()
    company = home / "butik"
    company.mkdir()
    make_demo_company(company_file(company), days=1).close()
    oauth_login(sandbox, FileTokenStore(paths.token_file), stock_module=False)  # the agent's own scopes
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


def test_the_schedule_fires_after_start_and_the_receipts_arrive_in_fortnox_once(
    tray_host: str, tmp_path: Path, fortnox: RunningSandbox
) -> None:
    home, company = _home(tmp_path, fortnox)
    with PosStore.open(company) as store:
        keys = [entry.receipt for entry in store.outbox_entries()]
    env = {
        **os.environ,
        "DISPLAY": tray_host,
        "PYSTRAY_BACKEND": "gtk",
        "KASSASYNC_HOME": str(home),
        "KASSASYNC_CLIENT_ID": fortnox.client_id,
        "KASSASYNC_CLIENT_SECRET": fortnox.client_secret,
        "KASSASYNC_TOKEN_STORE": "file",
        "KASSASYNC_STARTUP_SYNC_DELAY_S": "1",
    }
    agent = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "tray"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:

        def all_posted() -> bool:
            with PosStore.open(company) as store:
                return store.state_counts()[OutboxState.POSTED] == len(keys)

        assert wait_for(all_posted, 60.0), "the scheduled sync did not post every receipt"
        texts = fortnox.counters()["vouchers_by_description"]
        for key in keys:
            assert sum(n for text, n in texts.items() if key_marker(key) in text) == 1, key
        assert wait_for(lambda: any("allt klart" in n for n in window_names(tray_host)), 10.0), window_names(
            tray_host
        )
        screenshot(tray_host, "tray-after-scheduled-sync")
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=5) == 0
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait()
