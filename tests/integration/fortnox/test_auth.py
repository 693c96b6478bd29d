"""Logging in headless, refreshing without ever losing the connection, and logs that never hold a token."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.clock import STOCKHOLM
from kassasync.config import FortnoxSettings, Settings, load_settings, save_settings
from kassasync.environment import read_environment
from kassasync.fortnox.auth import ClientCredentials, OAuthEndpoints, TokenManager, login, logout
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.connect import FortnoxContext, connect_company, remembering
from kassasync.fortnox.errors import FortnoxUnavailable, LoginFailed, LoginRequired
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.logs import setup_logging
from kassasync.paths import app_paths
from kassasync.settings_store import SettingsStore

from .conftest import MakeClient, RecordingStore

HERE = Path(__file__).parent


class HeadlessBrowser:
    """Plays the user's browser: follows the sandbox's auto-approve redirect to our listener."""

    def __init__(self, tamper_state: bool = False) -> None:
        self.tamper_state = tamper_state
        self.visited: list[str] = []

    def __call__(self, url: str) -> None:
        if self.tamper_state:
            parts = urlsplit(url)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"state": "forged"}
            url = parts._replace(query=urlencode(query)).geturl()
        response = requests.get(url, timeout=10)
        self.visited = [r.headers.get("Location", "") for r in response.history] + [response.url]
        assert response.status_code == (403 if self.tamper_state else 200)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox: RunningSandbox) -> Path:
    monkeypatch.setenv("KASSASYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KASSASYNC_CLIENT_ID", sandbox.client_id)
    monkeypatch.setenv("KASSASYNC_CLIENT_SECRET", sandbox.client_secret)
    monkeypatch.setenv("KASSASYNC_TOKEN_STORE", "file")
    paths = app_paths(read_environment().home).ensure()
    fortnox = FortnoxSettings(
        api_url=sandbox.api_url, auth_url=sandbox.base_url + "/oauth-v1", redirect_port=0
    )
    save_settings(Settings(fortnox=fortnox), paths.settings_file)
    return tmp_path / "home"


@pytest.fixture
def run_log(home: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    handler = setup_logging(app_paths(read_environment().home).log_dir, "DEBUG")
    yield app_paths(read_environment().home).log_dir
    root.removeHandler(handler)
    handler.close()
    root.setLevel(before[1])


def test_login_headless_stores_tokens_and_remembers_the_company(home: Path, sandbox: RunningSandbox) -> None:
    paths = app_paths(read_environment().home)
    context = FortnoxContext.create(load_settings(paths.settings_file), paths, environment=read_environment())
    company = connect_company(context, browser_opener=HeadlessBrowser(), timeout_s=10)
    SettingsStore(paths.settings_file).update(remembering(company))  # the caller stores it, as the CLI
    assert company.company_name == "Hörnbutiken i Sundsvall AB"
    saved = load_settings(paths.settings_file).fortnox
    assert (saved.tenant_name, saved.organisation_number) == ("Hörnbutiken i Sundsvall AB", "556123-4567")
    assert paths.token_file.exists()
    if os.name != "nt":  # on Windows the profile folder's ACL guards it
        assert paths.token_file.stat().st_mode & 0o777 == 0o600
    assert sandbox.client_secret not in paths.settings_file.read_text(encoding="utf-8")


def test_a_callback_with_a_forged_state_is_refused_and_nothing_is_stored(
    sandbox: RunningSandbox, credentials: ClientCredentials, tmp_path: Path
) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    endpoints = OAuthEndpoints.under(sandbox.base_url + "/oauth-v1")
    with pytest.raises(LoginFailed):
        login(credentials, endpoints, store, browser_opener=HeadlessBrowser(tamper_state=True), timeout_s=2)
    assert store.load() is None
    assert sandbox.counters()["requests"].get("POST /oauth-v1/token", 0) == 0


def test_a_callback_from_another_page_is_refused_and_the_real_login_still_completes(
    sandbox: RunningSandbox, credentials: ClientCredentials, tmp_path: Path
) -> None:
    """Any web site can make the browser call 127.0.0.1; only our redirect knows the state."""
    store = FileTokenStore(tmp_path / "tokens.json")
    endpoints = OAuthEndpoints.under(sandbox.base_url + "/oauth-v1")
    forged: list[int] = []

    def attacker_then_user(url: str) -> None:
        redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        attack = requests.get(
            f"{redirect_uri}?code=attackers-code&state=guessed",
            headers={"Origin": "https://evil.example", "Referer": "https://evil.example/"},
            timeout=10,
        )
        forged.append(attack.status_code)
        HeadlessBrowser()(url)

    tokens = login(credentials, endpoints, store, browser_opener=attacker_then_user, timeout_s=10)

    assert forged == [403]
    assert store.load() == tokens
    assert sandbox.counters()["requests"]["POST /oauth-v1/token"] == 1  # the forged code was never used


def test_an_expired_access_token_is_refreshed_transparently(
    client: FortnoxClient, sandbox: RunningSandbox, store: RecordingStore
) -> None:
    before = store.load()
    sandbox.expire_access_tokens()
    assert client.company_information().company_name == "Hörnbutiken i Sundsvall AB"
    after = store.load()
    assert before is not None and after is not None
    assert after.refresh_token != before.refresh_token
    assert sandbox.counters()["requests"]["POST /oauth-v1/token"] == 1


def test_a_token_close_to_expiry_is_refreshed_before_it_is_used(
    client: FortnoxClient, sandbox: RunningSandbox, store: RecordingStore
) -> None:
    tokens = store.load()
    assert tokens is not None
    store.save(TokenSet(tokens.access_token, tokens.refresh_token, datetime.now(tz=STOCKHOLM), tokens.scope))
    client.company_information()
    counters = sandbox.counters()["requests"]
    assert counters["POST /oauth-v1/token"] == 1
    assert counters["GET /3/companyinformation"] == 1  # no 401 on the way


def test_a_used_refresh_token_means_log_in_again_and_says_so(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    sandbox.expire_access_tokens()
    sandbox.revoke_refresh_tokens()
    with pytest.raises(LoginRequired) as caught:
        client.company_information()
    assert caught.value.user_message.startswith("Logga in igen")
    assert "Inga kvitton går förlorade" in caught.value.user_message


def race_refreshes(sandbox: RunningSandbox, store: FileTokenStore, lock: Path, rounds: int) -> list[str]:
    """Two processes on one stored token; before each round every access token is expired, then both
    are released together, so both meet a 401 and race to refresh the same single-use token."""
    command = [
        sys.executable, str(HERE / "refresher.py"), sandbox.api_url, sandbox.token_url,
        sandbox.client_id, sandbox.client_secret, str(store.path), str(lock),
    ]  # fmt: skip
    workers = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    answers = ["", ""]
    try:
        for _ in range(rounds):
            sandbox.expire_access_tokens()
            for worker in workers:
                assert worker.stdin is not None
                worker.stdin.write("go\n")
                worker.stdin.flush()
            answers = [worker.stdout.readline().strip() for worker in workers if worker.stdout]
            if answers != ["done", "done"]:
                break
    finally:
        outputs = [worker.communicate(timeout=60)[0].strip() for worker in workers]
    return [out or answer for out, answer in zip(outputs, answers, strict=True)]


def test_a_refresh_whose_answer_is_lost_cannot_be_recovered_and_the_app_says_log_in_again(
    client: FortnoxClient, sandbox: RunningSandbox
) -> None:
    """The one loss no client can prevent: Fortnox rotated the token but the answer never arrived.
    The run stops as "unavailable" (not retried: a second try would reuse a spent token); the next run
    learns the token is spent and asks for a new login, with nothing queued lost."""
    sandbox.expire_access_tokens()
    sandbox.inject("POST", "/oauth-v1/token", "drop_after_commit")
    with pytest.raises(FortnoxUnavailable):
        client.company_information()
    assert sandbox.counters()["requests"]["POST /oauth-v1/token"] == 1
    with pytest.raises(LoginRequired):
        client.company_information()


def test_two_processes_refreshing_twenty_times_each_keep_the_connection_alive(
    store: RecordingStore, tmp_path: Path
) -> None:
    with running_sandbox(rate_limit=0) as sandbox:
        store.save(TokenSet.from_response(sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
        lock = tmp_path / "state" / "tokens.lock"
        outputs = race_refreshes(sandbox, store, lock, rounds=20)
        assert all(out.startswith("ok ") for out in outputs), outputs
        refresh_posts = [int(out.split()[2]) for out in outputs]
        assert sandbox.counters()["requests"]["POST /oauth-v1/token"] == sum(refresh_posts) == 20
        survivor = TokenManager(
            store, ClientCredentials(sandbox.client_id, sandbox.client_secret), sandbox.token_url, lock
        )
        sandbox.expire_access_tokens()  # the stored refresh token must still be the live one
        alive = FortnoxClient(survivor, api_url=sandbox.api_url)
        try:
            assert alive.company_information().organization_number == "556123-4567"
        finally:
            alive.close()


def test_logout_revokes_the_refresh_token_and_forgets_it(
    sandbox: RunningSandbox, credentials: ClientCredentials, store: RecordingStore, make_client: MakeClient
) -> None:
    tokens = store.load()
    assert tokens is not None
    assert logout(credentials, OAuthEndpoints.under(sandbox.base_url + "/oauth-v1"), store) is True
    assert store.load() is None
    store.save(tokens)  # even someone who kept a copy cannot use it any more
    sandbox.expire_access_tokens()
    with pytest.raises(LoginRequired):
        make_client().company_information()


def test_the_log_of_a_whole_run_holds_no_token_code_or_secret(
    home: Path, run_log: Path, sandbox: RunningSandbox
) -> None:
    paths = app_paths(read_environment().home)
    store = RecordingStore(paths.token_file)
    context = FortnoxContext.create(
        load_settings(paths.settings_file), paths, environment=read_environment(), store=store
    )
    browser = HeadlessBrowser()
    connect_company(context, browser_opener=browser, timeout_s=10)
    client = context.client()
    sandbox.expire_access_tokens()
    client.company_information()
    logging.getLogger("kassasync.test").debug("a careless line: %s", store.saved[-1].to_json())
    client.close()
    callback = parse_qs(urlsplit(browser.visited[-1]).query)
    secrets = {sandbox.client_secret, callback["code"][0], callback["state"][0]}
    for tokens in store.saved:
        secrets |= {tokens.access_token, tokens.refresh_token}
    text = "".join(p.read_text(encoding="utf-8") for p in run_log.glob("kassasync-*.log"))
    assert "Fortnox token refreshed" in text and "a careless line" in text
    assert [s for s in secrets if s in text] == []


def test_the_login_listener_serves_the_browser_while_another_connection_to_it_sits_idle(
    sandbox: RunningSandbox, credentials: ClientCredentials, tmp_path: Path
) -> None:
    """Browsers open spare connections and send nothing on them; the redirect must still be served."""
    store = FileTokenStore(tmp_path / "tokens.json")
    endpoints = OAuthEndpoints.under(sandbox.base_url + "/oauth-v1")
    idle: list[socket.socket] = []

    def idle_connection_then_user(url: str) -> None:
        redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        port = int(urlsplit(redirect_uri).port or 0)
        idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))  # says nothing
        HeadlessBrowser()(url)

    try:
        tokens = login(credentials, endpoints, store, browser_opener=idle_connection_then_user, timeout_s=10)
    finally:
        for conn in idle:
            conn.close()

    assert store.load() == tokens
    assert idle  # the idle connection was open the whole time the browser was served
    assert sandbox.counters()["requests"]["POST /oauth-v1/token"] == 1  # one code, used once
