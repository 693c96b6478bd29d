"""The environment, read once: every KASSASYNC_* knob and the system variables, under their own names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kassasync.environment import DEFAULT_STARTUP_SYNC_DELAY_S, Environment, read_environment
from kassasync.paths import app_paths


def test_the_knobs_and_the_system_variables_are_read_under_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "KASSASYNC_HOME": str(tmp_path),
        "KASSASYNC_CLIENT_ID": "id",
        "KASSASYNC_CLIENT_SECRET": "secret",
        "KASSASYNC_TOKEN_STORE": " File ",
        "KASSASYNC_STARTUP_SYNC_DELAY_S": "0.5",
        "KASSASYNC_ASSETS": str(tmp_path / "assets"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "DISPLAY": ":7",
        "PYSTRAY_BACKEND": "appindicator",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    found = read_environment()

    assert (found.home, found.client_id, found.client_secret) == (tmp_path, "id", "secret")
    assert (found.token_store, found.startup_sync_delay_s) == ("file", 0.5)
    assert (found.assets, found.xdg_config_home) == (tmp_path / "assets", tmp_path / "xdg")
    assert (found.display, found.pystray_backend, found.has_display) == (":7", "appindicator", True)
    assert app_paths(found.home).settings_file == tmp_path / "config" / "settings.json"


def test_what_is_unset_empty_or_no_number_falls_back_to_the_built_in_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KASSASYNC_HOME", "")
    monkeypatch.setenv("KASSASYNC_STARTUP_SYNC_DELAY_S", "soon")
    for name in ("KASSASYNC_CLIENT_SECRET", "KASSASYNC_TOKEN_STORE", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)

    found = read_environment()

    assert found.home is None and found.client_secret is None and found.token_store == ""
    assert found.startup_sync_delay_s == DEFAULT_STARTUP_SYNC_DELAY_S
    assert not found.has_display


def test_an_environment_is_a_value_the_demo_can_make_without_touching_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KASSASYNC_HOME", raising=False)
    demo = read_environment().model_copy(update={"home": tmp_path, "token_store": "file"})

    assert demo.home == tmp_path
    assert read_environment().home is None  # the process's own environment is unchanged
    assert isinstance(demo, Environment)
