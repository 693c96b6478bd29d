"""The log files support reads: one per day, pruned after 30 days, never a secret in them."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kassasync import logs
from kassasync.clock import STOCKHOLM, FakeClock
from kassasync.logs import (
    DailyFileHandler,
    RedactingFormatter,
    log_file_for,
    redact,
    register_secret,
    setup_logging,
)


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer eyJhbGciOi.eyJ0ZW5hbnQ.c2ln", "eyJhbGciOi.eyJ0ZW5hbnQ.c2ln"),
        ("Authorization: Basic c2FuZGJveDpzZWNyZXQ=", "c2FuZGJveDpzZWNyZXQ="),
        ('{"access_token": "abc123xyz", "expires_in": 3600}', "abc123xyz"),
        ('{"refresh_token":"r3fr3sh-tok"}', "r3fr3sh-tok"),
        ("{'client_secret': 'very-secret'}", "very-secret"),
        ("grant_type=refresh_token&refresh_token=r3fr3sh-tok&x=1", "r3fr3sh-tok"),
        ("GET /callback?code=authc0de99&state=st4te77 HTTP/1.1", "authc0de99"),
        ("GET /callback?code=authc0de99&state=st4te77 HTTP/1.1", "st4te77"),
    ],
)
def test_secrets_in_known_shapes_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact(text)
    assert "***" in redact(text)


def test_fortnox_error_codes_and_ordinary_text_survive_redaction() -> None:
    text = '{"ErrorInformation": {"code": 2000428, "message": "Kan inte hitta artikeln."}} state of sync'
    assert redact(text) == text


def test_a_registered_secret_is_redacted_wherever_it_appears() -> None:
    register_secret("plain-value-9f8e7d", slot="test_value")
    assert redact("the value plain-value-9f8e7d leaked in prose") == "the value *** leaked in prose"


def test_the_redactor_keeps_only_the_current_token_pair_however_often_it_is_renewed() -> None:
    for hour in range(200):  # a week and more of hourly refreshes
        register_secret(f"access-token-of-hour-{hour:04d}", slot="access_token")
        register_secret(f"refresh-token-of-hour-{hour:04d}", slot="refresh_token")
    current = "access-token-of-hour-0199 and refresh-token-of-hour-0199"
    assert redact(current) == "*** and ***"
    assert not any("hour-0000" in value for value in logs._known)
    assert len(logs._known) <= len(logs._slots) < 10  # one value a slot, not 400 old tokens


def test_the_formatter_redacts_tracebacks_too() -> None:
    register_secret("traceback-secret-42", slot="test_value")
    formatter = RedactingFormatter("%(message)s")
    try:
        raise ValueError("token traceback-secret-42 rejected")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert "traceback-secret-42" not in formatter.format(record)


def test_each_day_gets_its_own_file_and_the_handler_switches_at_midnight(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 28, 23, 59, 30, tzinfo=STOCKHOLM))
    handler = DailyFileHandler(tmp_path, clock=clock)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("kassasync.test.daily")
    log.propagate = False
    log.addHandler(handler)
    try:
        log.warning("before midnight")
        clock.advance(60)
        log.warning("after midnight")
    finally:
        log.removeHandler(handler)
        handler.close()
    first = log_file_for(tmp_path, datetime(2026, 11, 28).date()).read_text(encoding="utf-8")
    second = log_file_for(tmp_path, datetime(2026, 11, 29).date()).read_text(encoding="utf-8")
    assert first == "before midnight\n"
    assert second == "after midnight\n"


def test_files_older_than_thirty_days_are_removed(tmp_path: Path) -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM)
    kept = log_file_for(tmp_path, (now - timedelta(days=29)).date())
    old = log_file_for(tmp_path, (now - timedelta(days=30)).date())
    unrelated = tmp_path / "notes.txt"
    for path in (kept, old, unrelated):
        path.write_text("x", encoding="utf-8")
    handler = DailyFileHandler(tmp_path, clock=FakeClock(now))
    handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "hello", None, None))
    handler.close()
    assert kept.exists() and unrelated.exists()
    assert not old.exists()


def test_setup_logging_redacts_and_clamps_token_logging_libraries(
    tmp_path: Path, restore_root_logger: None
) -> None:
    handler = setup_logging(tmp_path, "DEBUG", clock=FakeClock())
    logging.getLogger("oauthlib").debug("token %s", "oauthlib-debug-token")
    logging.getLogger("kassasync.test").info("body: %s", '{"access_token": "aaaa-bbbb-cccc"}')
    assert handler.current_file is not None
    text = handler.current_file.read_text(encoding="utf-8")
    assert "oauthlib-debug-token" not in text
    assert "aaaa-bbbb-cccc" not in text
    assert '"access_token": "***"' in text
    assert logging.getLogger("urllib3").level == logging.WARNING
