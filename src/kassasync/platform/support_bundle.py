"""A zip for support: the last days' logs and the settings with anything secret-looking removed.

Secrets should never be in either (tokens live in the token store, logs are redacted when written), but
a bundle leaves the shop, so the settings are redacted once more here, by key name, keeping ``client_id``
(support needs to see which app registration is in use; it is not a secret).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kassasync import __version__
from kassasync.clock import business_date

log = logging.getLogger(__name__)

DAYS = 7
REDACTED = "***"
SECRET_KEY = re.compile(r"secret|token|passw|pwd|api_?key|credential|private|auth_?code|^code$", re.I)
KEEP_KEYS = frozenset({"client_id"})
LOG_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (REDACTED if SECRET_KEY.search(key) and key not in KEEP_KEYS else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def redacted_settings_text(path: Path) -> str:
    try:
        # Not UTF-8 (saved as Windows-1252 by a hand edit)? Support still wants to see it: undecodable
        # bytes become U+FFFD, the text-based redaction below still applies.
        raw = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return "(no settings file)\n"
    except OSError as exc:
        return f"(settings file unreadable: {type(exc).__name__})\n"
    try:
        return json.dumps(redact(json.loads(raw)), indent=2, ensure_ascii=False) + "\n"
    except json.JSONDecodeError:
        # an unreadable file is exactly what support wants to see; blank secret-looking values by text
        pattern = re.compile(r'("[^"]*(?:secret|token|passw|api_?key|credential)[^"]*"\s*:\s*)"[^"]*"', re.I)
        return pattern.sub(rf'\1"{REDACTED}"', raw)


def recent_logs(log_dir: Path, today: date, days: int = DAYS) -> list[Path]:
    """Log files of the last ``days`` days, by the date in the name (daily files) or else by mtime."""
    oldest = today - timedelta(days=days - 1)
    chosen: list[Path] = []
    for path in sorted(log_dir.glob("*.log*")) if log_dir.is_dir() else []:
        match = LOG_DATE.search(path.name)
        if match:
            day = date.fromisoformat(match.group(1))
        else:
            day = business_date(datetime.fromtimestamp(path.stat().st_mtime, UTC))
        if oldest <= day <= today:
            chosen.append(path)
    return chosen


def create_support_bundle(dest_dir: Path, *, log_dir: Path, settings_file: Path, now: datetime) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"kassasync-support-{now:%Y%m%d-%H%M%S}.zip"
    partial = target.with_suffix(".zip.part")
    logs = recent_logs(log_dir, business_date(now))
    info = (
        f"kassasync {__version__}\ncreated {now.isoformat()}\n"
        f"platform {platform.platform()}\npython {platform.python_version()}\n"
        f"log files: {len(logs)}\n"
    )
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("info.txt", info)
        bundle.writestr("settings.json", redacted_settings_text(settings_file))
        for path in logs:
            bundle.write(path, f"logs/{path.name}")
    os.replace(partial, target)
    log.info("support bundle written: %s (%d log files)", target, len(logs))
    return target
