"""The integration's client id and secret baked into the Windows build, and where they are looked up.

A shop owner cannot set environment variables, so the installer's build writes the pair (from the build
machine's ``KASSASYNC_BUILD_CLIENT_ID`` / ``KASSASYNC_BUILD_CLIENT_SECRET``) into ``baked_client.json``
beside this module inside the frozen bundle (installer/bake_credentials.py, kassasync.spec). A source
checkout has no such file, so developers and tests keep using the environment.

A desktop program's client secret is not secret: anyone with the exe can read it (docs/deployment.md).
Fortnox's authorization-code flow still needs the shop owner's own consent in the browser, so the pair
alone reaches no company's data.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

BAKED_FILE_NAME = "baked_client.json"


@dataclass(frozen=True)
class BakedClient:
    client_id: str
    client_secret: str


def baked_file() -> Path | None:
    """Where the build put the pair: package data, or PyInstaller's unpack folder; None when absent."""
    candidates: list[Path] = []
    with contextlib.suppress(ModuleNotFoundError, TypeError):  # a loader without files(): _MEIPASS below
        candidates.append(Path(str(resources.files("kassasync.fortnox").joinpath(BAKED_FILE_NAME))))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "kassasync" / "fortnox" / BAKED_FILE_NAME)
    return next((path for path in candidates if path.is_file()), None)


def read_baked(path: Path | None = None) -> BakedClient | None:
    """The baked pair, or None (no file, or a file that is not a complete pair: logged, never raised,
    so the caller gives the one clear "missing credentials" message)."""
    path = path if path is not None else baked_file()
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        client_id, client_secret = str(data["client_id"]).strip(), str(data["client_secret"]).strip()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.error("baked client credentials in %s are unreadable: %s", path, exc)
        return None
    if not client_id or not client_secret:
        log.error("baked client credentials in %s are incomplete", path)
        return None
    return BakedClient(client_id, client_secret)
