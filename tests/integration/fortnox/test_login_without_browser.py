"""A PC where no browser starts: ``kassasync login`` prints the address to open instead of promising a
browser and waiting in silence; the login completes when the owner opens it by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from fortnox_sandbox.testing import RunningSandbox
from kassasync.config import FortnoxSettings, Settings, load_settings, save_settings


def test_login_prints_the_address_when_no_browser_starts(tmp_path: Path, sandbox: RunningSandbox) -> None:
    home = tmp_path / "home"
    settings_file = home / "config" / "settings.json"
    fortnox = FortnoxSettings(
        api_url=sandbox.api_url, auth_url=sandbox.base_url + "/oauth-v1", redirect_port=0
    )
    save_settings(Settings(fortnox=fortnox), settings_file)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        KASSASYNC_HOME=str(home),
        KASSASYNC_CLIENT_ID=sandbox.client_id,
        KASSASYNC_CLIENT_SECRET=sandbox.client_secret,
        KASSASYNC_TOKEN_STORE="file",
        BROWSER="false %s",  # a "browser" that fails to start: webbrowser.open answers False
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "login", "--timeout", "30"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith(sandbox.base_url):
                break
        url = lines[-1]
        assert url.startswith(f"{sandbox.base_url}/oauth-v1/auth?"), lines
        assert any("Ingen webbläsare startade" in line for line in lines), lines
        assert requests.get(url, timeout=10).status_code == 200  # the owner opens it by hand
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Kopplad till Hörnbutiken i Sundsvall AB (556123-4567)" in out
    assert load_settings(settings_file).fortnox.tenant_name == "Hörnbutiken i Sundsvall AB"
