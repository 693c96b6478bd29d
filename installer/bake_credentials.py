"""Bake the integration's Fortnox client id and secret into the Windows build.

A shop owner cannot set environment variables, and "Logga in..." needs the pair. So the build machine
holds them (``KASSASYNC_BUILD_CLIENT_ID`` / ``KASSASYNC_BUILD_CLIENT_SECRET``, e.g. CI secrets), and this
script writes them to ``build/baked/baked_client.json``, which kassasync.spec puts into the frozen bundle
beside ``kassasync/fortnox/baked.py`` (the agent's lookup: environment, then this file).

The file is written under build/ (gitignored), never into src/: the secret must never be committed.
Missing values stop the build: an installer without them would ship a login that cannot work.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ID_ENV = "KASSASYNC_BUILD_CLIENT_ID"
SECRET_ENV = "KASSASYNC_BUILD_CLIENT_SECRET"
ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "build" / "baked" / "baked_client.json"


def render(client_id: str, client_secret: str) -> str:
    return json.dumps({"client_id": client_id, "client_secret": client_secret}, indent=2) + "\n"


def bake(environ: dict[str, str] | os._Environ[str], target: Path = TARGET) -> Path:
    client_id = environ.get(ID_ENV, "").strip()
    client_secret = environ.get(SECRET_ENV, "").strip()
    missing = [name for name, value in ((ID_ENV, client_id), (SECRET_ENV, client_secret)) if not value]
    if missing:
        raise SystemExit(
            f"bake_credentials: {' and '.join(missing)} not set. The installer needs the Fortnox "
            "integration's client id and secret from the build environment (installer/README.md)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(client_id, client_secret), encoding="utf-8", newline="\n")
    return target


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    written = bake(os.environ, target)
    print(f"wrote {written} (client id {os.environ[ID_ENV].strip()}; the secret is not printed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
