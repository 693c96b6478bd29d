"""The composition root: one place builds the agent's parts, from an environment read once.

``cli.main`` reads the environment (``environment.read_environment``) and each command asks a
``Composition`` for what it needs: the paths (``KASSASYNC_HOME`` or the user's folders), the one
settings store of the process (the only writer of settings.json), the Fortnox link the dialog and
``kassasync login`` use, the engine with its factories, the autostart entry, and the tray agent
itself. Nothing below asks the environment again; the demo builds a ``Composition`` over an
environment of its own (the sandbox's client pair, the demo's folder) instead of changing the
process's environment.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from kassasync.app.controller import SyncRunner
from kassasync.app.fortnox_link import FortnoxLink
from kassasync.avstamning.run import AvstamningReport, AvstamningRequest, RunOptions, run_avstamning
from kassasync.config import Settings
from kassasync.environment import Environment
from kassasync.errors import ConfigError
from kassasync.fortnox.connect import FortnoxContext
from kassasync.logs import setup_logging
from kassasync.paths import AppPaths, app_paths
from kassasync.platform.autostart import Autostart, default_autostart, launch_command
from kassasync.settings_store import SettingsStore
from kassasync.sync.collaborators import engine_for
from kassasync.sync.engine import SyncEngine
from kassasync.sync.events import EventSink, StepProgress, SyncReport, SyncRequest

if TYPE_CHECKING:  # the agent pulls in Tk; commands without a display never import it
    from kassasync.app.agent import Agent


@dataclass
class Composition:
    environment: Environment
    paths: AppPaths = field(init=False)

    def __post_init__(self) -> None:
        self.paths = app_paths(self.environment.home)

    @cached_property
    def settings(self) -> SettingsStore:
        """The process's one settings store: every reader and the only writer of settings.json."""
        return SettingsStore(self.paths.settings_file)

    def start_command(self) -> Settings:
        """What a one-shot command does first, so its log lands where the agent's does: the folders made,
        the saved settings read (an unreadable file raises its ``ConfigError``), logging at their level."""
        self.paths.ensure()
        settings = self.settings.load()
        setup_logging(self.paths.log_dir, settings.log_level)
        return settings

    def load_settings(self) -> tuple[Settings, str | None]:
        """The saved settings, or the defaults and the Swedish reason when the file is unreadable
        (the file is left as it is until the user saves)."""
        try:
            return self.settings.load(), None
        except ConfigError as exc:
            self.settings.assume(Settings())
            return Settings(), exc.user_message

    def fortnox(self, settings: Settings | None = None) -> FortnoxContext:
        chosen = self.settings.current() if settings is None else settings
        return FortnoxContext.create(chosen, self.paths, environment=self.environment)

    @cached_property
    def fortnox_link(self) -> FortnoxLink:
        return FortnoxLink(self.settings, self.paths, self.environment)

    def reconcile(
        self, settings: Settings, request: AvstamningRequest, progress: Callable[[StepProgress], None]
    ) -> AvstamningReport:
        """The tray's "Avstämning...", with the process's environment (the command has its own way)."""
        options = RunOptions(progress=progress)
        return run_avstamning(settings, self.paths, request, options, environment=self.environment)

    def engine(self) -> SyncEngine:
        """The engine over the store: each run reads the settings saved last (the dialog's, a login's)."""
        return engine_for(self.settings.current, self.paths, self.environment)

    def runner(self) -> SyncRunner:
        """The engine as the controller calls it: the only place the agent meets the sync engine."""
        engine = self.engine()

        def run(request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
            return engine.run(request, emit=emit, cancel=cancel)

        return run

    def autostart(self) -> tuple[Autostart, str]:
        """The autostart entry (Run key, or XDG under ``XDG_CONFIG_HOME``) and the command it runs."""
        return default_autostart(self.environment.xdg_config_home), launch_command()

    def agent(self, settings_problem: str | None = None) -> Agent:
        """The tray agent, wired: its store is the one the dialog's login writes through."""
        from kassasync.app.agent import Agent, Services
        from kassasync.ui.icons import use_assets

        use_assets(self.environment.assets)
        autostart, command = self.autostart()
        link = self.fortnox_link
        services = Services(
            run_sync=self.runner(),
            autostart=autostart,
            autostart_command=command,
            login=lambda show_url, stock_module: link.login(show_url=show_url, stock_module=stock_module),
            lookups=link.lookups,
            logout=link.logout,
            reconcile=self.reconcile,
        )
        return Agent(
            self.paths,
            self.settings,
            services,
            settings_problem=settings_problem,
            first_sync_in_s=self.environment.startup_sync_delay_s,
            tray_backend=self.environment.pystray_backend,
        )
