"""Fortnox's error bodies, in every shape seen, become typed errors with a Swedish remedy."""

from __future__ import annotations

import pytest

from kassasync.errors import ItemFailed, RunAborted
from kassasync.fortnox.errors import (
    AccessDenied,
    FortnoxError,
    FortnoxRejected,
    FortnoxUnavailable,
    NotFound,
    SetupProblem,
    error_from_response,
    parse_error_body,
)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            '{"ErrorInformation":{"Error":1,"Message":"Kan inte hitta artikeln.","Code":2000428}}',
            2000428,
            "Kan inte hitta artikeln.",
        ),
        (
            '{"ErrorInformation":{"error":1,"message":"Ett ogiltigt filter har använts.","code":"2000587"}}',
            2000587,
            "Ett ogiltigt filter har använts.",
        ),
        ('{"message":"unauthorized"}', None, "unauthorized"),
        (
            '{"error":"invalid_grant","error_description":"Invalid refresh token"}',
            None,
            "invalid_grant: Invalid refresh token",
        ),
        (
            "<html><body>Service Unavailable</body></html>",
            None,
            "<html><body>Service Unavailable</body></html>",
        ),
    ],
)
def test_every_known_error_shape_is_parsed(body: str, code: int | None, message: str) -> None:
    parsed = parse_error_body(body)
    assert (parsed.code, parsed.message) == (code, message)


def _error(status: int, code: int, message: str) -> FortnoxError:
    body = f'{{"ErrorInformation":{{"error":1,"message":"{message}","code":{code}}}}}'
    return error_from_response(status, "POST", "https://api.fortnox.se/3/vouchers", body)


@pytest.mark.parametrize(
    ("code", "message", "kind", "remedy"),
    [
        (2999002, "Räkenskapsår saknas för valt datum", SetupProblem, "Skapa räkenskapsåret"),
        (1, "Räkenskapsår saknas för valt datum", SetupProblem, "Skapa räkenskapsåret"),
        (2999003, "Valt datum är i en låst period", FortnoxRejected, "låst period"),
        (2999004, "Verifikationsserien är inte manuell (F)", SetupProblem, "Manuell kontering"),
        (2000550, "Kontot är inte aktivt", SetupProblem, "Aktivera kontot"),
        (2001304, "Kunde inte hitta konto", SetupProblem, "kontoplan"),
        (2999001, "Verifikationen är inte i balans.", FortnoxRejected, "balanserar inte"),
        (2000433, "Kan inte hitta kunden.", NotFound, "Kunden finns inte"),
        (2000663, "Har inte behörighet för scope", AccessDenied, "Logga in igen"),
        (2001101, "Det finns ingen aktiv licens för önskat scope", AccessDenied, "licens"),
    ],
)
def test_the_codes_the_agent_meets_map_to_typed_errors_with_what_to_do(
    code: int, message: str, kind: type[FortnoxError], remedy: str
) -> None:
    error = _error(400, code, message)
    assert type(error) is kind
    assert remedy in error.user_message
    assert error.fortnox_message == message
    assert "POST https://api.fortnox.se/3/vouchers" in error.detail


def test_setup_problems_stop_the_run_and_rejections_fail_one_item() -> None:
    assert isinstance(_error(400, 2000550, "Kontot är inte aktivt"), RunAborted)
    assert isinstance(_error(400, 2999001, "Verifikationen är inte i balans."), ItemFailed)


def test_an_unknown_code_keeps_fortnox_s_own_swedish_message_for_the_user() -> None:
    error = _error(400, 2000359, "Värdet innehåller ej tillåtna tecken. (x)")
    assert type(error) is FortnoxRejected
    assert "Värdet innehåller ej tillåtna tecken" in error.user_message


def test_a_server_error_without_a_known_code_is_unavailable() -> None:
    error = error_from_response(503, "GET", "u", "Service Unavailable")
    assert isinstance(error, FortnoxUnavailable)
