"""Fault injection and counters, the test harness's view into what the "cloud" saw.

A rule fails the next N requests matching METHOD + path pattern (`*` is one path segment), with a
status, a delay, a dropped connection after the document was committed, or before; or, after the
document was committed, a 200 whose body cannot be read: an HTML page (what a proxy or Fortnox's own
error page sends) or the JSON cut short.
"""

from __future__ import annotations

import fnmatch
import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

KINDS = (
    "status",
    "delay",
    "drop_after_commit",
    "drop_before_commit",
    "html_after_commit",
    "truncated_after_commit",
)


def token_tag(access_token: str) -> str:
    """How the counters name an access token: a short hash (the token itself is a secret)."""
    return hashlib.sha256(access_token.encode()).hexdigest()[:12]


@dataclass
class FaultRule:
    method: str
    pattern: str
    kind: str
    remaining: int
    status: int | None = None
    delay_s: float | None = None
    retry_after_s: int | None = None  # a 429 rule's Retry-After header (Fortnox's own 429s have none)

    def matches(self, method: str, raw_path: str) -> bool:
        if self.method not in ("*", method.upper()):
            return False
        want = self.pattern.strip("/").split("/")
        got = raw_path.strip("/").split("/")
        return len(want) == len(got) and all(
            fnmatch.fnmatchcase(g, w) for w, g in zip(want, got, strict=True)
        )


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self.requests: Counter[str] = Counter()
        self.rate_limited = 0
        self.rate_limited_by_token: Counter[str] = Counter()
        self.requests_by_token: Counter[str] = Counter()
        self.invoices_by_reference: Counter[str] = Counter()
        self.vouchers_by_description: Counter[str] = Counter()

    def add(self, rule: FaultRule) -> None:
        if rule.kind not in KINDS:
            raise ValueError(f"unknown fault kind {rule.kind!r}")
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, method: str, raw_path: str) -> FaultRule | None:
        """The first live rule matching this request, consuming one of its uses."""
        with self._lock:
            for rule in self._rules:
                if rule.remaining > 0 and rule.matches(method, raw_path):
                    rule.remaining -= 1
                    return rule
            return None

    def count_request(self, key: str) -> None:
        with self._lock:
            self.requests[key] += 1

    def count_429(self, access_token: str | None = None) -> None:
        """A 429 answered; with the request's token also per token (which login of the company met it)."""
        with self._lock:
            self.rate_limited += 1
            if access_token is not None:
                self.rate_limited_by_token[token_tag(access_token)] += 1

    def count_token_request(self, access_token: str) -> None:
        """An API request with a valid token (answered or 429), per token."""
        with self._lock:
            self.requests_by_token[token_tag(access_token)] += 1

    def count_invoice(self, *references: str) -> None:
        with self._lock:
            for ref in {r for r in references if r}:
                self.invoices_by_reference[ref] += 1

    def count_voucher(self, description: str) -> None:
        with self._lock:
            self.vouchers_by_description[description] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(self.requests),
                "429s": self.rate_limited,
                "429s_by_token": dict(self.rate_limited_by_token),
                "requests_by_token": dict(self.requests_by_token),
                "invoices_by_reference": dict(self.invoices_by_reference),
                "vouchers_by_description": dict(self.vouchers_by_description),
            }

    def reset_counters(self) -> None:
        with self._lock:
            self.requests.clear()
            self.rate_limited = 0
            self.rate_limited_by_token.clear()
            self.requests_by_token.clear()
            self.invoices_by_reference.clear()
            self.vouchers_by_description.clear()
