"""One error family for the whole agent.

Every error the shop owner may see carries two texts: ``user_message`` in Swedish, saying what happened
and what to do, and ``detail`` in English for the log and support. Library exceptions are translated
into these at the boundary that catches them (``fortnox/client.py`` for ``requests``), never further in.

``RunAborted`` stops a whole sync run (login expired, wrong company, Fortnox unreachable); ``ItemFailed``
concerns one receipt or article, and the run goes on with the others.
"""

from __future__ import annotations


class KassasyncError(Exception):
    """Base of every error the agent raises on purpose."""

    default_user_message = "Ett oväntat fel inträffade. Se loggfilen för detaljer."

    def __init__(self, detail: str, *, user_message: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.user_message = user_message or self.default_user_message

    def __str__(self) -> str:
        return self.detail


class RunAborted(KassasyncError):
    """The run cannot go on; nothing more is attempted until the cause is fixed."""


class ItemFailed(KassasyncError):
    """One item (a receipt, an article) failed; the others are still processed."""


class ConfigError(KassasyncError):
    """The settings file is missing, unreadable or invalid. It is never overwritten in that case."""

    default_user_message = "Inställningsfilen kunde inte läsas. Öppna inställningarna och spara dem igen."
