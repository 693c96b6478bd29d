"""Secrets stay secret through a whole day's trouble, and the login listener is small and short-lived."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from kassasync.clock import STOCKHOLM
from kassasync.config import save_settings
from kassasync.environment import read_environment
from kassasync.fortnox.connect import FortnoxContext, connect_company
from kassasync.fortnox.ratelimit import shared_limiter
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.logs import setup_logging
from kassasync.platform.support_bundle import create_support_bundle
from kassasync.sync.events import StepProgress, SyncEvent

from .conftest import Shop


class RecordingStore(FileTokenStore):
    """The real file store, remembering every pair it saved, so the test knows every token there was."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.saved: list[TokenSet] = []

    def save(self, tokens: TokenSet) -> None:
        super().save(tokens)
        self.saved.append(tokens)


class Browser:
    """The user's browser: follows the sandbox's auto-approve redirect to the loopback listener."""

    def __init__(self) -> None:
        self.callbacks: list[str] = []

    def __call__(self, url: str) -> object:
        response = requests.get(url, timeout=10, allow_redirects=False)
        callback = response.headers["Location"]
        self.callbacks.append(callback)
        assert urlsplit(callback).hostname == "127.0.0.1"  # the listener is on loopback only
        assert requests.get(callback, timeout=10).status_code == 200
        return response


@pytest.fixture
def debug_log(shop: Shop) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    handler = setup_logging(shop.paths.log_dir, "DEBUG")
    yield shop.paths.log_dir
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


def test_no_token_code_or_secret_reaches_a_log_or_the_support_bundle_after_a_faulty_day(
    shop: Shop, debug_log: Path, tmp_path: Path
) -> None:
    save_settings(shop.settings, shop.paths.settings_file)
    # the process's one budget for this API is made at first use: make it with the engine's fast limit
    shared_limiter(shop.sandbox.api_url, shop.sandbox.client_id, limit=10_000, window_s=1.0)
    store = RecordingStore(shop.paths.token_file)
    browser = Browser()
    context = FortnoxContext.create(shop.settings, shop.paths, environment=read_environment(), store=store)
    connect_company(context, browser_opener=browser, timeout_s=10)
    shop.token_store = store
    shop.sandbox.inject("GET", "/3/articles", "status", status=500, count=1)
    shop.sandbox.inject("POST", "/3/vouchers", "drop_after_commit", count=1)
    shop.sandbox.inject("POST", "/3/vouchers", "status", status=503, count=1)

    def expire_midway(event: SyncEvent) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and event.done == 5:
            shop.sandbox.expire_access_tokens()

    shop.sync(kind="everything", emit=expire_midway)
    shop.sync()
    bundle = create_support_bundle(
        tmp_path / "bundle",
        log_dir=debug_log,
        settings_file=shop.paths.settings_file,
        now=datetime.now(STOCKHOLM),
    )

    callback = parse_qs(urlsplit(browser.callbacks[0]).query)
    secrets = {shop.sandbox.client_secret, callback["code"][0], callback["state"][0]}
    for tokens in store.saved:
        secrets |= {tokens.access_token, tokens.refresh_token}
    assert len(store.saved) >= 2  # the login and the refresh after the expiry mid-run
    logs = "".join(p.read_text(encoding="utf-8") for p in debug_log.glob("*.log"))
    assert "posted K1-1 as F" in logs  # the log is the real one, with the run in it
    with zipfile.ZipFile(bundle) as archive:
        packed = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    assert [s for s in secrets if s in logs] == []
    assert [s for s in secrets if s in packed] == []


def test_the_login_listener_takes_one_code_and_closes(shop: Shop) -> None:
    browser = Browser()
    context = FortnoxContext.create(shop.settings, shop.paths, environment=read_environment())
    connect_company(context, browser_opener=browser, timeout_s=10)

    with pytest.raises(requests.ConnectionError):
        requests.get(browser.callbacks[0], timeout=2)  # a second visit finds nobody listening
