"""The generic Fortnox HTTP core: one session, the rate limiter, retries, 401 refresh, pages, error mapping.

Retry policy, from what goes wrong in the field (FIELD.md §2-3):
- A request that never left (connect refused, connect timeout) is retried for any method.
- Idempotent requests (GET, PUT actions such as bookkeep) are retried with back-off on 5xx and on
  connections lost after sending; a bounded number of times, then ``FortnoxUnavailable``.
- A creating POST is never retried once it may have reached Fortnox: a read timeout, a dropped connection
  or a 5xx raises ``OutcomeUnknown`` with what was sent, and the engine reconciles before posting again.
- 429 is normal traffic: Fortnox did not process the request, so it is sent again after the wait (a
  creating POST too: exactly once still holds) and counted. The limiter hears of every answer
  (``limiter.answered``): the adaptive one lowers this PC's rate on a 429 and raises it while answers
  come back clean, so registers of one company share Fortnox's budget (``aimd``).
- 401 gets a token refresh and another try (twice at most: the first new token may be one another
  process refreshed and Fortnox already expired).

This is the only module that catches ``requests`` exceptions (STYLE.md §1).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from kassasync.clock import Clock, SystemClock
from kassasync.config import FORTNOX_API_URL
from kassasync.fortnox.errors import (
    FortnoxUnavailable,
    OutcomeUnknown,
    RateLimited,
    error_from_response,
)
from kassasync.fortnox.ratelimit import RateLimiter, shared_limiter
from kassasync.fortnox.waits import pause

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
PAGE_LIMIT = 500


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh_after_401(self, failed_token: str) -> str: ...


@dataclass(frozen=True)
class ClientOptions:
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    max_retries: int = 3  # for idempotent requests, after the first try
    backoff_s: float = 0.5  # doubled per retry, capped
    max_backoff_s: float = 8.0
    max_retry_after_s: float = 60.0  # a longer Retry-After stops the run (and frees the sync lock)
    max_429_waits: int = 10  # then RateLimited (about 30 s of holding off at 24 per 5 s)
    max_auth_retries: int = 2


def segment(value: object) -> str:
    """One escaped path segment: ``FG-B/S`` -> ``FG-B%2FS``, space -> ``%20`` (never ``+``)."""
    return quote(str(value), safe="")


def path(*segments: object) -> str:
    return "/".join(segment(s) for s in segments)


def _exact_number(value: Decimal) -> float:
    """Decimals go out as JSON numbers; a float's repr is the shortest exact text, checked here."""
    number = float(value)
    if Decimal(repr(number)) != value:  # numeric comparison: 1250.0 == 1250.00
        raise ValueError(f"{value} cannot be sent exactly as a JSON number")
    return number


def encode_json(body: Any) -> bytes:
    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            return _exact_number(value)
        if isinstance(value, Mapping):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return json.dumps(convert(body), ensure_ascii=False).encode("utf-8")


def _was_sent(exc: requests.RequestException) -> bool:
    """Whether the request may have reached Fortnox (then a POST must not be repeated blindly)."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError) and exc.args:
        reason = exc.args[0]
        if isinstance(reason, MaxRetryError):
            reason = reason.reason
        if isinstance(reason, NewConnectionError | ConnectTimeoutError):
            return False
    return True


class FortnoxTransport:
    def __init__(
        self,
        tokens: TokenSource,
        *,
        api_url: str = FORTNOX_API_URL,
        limiter: RateLimiter | None = None,
        clock: Clock | None = None,
        options: ClientOptions | None = None,
        session: requests.Session | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.tokens = tokens
        self.api_url = api_url.rstrip("/")
        self.clock = clock or SystemClock()
        self.limiter: RateLimiter = limiter or shared_limiter(self.api_url, "default", clock=self.clock)
        self.options = options or ClientOptions()
        self.cancel = cancel  # the run's: cuts every wait short (``waits``), never a request under way
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json"})
        self.list_total: int | None = None  # @TotalResources of the last list page read (progress)
        self.requests_made = 0
        self.rate_limited = 0  # 429s met

    @property
    def base_url(self) -> str:
        """The host part (``https://api.fortnox.se``): the warehouse API lives under ``/api/warehouse``."""
        return self.api_url[: -len("/3")] if self.api_url.endswith("/3") else self.api_url

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        resource: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        """``resource`` is already escaped (use ``path(...)``), relative to the API URL or absolute.

        Only GET, HEAD, PUT and DELETE are retried after they may have been sent; a POST creates, so its lost
        answer is ``OutcomeUnknown`` and the caller reconciles."""
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS
        url = resource if resource.startswith("http") else f"{self.api_url}/{resource.lstrip('/')}"
        data = None if body is None else encode_json(body)
        failures = auth_retries = waits = 0
        token = self.tokens.access_token()
        while True:
            slot = self.limiter.reserve(self.cancel)
            self.requests_made += 1
            try:
                response = self._send(method, url, params, data, token)
            except requests.RequestException as exc:
                if _was_sent(exc) and not idempotent:
                    raise OutcomeUnknown(
                        f"{method} {url}: no answer after sending ({type(exc).__name__}); outcome unknown",
                        method=method,
                        url=url,
                        payload=body,
                    ) from exc
                failures += 1
                if failures > self.options.max_retries:
                    raise FortnoxUnavailable(f"{method} {url} failed {failures} times: {exc}") from exc
                self._back_off(failures, f"{method} {url}: {type(exc).__name__}")
                continue
            status = response.status_code
            if status != 429:
                self.limiter.answered(slot, throttled=False)
            if status == 401:
                if auth_retries >= self.options.max_auth_retries:
                    # The refresh itself worked (else LoginRequired came from it): keep the login.
                    raise FortnoxUnavailable(
                        f"{method} {url}: 401 even with a refreshed token",
                        status=401,
                        user_message=(
                            "Fortnox godtog inte inloggningen trots att den förnyades. Synkroniseringen "
                            "försöker igen senare; kvarstår felet, välj ”Logga in” igen."
                        ),
                    )
                auth_retries += 1
                token = self.tokens.refresh_after_401(token)
                continue
            if status == 429:
                waits += 1
                self.rate_limited += 1
                try:
                    hold_s = self._429_wait(response, waits)
                except RateLimited:  # a run stopped by a long Retry-After still leaves the lower rate
                    self.limiter.answered(slot, throttled=True)
                    raise
                self.limiter.answered(slot, throttled=True, hold_s=hold_s)
                if waits > self.options.max_429_waits:
                    raise RateLimited(f"{method} {url}: 429 {waits} times in a row", status=429)
                continue
            if status >= 500 and not idempotent:
                raise OutcomeUnknown(
                    f"{method} {url}: HTTP {status} after sending; outcome unknown",
                    method=method,
                    url=url,
                    payload=body,
                )
            if status >= 500 and failures < self.options.max_retries:
                failures += 1
                self._back_off(failures, f"{method} {url}: HTTP {status}")
                continue
            if status >= 400:
                raise error_from_response(status, method, url, response.text)
            if not idempotent:  # the work is done; an answer we cannot read must not look like a refusal
                return self._decode_created(response, method, url, body)
            return self._decode(response, method, url)

    def _send(
        self, method: str, url: str, params: Mapping[str, Any] | None, data: bytes | None, token: str
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if data is not None or method in ("POST", "PUT"):
            # Also on the body-less action PUTs (bookkeep, cancel, credit): without it Fortnox may
            # answer 1000031 "Invalid content type" (REFERENCE §4.1, a vendor's notes 2026-04).
            headers["Content-Type"] = "application/json"
        timeout = (self.options.connect_timeout_s, self.options.read_timeout_s)
        return self.session.request(method, url, params=params, data=data, headers=headers, timeout=timeout)

    def _back_off(self, failures: int, what: str) -> None:
        wait = min(self.options.backoff_s * 2 ** (failures - 1), self.options.max_backoff_s)
        log.warning("%s; retry %d in %.1f s", what, failures, wait)
        pause(self.clock, wait, self.cancel, f"retry {failures} ({what})")

    def _429_wait(self, response: requests.Response, waits: int) -> float:
        """Retry-After when Fortnox sends one (undocumented); else from one slot up to a whole window."""
        header = response.headers.get("Retry-After", "")
        if header.isdigit():
            if float(header) > self.options.max_retry_after_s:
                raise RateLimited(
                    f"429 with Retry-After: {header} s (more than {self.options.max_retry_after_s:g} s); "
                    "the run stops and the next one goes on",
                    status=429,
                )
            return float(header)
        slot = self.limiter.window_s / self.limiter.limit
        wait: float = min(slot * 2 ** (waits - 1), self.limiter.window_s)
        log.info("Fortnox rate limit (429); every request holds off %.2f s", wait)
        return wait

    @classmethod
    def _decode_created(cls, response: requests.Response, method: str, url: str, payload: Any) -> Any:
        """A creating request's 2xx: a body that is not a JSON object is an unknown outcome (reconciled
        before anything is sent again), never "refused before any work"."""
        decoded: Any = None
        cause: FortnoxUnavailable | None = None
        try:
            decoded = cls._decode(response, method, url)
        except FortnoxUnavailable as exc:
            cause = exc
        if isinstance(decoded, dict) and decoded:
            return decoded
        raise OutcomeUnknown(
            f"{method} {url}: HTTP {response.status_code} with an unreadable body "
            f"({response.headers.get('Content-Type', '?')}, {len(response.content)} bytes); outcome unknown",
            method=method,
            url=url,
            payload=payload,
        ) from cause

    @staticmethod
    def _decode(response: requests.Response, method: str, url: str) -> Any:
        if not response.content:
            return {}
        try:
            return json.loads(response.content.decode("utf-8"), parse_float=Decimal)
        except ValueError as exc:
            raise FortnoxUnavailable(f"{method} {url}: HTTP {response.status_code} without JSON") from exc

    def pages(
        self, resource: str, key: str, params: Mapping[str, Any] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """One list page at a time (limit 500): a large catalogue is never held whole."""
        page = 1
        while True:
            body = self.request("GET", resource, params={**(params or {}), "limit": PAGE_LIMIT, "page": page})
            rows: list[dict[str, Any]] = body.get(key) or []
            meta = body.get("MetaInformation") or {}
            total = meta.get("@TotalResources")
            self.list_total = int(total) if isinstance(total, int | str) and str(total).isdigit() else None
            yield rows
            if not rows or page >= int(meta.get("@TotalPages") or 0):
                return
            page += 1
