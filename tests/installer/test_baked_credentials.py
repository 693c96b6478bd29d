"""The Windows build bakes the Fortnox client id and secret in; the agent finds them; the environment
still overrides them for support; without either, a clear Swedish error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kassasync.config import FortnoxSettings
from kassasync.environment import read_environment
from kassasync.errors import ConfigError
from kassasync.fortnox import baked
from kassasync.fortnox.auth import CLIENT_ID_ENV, CLIENT_SECRET_ENV, ClientCredentials

ROOT = Path(__file__).resolve().parents[2]
BAKE = ROOT / "installer" / "bake_credentials.py"
SPEC = ROOT / "installer" / "kassasync.spec"


def bake(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KASSASYNC_BUILD_")}
    return subprocess.run(
        [sys.executable, str(BAKE), str(tmp_path / "baked" / "baked_client.json")],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CLIENT_ID_ENV, raising=False)
    monkeypatch.delenv(CLIENT_SECRET_ENV, raising=False)


def test_the_build_step_writes_the_pair_from_the_build_environment(tmp_path: Path) -> None:
    result = bake(
        tmp_path, KASSASYNC_BUILD_CLIENT_ID="kassasync-prod", KASSASYNC_BUILD_CLIENT_SECRET="s3cr3t"
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / "baked" / "baked_client.json"
    assert json.loads(written.read_text(encoding="utf-8")) == {
        "client_id": "kassasync-prod",
        "client_secret": "s3cr3t",
    }
    assert "s3cr3t" not in result.stdout + result.stderr  # the build log never shows the secret
    assert baked.read_baked(written) == baked.BakedClient("kassasync-prod", "s3cr3t")


@pytest.mark.parametrize("missing", ["KASSASYNC_BUILD_CLIENT_ID", "KASSASYNC_BUILD_CLIENT_SECRET"])
def test_the_build_stops_when_a_value_is_missing(tmp_path: Path, missing: str) -> None:
    env = {"KASSASYNC_BUILD_CLIENT_ID": "kassasync-prod", "KASSASYNC_BUILD_CLIENT_SECRET": "s3cr3t"}
    del env[missing]
    result = bake(tmp_path, **env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert not (tmp_path / "baked" / "baked_client.json").exists()


def test_the_spec_refuses_to_build_without_the_pair_and_bundles_it_as_package_data() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert 'BAKED = ROOT / "build" / "baked" / "baked_client.json"' in text
    assert "if not BAKED.is_file():\n    raise SystemExit" in text
    assert '(str(BAKED), "kassasync/fortnox")' in text  # where kassasync.fortnox.baked looks
    assert baked.BAKED_FILE_NAME == "baked_client.json"


def test_the_baked_file_is_never_in_the_source_tree() -> None:
    """A checkout (and so the repository) holds no pair; .gitignore keeps build/ out."""
    assert not (ROOT / "src" / "kassasync" / "fortnox" / baked.BAKED_FILE_NAME).exists()
    assert "build/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_a_frozen_agent_finds_the_baked_pair(tmp_path: Path, no_env: None) -> None:
    path = tmp_path / "baked_client.json"
    path.write_text(json.dumps({"client_id": "kassasync-prod", "client_secret": "s3cr3t"}), encoding="utf-8")
    found = ClientCredentials.from_environment(
        FortnoxSettings(), read_environment(), baked=baked.read_baked(path)
    )
    assert found == ClientCredentials("kassasync-prod", "s3cr3t")


def test_the_frozen_layout_is_found_through_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller unpacks package data under sys._MEIPASS/kassasync/fortnox/."""
    folder = tmp_path / "kassasync" / "fortnox"
    folder.mkdir(parents=True)
    (folder / "baked_client.json").write_text('{"client_id": "a", "client_secret": "b"}', encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert baked.baked_file() == folder / "baked_client.json"
    assert baked.read_baked() == baked.BakedClient("a", "b")


def test_the_environment_overrides_the_baked_pair_for_support(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLIENT_ID_ENV, "support-id")
    monkeypatch.setenv(CLIENT_SECRET_ENV, "support-secret")
    found = ClientCredentials.from_environment(
        FortnoxSettings(), read_environment(), baked=baked.BakedClient("kassasync-prod", "s3cr3t")
    )
    assert found == ClientCredentials("support-id", "support-secret")


def test_an_id_and_a_secret_of_two_integrations_are_never_mixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the secret in the environment switches to the environment; an id alone changes nothing."""
    monkeypatch.setenv(CLIENT_ID_ENV, "stray-id")
    monkeypatch.delenv(CLIENT_SECRET_ENV, raising=False)
    found = ClientCredentials.from_environment(
        FortnoxSettings(client_id="old-id"),
        read_environment(),
        baked=baked.BakedClient("kassasync-prod", "s3cr3t"),
    )
    assert found == ClientCredentials("kassasync-prod", "s3cr3t")


def test_without_either_the_error_is_swedish_and_says_what_to_do(no_env: None) -> None:
    with pytest.raises(ConfigError) as caught:
        ClientCredentials.from_environment(
            FortnoxSettings(client_id="only-an-id"), read_environment(), baked=None
        )
    assert caught.value.user_message.startswith("Kassasync saknar sina uppgifter för Fortnox")
    assert "leverantörens installationsfil" in caught.value.user_message
    assert "KASSASYNC_CLIENT_SECRET" in caught.value.detail  # English, for support's log


@pytest.mark.parametrize(
    "content", ["not json", '{"client_id": "a"}', '{"client_id": "", "client_secret": "b"}', "[]"]
)
def test_a_broken_baked_file_counts_as_none(tmp_path: Path, content: str, no_env: None) -> None:
    path = tmp_path / "baked_client.json"
    path.write_text(content, encoding="utf-8")
    assert baked.read_baked(path) is None
    with pytest.raises(ConfigError):
        ClientCredentials.from_environment(
            FortnoxSettings(), read_environment(), baked=baked.read_baked(path)
        )


def test_a_source_checkout_has_nothing_built_in(no_env: None) -> None:
    assert baked.read_baked() is None
