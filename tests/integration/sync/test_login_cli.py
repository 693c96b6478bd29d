"""``kassasync login`` on a computer where no browser starts: it shows the address instead of waiting."""

from __future__ import annotations

import os
import subprocess
import sys

import requests

from kassasync.config import load_settings, save_settings

from .conftest import Shop


def test_login_without_a_browser_shows_the_address_and_logging_in_there_connects(shop: Shop) -> None:
    save_settings(shop.settings, shop.paths.settings_file)
    shop.paths.token_file.unlink()
    # No desktop session, and the only "browser" there is fails to start: a server or a bare PC.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["BROWSER"] = "false"
    login = subprocess.Popen(
        [sys.executable, "-m", "kassasync", "login", "--timeout", "30"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert login.stdout is not None
        lines = [login.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("Ingen webbläsare kunde öppnas. Öppna den här adressen"), lines
        url = lines[2].strip()
        assert url.startswith(f"{shop.sandbox.base_url}/oauth-v1/auth?"), lines
        assert "Webbläsaren öppnas" not in "".join(lines)

        assert requests.get(url, timeout=10).status_code == 200  # the owner opens it by hand

        out, err = login.communicate(timeout=30)
    finally:
        if login.poll() is None:
            login.kill()
            login.wait()
    assert login.returncode == 0, err
    assert "Kopplad till Hörnbutiken i Sundsvall AB (556123-4567)." in out
    assert load_settings(shop.paths.settings_file).fortnox.organisation_number == "556123-4567"
    assert shop.paths.token_file.is_file()
