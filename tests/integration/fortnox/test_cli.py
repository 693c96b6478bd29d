"""``kassasync login``, ``status`` and ``logout`` as the shop owner runs them, in their own processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fortnox_sandbox.testing import RunningSandbox
from kassasync.config import FortnoxSettings, Settings, load_settings, save_settings

HERE = Path(__file__).parent


def kassasync(home: Path, sandbox: RunningSandbox, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KASSASYNC_HOME": str(home),
        "KASSASYNC_CLIENT_ID": sandbox.client_id,
        "KASSASYNC_CLIENT_SECRET": sandbox.client_secret,
        "KASSASYNC_TOKEN_STORE": "file",
        "BROWSER": f"{sys.executable} {HERE / 'headless_browser.py'} %s",
    }
    command = [sys.executable, "-m", "kassasync", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_login_status_and_logout_from_the_command_line(tmp_path: Path, sandbox: RunningSandbox) -> None:
    home = tmp_path / "home"
    settings_file = home / "config" / "settings.json"
    fortnox = FortnoxSettings(
        api_url=sandbox.api_url, auth_url=sandbox.base_url + "/oauth-v1", redirect_port=0
    )
    save_settings(Settings(fortnox=fortnox), settings_file)

    assert kassasync(home, sandbox, "status").returncode == 1

    login = kassasync(home, sandbox, "login", "--timeout", "20")
    assert login.returncode == 0, login.stderr
    assert "Kopplad till Hörnbutiken i Sundsvall AB (556123-4567)" in login.stdout
    assert load_settings(settings_file).fortnox.tenant_name == "Hörnbutiken i Sundsvall AB"

    sandbox.expire_access_tokens()
    status = kassasync(home, sandbox, "status", "--check")
    assert status.returncode == 0, status.stderr
    assert "Fortnox svarar: Hörnbutiken i Sundsvall AB" in status.stdout

    logout = kassasync(home, sandbox, "logout")
    assert logout.returncode == 0 and "Utloggad" in logout.stdout
    assert load_settings(settings_file).fortnox.tenant_name is None
    assert kassasync(home, sandbox, "status").returncode == 1
    logs = "".join(p.read_text(encoding="utf-8") for p in (home / "logs").glob("*.log"))
    assert sandbox.client_secret not in logs
