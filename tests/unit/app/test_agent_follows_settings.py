"""The agent follows its settings store: a login written through it, or by ``kassasync login`` meanwhile.

No Tk window is needed: what the agent does on the Tk thread is queued, and the test drains the queue
as the Tk loop would.
"""

from __future__ import annotations

from pathlib import Path

from kassasync.app.agent import Agent, Services
from kassasync.app.first_run import NO_LOGIN, schedule_offset_s
from kassasync.app.scheduler import trigger_for
from kassasync.config import Schedule, Settings, with_fortnox_company
from kassasync.paths import AppPaths
from kassasync.platform.autostart import XdgAutostart
from kassasync.pos.store import PosStore
from kassasync.settings_store import SettingsStore
from kassasync.sync.events import SyncReport, SyncRequest
from kassasync.ui.state import Health


def _agent(tmp_path: Path) -> tuple[Agent, SettingsStore]:
    paths = AppPaths(tmp_path / "config", tmp_path / "logs", tmp_path / "state").ensure()
    company = tmp_path / "Butik"
    company.mkdir()
    PosStore.create(company / "kassa.db", "Hörnbutiken i Sundsvall AB", "5561234567").close()
    store = SettingsStore(paths.settings_file)
    store.replace(Settings(company_path=company))  # a company file, no login yet

    def run_sync(request: SyncRequest, _emit: object, _cancel: object) -> SyncReport:
        raise AssertionError("no sync runs in these tests")

    services = Services(
        run_sync=run_sync,  # type: ignore[arg-type]
        autostart=XdgAutostart(tmp_path / "xdg"),
        autostart_command="kassasync tray",
    )
    return Agent(paths, store, services), store


def test_a_login_written_through_the_agents_store_leaves_the_set_up_state(tmp_path: Path) -> None:
    agent, store = _agent(tmp_path)
    assert (agent.controller.state.health, agent.controller.state.message) == (Health.SETUP, NO_LOGIN)

    store.update(lambda s: with_fortnox_company(s, "Hörnbutiken i Sundsvall AB", "556123-4567"))
    agent.pump.run_pending()  # the Tk thread's turn

    assert agent.settings.fortnox.tenant_name == "Hörnbutiken i Sundsvall AB"
    assert agent.controller.state.health is Health.OK


def test_a_cli_login_while_the_agent_runs_is_followed_when_the_agent_next_looks(tmp_path: Path) -> None:
    agent, store = _agent(tmp_path)
    terminal = SettingsStore(store.path)  # ``kassasync login`` in another process

    terminal.update(lambda s: with_fortnox_company(s, "Hörnbutiken i Sundsvall AB", "556123-4567"))
    assert agent.controller.state.health is Health.SETUP  # not yet looked
    agent.store.current()  # what the agent's 250 ms poll does
    agent.pump.run_pending()

    assert agent.controller.state.health is Health.OK
    assert agent.settings.fortnox.organisation_number == "556123-4567"


def test_a_schedule_saved_elsewhere_is_applied_to_the_agents_scheduler(tmp_path: Path) -> None:
    agent, store = _agent(tmp_path)
    daily = Schedule(kind="daily", daily_at=("18:30",))
    assert agent.scheduler.trigger is None  # not started: no job yet
    SettingsStore(store.path).update(lambda s: s.model_copy(update={"schedule": daily}))

    agent.store.current()
    agent.pump.run_pending()

    offset = schedule_offset_s(agent.settings)  # this register's seconds after the moment (issue 18)
    assert str(agent.scheduler.trigger) == str(trigger_for(daily, offset_s=offset))
