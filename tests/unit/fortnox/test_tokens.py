"""Where the token pair is kept: keyring when there is one, a private file otherwise, never silently on
Windows; and every save complete or not at all."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.fortnox.tokens import (
    FileTokenStore,
    KeyringTokenStore,
    TokenSet,
    TokenStoreError,
    choose_token_store,
)
from kassasync.logs import redact

PAIR = TokenSet(
    "access-aaaa-1111", "refresh-bbbb-2222", datetime(2026, 11, 28, 13, 0, tzinfo=STOCKHOLM), "bookkeeping"
)


class FakeKeyring:
    """An in-memory OS keyring (a fake of an OS facility), optionally refusing long secrets like
    Windows Credential Manager does."""

    priority = 5

    def __init__(self, max_length: int | None = None) -> None:
        self.entries: dict[tuple[str, str], str] = {}
        self.max_length = max_length

    def get_password(self, service: str, name: str) -> str | None:
        return self.entries.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        if self.max_length is not None and len(value) > self.max_length:
            raise OSError("The stub received bad data")
        self.entries[(service, name)] = value

    def delete_password(self, service: str, name: str) -> None:
        del self.entries[(service, name)]


class FailKeyring:
    priority = 0


def test_the_file_store_round_trips_and_is_readable_by_the_user_alone(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "state" / "tokens.json")
    assert store.load() is None
    store.save(PAIR)
    assert store.load() == PAIR
    if os.name != "nt":
        assert store.path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in store.path.parent.iterdir()] == ["tokens.json"]  # no temp file left


def test_a_failed_save_leaves_the_previous_pair_intact(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(PAIR)
    broken = TokenSet("a", "r", PAIR.expires_at, scope=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.save(broken)
    assert store.load() == PAIR
    assert [p.name for p in tmp_path.iterdir()] == ["tokens.json"]


def test_a_corrupt_token_file_means_a_new_login_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{not json", encoding="utf-8")
    assert FileTokenStore(path).load() is None


def test_the_keyring_store_keeps_the_refresh_token_apart_from_the_access_token() -> None:
    backend = FakeKeyring()
    store = KeyringTokenStore("demo", backend)
    store.save(PAIR)
    assert store.load() == PAIR
    assert "refresh-bbbb-2222" in backend.entries[("Kassasync Fortnox", "demo:refresh")]
    assert "access-aaaa-1111" not in backend.entries[("Kassasync Fortnox", "demo:refresh")]
    store.clear()
    assert store.load() is None and backend.entries == {}


def test_an_access_token_too_long_for_the_keyring_costs_a_refresh_not_the_login() -> None:
    backend = FakeKeyring(max_length=100)
    long_pair = TokenSet("x" * 200, "refresh-cccc-3333", PAIR.expires_at)
    store = KeyringTokenStore("demo", backend)
    store.save(long_pair)
    loaded = store.load()
    assert loaded is not None
    assert loaded.refresh_token == "refresh-cccc-3333"
    assert loaded.access_token == ""  # the client will refresh before its first call


def test_a_usable_keyring_is_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KASSASYNC_TOKEN_STORE", raising=False)
    store = choose_token_store(tmp_path / "t.json", "demo", backend=FakeKeyring(), platform="win32")
    assert isinstance(store, KeyringTokenStore)


def test_windows_without_a_keyring_is_refused_rather_than_falling_back_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KASSASYNC_TOKEN_STORE", raising=False)
    with pytest.raises(TokenStoreError):
        choose_token_store(tmp_path / "t.json", "demo", backend=FailKeyring(), platform="win32")


def test_elsewhere_without_a_keyring_the_file_is_used_and_the_choice_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("KASSASYNC_TOKEN_STORE", raising=False)
    store = choose_token_store(tmp_path / "t.json", "demo", backend=FailKeyring(), platform="linux")
    assert isinstance(store, FileTokenStore)
    assert "using the private file" in caplog.text


def test_loading_tokens_registers_them_for_redaction(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    data: dict[str, Any] = {**PAIR.to_json(), "access_token": "loaded-access-7777"}
    path.write_text(json.dumps(data), encoding="utf-8")
    FileTokenStore(path).load()
    assert "loaded-access-7777" not in redact("sent loaded-access-7777 to Fortnox")
