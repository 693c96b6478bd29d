"""The process environment, read once at the entry point and passed down: the one reader of os.environ.

Every ``KASSASYNC_*`` knob (support, tests, the demo) and the few system variables Kassasync looks
at are fields here. ``cli.main`` reads them once (``read_environment``) and hands the result to the
composition root (``app/compose.py``), which gives each part the value it needs (a folder, a client
pair, a token store choice), so no lower layer looks at the environment behind its caller's back and
the demo steers the agent by passing values, not by writing ``os.environ``. The names stay what they
were: tests start real agents and set them for the child process.

pystray picks its backend from ``PYSTRAY_BACKEND`` at import and offers no other way, so the one
write to ``os.environ`` (``steer_pystray``) is here too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PYSTRAY_BACKEND_ENV = "PYSTRAY_BACKEND"
DEFAULT_STARTUP_SYNC_DELAY_S = 30.0


def _alias(name: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(name))


class Environment(BaseSettings):
    """What the environment says; ``None`` where it says nothing (the built-in choice then holds)."""

    model_config = SettingsConfigDict(env_prefix="KASSASYNC_", frozen=True, extra="ignore")

    # KASSASYNC_HOME: every folder under one (tests, the demo, a support session); see paths.app_paths.
    home: Path | None = None
    # KASSASYNC_CLIENT_ID / _SECRET: the integration's pair, over what the build baked in.
    client_id: str | None = None
    client_secret: str | None = None
    # KASSASYNC_TOKEN_STORE: "file" or "keyring", over the automatic choice.
    token_store: str = ""
    # KASSASYNC_STARTUP_SYNC_DELAY_S: the first scheduled sync after start (tests shorten it).
    startup_sync_delay_s: float = DEFAULT_STARTUP_SYNC_DELAY_S
    # KASSASYNC_ASSETS: a folder holding icons/ (a development checkout, a support build).
    assets: Path | None = None
    # System variables, read under their own names.
    xdg_config_home: Path | None = _alias("XDG_CONFIG_HOME")
    display: str | None = _alias("DISPLAY")
    wayland_display: str | None = _alias("WAYLAND_DISPLAY")
    pystray_backend: str | None = _alias(PYSTRAY_BACKEND_ENV)

    @field_validator("home", "assets", "xdg_config_home", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("token_store", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("startup_sync_delay_s", mode="before")
    @classmethod
    def _delay(cls, value: object) -> float:
        """A delay that is no number means the default, as before (a typo must not stop the agent)."""
        try:
            return max(0.0, float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return DEFAULT_STARTUP_SYNC_DELAY_S

    @property
    def has_display(self) -> bool:
        return bool(self.display or self.wayland_display)


def read_environment() -> Environment:
    """The environment as it is now: called once by the entry point (and by tests that set it)."""
    return Environment()


def steer_pystray(backend: str) -> None:
    """Tell pystray which backend to load; it reads only its environment variable, at import."""
    os.environ[PYSTRAY_BACKEND_ENV] = backend
