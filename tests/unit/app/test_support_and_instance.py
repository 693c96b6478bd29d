"""Support bundle (last 7 days of logs, settings without secrets) and one agent per user."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from kassasync.clock import STOCKHOLM
from kassasync.config import FortnoxSettings, Settings, save_settings
from kassasync.platform.single_instance import SingleInstance
from kassasync.platform.support_bundle import create_support_bundle

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=STOCKHOLM)


def test_the_bundle_has_the_last_seven_days_of_logs_and_settings_without_secrets(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    for day in ("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-28"):
        (logs / f"kassasync-{day}.log").write_text(f"log of {day}\n", encoding="utf-8")
    settings_file = tmp_path / "settings.json"
    save_settings(Settings(fortnox=FortnoxSettings(client_id="demo-client")), settings_file)
    raw = json.loads(settings_file.read_text())
    raw["fortnox"]["client_secret"] = "s3cr3t-value"  # a hand-edited file may hold one; it must not leave
    raw["refresh_token"] = "rt-123"
    settings_file.write_text(json.dumps(raw), encoding="utf-8")

    bundle = create_support_bundle(tmp_path / "out", log_dir=logs, settings_file=settings_file, now=NOW)

    assert bundle.name == "kassasync-support-20261128-150000.zip"
    with zipfile.ZipFile(bundle) as archive:
        names = sorted(archive.namelist())
        settings_text = archive.read("settings.json").decode()
    assert names == [
        "info.txt",
        "logs/kassasync-2026-11-22.log",
        "logs/kassasync-2026-11-28.log",
        "settings.json",
    ]
    assert "s3cr3t-value" not in settings_text and "rt-123" not in settings_text
    shown = json.loads(settings_text)
    assert shown["fortnox"]["client_id"] == "demo-client"
    assert shown["fortnox"]["client_secret"] == "***"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [bundle.name]  # no partial file left


def test_an_unreadable_settings_file_is_bundled_with_secret_values_blanked(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.json"
    settings_file.write_text('{"client_secret": "abc", "voucher_series": ', encoding="utf-8")
    bundle = create_support_bundle(tmp_path, log_dir=tmp_path / "none", settings_file=settings_file, now=NOW)
    with zipfile.ZipFile(bundle) as archive:
        text = archive.read("settings.json").decode()
    assert '"client_secret": "***"' in text and "abc" not in text


def test_a_settings_file_that_is_not_utf8_is_bundled_with_secret_values_blanked(tmp_path: Path) -> None:
    """Saved as Windows-1252 by a hand edit (a shop name with å): the bundle is still made."""
    settings_file = tmp_path / "settings.json"
    settings_file.write_bytes('{"client_secret": "abc", "name": "Kafé Åsa"}'.encode("cp1252"))

    bundle = create_support_bundle(tmp_path, log_dir=tmp_path / "none", settings_file=settings_file, now=NOW)

    with zipfile.ZipFile(bundle) as archive:
        text = archive.read("settings.json").decode()
    assert '"client_secret": "***"' in text and "abc" not in text
    assert "Kaf" in text


HOLD = """
import sys
from pathlib import Path
from kassasync.platform.single_instance import SingleInstance
print(SingleInstance(Path(sys.argv[1])).acquire())
"""


def test_a_second_agent_finds_the_lock_held_and_a_later_one_gets_it(tmp_path: Path) -> None:
    lock = tmp_path / "state" / "agent.lock"
    first = SingleInstance(lock)
    assert first.acquire()
    second = subprocess.run(
        [sys.executable, "-c", HOLD, str(lock)], capture_output=True, text=True, check=True
    )
    assert second.stdout.strip() == "False"
    first.release()
    third = subprocess.run(
        [sys.executable, "-c", HOLD, str(lock)], capture_output=True, text=True, check=True
    )
    assert third.stdout.strip() == "True"
