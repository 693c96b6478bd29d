"""OAuth2 with Fortnox: the browser login and a refresh that never loses the connection.

Fortnox refresh tokens work once (REFERENCE §2.1). Two processes (the tray and a CLI sync) refreshing the
same token, or a crash between refreshing and saving, log the shop out. So a refresh happens only under a
cross-process file lock, re-reads the store first (another process may have refreshed already), and
persists the new pair before anything uses it.

The token endpoint is called with plain ``requests`` rather than requests-oauthlib's ``OAuth2Session``:
we need the lock, re-read and persist-first order around the one POST, and Fortnox's error bodies
(JSON labelled text/html or text/plain) parsed our own way; the session's auto-refresh hooks would fight
both. It is two form POSTs with HTTP Basic, simpler to read than the adapter.
"""

from __future__ import annotations

import logging
import secrets
import threading
import webbrowser
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from filelock import FileLock, Timeout

from kassasync.clock import Clock, SystemClock
from kassasync.fortnox.credentials import (  # re-exported: the login's vocabulary
    CLIENT_ID_ENV as CLIENT_ID_ENV,
)
from kassasync.fortnox.credentials import (
    CLIENT_SECRET_ENV as CLIENT_SECRET_ENV,
)
from kassasync.fortnox.credentials import (
    ClientCredentials as ClientCredentials,
)
from kassasync.fortnox.credentials import (
    OAuthEndpoints as OAuthEndpoints,
)
from kassasync.fortnox.errors import FortnoxUnavailable, LoginFailed, LoginRequired, parse_error_body
from kassasync.fortnox.tokens import TokenSet, TokenStore
from kassasync.logs import register_secret

log = logging.getLogger(__name__)

SCOPES: tuple[str, ...] = (
    "companyinformation",
    "bookkeeping",
    "settings",
    "article",
    "price",
    "customer",
    "invoice",
    "payment",
)
WAREHOUSE_SCOPE = "warehouse"  # the warehouse API (/api/warehouse/...), needed with Lagermodul


def login_scopes(stock_module: bool) -> tuple[str, ...]:
    """What the login asks for: the scopes the mode needs, and only those (a token has exactly the
    scopes its login asked for; a connector's changelog: "Warehouse scope not added with OAuth")."""
    return (*SCOPES, WAREHOUSE_SCOPE) if stock_module else SCOPES


def missing_scopes(tokens: TokenSet | None, stock_module: bool) -> list[str]:
    """Scopes the mode needs that the stored login lacks; none known when the token says no scope."""
    if tokens is None or not tokens.scope.strip():
        return []
    granted = set(tokens.scope.split())
    return [scope for scope in login_scopes(stock_module) if scope not in granted]


REFRESH_MARGIN_S = 300.0  # refresh this long before expiry, so a request never carries a dying token
LOCK_TIMEOUT_S = 60.0
TOKEN_TIMEOUT = (5.0, 30.0)


def _token_post(
    session: requests.Session, url: str, credentials: ClientCredentials, form: dict[str, str]
) -> requests.Response:
    """One POST to the token host; a connection error becomes FortnoxUnavailable (never retried here:
    a refresh that reached Fortnox has already used the refresh token)."""
    try:
        return session.post(
            url,
            data=form,
            auth=(credentials.client_id, credentials.client_secret),
            headers={"Accept": "application/json"},
            timeout=TOKEN_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise FortnoxUnavailable(f"POST {url} failed: {type(exc).__name__}: {exc}") from exc


def _token_response(
    response: requests.Response, now_tokens: Callable[[dict[str, Any]], TokenSet]
) -> TokenSet:
    if response.status_code == 200:
        try:
            body = response.json()
            return now_tokens(body)
        except (ValueError, KeyError) as exc:
            raise FortnoxUnavailable(f"token endpoint answered 200 without a token pair: {exc}") from exc
    parsed = parse_error_body(response.text)
    detail = f"token endpoint HTTP {response.status_code}: {parsed.message}"
    if "invalid_grant" in parsed.message:
        raise LoginRequired(detail, status=response.status_code)
    if "invalid_client" in parsed.message:
        raise LoginRequired(
            detail,
            status=response.status_code,
            user_message="Fortnox känner inte igen Kassasyncs klientuppgifter. Kontakta support.",
        )
    raise FortnoxUnavailable(detail, status=response.status_code)


class TokenManager:
    """Hands out a valid access token; refreshes it (once, for every process) when needed."""

    def __init__(
        self,
        store: TokenStore,
        credentials: ClientCredentials,
        token_url: str,
        lock_path: Path,
        *,
        clock: Clock | None = None,
        session: requests.Session | None = None,
        refresh_margin_s: float = REFRESH_MARGIN_S,
    ) -> None:
        self.store = store
        self.credentials = credentials
        self.token_url = token_url
        self.lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT_S)
        self.clock = clock or SystemClock()
        self.session = session or requests.Session()
        self.refresh_margin_s = refresh_margin_s
        self.refreshes = 0  # refresh POSTs this manager made (for tests and the run report)
        self._mutex = threading.Lock()
        self._current: TokenSet | None = None

    def access_token(self) -> str:
        """The current token, refreshed first when it expires within the margin."""
        with self._mutex:
            if self._current is None:
                self._current = self.store.load()
                if self._current is None:
                    raise LoginRequired("no stored Fortnox tokens: never logged in, or logged out")
            if self._current.expires_within(self.clock.now(), self.refresh_margin_s):
                self._current = self._refresh_locked(self._current.access_token)
            return self._current.access_token

    def refresh_after_401(self, failed_token: str) -> str:
        """Fortnox refused ``failed_token``: a new one, from another process's refresh or our own."""
        with self._mutex:
            if self._current is not None and self._current.access_token != failed_token:
                return self._current.access_token  # another thread of ours already refreshed
            self._current = self._refresh_locked(failed_token)
            return self._current.access_token

    def _refresh_locked(self, stale_access_token: str) -> TokenSet:
        try:
            with self.lock:
                stored = self.store.load()
                if stored is None:
                    raise LoginRequired("the stored Fortnox tokens disappeared (logged out elsewhere?)")
                fresh_elsewhere = stored.access_token != stale_access_token and not stored.expires_within(
                    self.clock.now(), self.refresh_margin_s
                )
                if fresh_elsewhere:
                    log.info("using the Fortnox token another process refreshed")
                    return stored
                tokens = self._refresh(stored.refresh_token)
                self.store.save(tokens)  # persisted before anyone uses it
                log.info(
                    "Fortnox token refreshed; valid until %s", tokens.expires_at.isoformat(timespec="seconds")
                )
                return tokens
        except Timeout as exc:
            raise FortnoxUnavailable(
                f"token lock {self.lock.lock_file} held for over {LOCK_TIMEOUT_S:.0f} s by another process"
            ) from exc

    def _refresh(self, refresh_token: str) -> TokenSet:
        self.refreshes += 1
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        response = _token_post(self.session, self.token_url, self.credentials, form)
        return _token_response(response, lambda body: TokenSet.from_response(body, self.clock.now()))


# The browser login -------------------------------------------------------------------------------------

BrowserOpener = Callable[[str], object]
UrlShower = Callable[[str], None]  # shows the login address when no browser started (dialog, terminal)

_DONE_PAGE = (
    "<!doctype html><html lang='sv'><meta charset='utf-8'><title>Kassasync</title>"
    "<h1>{title}</h1><p>{text}</p><p>Du kan stänga det här fönstret.</p></html>"
)


class _CallbackServer(ThreadingMixIn, HTTPServer):
    """One thread per connection: a browser's idle pre-connection (or any other program's) cannot
    hold up the real redirect. Still one code: the first valid callback wins, under a lock."""

    daemon_threads = True
    result: dict[str, str] | None = None
    expected_state: str = ""
    refused: int = 0  # callbacks whose state was not ours (another page, another login)
    result_lock = threading.Lock()

    def verify_request(self, request: Any, client_address: Any) -> bool:
        return bool(client_address and client_address[0] == "127.0.0.1")  # loopback only


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _CallbackServer
    timeout = 10.0  # a connection that sends nothing is closed, its thread ends

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path != "/callback" or not ({"code", "error"} & params.keys()):
            self.send_response(404)
            self.end_headers()
            return
        if not secrets.compare_digest(params.get("state", ""), self.server.expected_state):
            # Any web page can make the browser call a loopback address; only our own redirect knows
            # the state. A forged callback is refused and does not end the wait for the real one.
            self.server.refused += 1
            self._page(403, "Inloggningen avvisades", "Svaret kom inte från Kassasyncs inloggning.")
            return
        with self.server.result_lock:
            if self.server.result is not None:  # one code per login: a second callback changes nothing
                self._page(409, "Redan inloggad", "Inloggningen är redan klar; stäng fliken.")
                return
            self.server.result = params
        ok = "code" in params
        self._page(
            200,
            "Klart!" if ok else "Inloggningen avbröts",
            "Kassasync är nu kopplat till Fortnox." if ok else "Kassasync fick ingen behörighet.",
        )

    def _page(self, status: int, title: str, text: str) -> None:
        body = _DONE_PAGE.format(title=title, text=text).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # the query holds the code: never log it
        return


def _listen_once(server: _CallbackServer, deadline_s: float, done: threading.Event) -> None:
    """Serve until one callback with a code (or an error) arrived, then stop: one code, one listener."""
    server.timeout = 0.5
    waited = 0.0
    while server.result is None and waited < deadline_s:
        server.handle_request()
        waited += server.timeout
    done.set()


def _open_browser(opener: BrowserOpener, url: str) -> bool:
    """Whether a browser started. ``webbrowser.open`` returns False when it found none; a broken
    browser registration raises. Any other answer (a test's stand-in returns None) counts as opened."""
    try:
        return opener(url) is not False
    except (webbrowser.Error, OSError) as exc:
        log.warning("login: the browser could not be started: %s", exc)
        return False


def authorize_url(
    endpoints: OAuthEndpoints, client_id: str, redirect_uri: str, state: str, scopes: Iterable[str]
) -> str:
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
        "access_type": "offline",
        "response_type": "code",
    }
    return f"{endpoints.authorize_url}?{urlencode(query)}"


def login(
    credentials: ClientCredentials,
    endpoints: OAuthEndpoints,
    store: TokenStore,
    *,
    redirect_port: int = 0,
    browser_opener: BrowserOpener | None = None,
    scopes: Iterable[str] = SCOPES,
    timeout_s: float = 300.0,
    clock: Clock | None = None,
    show_url: UrlShower | None = None,
) -> TokenSet:
    """Run the authorization-code flow through the user's browser; store and return the token pair.

    When no browser starts (``webbrowser.open`` answers False or raises: no desktop browser, a locked-
    down PC), ``show_url`` gets the address so the user can open it by hand; the wait goes on."""
    opener = browser_opener or webbrowser.open
    clock = clock or SystemClock()
    try:
        server = _CallbackServer(("127.0.0.1", redirect_port), _CallbackHandler)
    except OSError as exc:  # the fixed port is taken: another program (or another login) listens there
        raise LoginFailed(
            f"cannot listen on 127.0.0.1:{redirect_port} for the login callback: {exc}",
            user_message=(
                f"Inloggningen kunde inte starta: port {redirect_port} på datorn används redan av ett "
                "annat program. Stäng det programmet (eller en annan pågående inloggning) och försök igen."
            ),
        ) from exc
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/callback"
    state = secrets.token_urlsafe(32)
    register_secret(state, slot="oauth_state")
    server.expected_state = state
    done = threading.Event()
    listener = threading.Thread(
        target=_listen_once, args=(server, timeout_s, done), name="login-callback", daemon=True
    )
    listener.start()
    try:
        log.info("login: opening the browser at Fortnox; waiting on %s", redirect_uri)
        url = authorize_url(endpoints, credentials.client_id, redirect_uri, state, scopes)
        if not _open_browser(opener, url):
            log.warning("login: no browser started; showing the login address instead")
            if show_url is not None:
                show_url(url)
        done.wait(timeout_s + 1.0)
    finally:
        listener.join(timeout=2.0)
        server.server_close()
    result = server.result
    if result is None and server.refused:
        raise LoginFailed(f"login callback state mismatch: {server.refused} callback(s) refused, none valid")
    if result is None:
        raise LoginFailed(
            f"no answer on {redirect_uri} within {timeout_s:.0f} s",
            user_message="Ingen inloggning gjordes i webbläsaren. Försök igen.",
        )
    if "error" in result:
        raise LoginFailed(
            f"Fortnox refused the authorization: {result['error']}",
            user_message="Inloggningen godkändes inte i Fortnox. Försök igen och välj ”Godkänn”.",
        )
    code = result["code"]
    register_secret(code, slot="oauth_code")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    with requests.Session() as session:
        response = _token_post(session, endpoints.token_url, credentials, form)
    try:
        tokens = _token_response(response, lambda body: TokenSet.from_response(body, clock.now()))
    except LoginRequired as exc:
        raise LoginFailed(exc.detail) from exc
    store.save(tokens)
    log.info("login: token pair stored in %s", store.description)
    return tokens


def logout(credentials: ClientCredentials, endpoints: OAuthEndpoints, store: TokenStore) -> bool:
    """Revoke the refresh token at Fortnox (best effort) and forget the pair; True when Fortnox confirmed."""
    tokens = store.load()
    revoked = False
    if tokens is not None:
        form = {"token_type_hint": "refresh_token", "token": tokens.refresh_token}
        try:
            with requests.Session() as session:
                response = _token_post(session, endpoints.revoke_url, credentials, form)
            revoked = response.status_code == 200
            if not revoked:
                log.warning("logout: Fortnox answered %s to the revoke", response.status_code)
        except FortnoxUnavailable as exc:
            log.warning("logout: could not reach Fortnox to revoke (%s); forgetting locally", exc.detail)
    store.clear()
    return revoked
