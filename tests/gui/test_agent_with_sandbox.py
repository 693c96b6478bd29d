"""The whole agent: ``kassasync tray`` as a process with a demo company, its schedule fires after start,
and every receipt arrives in the sandbox once; then it quits cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore
from kassasync.sync.bookkeeping import key_marker

from .agent_process import agent, agent_env, fortnox, set_up_home  # noqa: F401  (the fixture)
from .conftest import screenshot, wait_for
from .test_tray_gui import window_names

pytestmark = pytest.mark.gui


def test_the_schedule_fires_after_start_and_the_receipts_arrive_in_fortnox_once(
    tray_host: str,
    tmp_path: Path,
    fortnox: RunningSandbox,  # noqa: F811
) -> None:
    home, company = set_up_home(tmp_path, fortnox)
    with PosStore.open(company) as store:
        keys = [entry.receipt for entry in store.outbox_entries()]
    with agent(agent_env(tray_host, home, fortnox, first_sync_in_s=1)):

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
