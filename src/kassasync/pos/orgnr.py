"""Swedish organisation numbers (organisationsnummer), checked before a company file is made.

The number ties the register's company to the Fortnox tenant: the agent refuses to post into a Fortnox
company whose number differs, so a typo here would block every sync. Format ``NNNNNN-NNNN``; the last
digit is a Luhn (mod 10) check digit over the first nine (Skatteverket, SKV 709). A sole trader's
personal identity number has the same shape and check, so it passes too.
"""

from __future__ import annotations

import re

from kassasync.errors import KassasyncError


class InvalidOrganisationNumber(KassasyncError):
    default_user_message = "Organisationsnumret är ogiltigt. Skriv det som NNNNNN-NNNN."


_SHAPE = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_check_digit(digits: str) -> int:
    """The digit that makes ``digits + check`` pass the Luhn test (weights 2, 1, 2, ... from the left)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def normalise_orgnr(text: str) -> str:
    """``5561234567`` or ``556123-4567`` → ``556123-4567``; anything else raises with a Swedish message."""
    cleaned = text.strip().replace(" ", "")
    match = _SHAPE.match(cleaned)
    if not match:
        raise InvalidOrganisationNumber(
            f"organisation number {text!r} is not NNNNNN-NNNN",
            user_message=f"Organisationsnumret {text!r} ska ha formen NNNNNN-NNNN (tio siffror).",
        )
    digits = match.group(1) + match.group(2)
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidOrganisationNumber(
            f"organisation number {text!r} fails the Luhn check digit",
            user_message=(
                f"Organisationsnumret {text!r} stämmer inte: kontrollsiffran (den sista) är fel. "
                "Kontrollera numret mot registreringsbeviset eller Fortnox."
            ),
        )
    return f"{digits[:6]}-{digits[6:]}"


def same_organisation(first: str, second: str) -> bool:
    """By digits, the last ten: 556123-4567, 5561234567 and 16556123-4567 (Fortnox's form) are one company.

    The one comparison of the company file's number with Fortnox's: the dialog, the engine's check before
    any write and the demo must agree on what "the same company" is.
    """
    digits = ["".join(ch for ch in number if ch.isdigit())[-10:] for number in (first, second)]
    return bool(digits[0]) and digits[0] == digits[1]
