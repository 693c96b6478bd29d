"""The README's first command works on a fresh machine: the demo logs in and syncs both ways."""

import json
import subprocess
import sys
from pathlib import Path


def test_the_demo_syncs_every_receipt_once_and_leaks_no_secret(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kassasync", "demo", "--home", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Inloggad i Fortnox: Hörnbutiken i Sundsvall AB (556123-4567)" in done.stdout
    assert "Organisationsnumren stämmer." in done.stdout
    assert "Artiklar: 327 hämtade" in done.stdout
    assert "Kvitton: 72 bokförda, 0 med fel" in done.stdout
    assert "Kvitto K1-1 → verifikation F" in done.stdout
    assert "Kvitton: 0 bokförda, 0 med fel" in done.stdout  # the second sync posts nothing again
    assert "Verifikationer i serie F i Fortnox-sandlådan: 72" in done.stdout
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("*.log"))
    assert logs, "the demo wrote no log"
    stored = json.loads((tmp_path / "state" / "tokens.json").read_text(encoding="utf-8"))
    secrets = [v for v in _strings(stored) if len(v) >= 16] + ["sandbox-demo-secret"]
    assert len(secrets) >= 3  # the access token, the refresh token and the client secret
    for secret in secrets:
        assert secret not in logs and secret not in done.stdout


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
