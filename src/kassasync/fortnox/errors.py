"""What Fortnox said, as typed errors: a Swedish remedy for the shop owner, the English detail for the log.

The table ``RULES`` is the one place that maps Fortnox error codes and messages to our errors (REFERENCE
§4.10-4.11). Several codes (no financial year, locked period, series not manual, voucher unbalanced) were
never captured from a real Fortnox, so those rules also match on the Swedish message Fortnox is reported to
send; whichever matches first wins. Bodies are parsed defensively: ``ErrorInformation`` keys in either case,
the gateway's ``{"message": ...}``, OAuth ``{"error", "error_description"}``, and text/HTML bodies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kassasync.errors import ItemFailed, KassasyncError, RunAborted


class FortnoxError(KassasyncError):
    """Fortnox refused or failed a request; ``code`` is Fortnox's error code when it sent one."""

    default_user_message = "Fortnox svarade med ett fel. Se loggfilen för detaljer."

    def __init__(
        self,
        detail: str,
        *,
        user_message: str | None = None,
        code: int | None = None,
        status: int | None = None,
        fortnox_message: str | None = None,
    ) -> None:
        super().__init__(detail, user_message=user_message)
        self.code = code
        self.status = status
        self.fortnox_message = fortnox_message


class FortnoxRejected(FortnoxError, ItemFailed):
    """A business rule refused this one document (the others may still go through)."""


class NotFound(FortnoxRejected):
    """The article, customer, invoice... does not exist in Fortnox."""

    default_user_message = "Det som söktes finns inte i Fortnox."


class SetupProblem(FortnoxError, RunAborted):
    """Something in the Fortnox company must be fixed by the user before posting can go on."""


class AccessDenied(FortnoxError, RunAborted):
    """The login lacks a scope or the company lacks a licence."""


class FortnoxUnavailable(FortnoxError, RunAborted):
    """Fortnox could not be reached, or kept failing (5xx) after the bounded retries."""

    default_user_message = (
        "Fortnox svarar inte just nu. Inget har gått förlorat; synkroniseringen försöker igen senare."
    )


class RateLimited(FortnoxError, RunAborted):
    """Fortnox kept answering 429 beyond our patience (another integration may be using the budget)."""

    default_user_message = (
        "Fortnox begränsar antalet anrop just nu. Inget har gått förlorat; "
        "synkroniseringen fortsätter senare."
    )


class RequestCancelled(RunAborted):
    """The run was cancelled (quit, SIGTERM) while a request waited for its place or a retry: nothing
    was sent, so stopping here is as safe as between two items."""

    default_user_message = "Synkroniseringen avbröts. Det som hann göras är sparat; resten görs nästa gång."


class LoginRequired(FortnoxError, RunAborted):
    """The refresh token is gone (used, expired, revoked): only a new login by a person helps."""

    default_user_message = (
        "Logga in igen: kopplingen till Fortnox har upphört. Välj ”Logga in” i Kassasync. "
        "Inga kvitton går förlorade; de skickas när du har loggat in."
    )


class ScopeMissing(LoginRequired):
    """The stored login lacks a scope the mode needs (Lagermodul turned on after logging in)."""

    default_user_message = (
        "Ny inloggning behövs: Lagermodul är påslagen, men inloggningen i Fortnox gjordes utan "
        "behörighet till lagret. Välj ”Logga in” i Kassasyncs inställningar och godkänn igen. "
        "Inga kvitton går förlorade; de skickas när du har loggat in."
    )


class LoginFailed(FortnoxError, RunAborted):
    """The browser login did not complete (refused, wrong state, timed out)."""

    default_user_message = "Inloggningen till Fortnox misslyckades. Försök igen."


class OutcomeUnknown(FortnoxError, ItemFailed):
    """A creating request was sent but no answer came back: Fortnox may or may not have created it.

    Never retried here; the engine reconciles (looks the document up) before it posts again."""

    default_user_message = (
        "Svaret från Fortnox uteblev efter att kvittot skickats. Kassasync kontrollerar i Fortnox "
        "om det kom fram innan det skickas igen; inget dubbelbokas."
    )

    def __init__(self, detail: str, *, method: str, url: str, payload: Any) -> None:
        super().__init__(detail)
        self.method = method
        self.url = url
        self.payload = payload


@dataclass(frozen=True)
class Rule:
    kind: type[FortnoxError]
    user_message: str
    codes: frozenset[int] = frozenset()
    message_contains: tuple[str, ...] = ()

    def matches(self, code: int | None, message: str) -> bool:
        lowered = message.lower()
        return (code is not None and code in self.codes) or any(m in lowered for m in self.message_contains)


RULES: tuple[Rule, ...] = (
    Rule(
        SetupProblem,
        "Räkenskapsår saknas i Fortnox för kvittots datum. Skapa räkenskapsåret i Fortnox "
        "(Inställningar → Bokföring → Räkenskapsår) och synkronisera igen.",
        frozenset({2999002}),
        ("räkenskapsår saknas",),
    ),
    Rule(
        FortnoxRejected,
        "Datumet ligger i en låst period i Fortnox. Lås upp perioden i Fortnox eller kontakta din "
        "redovisningskonsult.",
        frozenset({2999003}),
        ("låst period",),
    ),
    Rule(
        SetupProblem,
        "Verifikationsserien tillåter inte manuell kontering. Kryssa i ”Manuell kontering” för serien i "
        "Fortnox (Inställningar → Bokföring → Verifikationsserier) eller välj en annan serie.",
        frozenset({2999004}),
        ("inte manuell",),
    ),
    Rule(
        SetupProblem,
        "Verifikationsserien finns inte i Fortnox. Skapa den i Fortnox eller välj en annan serie i "
        "inställningarna.",
        frozenset({2999005, 2999015}),
    ),
    Rule(
        SetupProblem,
        "Ett konto som används är inte aktivt i Fortnox. Aktivera kontot i Fortnox (Inställningar → "
        "Bokföring → Kontoplan) eller ändra kontot i inställningarna.",
        frozenset({2000550}),
        ("inte aktivt",),
    ),
    Rule(
        SetupProblem,
        "Ett konto saknas i Fortnox kontoplan (eller ett förvalt konto är inte angivet). Lägg upp kontot "
        "i Fortnox eller ändra kontot i inställningarna.",
        frozenset({2001304, 2000423, 2001403, 2001265, 2003095}),
        ("kunde inte hitta konto", "ogiltigt konto", "förvalt konto saknas"),
    ),
    Rule(
        FortnoxRejected,
        "Verifikationen balanserar inte (debet och kredit skiljer sig). Kontrollera kvittot; kontakta "
        "support om felet består.",
        frozenset({2999001}),
        ("inte i balans", "balanserar inte"),
    ),
    Rule(
        NotFound,
        "Artikeln finns inte i Fortnox. Lägg upp artikeln i Fortnox (eller hämta artiklar igen) och "
        "skicka kvittot igen.",
        frozenset({2000428, 2001302}),
        ("hitta artikel",),
    ),
    Rule(
        NotFound,
        "Kunden finns inte i Fortnox. Kontrollera kundnumret (kassakunden) i inställningarna.",
        frozenset({2000433, 2000204}),
        ("hitta kund",),
    ),
    Rule(NotFound, "Fakturan finns inte i Fortnox.", frozenset({2000434})),
    Rule(NotFound, "Priset eller prislistan finns inte i Fortnox.", frozenset({2000430, 2000431})),
    Rule(
        NotFound,
        "Betalningssättet finns inte i Fortnox. Kontrollera betalningssätten i inställningarna.",
        frozenset({2999014}),
    ),
    Rule(
        AccessDenied,
        "Inloggningen saknar behörighet till en del av Fortnox. Logga in igen och godkänn alla "
        "behörigheter som Kassasync ber om.",
        frozenset({2000663, 2001393, 2002455}),
        ("behörighet för scope",),
    ),
    Rule(
        AccessDenied,
        "Företaget saknar licens i Fortnox för en funktion som behövs (t.ex. fakturering eller lager). "
        "Kontrollera licenserna i Fortnox.",
        frozenset({2001101, 2001103}),
        ("ingen aktiv licens", "api-licens saknas"),
    ),
)


@dataclass(frozen=True)
class ParsedError:
    code: int | None
    message: str


def _lower_keys(value: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_error_body(text: str) -> ParsedError:
    """Code and message from any of the shapes Fortnox is known to send, whatever the Content-Type."""
    try:
        body = json.loads(text)
    except ValueError:
        return ParsedError(None, text.strip()[:300])
    top = _lower_keys(body)
    info = _lower_keys(top.get("errorinformation"))
    if info:
        return ParsedError(_as_int(info.get("code")), str(info.get("message") or ""))
    if "error" in top and isinstance(top["error"], str):
        description = top.get("error_description") or ""
        return ParsedError(None, f"{top['error']}: {description}".rstrip(": "))
    if "message" in top:
        return ParsedError(None, str(top["message"]))
    return ParsedError(None, text.strip()[:300])


def error_from_response(status: int, method: str, url: str, text: str) -> FortnoxError:
    """The typed error for an unsuccessful answer (401 and 429 are handled before this by the client)."""
    parsed = parse_error_body(text)
    detail = f"{method} {url} -> HTTP {status}, Fortnox code {parsed.code}: {parsed.message}"
    for rule in RULES:
        if rule.matches(parsed.code, parsed.message):
            return rule.kind(
                detail,
                user_message=rule.user_message,
                code=parsed.code,
                status=status,
                fortnox_message=parsed.message,
            )
    kind: type[FortnoxError]
    if status == 404:
        kind = NotFound
    elif status == 403:
        kind = AccessDenied
    elif status >= 500:
        kind = FortnoxUnavailable
    else:
        kind = FortnoxRejected
    user_message = None
    if kind is FortnoxRejected and parsed.message:
        user_message = (
            f"Fortnox nekade: {parsed.message}. Rätta uppgiften i Fortnox eller i kassan och försök igen."
        )
    return kind(
        detail, user_message=user_message, code=parsed.code, status=status, fortnox_message=parsed.message
    )
