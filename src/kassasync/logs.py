"""Logging for the whole app: one file per day, old files pruned, secrets redacted on every handler.

Support reads these files, so they must never hold a token, an authorization code or the client secret.
Redaction happens in the formatter (the last step before text leaves the process), so a careless
``log.debug("%s", response.text)`` anywhere is still safe. Libraries that log tokens at DEBUG
(``requests_oauthlib``, ``oauthlib``) and URLs with query strings (``urllib3``) are clamped to WARNING.

No rename rotation: Windows refuses to rename a file another process (the tray, the CLI) holds open, so
each day simply gets its own file ``kassasync-YYYY-MM-DD.log`` and the handler switches at midnight.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from kassasync.clock import Clock, SystemClock, business_date

LOG_PREFIX = "kassasync-"
KEEP_DAYS = 30
MASK = "***"
CLAMPED_LOGGERS = ("requests_oauthlib", "oauthlib", "urllib3")
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

_SECRET_KEYS = r"access_token|refresh_token|id_token|code|client_secret|state|token|password"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*"), r"\1 " + MASK),
    (re.compile(r"(?i)\b(Basic)\s+[A-Za-z0-9+/]+=*"), r"\1 " + MASK),
    # JSON and Python reprs: "access_token": "..." / 'code': '...'
    (re.compile(rf"""(?i)(["'](?:{_SECRET_KEYS})["']\s*:\s*)(["'])[^"']*\2"""), r"\1\2" + MASK + r"\2"),
    # form bodies and query strings: refresh_token=...&code=...
    (re.compile(rf"(?i)(?<![A-Za-z0-9_])((?:{_SECRET_KEYS})=)[^&\s\"'<>]+"), r"\1" + MASK),
)
_MIN_SECRET_LENGTH = 6  # shorter values would blank out ordinary words

_secrets_lock = threading.Lock()
# One value per slot: "access_token", "refresh_token", "client_secret", a login's "oauth_state" and
# "oauth_code". The tuple of them, longest first, is made when one changes rather than on every line.
_slots: dict[str, str] = {}
_known: tuple[str, ...] = ()


def register_secret(value: str | None, *, slot: str) -> None:
    """Redact this exact value wherever it appears, in place of the slot's earlier one.

    A token pair is renewed every hour for as long as the agent runs, and every login has its own state
    and code: a set that kept them all would grow without end and be scanned on every line. A replaced
    value is worthless (a refresh token and an authorization code are single-use).
    """
    global _known
    if not value or len(value) < _MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        _slots[slot] = value
        _known = tuple(sorted(set(_slots.values()), key=len, reverse=True))


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in _known:  # a tuple swapped whole: read without the lock
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFormatter(logging.Formatter):
    """Redacts the finished line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file_for(log_dir: Path, day: date) -> Path:
    return log_dir / f"{LOG_PREFIX}{day.isoformat()}.log"


def prune_old_logs(log_dir: Path, today: date, keep_days: int = KEEP_DAYS) -> list[Path]:
    """Remove day files older than ``keep_days``; files we cannot remove (open elsewhere) are kept."""
    removed: list[Path] = []
    oldest_kept = today - timedelta(days=keep_days - 1)
    for path in log_dir.glob(f"{LOG_PREFIX}*.log"):
        try:
            day = date.fromisoformat(path.stem[len(LOG_PREFIX) :])
        except ValueError:
            continue
        if day < oldest_kept:
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


class DailyFileHandler(logging.Handler):
    """Appends to today's file; on the first record of a new (Swedish) day, switches file and prunes."""

    def __init__(self, log_dir: Path, *, clock: Clock | None = None, keep_days: int = KEEP_DAYS) -> None:
        super().__init__()
        self.log_dir = log_dir
        self.keep_days = keep_days
        self._clock = clock or SystemClock()
        self._day: date | None = None
        self._stream: TextIO | None = None
        self.write_failures = 0  # lines lost to a full disk or a vanished folder; said once on stderr

    @property
    def current_file(self) -> Path | None:
        return None if self._day is None else log_file_for(self.log_dir, self._day)

    def _open_for(self, day: date) -> TextIO:
        self._close_stream()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._stream = log_file_for(self.log_dir, day).open("a", encoding="utf-8")
        self._day = day
        prune_old_logs(self.log_dir, day, self.keep_days)
        return self._stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            with self.lock or threading.RLock():
                today = business_date(self._clock.now())
                stream = self._stream if today == self._day and self._stream else self._open_for(today)
                stream.write(line + "\n")
                stream.flush()
        except OSError as exc:  # a full disk must not stop the sync, nor drown stderr in tracebacks
            self.write_failures += 1
            self._close_stream()
            if self.write_failures == 1 and sys.stderr is not None:
                print(
                    f"kassasync: the log file cannot be written ({exc}); going on without it", file=sys.stderr
                )
        except Exception:
            self.handleError(record)

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(OSError):  # what could not be flushed is lost; the disk is full
                stream.close()

    def close(self) -> None:
        with self.lock or threading.RLock():
            self._close_stream()
        super().close()


def setup_logging(
    log_dir: Path,
    level: str = "INFO",
    *,
    console: bool = False,
    clock: Clock | None = None,
    keep_days: int = KEEP_DAYS,
) -> DailyFileHandler:
    """Install the app's handlers on the root logger (replacing ones installed earlier by this function)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kassasync", False):
            root.removeHandler(handler)
            handler.close()
    formatter = RedactingFormatter(FORMAT)
    file_handler = DailyFileHandler(log_dir, clock=clock, keep_days=keep_days)
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler._kassasync = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    for name in CLAMPED_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return file_handler
