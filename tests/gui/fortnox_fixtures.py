"""A sandbox Fortnox and a register PC already logged in to it, for the settings dialog's GUI tests, and
the dialog opened on such a shop's settings."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.app.fortnox_link import FortnoxLink
from kassasync.config import FortnoxSettings, Settings, load_settings, save_settings
from kassasync.environment import read_environment
from kassasync.paths import AppPaths
from kassasync.pos.store import PosStore
from kassasync.settings_store import SettingsStore
from kassasync.ui.settings_dialog import SettingsDialog
from kassasync.ui.settings_form import FormValues


@pytest.fixture
def fortnox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running_sandbox(seed="demo", test_mode=True, auto_approve=True, rate_limit=10_000) as sandbox:
        monkeypatch.setenv("KASSASYNC_CLIENT_ID", sandbox.client_id)
        monkeypatch.setenv("KASSASYNC_CLIENT_SECRET", sandbox.client_secret)
        monkeypatch.setenv("KASSASYNC_TOKEN_STORE", "file")
        yield sandbox


@dataclass
class Shop:
    paths: AppPaths
    settings: Settings
    company: Path

    def saved(self) -> Settings:
        return load_settings(self.paths.settings_file)

    def save(self, chosen: Settings) -> None:
        save_settings(chosen, self.paths.settings_file)


def link(paths: AppPaths) -> FortnoxLink:
    """The dialog's Fortnox as the agent wires it: through a settings store over the shop's file."""
    return FortnoxLink(SettingsStore(paths.settings_file), paths, read_environment())


def browser_that_approves(url: str) -> bool:
    """The shop owner's browser on this PC: opens the consent page, which (auto-approve) redirects."""
    return requests.get(url, timeout=10).status_code == 200


def new_shop(tmp_path: Path, fortnox: RunningSandbox) -> Shop:
    paths = AppPaths(tmp_path / "config", tmp_path / "logs", tmp_path / "state").ensure()
    company = tmp_path / "Hörnbutiken" / "kassa.db"
    PosStore.create(company, "Hörnbutiken i Sundsvall AB", "5561234567").close()
    settings = Settings(
        company_path=company,
        fortnox=FortnoxSettings(
            api_url=fortnox.api_url, auth_url=f"{fortnox.base_url}/oauth-v1", redirect_port=0
        ),
    )
    save_settings(settings, paths.settings_file)
    return Shop(paths, settings, company)


@pytest.fixture
def shop(tmp_path: Path, fortnox: RunningSandbox) -> Shop:
    """Not logged in yet."""
    return new_shop(tmp_path, fortnox)


@pytest.fixture
def connected_shop(shop: Shop) -> Shop:
    """Logged in through the (sandbox's) consent page, as "Logga in..." does."""
    link(shop.paths).login(browser_opener=browser_that_approves, timeout_s=20)
    shop.settings = shop.saved()
    assert shop.settings.fortnox.organisation_number is not None
    return shop


def shop_dialog(root: tk.Tk, shop: Shop, **options: Any) -> SettingsDialog:
    """ "Inställningar..." on the shop's settings as they are saved; ``options`` as the agent passes them."""
    return SettingsDialog(
        root,
        FormValues.from_settings(shop.settings, autostart_now=False),
        base=shop.settings,
        on_save=shop.save,
        **options,
    )
